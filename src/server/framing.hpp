// Request framing a proxy in front could read differently from this server:
// refused before any body is read (request smuggling; issue 20, item 6).
#pragma once

#include <httplib.h>

#include <cstddef>
#include <optional>
#include <string>

namespace rulebook::server {

struct FramingProblem {
  int status;           // 400 or 413
  std::string message;  // for the JSON error
};

// Two Content-Length headers, Content-Length with Transfer-Encoding, a
// Content-Length that is not a plain number, or one over `max_body` (answered
// at once, not after waiting for a body that will not come).
std::optional<FramingProblem> framing_problem(const httplib::Request& req, std::size_t max_body);

}  // namespace rulebook::server

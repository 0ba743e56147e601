#include "server/framing.hpp"

namespace rulebook::server {

std::optional<FramingProblem> framing_problem(const httplib::Request& req, std::size_t max_body) {
  const std::size_t lengths = req.get_header_value_count("Content-Length");
  const std::size_t encodings = req.get_header_value_count("Transfer-Encoding");
  if (lengths > 1) {
    return FramingProblem{400, "the request has more than one Content-Length header; send exactly one"};
  }
  if (encodings > 1) {
    return FramingProblem{400, "the request has more than one Transfer-Encoding header; send at most one"};
  }
  if (lengths == 1 && encodings == 1) {
    return FramingProblem{400, "the request has both Content-Length and Transfer-Encoding; send only one of them"};
  }
  if (lengths == 1) {
    const std::string value = req.get_header_value("Content-Length");
    if (value.empty() || value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos) {
      return FramingProblem{400, "Content-Length must be a number of bytes"};
    }
    if (std::stoull(value) > max_body) {
      return FramingProblem{413, "the body is larger than " + std::to_string(max_body) + " bytes (--max-body)"};
    }
  }
  return std::nullopt;
}

}  // namespace rulebook::server

// The decision API as text in, text out: the request body of
// POST /v1/decide/{policy_id} in, the status and JSON body out. The HTTP
// server and `rulebook decide` both call these, so they answer alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rulebook/evaluator.hpp"
#include "rulebook/limits.hpp"
#include "rulebook/policy_set.hpp"

namespace rulebook {

struct ApiResponse {
  int status = 200;
  std::string body;
  std::string error_code;  // empty on success
};

class LogMask;  // src/facts/log_mask.hpp

struct RequestContext {
  std::string request_id;
  std::string trace_id;        // a W3C trace id for the log line, or empty
  const LogMask* log_mask = nullptr;  // facts to hash in the log line (serve --log-mask), or none
  Date today;                  // the default as_of
  bool want_log_line = false;  // fill DecideResult::log_lines (the decision log)
  bool want_text = false;      // fill DecideResult::text (decide --explain --format text)
  std::string now_iso;         // timestamp for log lines
};

struct DecideResult {
  ApiResponse response;
  std::vector<std::string> log_lines;  // one JSON line per decision made, when asked for
  std::string text;                    // the decision and its explanation for people, when asked for
};

DecideResult decide(const PolicySet& set, std::string_view policy_id, std::string_view body, const Limits& limits,
                    const RequestContext& ctx);
DecideResult decide_batch(const PolicySet& set, std::string_view policy_id, std::string_view body,
                          const Limits& limits, const RequestContext& ctx);

// {"error": {"code", "message", "details"}}; details is a JSON array text ("[]" for none).
std::string error_body(std::string_view code, std::string_view message, std::string_view details_json = "[]");

// A decision as the 200 body's parts; used by decide and by the scenario runner.
std::string decision_object_json(const Program& p, const Decision& d);  // {"outcome": ..., ...}
std::string explanation_json(const Program& p, const Decision& d);      // [ ... ]
std::string explanation_text(const Program& p, const Decision& d);      // one line per rule, for people
std::string value_json(const Program& p, TypeId type, const Value& v, const std::vector<Value>& arena);
void append_value_json(std::string& out, const Program& p, TypeId type, const Value& v,
                       const std::vector<Value>& arena);

// Today's date in UTC.
Date today_utc();

}  // namespace rulebook

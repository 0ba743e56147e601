// Fuzz target: any bytes as the body of POST /v1/decide/aps.s26 and of
// POST /v1/decide/aps.s26/batch, through the same code the server runs:
// JSON limits and parsing, request shape, facts validation, evaluation, and
// the response, explanation, text and decision-log renderings.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "fuzz_common.hpp"
#include "rulebook/api.hpp"

namespace {

// A response body must always be valid JSON (and so valid UTF-8).
void must_be_json(const std::string& body) {
  if (!nlohmann::json::accept(body)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace rulebook;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const Limits limits;
  RequestContext ctx;
  ctx.request_id = "fuzz";
  ctx.today = *parse_iso_date("2026-03-02");
  ctx.now_iso = "2026-03-02T00:00:00.000Z";
  ctx.want_log_line = true;
  ctx.want_text = true;
  const PolicySet& set = fuzz::shipped();

  const DecideResult one = decide(set, "aps.s26", body, limits, ctx);
  must_be_json(one.response.body);
  for (const auto& line : one.log_lines) must_be_json(line);
  if ((one.response.status == 200) != one.response.error_code.empty()) __builtin_trap();

  const DecideResult batch = decide_batch(set, "aps.s26", body, limits, ctx);
  must_be_json(batch.response.body);
  for (const auto& line : batch.log_lines) must_be_json(line);
  return 0;
}

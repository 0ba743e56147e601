// Deciding a policy that sums a 1,000-item list of records from a JSON request
// (examples/policies/service-window.rules), reported per item; bench/run
// prints it beside the flat aps.s26 decide_json of the same run.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "rulebook/api.hpp"
#include "rulebook/policy_set.hpp"

namespace {

constexpr int kItems = 1000;

// A service history of kItems periods, one per week, every third unpaid.
std::string service_request() {
  std::string body = R"({"as_of": "2026-03-02", "facts": {"employee": {"service": [)";
  for (int k = 0; k < kItems; ++k) {
    const rulebook::Date start{rulebook::date_from_ymd({2008, 1, 1}).days + 7 * k};
    const rulebook::Date end{start.days + 5};
    if (k) body += ',';
    body += R"({"start": ")" + rulebook::format_iso_date(start) + R"(", "end": ")" + rulebook::format_iso_date(end) +
            "\"" + (k % 3 == 2 ? R"(, "kind": "unpaid")" : "") + "}";
  }
  return body + "]}}}";
}

void BM_decide_json_1000_records(benchmark::State& state) {
  static const auto loaded = rulebook::load_policies({std::string(RULEBOOK_SOURCE_DIR) + "/examples/policies"});
  if (!loaded.set) {
    state.SkipWithError("examples/policies does not load");
    return;
  }
  static const std::string body = service_request();
  rulebook::RequestContext ctx;
  ctx.today = *rulebook::parse_iso_date("2026-03-02");
  ctx.request_id = "bench";
  const rulebook::Limits limits;
  for (auto _ : state) {
    auto r = rulebook::decide(*loaded.set, "example.service-window", body, limits, ctx);
    if (r.response.status != 200) {
      state.SkipWithError(r.response.body.c_str());
      break;
    }
    benchmark::DoNotOptimize(r.response.body.data());
  }
  state.SetItemsProcessed(state.iterations() * kItems);
}
BENCHMARK(BM_decide_json_1000_records);

}  // namespace

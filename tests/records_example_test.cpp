// The worked example in examples/policies: a service history (a list of
// records) summed through a function, decided through the API as a client would.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "support.hpp"

using test::json;
using namespace rulebook;

TEST_CASE("the worked example: paid days of service in the last five years") {
  LoadResult loaded = load_policies({test::source_dir() + "/examples/policies"});
  INFO(test::all_messages(loaded.diagnostics));
  REQUIRE(loaded.set);
  std::ifstream in(test::source_dir() + "/examples/requests/example.service-window.json");
  std::stringstream body;
  body << in.rdbuf();
  RequestContext ctx;
  ctx.today = *parse_iso_date("2026-03-02");
  auto r = decide(*loaded.set, "example.service-window", body.str(), Limits{}, ctx);
  INFO(r.response.body);
  REQUIRE(r.response.status == 200);
  const json answer = json::parse(r.response.body);
  // 2021-03-02 to 2022-06-30 is 486 days; 2023-01-01 to 2026-03-02 is 1157; the unpaid period does not count.
  CHECK(answer["decision"] == json({{"days_in_window", 1643}, {"periods_counted", 2}, {"eligible", true}}));
  bool aggregate_shown = false;
  for (const auto& e : answer["explanation"]) {
    if (e.value("aggregate", "") == "sum of days_in(p) for each p in employee.service where p.kind is paid") {
      aggregate_shown = true;
      CHECK(e["items"] == 3);
      CHECK(e["matched"] == 2);
      CHECK(e["value"] == 1643);
    }
  }
  CHECK(aggregate_shown);

  // A broken history: every problem at once, each at its path.
  auto bad = decide(*loaded.set, "example.service-window",
                    R"({"as_of": "2026-03-02", "facts": {"employee": {"service": [{"start": "2020-02-30"}, {"end": "2021-01-01", "kind": "paid", "note": 1}]}}})",
                    Limits{}, ctx);
  INFO(bad.response.body);
  REQUIRE(bad.response.status == 422);
  const json err = json::parse(bad.response.body);
  std::vector<std::string> paths;
  for (const auto& d : err["error"]["details"]) paths.push_back(d["path"]);
  CHECK(paths == std::vector<std::string>{"employee.service[0].start", "employee.service[1].note",
                                          "employee.service[1].start"});
}

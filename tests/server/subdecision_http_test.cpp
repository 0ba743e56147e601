// Sub-decisions (issue 14) over HTTP: fr.allowance decides fr.smic on the
// request's as_of; the answer nests fr.smic's fired rules and explanation.
#include <catch2/catch.hpp>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;

TEST_CASE("decide: a policy that decides another answers with both's rules", "[decide][sub-decision]") {
  const std::string fixture = std::string(RULEBOOK_SOURCE_DIR) + "/tests/scenario/fixtures/subdecision";
  ServerProcess server(ServeOptions{{"--policies", fixture}, {}});
  auto http = server.client();
  const json request = {{"facts", {{"household", {{"region", "mayotte"},
                                                  {"children", json::array({{{"age", 3}, {"name", "Ana"}},
                                                                            {{"age", 7}, {"name", "Bo"}}})}}}}},
                        {"as_of", "2026-02-01"},
                        {"explain", true}};
  const auto r = http->Post("/v1/decide/fr.allowance", request.dump(), "application/json");
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 200);
  const json j = body_json(r);
  CHECK(j["decision"]["allowance"].dump() == "181.6");  // fr.smic 2026's Mayotte rate 9.08 * 10 * 2 children
  CHECK(j["decision"]["zone"] == "overseas");
  std::vector<std::string> fired;
  for (const auto& f : j["fired"]) fired.push_back(f["rule"]);
  CHECK(fired == std::vector<std::string>{"allowance", "fr.smic/mayotte", "fr.smic/dependants", "fr.smic/weekly"});
  json sub;
  for (const auto& item : j["explanation"]) {
    if (item.contains("define") && item["define"] == "wage") sub = item["sub_decision"];
  }
  REQUIRE(sub.is_object());
  CHECK(sub["policy"] == "fr.smic");
  CHECK(sub["version"] == "2026");
  CHECK(sub["explanation"].is_array());
}

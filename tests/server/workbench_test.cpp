// The routes the workbench needs (src/server/workbench_api.hpp, ui_routes.hpp)
// against the real server: the pages, --no-ui, the policy text, and the suites
// run. The page itself is tested in a browser: tests/browser.
#include <catch2/catch.hpp>

#include "server_process.hpp"

using namespace rulebook::test;

TEST_CASE("workbench: / and /ui/ serve the compiled-in page, with a strict content policy", "[workbench]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  ServerProcess server({{"--policies", (dir / "policies").string()}, {}});
  auto http = server.client();

  const Answer page = http->Get("/");
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body.find("<title>Rulebook workbench</title>") != std::string::npos);
  CHECK(page->get_header_value("Content-Security-Policy").find("default-src 'none'") != std::string::npos);
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");

  // Every file the page names is served, with its type.
  for (const auto& [file, type] : std::vector<std::pair<std::string, std::string>>{
           {"app.js", "text/javascript; charset=utf-8"},
           {"style.css", "text/css; charset=utf-8"},
           {"favicon.svg", "image/svg+xml"}}) {
    INFO(file);
    CHECK(page->body.find("/ui/" + file) != std::string::npos);
    const Answer asset = http->Get("/ui/" + file);
    CHECK(asset->status == 200);
    CHECK(asset->get_header_value("Content-Type") == type);
    CHECK(read_file(std::filesystem::path(RULEBOOK_SOURCE_DIR) / "src/server/ui" / file) == asset->body);
  }
  // Anything else under /ui/ is an unknown path, answered as the API answers one.
  for (const char* path : {"/ui/", "/ui/nope.js", "/ui/../index.html", "/ui/ui/app.js", "/index.html"}) {
    INFO(path);
    const Answer r = http->Get(path);
    CHECK(r->status == 404);
    CHECK(body_json(r)["error"]["code"] == "not_found");
  }
  CHECK(http->Post("/", "{}", "application/json")->status == 404);
}

TEST_CASE("workbench: --no-ui answers / with 404 and keeps the API", "[workbench]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  ServerProcess server({{"--policies", (dir / "policies").string(), "--no-ui"}, {}});
  auto http = server.client();
  for (const char* path : {"/", "/ui/app.js", "/ui/index.html"}) {
    INFO(path);
    const Answer r = http->Get(path);
    CHECK(r->status == 404);
    CHECK(body_json(r)["error"]["code"] == "not_found");
  }
  CHECK(http->Get("/v1/policies/aps.s26/source")->status == 200);
}

TEST_CASE("workbench: /source gives each file of a version, as on disk", "[workbench]") {
  TempDir dir;
  const auto own_2022 = copy_aps_s26(dir / "policies");
  ServerProcess server({{"--policies", (dir / "policies").string()}, {}});
  auto http = server.client();

  const Answer today = http->Get("/v1/policies/aps.s26/source");
  REQUIRE(today->status == 200);
  const json j = body_json(today);
  CHECK(j["id"] == "aps.s26");
  CHECK(j["version"] == "2022");  // in force today
  const json detail = body_json(http->Get("/v1/policies/aps.s26"));
  CHECK(j["hash"] == detail["hash"]);
  REQUIRE(j["files"].size() == detail["files"].size());
  for (std::size_t k = 0; k < j["files"].size(); ++k) {
    INFO(k);
    CHECK(j["files"][k]["path"] == detail["files"][k]);
    const auto on_disk = dir / "policies" / j["files"][k]["path"].get<std::string>();
    CHECK(j["files"][k]["text"] == read_file(on_disk));
    CHECK(j["files"][k]["matches_loaded"] == true);
  }
  // Each rule's line in its file is the line that starts the rule.
  for (const auto& rule : detail["rules"]) {
    INFO(rule["name"]);
    const std::string text = read_file(dir / "policies" / rule["file"].get<std::string>());
    std::size_t at = 0;
    for (int line = 1; line < rule["line"].get<int>(); ++line) at = text.find('\n', at) + 1;
    CHECK(text.compare(at, 5 + rule["name"].get<std::string>().size(), "rule " + rule["name"].get<std::string>()) == 0);
  }

  const json v2016 = body_json(http->Get("/v1/policies/aps.s26/source?version=2016"));
  CHECK(v2016["version"] == "2016");
  CHECK(v2016["files"][0]["path"] == "aps/s26-2016.rules");

  const Answer no_version = http->Get("/v1/policies/aps.s26/source?version=1999");
  CHECK(no_version->status == 404);
  CHECK(body_json(no_version)["error"]["code"] == "unknown_version");
  CHECK(body_json(no_version)["error"]["message"].get<std::string>().find("2016, 2022") != std::string::npos);
  const Answer no_policy = http->Get("/v1/policies/aps.s99/source");
  CHECK(no_policy->status == 404);
  CHECK(body_json(no_policy)["error"]["code"] == "unknown_policy");

  // A file edited since it was loaded (no --watch): the new text, said not to match.
  write_file(own_2022, "# a line added after loading\n" + read_file(own_2022));
  const json edited = body_json(http->Get("/v1/policies/aps.s26/source"));
  CHECK(edited["files"][0]["text"].get<std::string>().rfind("# a line added after loading\n", 0) == 0);
  CHECK(edited["files"][0]["matches_loaded"] == false);
  CHECK(edited["files"][1]["matches_loaded"] == true);
  CHECK(edited["hash"] == detail["hash"]);  // still the loaded version

  // A file gone since it was loaded: its text is null, with why; the rest still comes.
  std::filesystem::remove(own_2022);
  const json gone = body_json(http->Get("/v1/policies/aps.s26/source?version=2022"));
  CHECK(gone["files"][0]["text"].is_null());
  CHECK(gone["files"][0]["problem"] == "the file can no longer be read");
  CHECK(gone["files"][0]["matches_loaded"] == false);
  CHECK(gone["files"][1]["text"].is_string());
}

TEST_CASE("workbench: /suites runs the suites for the policy as rulebook test does", "[workbench]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  const std::string header =
      "suite \"S\" for aps.s26\n  as of 2026-03-02\n  given\n    employee.employment = ongoing\n"
      "    employee.classification = APS6\n    move.from_agency = \"Finance\"\n    move.to_agency = \"Health\"\n"
      "    move.to_classification = APS6\n    move.kind = ongoing\n    agreement.employee = yes\n"
      "    agreement.gaining_head = yes\n\n";
  write_file(dir / "policies" / "aps" / "mixed.scenarios",
             header + "scenario \"approved\"\n  expect outcome = approved\n\n"
                      "scenario \"wrong on purpose\"\n  expect outcome = refused\n");
  write_file(dir / "policies" / "broken.scenarios",
             "suite \"B\" for aps.s26\nscenario \"fine\"\n  given move.kind = ongoing\n  expect outcome = approved\n"
             "scenario \"broken\"\n  expect outcome = = refused\n");
  write_file(dir / "policies" / "other.scenarios",
             "suite \"O\" for aps.offer\nscenario \"y\"\n  given offer.x = 1\n  expect outcome = made\n");
  ServerProcess server({{"--policies", (dir / "policies").string()}, {}});
  auto http = server.client();

  const Answer r = http->Get("/v1/policies/aps.s26/suites");
  REQUIRE(r->status == 200);
  const json j = body_json(r);
  CHECK(j["policy"] == "aps.s26");
  std::map<std::string, json> by_path;
  for (const auto& s : j["suites"]) by_path[s["path"].get<std::string>()] = s;
  CHECK(by_path.count("other.scenarios") == 0);  // another policy's suite

  const json& mixed = by_path.at("aps/mixed.scenarios");
  CHECK(mixed["title"] == "S");
  CHECK(mixed["passed"] == 1);
  CHECK(mixed["failed"] == 1);
  REQUIRE(mixed["scenarios"].size() == 2);
  const json& ok = mixed["scenarios"][0];
  CHECK(ok["name"] == "approved");
  CHECK(ok["status"] == "passed");
  CHECK(ok["as_of"] == "2026-03-02");
  CHECK(ok["facts"]["move"]["to_agency"] == "Health");
  CHECK(ok["expect"]["decision"]["outcome"] == "approved");
  const json& bad = mixed["scenarios"][1];
  CHECK(bad["status"] == "failed");
  REQUIRE(bad["failures"].size() == 1);
  CHECK(bad["failures"][0] ==
        "aps/mixed.scenarios:17: scenario \"wrong on purpose\": outcome: expected refused, got approved");
  CHECK(bad["detail"].get<std::string>().find("ongoing-move-agreed applied") != std::string::npos);

  // A suite that cannot be read: listed with its error, not run (its scenario names aps.s26).
  const json& broken = by_path.at("broken.scenarios");
  CHECK(broken["passed"] == 0);
  CHECK(broken["failed"] == 0);
  CHECK(broken["scenarios"].empty());
  REQUIRE(!broken["problems"].empty());
  CHECK(broken["problems"][0].get<std::string>().rfind("broken.scenarios:6:", 0) == 0);

  // Totals over the suites, and the policy's coverage lines with paths as shown.
  int passed = 0, failed = 0;
  for (const auto& s : j["suites"]) passed += s["passed"].get<int>(), failed += s["failed"].get<int>();
  CHECK(j["passed"] == passed);
  CHECK(j["failed"] == failed);
  CHECK(failed == 1);
  REQUIRE(!j["coverage"].empty());
  for (const auto& line : j["coverage"]) {
    INFO(line);
    CHECK(line.get<std::string>().rfind("aps.s26 ", 0) == 0);
    CHECK(line.get<std::string>().find(dir.path().string()) == std::string::npos);
  }

  CHECK(http->Get("/v1/policies/aps.s99/suites")->status == 404);
}

// Policies that do not compile at start: the server starts anyway, not
// ready (/readyz 503, decisions 503 with a JSON error, /healthz 200,
// /v1/status with the load error), and becomes ready once a reload succeeds.
#include <catch2/catch.hpp>
#include <regex>
#include <thread>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;

namespace {

constexpr const char* kAdminToken = "admin-token-31c7";
constexpr const char* kGood = "  then outcome = awaiting_agreement\n";
constexpr const char* kBroken = "  then outcome = awaiting_agreement +\n";

struct Broken {
  TempDir dir;
  std::filesystem::path s26_2022 = copy_aps_s26(dir / "policies");
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<Http> http;

  explicit Broken(std::vector<std::string> extra = {}) {
    edit_file(s26_2022, kGood, kBroken);
    std::vector<std::string> args = {"--policies", (dir / "policies").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    server = std::make_unique<ServerProcess>(ServeOptions{args, {{"RULEBOOK_ADMIN_TOKEN", kAdminToken}}});
    http = server->client();
  }

  void check_not_ready() {
    const auto ready = http->Get("/readyz");
    CHECK(ready->status == 503);
    const json r = body_json(ready);
    CHECK(r["status"] == "not_ready");
    REQUIRE(r["problems"].size() == 1);
    CHECK(r["problems"][0]["check"] == "policies");
    CHECK(std::regex_search(r["problems"][0]["problem"].get<std::string>(),
                            std::regex(R"(aps/s26-2022\.rules:\d+:\d+: error: )")));
    CHECK(http->Get("/healthz")->status == 200);

    const auto decided = http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
    CHECK(decided->status == 503);
    CHECK(decided->get_header_value("Retry-After") == "5");
    const json e = body_json(decided);
    CHECK(e["error"]["code"] == "not_ready");
    CHECK_THAT(e["error"]["message"].get<std::string>(), Catch::Contains("no policies are loaded"));
    CHECK(http->Post("/v1/decide/aps.s26/batch", json{{"cases", {sarah_request()}}}.dump(), "application/json")
              ->status == 503);
    CHECK(http->Get("/v1/policies")->status == 503);
    CHECK(http->Get("/v1/policies/aps.s26")->status == 503);

    const json st = body_json(http->Get("/v1/status"));
    CHECK(st["status"] == "reload_failed");
    CHECK(st["policies_loaded"] == 0);
    CHECK(st["policies"] == json::array());
    CHECK(st["loaded_at"].is_null());
    CHECK(st["generation"] == 0);
    CHECK(std::regex_search(st["last_reload_error"]["message"].get<std::string>(),
                            std::regex(R"(^aps/s26-2022\.rules:\d+:\d+: error: )")));
    const std::string metrics = http->Get("/metrics")->body;
    CHECK(metric(metrics, "rulebook_policies_loaded") == 0);
  }

  void check_ready() {
    CHECK(http->Get("/readyz")->status == 200);
    const auto decided = http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
    CHECK(decided->status == 200);
    CHECK(body_json(decided)["decision"]["outcome"] == "approved");
    const json st = body_json(http->Get("/v1/status"));
    CHECK(st["status"] == "ok");
    CHECK(st["generation"] == 1);
    CHECK(st["last_reload_error"].is_null());
  }
};

}  // namespace

TEST_CASE("readyz: policies that do not compile at start leave the server up, not ready, until a reload", "[readyz]") {
  Broken s;
  CHECK(std::regex_match(s.server->first_line(), std::regex(R"(rulebook listening on http://127\.0\.0\.1:\d+)")));
  s.check_not_ready();
  CHECK(std::regex_search(s.server->stderr_text(), std::regex(R"(aps/s26-2022\.rules:\d+:\d+: error: )")));

  // A reload that still fails changes nothing.
  const auto still = s.http->Post("/v1/reload", {{"Authorization", std::string("Bearer ") + kAdminToken}}, "",
                                  "application/json");
  CHECK(still->status == 422);
  CHECK(body_json(still)["error"]["code"] == "reload_failed");
  s.check_not_ready();

  edit_file(s.s26_2022, kBroken, kGood);
  const auto fixed = s.http->Post("/v1/reload", {{"Authorization", std::string("Bearer ") + kAdminToken}}, "",
                                  "application/json");
  REQUIRE(fixed->status == 200);
  CHECK(body_json(fixed)["generation"] == 1);
  s.check_ready();
  CHECK(s.server->stop(SIGTERM) == 0);
}

TEST_CASE("readyz: with --watch, fixing the files makes the server ready", "[readyz]") {
  Broken s({"--watch"});
  s.check_not_ready();
  edit_file(s.s26_2022, kBroken, kGood);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (s.http->Get("/readyz")->status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  s.check_ready();
}

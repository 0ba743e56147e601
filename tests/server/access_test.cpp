// Who may call: --auth-token-file (a bearer token on the decide and policy
// routes, compared in constant time; reload keeps its own admin token) and
// --cors-origin (browser origins; nothing allowed by default).
#include <catch2/catch.hpp>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;

namespace {

constexpr const char* kApiToken = "api-token-4b9e1d";
constexpr const char* kAdminToken = "admin-token-77aa";

struct Served {
  TempDir dir;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<Http> http;

  explicit Served(std::vector<std::string> extra, std::vector<std::pair<std::string, std::string>> env = {}) {
    copy_aps_s26(dir / "policies");
    std::vector<std::string> args = {"--policies", (dir / "policies").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    server = std::make_unique<ServerProcess>(ServeOptions{args, env});
    http = server->client();
  }

  Answer decide(const httplib::Headers& headers) {
    return http->Post("/v1/decide/aps.s26", headers, sarah_request().dump(), "application/json");
  }
};

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

void check_unauthorized(const Answer& r) {
  CHECK(r->status == 401);
  CHECK(r->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);
  const json j = body_json(r);
  CHECK(j["error"]["code"] == "unauthorized");
  CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains("Authorization: Bearer"));
  CHECK(j["error"]["details"] == json::array());
}

// Runs the binary to completion; {exit status, stderr}.
std::pair<int, std::string> serve_once(const TempDir& dir, const std::vector<std::string>& args) {
  std::string cmd = std::string(RULEBOOK_BINARY) + " serve --port 0 --policies '" + (dir / "policies").string() + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " > '" + (dir / "run.out").string() + "' 2> '" + (dir / "run.err").string() + "' < /dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir / "run.err")};
}

}  // namespace

TEST_CASE("auth: decide and policy routes need the bearer token of --auth-token-file", "[auth]") {
  TempDir tokens;
  write_file(tokens / "api.token", std::string(kApiToken) + "\n");  // the trailing newline is not part of it
  Served s({"--auth-token-file", (tokens / "api.token").string()}, {{"RULEBOOK_ADMIN_TOKEN", kAdminToken}});

  SECTION("no header") { check_unauthorized(s.decide({})); }
  SECTION("a wrong token of the same length") {
    std::string wrong = kApiToken;
    wrong.back() = wrong.back() == 'x' ? 'y' : 'x';
    check_unauthorized(s.decide(bearer(wrong)));
  }
  SECTION("tokens of other lengths: a prefix, the token and more, empty") {
    const std::string token = kApiToken;
    check_unauthorized(s.decide(bearer(token.substr(0, token.size() - 1))));
    check_unauthorized(s.decide(bearer(token + "0")));
    check_unauthorized(s.decide(bearer("")));
  }
  SECTION("another scheme with the right token") {
    check_unauthorized(s.decide({{"Authorization", std::string("Basic ") + kApiToken}}));
  }
  SECTION("the right token: decided; the scheme in any case") {
    const auto r = s.decide(bearer(kApiToken));
    REQUIRE(r->status == 200);
    CHECK(body_json(r)["decision"]["outcome"] == "approved");
    CHECK(s.decide({{"Authorization", std::string("bearer ") + kApiToken}})->status == 200);
    const auto batch = s.http->Post("/v1/decide/aps.s26/batch", bearer(kApiToken),
                                    json{{"cases", {sarah_request()}}}.dump(), "application/json");
    CHECK(batch->status == 200);
  }
  SECTION("every route that gives decisions or policy data is guarded; probes and metrics are open") {
    for (const std::string path : {"/v1/policies", "/v1/policies/aps.s26", "/v1/policies/aps.s26/source",
                                   "/v1/policies/aps.s26/suites", "/v1/policies/aps.s26/openapi.json", "/v1/status"}) {
      INFO(path);
      check_unauthorized(s.http->Get(path));
      CHECK(s.http->Get(path, bearer(kApiToken))->status == 200);
    }
    check_unauthorized(s.http->Post("/v1/decide/aps.s26/batch", {}, json{{"cases", {sarah_request()}}}.dump(),
                                    "application/json"));
    for (const std::string path : {"/healthz", "/readyz", "/metrics", "/openapi.json"}) {
      INFO(path);
      CHECK(s.http->Get(path)->status == 200);
    }
  }
  SECTION("reload keeps its own admin token: the API token does not reload") {
    const auto with_api = s.http->Post("/v1/reload", bearer(kApiToken), "", "application/json");
    CHECK(with_api->status == 401);
    CHECK(body_json(with_api)["error"]["code"] == "unauthorized");
    const auto with_admin = s.http->Post("/v1/reload", bearer(kAdminToken), "", "application/json");
    CHECK(with_admin->status == 200);
    CHECK(body_json(with_admin)["status"] == "reloaded");
    // And the admin token does not decide.
    check_unauthorized(s.decide(bearer(kAdminToken)));
  }
}

TEST_CASE("auth: an empty, missing or unreadable token file stops the start with exit 1", "[auth]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  write_file(dir / "empty.token", "\n");
  const auto empty = serve_once(dir, {"--auth-token-file", (dir / "empty.token").string()});
  CHECK(empty.first == 1);
  CHECK_THAT(empty.second, Catch::Contains("empty.token") && Catch::Contains("is empty"));
  const auto missing = serve_once(dir, {"--auth-token-file", (dir / "none.token").string()});
  CHECK(missing.first == 1);
  CHECK_THAT(missing.second, Catch::Contains("none.token") && Catch::Contains("No such file"));
  write_file(dir / "two.token", "one\ntwo\n");
  const auto two = serve_once(dir, {"--auth-token-file", (dir / "two.token").string()});
  CHECK(two.first == 1);
  CHECK_THAT(two.second, Catch::Contains("two.token"));
}

TEST_CASE("cors: no CORS header by default, even for an Origin", "[cors]") {
  Served s({});
  const auto r = s.decide({{"Origin", "https://hr.example"}});
  CHECK(r->status == 200);
  CHECK(!r->has_header("Access-Control-Allow-Origin"));
  auto raw = raw_client(s.server->port());
  const auto pre = raw->Options("/v1/decide/aps.s26", {{"Origin", "https://hr.example"},
                                                       {"Access-Control-Request-Method", "POST"}});
  REQUIRE(pre);
  CHECK(pre->status == 405);  // as before: no route answers OPTIONS
  CHECK(!pre->has_header("Access-Control-Allow-Origin"));
  CHECK(!pre->has_header("Access-Control-Allow-Methods"));
}

TEST_CASE("cors: --cors-origin allows those origins, answers their preflight, and no other", "[cors]") {
  TempDir tokens;
  write_file(tokens / "api.token", kApiToken);
  Served s({"--cors-origin", "https://hr.example", "--cors-origin", "http://localhost:3000", "--auth-token-file",
            (tokens / "api.token").string()});
  auto raw = raw_client(s.server->port());

  SECTION("an allowed origin's request gets its origin back, and Vary: Origin") {
    httplib::Headers h = bearer(kApiToken);
    h.emplace("Origin", "http://localhost:3000");
    const auto r = s.decide(h);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Access-Control-Allow-Origin") == "http://localhost:3000");
    CHECK(r->get_header_value("Vary") == "Origin");
    // An error answer carries them too, so the page can read it.
    const auto denied = s.decide({{"Origin", "https://hr.example"}});
    CHECK(denied->status == 401);
    CHECK(denied->get_header_value("Access-Control-Allow-Origin") == "https://hr.example");
  }
  SECTION("an allowed origin's preflight: 204 with methods, headers and max-age, no token needed") {
    const auto pre = raw->Options("/v1/decide/aps.s26", {{"Origin", "https://hr.example"},
                                                         {"Access-Control-Request-Method", "POST"},
                                                         {"Access-Control-Request-Headers", "authorization,content-type"}});
    REQUIRE(pre);
    CHECK(pre->status == 204);
    CHECK(pre->body.empty());
    CHECK(pre->get_header_value("Access-Control-Allow-Origin") == "https://hr.example");
    CHECK(pre->get_header_value("Access-Control-Allow-Methods") == "POST");
    CHECK(pre->get_header_value("Access-Control-Allow-Headers") ==
          "Content-Type, Authorization, X-Request-Id, traceparent");
    CHECK(pre->get_header_value("Access-Control-Max-Age") == "600");
    CHECK(pre->get_header_value("Vary") == "Origin");
    const auto get_pre = raw->Options("/v1/policies", {{"Origin", "https://hr.example"},
                                                       {"Access-Control-Request-Method", "GET"}});
    REQUIRE(get_pre);
    CHECK(get_pre->status == 204);
    CHECK(get_pre->get_header_value("Access-Control-Allow-Methods") == "GET, HEAD");
  }
  SECTION("a disallowed origin gets no allow header, on its request or its preflight") {
    const auto pre = raw->Options("/v1/decide/aps.s26", {{"Origin", "https://evil.example"},
                                                         {"Access-Control-Request-Method", "POST"}});
    REQUIRE(pre);
    CHECK(!pre->has_header("Access-Control-Allow-Origin"));
    CHECK(!pre->has_header("Access-Control-Allow-Methods"));
    CHECK(!pre->has_header("Access-Control-Allow-Headers"));
    httplib::Headers h = bearer(kApiToken);
    h.emplace("Origin", "https://hr.example.evil.example");
    const auto r = s.decide(h);
    CHECK(r->status == 200);
    CHECK(!r->has_header("Access-Control-Allow-Origin"));
  }
  SECTION("an OPTIONS that is not a preflight is still 405") {
    const auto plain = raw->Options("/v1/decide/aps.s26", {{"Origin", "https://hr.example"}});
    REQUIRE(plain);
    CHECK(plain->status == 405);
  }
}

TEST_CASE("cors: --cors-origin refuses what is not an origin (exit 2)", "[cors]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  const auto bad = serve_once(dir, {"--cors-origin", "https://hr.example/app"});
  CHECK(bad.first == 2);
  CHECK_THAT(bad.second, Catch::Contains("--cors-origin") && Catch::Contains("not an origin"));
}

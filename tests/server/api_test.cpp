// The decision routes and every error code of docs/contract/http-api.md,
// against the real binary over loopback.
#include <catch2/catch.hpp>
#include <ctime>
#include <regex>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;

namespace {

struct Running {
  TempDir dir;
  std::filesystem::path s26_2022;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<Http> http;

  explicit Running(std::vector<std::string> extra = {}) {
    s26_2022 = copy_aps_s26(dir / "policies");
    std::vector<std::string> args = {"--policies", (dir / "policies").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    server = std::make_unique<ServerProcess>(ServeOptions{args, {}});
    http = server->client();
  }

  Answer post(const std::string& path, const std::string& body) { return http->Post(path, body, "application/json"); }
  Answer post(const std::string& path, const json& body) { return post(path, body.dump()); }
};

const std::regex kHash("sha256:[0-9a-f]{64}");

// The details entry for `path`, or null.
json detail_for(const json& error, const std::string& path) {
  for (const auto& d : error["error"]["details"]) {
    if (d["path"] == path) return d;
  }
  return nullptr;
}

void expect_error(const Answer& r, int status, const std::string& code) {
  INFO(r->body);
  CHECK(r->status == status);
  const json j = body_json(r);
  CHECK(j["error"]["code"] == code);
  CHECK(j["error"]["message"].is_string());
  CHECK(!j["error"]["message"].get<std::string>().empty());
  CHECK(j["error"]["details"].is_array());
  CHECK(!r->get_header_value("X-Request-Id").empty());
}

}  // namespace

TEST_CASE("decide: Sarah's worked example is approved with date of effect 2026-03-30", "[decide]") {
  Running s;
  const auto r = s.post("/v1/decide/aps.s26", sarah_request());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const json j = body_json(r);

  CHECK(j["policy"]["id"] == "aps.s26");
  CHECK(j["policy"]["version"] == "2022");
  CHECK(std::regex_match(j["policy"]["hash"].get<std::string>(), kHash));
  CHECK(j["as_of"] == "2026-03-02");

  // Every output the policy declares, in declaration order, with its value.
  const json& d = j["decision"];
  std::vector<std::string> keys;
  for (auto it = d.begin(); it != d.end(); ++it) keys.push_back(it.key());
  // nlohmann::json sorts keys; the order is checked on the raw text below.
  CHECK(d["outcome"] == "approved");
  CHECK(d["effective_kind"] == "ongoing");
  CHECK(d["right_of_return"] == false);
  CHECK(d["classification_change"] == "at_level");
  CHECK(d["pay_basis"] == "substantive");
  CHECK(d["missing_agreements"] == json::array());
  CHECK(d["date_of_effect"] == "2026-03-30");
  CHECK(d["notify_original_agency"] == true);
  CHECK(d["engagement_conditions_review"] == false);
  CHECK(d["missing_terms"] == json::array());
  CHECK(d.size() == 10);
  const std::string& raw = r->body;
  std::size_t last = 0;
  for (const char* name : {"\"outcome\"", "\"effective_kind\"", "\"right_of_return\"", "\"classification_change\"",
                           "\"pay_basis\"", "\"missing_agreements\"", "\"date_of_effect\"",
                           "\"notify_original_agency\"", "\"engagement_conditions_review\"", "\"missing_terms\""}) {
    const auto at = raw.find(name, raw.find("\"decision\""));
    INFO(name);
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
  }

  // fired: the rules that held and contributed, in order, each with its citation.
  REQUIRE(j["fired"].is_array());
  REQUIRE(!j["fired"].empty());
  CHECK(j["fired"][0] == json{{"rule", "ongoing-move-agreed"}, {"cite", "PS Act s26"}});
  bool four_weeks = false;
  for (const auto& f : j["fired"]) four_weeks |= f["rule"] == "four-weeks-after-notice";
  CHECK(four_weeks);

  CHECK(!j.contains("explanation"));
  REQUIRE(j["request_id"].is_string());
  CHECK(j["request_id"] == r->get_header_value("X-Request-Id"));
}

TEST_CASE("decide: explain adds the explanation, and request ids differ per request", "[decide]") {
  Running s;
  json req = sarah_request();
  req["explain"] = true;
  const auto r = s.post("/v1/decide/aps.s26", req);
  REQUIRE(r->status == 200);
  const json j = body_json(r);
  REQUIRE(j["explanation"].is_array());
  bool saw_applied = false, saw_failed = false, saw_output = false, saw_define = false;
  for (const auto& e : j["explanation"]) {
    if (e.contains("rule") && e["rule"] == "ongoing-move-agreed") {
      saw_applied = e["applied"] == true;
    }
    if (e.contains("rule") && e["rule"] == "temporary-move-agreed") {
      // Did not apply: the first condition that failed, with the values it read.
      saw_failed = e["applied"] == false && e["failed_condition"] == "move.kind is temporary" &&
                   e["values"]["move.kind"] == "ongoing";
    }
    if (e.contains("define") && e["define"] == "regarded_as_ongoing") {
      // A derived value: how it was computed, from which values.
      saw_define = e["value"] == false && e["expression"].is_string() && e["inputs"]["move.kind"] == "ongoing";
    }
    if (e.contains("output") && e["output"] == "date_of_effect") {
      saw_output = e["value"] == "2026-03-30" && e["decided_by"] == "four-weeks-after-notice";
    }
  }
  CHECK(saw_applied);
  CHECK(saw_failed);
  CHECK(saw_output);
  CHECK(saw_define);

  const auto again = s.post("/v1/decide/aps.s26", sarah_request());
  REQUIRE(again->status == 200);
  CHECK(body_json(again)["request_id"] != j["request_id"]);
  CHECK(again->get_header_value("X-Request-Id") != r->get_header_value("X-Request-Id"));
}

TEST_CASE("decide: as_of picks the version in force, and before any version is 422 not_in_force", "[decide]") {
  Running s;
  const json list = body_json(s.http->Get("/v1/policies"));
  std::map<std::string, json> versions;
  for (const auto& p : list["policies"]) {
    if (p["id"] == "aps.s26") versions[p["version"]] = p;
  }
  REQUIRE(versions.count("2022"));

  const auto now = s.post("/v1/decide/aps.s26", sarah_request("2026-03-02"));
  REQUIRE(now->status == 200);
  CHECK(body_json(now)["policy"]["hash"] == versions["2022"]["hash"]);

  if (versions.count("2016")) {  // the contract keeps a 2016 version, in force 2016-12-01 to 2022-01-31
    const auto old = s.post("/v1/decide/aps.s26", sarah_request("2020-06-01"));
    REQUIRE(old->status == 200);
    const json o = body_json(old);
    CHECK(o["policy"]["version"] == "2016");
    CHECK(o["policy"]["hash"] == versions["2016"]["hash"]);
    CHECK(o["policy"]["hash"] != versions["2022"]["hash"]);
    CHECK(o["as_of"] == "2020-06-01");
  }

  expect_error(s.post("/v1/decide/aps.s26", sarah_request("2016-11-30")), 422, "not_in_force");

  // Without as_of, today (UTC) picks the version.
  const auto today_utc = [] {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return std::string(buf);
  };
  const std::string before = today_utc();
  const auto today = s.post("/v1/decide/aps.s26", json{{"facts", sarah_facts()}});
  const std::string after = today_utc();
  REQUIRE(today->status == 200);
  const std::string as_of = body_json(today)["as_of"];
  CHECK((as_of == before || as_of == after));
}

TEST_CASE("errors: invalid_json gives line and column", "[errors]") {
  Running s;
  const auto r = s.post("/v1/decide/aps.s26", std::string("{\n  \"facts\": {,}\n}"));
  expect_error(r, 400, "invalid_json");
  const std::string message = body_json(r)["error"]["message"];
  CHECK(message.find("line 2") != std::string::npos);
  CHECK(message.find("column") != std::string::npos);
  expect_error(s.post("/v1/decide/aps.s26", std::string("")), 400, "invalid_json");
  expect_error(s.post("/v1/decide/aps.s26", std::string("\xff\xfe garbage")), 400, "invalid_json");
  expect_error(s.post("/v1/decide/aps.s26/batch", std::string("nope")), 400, "invalid_json");
}

TEST_CASE("errors: invalid_request for bodies of the wrong shape", "[errors]") {
  Running s;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", ""},
      {R"({"as_of": "2026-03-02"})", "facts"},
      {R"({"facts": []})", "facts"},
      {R"({"facts": "x"})", "facts"},
      {R"({"facts": {}, "as_of": "2026-02-30"})", "as_of"},
      {R"({"facts": {}, "as_of": "02/03/2026"})", "as_of"},
      {R"({"facts": {}, "as_of": 20260302})", "as_of"},
      {R"({"facts": {}, "explain": "yes"})", "explain"},
  };
  for (const auto& [body, path] : cases) {
    INFO(body);
    const auto r = s.post("/v1/decide/aps.s26", body);
    expect_error(r, 400, "invalid_request");
    if (!path.empty()) CHECK(!detail_for(body_json(r), path).is_null());
  }
  // The batch shape.
  expect_error(s.post("/v1/decide/aps.s26/batch", std::string(R"({"cases": 5})")), 400, "invalid_request");
  expect_error(s.post("/v1/decide/aps.s26/batch", std::string(R"({"facts": {}})")), 400, "invalid_request");
}

TEST_CASE("errors: unknown_policy is 404 on every policy route", "[errors]") {
  Running s;
  expect_error(s.post("/v1/decide/aps.s99", sarah_request()), 404, "unknown_policy");
  expect_error(s.post("/v1/decide/aps.s99/batch", json{{"cases", json::array({sarah_request()})}}), 404,
               "unknown_policy");
  expect_error(s.http->Get("/v1/policies/aps.s99"), 404, "unknown_policy");
}

TEST_CASE("errors: invalid_facts lists every problem at once with its JSON path", "[errors]") {
  Running s;
  json facts = sarah_facts();
  facts["employee"].erase("classification");
  facts["employee"]["clasification"] = "APS6";        // unknown fact (a typo)
  facts["move"]["kind"] = 5;                          // wrong type
  facts["move"]["to_classification"] = "APS9";        // value not allowed
  facts["dates"]["notice_given_on"] = "2026-02-30";   // impossible date
  facts["move"].erase("to_agency");                   // missing required fact
  const auto r = s.post("/v1/decide/aps.s26", json{{"facts", facts}, {"as_of", "2026-03-02"}});
  expect_error(r, 422, "invalid_facts");
  const json j = body_json(r);
  const auto problem = [&](const std::string& path) {
    const json d = detail_for(j, path);
    INFO(path << " in " << j.dump());
    REQUIRE(!d.is_null());
    return d["problem"].get<std::string>();
  };
  CHECK(problem("employee.clasification").find("unknown fact") != std::string::npos);
  CHECK(problem("employee.classification").find("missing") != std::string::npos);
  CHECK(problem("move.kind").find("wrong type") != std::string::npos);
  CHECK(problem("move.to_classification").find("not allowed") != std::string::npos);
  CHECK(problem("dates.notice_given_on").find("impossible date") != std::string::npos);
  CHECK(problem("move.to_agency").find("missing") != std::string::npos);
  CHECK(j["error"]["details"].size() == 6);
}

TEST_CASE("errors: payload_too_large for bodies over --max-body, by length or chunked", "[errors]") {
  Running s({"--max-body", "2000"});
  const std::string big = R"({"facts": {"move": {"from_agency": ")" + std::string(5000, 'x') + R"("}}})";
  expect_error(s.post("/v1/decide/aps.s26", big), 413, "payload_too_large");
  // The connection stays usable after the 413.
  REQUIRE(s.post("/v1/decide/aps.s26", sarah_request())->status == 200);

  // Chunked: no Content-Length for the library to check.
  const auto chunked = s.http->Post(
      "/v1/decide/aps.s26/batch",
      [&](std::size_t offset, httplib::DataSink& sink) {
        if (offset == 0) sink.write(big.data(), big.size());
        else sink.done();
        return true;
      },
      "application/json");
  expect_error(chunked, 413, "payload_too_large");

  // Exactly at the limit is accepted (and judged on its content).
  std::string at_limit = sarah_request().dump();
  at_limit += std::string(2000 - at_limit.size(), ' ');
  REQUIRE(at_limit.size() == 2000);
  CHECK(s.post("/v1/decide/aps.s26", at_limit)->status == 200);
  // Chunked and small is fine too.
  const std::string small = sarah_request().dump();
  const auto ok = s.http->Post(
      "/v1/decide/aps.s26",
      [&](std::size_t offset, httplib::DataSink& sink) {
        if (offset == 0) sink.write(small.data(), small.size());
        else sink.done();
        return true;
      },
      "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 200);
}

TEST_CASE("errors: deeply nested and enormous documents are refused, and the server keeps serving", "[errors]") {
  Running s({"--max-body", "8000000"});
  // 200 000 levels: parsing or dumping that recursively would crash.
  expect_error(s.post("/v1/decide/aps.s26", std::string(200000, '[')), 400, "invalid_request");
  std::string deep_facts = R"({"facts": )";
  for (int k = 0; k < 100; ++k) deep_facts += R"({"a": )";
  deep_facts += "1" + std::string(100, '}') + "}";
  expect_error(s.post("/v1/decide/aps.s26", deep_facts), 400, "invalid_request");

  // 200 000 unknown facts: refused with problems, not a crash or a stall.
  std::string many = R"({"facts": {"employee": {)";
  for (int k = 0; k < 200000; ++k) many += (k ? ",\"f" : "\"f") + std::to_string(k) + "\":1";
  many += "}}}";
  REQUIRE(many.size() > 2000000);
  const auto r = s.post("/v1/decide/aps.s26", many);
  expect_error(r, 422, "invalid_facts");
  CHECK(body_json(r)["error"]["details"].size() <= 1000);

  // A text fact of 1 MB (the limit is 64 KiB per text).
  json facts = sarah_facts();
  facts["move"]["to_agency"] = std::string(1000000, 'x');
  const auto t = s.post("/v1/decide/aps.s26", json{{"facts", facts}});
  expect_error(t, 422, "invalid_facts");
  CHECK(!detail_for(body_json(t), "move.to_agency").is_null());

  // A batch over 10 000 cases.
  json cases = json::array();
  for (int k = 0; k < 10001; ++k) cases.push_back(json{{"facts", json::object()}});
  expect_error(s.post("/v1/decide/aps.s26/batch", json{{"cases", cases}}), 413, "payload_too_large");

  // Invalid UTF-8 inside strings is answered as JSON too.
  const auto bad_utf8 = s.post("/v1/decide/aps.s26", std::string("{\"facts\": {\"move\": {\"to_agency\": \"\xc3\x28\"}}}"));
  REQUIRE(bad_utf8);
  CHECK((bad_utf8->status == 400 || bad_utf8->status == 422));
  body_json(bad_utf8);

  const auto health = s.http->Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
}

TEST_CASE("errors: unknown routes are 404, wrong methods 405, malformed HTTP 400, all as JSON", "[errors]") {
  Running s;
  expect_error(s.http->Get("/nope"), 404, "not_found");
  expect_error(s.http->Get("/v1/decide/"), 404, "not_found");
  expect_error(s.post("/v1/nope", sarah_request()), 404, "not_found");
  expect_error(s.http->Get("/v1/policies/%2e%2e"), 404, "not_found");  // decoded to "..": never a policy id

  const auto wrong = s.http->Get("/v1/decide/aps.s26");
  expect_error(wrong, 405, "method_not_allowed");
  CHECK(wrong->get_header_value("Allow") == "POST");
  const auto put = s.http->Put("/v1/policies", "{}", "application/json");
  expect_error(put, 405, "method_not_allowed");
  CHECK(put->get_header_value("Allow") == "GET, HEAD");
  expect_error(s.http->Delete("/v1/decide/aps.s26/batch"), 405, "method_not_allowed");
  expect_error(s.http->Get("/v1/reload"), 405, "method_not_allowed");

  // Bytes that are not HTTP, an unknown method, a request target over 8 KiB.
  for (const std::string raw : {std::string("hello\r\n\r\n"), std::string("FROB /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
                                "GET /" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"}) {
    const std::string answer = raw_exchange(s.server->port(), raw);
    INFO(answer.substr(0, 300));
    CHECK(std::regex_search(answer, std::regex("^HTTP/1.1 4\\d\\d ")));
    CHECK(answer.find("Content-Type: application/json") != std::string::npos);
    CHECK(answer.find("{\"error\":{\"code\":") != std::string::npos);
  }
  // Header floods: 431 as JSON, on a GET and on a POST with a body.
  std::string flood = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int k = 0; k < 2000; ++k) flood += "X-Header-" + std::to_string(k) + ": " + std::string(100, 'v') + "\r\n";
  const std::string flooded = raw_exchange(s.server->port(), flood + "\r\n");
  CHECK(flooded.rfind("HTTP/1.1 431", 0) == 0);
  CHECK(flooded.find("\"headers_too_large\"") != std::string::npos);
  httplib::Headers many;
  for (int k = 0; k < 200; ++k) many.emplace("X-Many-" + std::to_string(k), "1");
  expect_error(s.http->Post("/v1/decide/aps.s26", many, sarah_request().dump(), "application/json"), 431,
               "headers_too_large");
  // The same connection still answers.
  CHECK(s.post("/v1/decide/aps.s26", sarah_request())->status == 200);
  // (Range headers: the next test.)

  // A GET with a chunked body is refused rather than read without a limit.
  const std::string get_chunked =
      raw_exchange(s.server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  CHECK(get_chunked.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(get_chunked.find("\"invalid_request\"") != std::string::npos);

  CHECK(s.http->Get("/healthz")->status == 200);
}

TEST_CASE("Range headers are ignored: every answer is the whole JSON body, with 200", "[errors]") {
  // A slice of a JSON answer is not JSON, so the service serves no ranges.
  // cpp-httplib 0.11 would answer any 200 to a request with a Range header
  // with a slice of the body (or 416 when it cannot parse the header).
  Running s;
  const auto whole = s.http->Get("/v1/policies");
  REQUIRE(whole->status == 200);
  REQUIRE(whole->body.size() > 100);
  for (const std::string range : {"bytes=0-3", "bytes=0-3,5-7", "bytes=-4", "bytes=4-", "bytes=1000000-2000000",
                                  "bytes=5-2", "bytes=x", "pages=1", "garbage"}) {
    INFO("Range: " << range);
    const auto r = s.http->Get("/v1/policies", {{"Range", range}});
    CHECK(r->status == 200);
    CHECK(r->body == whole->body);
    CHECK_FALSE(r->has_header("Content-Range"));
    CHECK(body_json(r)["policies"].is_array());
  }
  const auto health = s.http->Get("/healthz", {{"Range", "bytes=0-3"}});
  CHECK(health->status == 200);
  CHECK(health->body == R"({"status":"ok"})");
  CHECK(health->get_header_value("Content-Length") == "15");
  CHECK_FALSE(health->has_header("Content-Range"));

  // A decision too (Range is only defined for GET; a POST with one gets its answer).
  const auto plain = s.post("/v1/decide/aps.s26", sarah_request());
  const auto ranged = s.http->Post("/v1/decide/aps.s26", {{"Range", "bytes=0-3"}}, sarah_request().dump(),
                                   "application/json");
  CHECK(ranged->status == 200);
  CHECK_FALSE(ranged->has_header("Content-Range"));
  json a = body_json(plain);
  json b = body_json(ranged);
  a.erase("request_id");
  b.erase("request_id");
  CHECK(a == b);

  // HEAD answers have the GET answer's headers: no "Accept-Ranges: bytes".
  auto client = raw_client(s.server->port());
  const auto head = client->Head("/healthz", {{"Range", "bytes=0-3"}});
  REQUIRE(head);
  CHECK(head->status == 200);
  CHECK(head->get_header_value("Content-Length") == "15");
  CHECK_FALSE(head->has_header("Accept-Ranges"));
  CHECK_FALSE(head->has_header("Content-Range"));

  // The connection the ranged requests went over still answers.
  CHECK(s.http->Get("/healthz")->status == 200);
}

TEST_CASE("batch: one bad case in the middle does not spoil the others", "[batch]") {
  Running s;
  json refused = sarah_request();
  refused["facts"]["employee"]["employment"] = "non_ongoing";
  json bad = sarah_request();
  bad["facts"]["employee"]["classification"] = "APS9";
  json cases = json::array({sarah_request(), bad, refused, json{{"facts", sarah_facts()}, {"as_of", "2010-01-01"}},
                            json{{"facts", sarah_facts()}, {"explain", "yes"}}});
  const auto r = s.post("/v1/decide/aps.s26/batch", json{{"cases", cases}});
  REQUIRE(r->status == 200);
  const json j = body_json(r);
  const json& results = j["results"];
  REQUIRE(results.size() == 5);
  const std::string id = r->get_header_value("X-Request-Id");
  CHECK(j["request_id"] == id);

  CHECK(results[0]["decision"]["outcome"] == "approved");
  CHECK(results[0]["decision"]["date_of_effect"] == "2026-03-30");
  CHECK(results[0]["request_id"] == id + "/0");
  CHECK(results[1]["error"]["code"] == "invalid_facts");
  CHECK(results[1]["error"]["details"][0]["path"] == "employee.classification");
  CHECK(results[2]["decision"]["outcome"] == "refused");
  // Every output is there, null where none applies.
  CHECK(results[2]["decision"].size() == 10);
  CHECK(results[2]["decision"]["effective_kind"].is_null());
  CHECK(results[2]["decision"]["date_of_effect"].is_null());
  CHECK(results[2]["request_id"] == id + "/2");
  CHECK(results[3]["error"]["code"] == "not_in_force");
  CHECK(results[4]["error"]["code"] == "invalid_request");
  CHECK(results[0]["policy"]["hash"] == results[2]["policy"]["hash"]);
}

TEST_CASE("policies: GET /v1/policies lists every loaded version", "[policies]") {
  Running s;
  const auto r = s.http->Get("/v1/policies");
  REQUIRE(r->status == 200);
  const json j = body_json(r);
  REQUIRE(j["policies"].is_array());
  bool found_2022 = false;
  std::set<std::string> hashes;
  for (const auto& p : j["policies"]) {
    for (const char* field : {"id", "title", "version", "in_force_from", "in_force_to", "hash", "files"}) {
      INFO(field);
      CHECK(p.contains(field));
    }
    CHECK(std::regex_match(p["hash"].get<std::string>(), kHash));
    hashes.insert(p["hash"]);
    if (p["id"] == "aps.s26" && p["version"] == "2022") {
      found_2022 = true;
      CHECK(p["title"] == "Movement between APS agencies");
      CHECK(p["in_force_from"] == "2022-02-01");
      CHECK(p["in_force_to"].is_null());
      CHECK(p["files"][0] == "aps/s26-2022.rules");
      CHECK(std::find(p["files"].begin(), p["files"].end(), "aps/classifications.rules") != p["files"].end());
    }
    if (p["id"] == "aps.s26" && p["version"] == "2016") {
      CHECK(p["in_force_from"] == "2016-12-01");
      CHECK(p["in_force_to"] == "2022-01-31");
    }
  }
  CHECK(found_2022);
  CHECK(hashes.size() == j["policies"].size());  // each version its own hash
}

TEST_CASE("policies: GET /v1/policies/{id} gives the facts as JSON Schema, the outputs and the rules", "[policies]") {
  Running s;
  const auto r = s.http->Get("/v1/policies/aps.s26?as_of=2026-03-02");
  REQUIRE(r->status == 200);
  const json j = body_json(r);
  CHECK(j["id"] == "aps.s26");
  CHECK(j["version"] == "2022");
  CHECK(j["as_of"] == "2026-03-02");

  const json& schema = j["facts_schema"];
  CHECK(schema["type"] == "object");
  CHECK(schema["additionalProperties"] == false);
  CHECK(schema["required"] == json::array({"employee", "move"}));
  const json& employee = schema["properties"]["employee"];
  CHECK(employee["type"] == "object");
  CHECK(employee["additionalProperties"] == false);
  CHECK(employee["required"] == json::array({"employment", "classification"}));
  CHECK(employee["properties"]["employment"]["enum"] == json::array({"ongoing", "non_ongoing"}));
  const json& classification = employee["properties"]["classification"]["enum"];
  CHECK(classification.size() == 11);
  CHECK(classification[0] == "APS1");
  CHECK(classification[10] == "SES3");
  CHECK(employee["properties"]["misconduct_alleged"]["default"] == false);
  CHECK(employee["properties"]["engagement_conditions"]["default"] == "met");
  const json& move = schema["properties"]["move"];
  CHECK(move["required"] == json::array({"kind", "from_agency", "to_agency", "to_classification"}));
  CHECK(move["properties"]["from_agency"]["type"] == "string");
  const json& notice = schema["properties"]["dates"]["properties"]["notice_given_on"];
  CHECK(notice["format"] == "date");
  CHECK(notice["type"] == json::array({"string", "null"}));
  CHECK(schema["properties"]["agreement"]["required"] == json::array());

  REQUIRE(j["outputs"].is_array());
  REQUIRE(j["outputs"].size() == 10);
  CHECK(j["outputs"][0]["name"] == "outcome");
  CHECK(j["outputs"][0]["type"] == "enumeration");
  CHECK(j["outputs"][0]["allowed"] == json::array({"approved", "refused", "deferred", "awaiting_agreement"}));
  CHECK(j["outputs"][5]["name"] == "missing_agreements");
  CHECK(j["outputs"][5]["type"] == "list");
  CHECK(j["outputs"][5]["allowed"] == json::array({"employee", "current_head", "gaining_head"}));
  CHECK(j["outputs"][6]["name"] == "date_of_effect");
  CHECK(j["outputs"][6]["type"] == "date");
  CHECK(j["outputs"][6]["allowed"].is_null());
  CHECK(j["outputs"][9]["name"] == "missing_terms");
  CHECK(j["outputs"][9]["allowed"] == json::array({"date_of_effect", "end_date"}));

  REQUIRE(j["rules"].is_array());
  CHECK(j["rules"][0]["name"] == "ongoing-move-agreed");
  CHECK(j["rules"][0]["title"] == "An ongoing move with the employee's and the gaining head's written agreement");
  CHECK(j["rules"][0]["cite"] == "PS Act s26");

  const json list = body_json(s.http->Get("/v1/policies"));
  for (const auto& p : list["policies"]) {
    if (p["id"] == "aps.s26" && p["version"] == "2016") {
      const json old = body_json(s.http->Get("/v1/policies/aps.s26?as_of=2020-06-01"));
      CHECK(old["version"] == "2016");
      CHECK(old["hash"] == p["hash"]);
    }
  }
  // Today's version when as_of is not given.
  CHECK(s.http->Get("/v1/policies/aps.s26")->status == 200);
  expect_error(s.http->Get("/v1/policies/aps.s26?as_of=2010-01-01"), 422, "not_in_force");
  expect_error(s.http->Get("/v1/policies/aps.s26?as_of=2026-13-01"), 400, "invalid_request");
}

// ---- require (issue 14, law-require) ----
TEST_CASE("errors: a broken require is invalid_facts with its message and the paths it read, beside fact errors",
          "[errors]") {
  TempDir dir;
  std::filesystem::create_directories(dir / "policies");
  write_file(dir / "policies" / "leave.rules",
             "policy t.leave \"Leave\"\n  version 1\n  in force from 2020-01-01\n"
             "facts\n  dates.agreed_date_of_effect : date\n  dates.agreed_end_date : date\n  pay.hours : number\n"
             "outputs\n  length : number\n"
             "define span = dates.agreed_end_date - dates.agreed_date_of_effect\n"
             "require dates.agreed_end_date > dates.agreed_date_of_effect\n"
             "  \"the end date must be after the date of effect\"\n"
             "require span <= 365 \"at most a year\"\n"
             "require pay.hours >= 0 \"hours cannot be negative\"\n"
             "rule length \"Length\"\n  cite \"c\"\n  then length = span\n");
  ServerProcess server(ServeOptions{{"--policies", (dir / "policies").string()}, {}});
  auto http = server.client();
  const auto post = [&](const json& facts) {
    return Answer(http->Post("/v1/decide/t.leave", json{{"facts", facts}}.dump(), "application/json"));
  };
  const json dates_ok = {{"agreed_date_of_effect", "2026-01-01"}, {"agreed_end_date", "2026-03-01"}};
  const auto ok = post(json{{"dates", dates_ok}, {"pay", {{"hours", 10}}}});
  REQUIRE(ok->status == 200);
  CHECK(body_json(ok)["decision"]["length"] == 59);

  // Two requires broken at once: one problem each, in the order written.
  const auto two = post(json{{"dates", {{"agreed_date_of_effect", "2026-01-01"}, {"agreed_end_date", "2025-01-01"}}},
                             {"pay", {{"hours", -1}}}});
  expect_error(two, 422, "invalid_facts");
  const json details = body_json(two)["error"]["details"];
  INFO(details.dump());
  REQUIRE(details.size() == 2);
  CHECK(details[0]["path"] == "dates.agreed_date_of_effect");
  CHECK(details[0]["problem"] == "the end date must be after the date of effect");
  CHECK(details[0]["paths"] == json::array({"dates.agreed_date_of_effect", "dates.agreed_end_date"}));
  CHECK(details[1]["path"] == "pay.hours");
  CHECK(details[1]["problem"] == "hours cannot be negative");
  CHECK(details[1]["paths"] == json::array({"pay.hours"}));
  CHECK(body_json(two)["error"]["message"] == "2 problems with the facts for t.leave");

  // A wrong type beside a broken require: both, the require judged on the facts that read.
  const auto both = post(json{{"dates", {{"agreed_date_of_effect", "2026-01-01"}, {"agreed_end_date", "2028-01-01"}}},
                              {"pay", {{"hours", "ten"}}}});
  expect_error(both, 422, "invalid_facts");
  const json mixed = body_json(both)["error"]["details"];
  INFO(mixed.dump());
  REQUIRE(mixed.size() == 2);
  CHECK(mixed[0]["path"] == "pay.hours");
  CHECK(mixed[0].count("paths") == 0);
  CHECK(mixed[1]["problem"] == "at most a year");
  CHECK(mixed[1]["paths"] == json::array({"dates.agreed_date_of_effect", "dates.agreed_end_date"}));

  // In a batch, per item.
  const auto batch = Answer(http->Post(
      "/v1/decide/t.leave/batch",
      json{{"cases", json::array({json{{"facts", {{"dates", dates_ok}, {"pay", {{"hours", 1}}}}}},
                                  json{{"facts", {{"dates", dates_ok}, {"pay", {{"hours", -5}}}}}}})}}
          .dump(),
      "application/json"));
  REQUIRE(batch->status == 200);
  const json results = body_json(batch)["results"];
  INFO(results.dump());
  REQUIRE(results.size() == 2);
  CHECK(results[0].contains("decision"));
  CHECK(results[1]["error"]["code"] == "invalid_facts");
  CHECK(results[1]["error"]["details"][0]["problem"] == "hours cannot be negative");
}

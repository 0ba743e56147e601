// Issue 19, observability: a caller's X-Request-Id and traceparent, the
// access log (--access-log) and facts masked in the decision log
// (--log-mask). The parsers and the log classes are tested in-process; the
// server's use of them through the real binary over loopback.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "facts/json_reader.hpp"
#include "facts/log_mask.hpp"
#include "server/access_log.hpp"
#include "server/tracing.hpp"
#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;
using rulebook::LogMask;
using rulebook::server::AccessLog;
using rulebook::server::AccessRecord;
using rulebook::server::format_access_line;
using rulebook::server::parse_traceparent;
using rulebook::server::valid_request_id;

namespace {

const std::string kSalt = "rulebook-test-salt-0123";
// sha256 of kSalt followed by the value, by coreutils: printf '%s%s' "$salt" "$value" | sha256sum
const std::string kFinance = "sha256:d876022087d92078c38e64fcc6855dd56ec57ead1d8ff436edb5c1bb5f87a3e8";
const std::string kSocialServices = "sha256:6321308c9bba1302fea576be5ed37c4de59f2c525fcf8ff862817c7900f5db69";
const std::string kAps6 = "sha256:f2fca76a4de3a7e98fb38a6c31145bbe36fb63ab5fcfdfd52441bbb43379cc5e";
const std::string kTrue = "sha256:bcf3e6e88151adc51c5babc5ef5df9dd1cbdf58278946a46b8c62b45d43d481b";
const std::string kDate = "sha256:43acaaa2c0b7194be7575c6891769bb9f0e893cb934c3836b82c094ddd024560";
const std::string kAgreement = "sha256:95921d27750636c1b1941efd954f914e20e813b4cfd997285fd279ac6bde0e66";
const std::string kNumber = "sha256:748f4d4335d527ef2646dad8da63a1441296cc30406193f7796878d9edcf83de";
const std::string kSarah = "sha256:2e34479a86ea10420cf9f66cadbe10e1262217ba5f9603fe7709e140fe10ce40";

const std::string kTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    REQUIRE(!j.is_discarded());
    out.push_back(std::move(j));
  }
  return out;
}

std::unique_ptr<ServerProcess> start(const TempDir& dir, std::vector<std::string> extra = {},
                                     long long file_size_limit = -1) {
  if (!std::filesystem::exists(dir / "policies")) copy_aps_s26(dir / "policies");
  std::vector<std::string> args = {"--policies", (dir / "policies").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<ServerProcess>(ServeOptions{args, {}, file_size_limit});
}

std::pair<int, std::string> run_binary(const std::vector<std::string>& args, const TempDir& dir) {
  std::string cmd = std::string(RULEBOOK_BINARY);
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " > '" + (dir / "run.out").string() + "' 2> '" + (dir / "run.err").string() + "' < /dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir / "run.err")};
}

// Waits (up to 5 s) until `path` holds at least `n` lines; its lines.
std::vector<json> wait_for_lines(const std::filesystem::path& path, std::size_t n) {
  for (int k = 0; k < 500; ++k) {
    if (std::filesystem::exists(path)) {
      const std::string text = read_file(path);
      if (static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) >= n) return json_lines(text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::filesystem::exists(path) ? json_lines(read_file(path)) : std::vector<json>{};
}

std::string masked_facts(const LogMask& mask, const std::string& facts) {
  rulebook::JsonDocument doc;
  REQUIRE(doc.parse(facts));
  std::string out;
  mask.write_facts(doc, doc.root(), out);
  return out;
}

}  // namespace

TEST_CASE("request ids: a caller's X-Request-Id is used when 1-128 characters of A-Za-z0-9._:-", "[observability]") {
  CHECK(valid_request_id("a"));
  CHECK(valid_request_id("0f8e1c4a-7b7d-4a51-9b0e-3f6c2a1d9e77"));
  CHECK(valid_request_id("abc.DEF_123:x-y"));
  CHECK(valid_request_id(std::string(128, 'x')));
  CHECK_FALSE(valid_request_id(""));
  CHECK_FALSE(valid_request_id(std::string(129, 'x')));
  CHECK_FALSE(valid_request_id("has space"));
  CHECK_FALSE(valid_request_id("quote\"d"));
  CHECK_FALSE(valid_request_id("slash/ed"));
  CHECK_FALSE(valid_request_id("new\nline"));
  CHECK_FALSE(valid_request_id(std::string("nul\0x", 5)));
  CHECK_FALSE(valid_request_id("caf\xc3\xa9"));
}

TEST_CASE("traceparent: version 00 parsed and checked field by field; anything else ignored", "[observability]") {
  const auto t = parse_traceparent(kTrace);
  REQUIRE(t);
  CHECK(t->header == kTrace);
  CHECK(t->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(t->parent_id == "00f067aa0ba902b7");
  CHECK(t->flags == "01");
  CHECK(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"));

  CHECK_FALSE(parse_traceparent(""));
  CHECK_FALSE(parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"));  // trace id all zero
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"));  // parent id all zero
  CHECK_FALSE(parse_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"));  // uppercase
  CHECK_FALSE(parse_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));  // version ff
  CHECK_FALSE(parse_traceparent("0g-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
  CHECK_FALSE(parse_traceparent(kTrace + "-extra"));                                        // 00 is exactly 55
  CHECK_FALSE(parse_traceparent(kTrace.substr(0, 54)));
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01"));  // misplaced dash
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0x"));  // flags
  CHECK_FALSE(parse_traceparent("00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"));
  // A later version is read by its first 55 characters (the W3C rule for versions it does not know).
  const auto later = parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next");
  REQUIRE(later);
  CHECK(later->header == "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  CHECK(later->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK_FALSE(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
}

TEST_CASE("log mask: named facts become sha256 of salt and value, stable, value by value", "[observability][mask]") {
  std::string error;
  const auto mask = LogMask::make({"move.from_agency", "move.to_agency", "employee.classification",
                                   "employee.on_temporary_transfer", "dates.notice_given_on", "agreement",
                                   "employee.pay", "history.name"},
                                  kSalt, error);
  REQUIRE(mask);
  CHECK(error.empty());
  CHECK(mask->hash("Finance") == kFinance);
  CHECK(mask->hash("Finance") == mask->hash("Finance"));  // the same value, the same hash: analysts can group

  const std::string facts =
      R"({"employee":{"employment":"ongoing","classification":"APS6","on_temporary_transfer":true,"pay":12.50,"nick":null},)"
      R"("move":{"kind":"ongoing","from_agency":"Fin\u0061nce","to_agency":"Social Services","to_classification":"APS6"},)"
      R"("agreement":{"employee":true,"gaining_head":true},"dates":{"notice_given_on":"2026-03-02"},)"
      R"("history":[{"name":"Sarah","years":3},{"name":"Sarah","years":1},{"name":null}]})";
  const json out = json::parse(masked_facts(*mask, facts));
  CHECK(out["employee"]["employment"] == "ongoing");  // not named: as sent
  CHECK(out["employee"]["classification"] == kAps6);
  CHECK(out["employee"]["on_temporary_transfer"] == kTrue);
  CHECK(out["employee"]["pay"] == kNumber);          // a number: its text as sent
  CHECK(out["employee"]["nick"].is_null());
  CHECK(out["move"]["kind"] == "ongoing");
  CHECK(out["move"]["from_agency"] == kFinance);     // decoded text: "Fin\u0061nce" is "Finance"
  CHECK(out["move"]["to_agency"] == kSocialServices);
  CHECK(out["move"]["to_classification"] == "APS6");
  CHECK(out["agreement"] == kAgreement);             // a whole record: its compact JSON
  CHECK(out["dates"]["notice_given_on"] == kDate);
  REQUIRE(out["history"].size() == 3);                // a list of records: each item's field
  CHECK(out["history"][0] == json{{"name", kSarah}, {"years", 3}});
  CHECK(out["history"][1] == json{{"name", kSarah}, {"years", 1}});
  CHECK(out["history"][2] == json{{"name", nullptr}});

  // Another salt, other hashes.
  const auto other = LogMask::make({"move.from_agency"}, kSalt + "!", error);
  REQUIRE(other);
  CHECK(json::parse(masked_facts(*other, facts))["move"]["from_agency"] != kFinance);
  // No masked path in the facts: written exactly as JsonDocument writes them.
  const auto none = LogMask::make({"nothing.here"}, kSalt, error);
  REQUIRE(none);
  CHECK(masked_facts(*none, R"({"a": {"b": [1, "x"]}})") == R"({"a":{"b":[1,"x"]}})");
}

TEST_CASE("log mask: malformed paths and short salts are refused with a reason", "[observability][mask]") {
  std::string error;
  CHECK_FALSE(LogMask::make({"employee..name"}, kSalt, error));
  CHECK(error.find("employee..name") != std::string::npos);
  CHECK_FALSE(LogMask::make({""}, kSalt, error));
  CHECK_FALSE(LogMask::make({".name"}, kSalt, error));
  CHECK_FALSE(LogMask::make({"employee."}, kSalt, error));
  CHECK_FALSE(LogMask::make({"employee.name"}, "short", error));
  CHECK(error == "the salt must be at least 16 bytes (it has 5)");
}

TEST_CASE("access log line: every field, client text escaped and bounded, no query values", "[observability][access]") {
  AccessRecord r;
  r.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1764412200123));
  r.method = "GET";
  const std::string path = std::string("/x\"y\n\x01\xff/") + std::string(2000, 'p');
  r.path = path;
  r.query_names = {"as_of", "version"};
  r.status = 404;
  r.bytes = 123;
  r.duration_ms = 1.23456;
  r.request_id = "abc";
  r.remote = "127.0.0.1";
  const std::string line = format_access_line(r);
  CHECK(line.find('\n') == std::string::npos);
  const json j = json::parse(line);  // valid JSON (bad UTF-8 replaced)
  CHECK(j["time"] == "2025-11-29T10:30:00.123Z");
  CHECK(j["method"] == "GET");
  CHECK(j["path"].get<std::string>().rfind("/x\"y\n\x01\xef\xbf\xbd/ppp", 0) == 0);
  CHECK(j["path"].get<std::string>().size() < 520);
  CHECK(j["query"] == json{"as_of", "version"});
  CHECK(j["status"] == 404);
  CHECK(j["bytes"] == 123);
  CHECK(j["duration_ms"] == 1.235);
  CHECK(j["request_id"] == "abc");
  CHECK(j["trace_id"].is_null());
  CHECK(j["remote"] == "127.0.0.1");
  CHECK(j["policy"].is_null());
}

TEST_CASE("access log: a reader that does not keep up never blocks requests; full queue drops and counts",
          "[observability][access]") {
  TempDir dir;
  const auto fifo = dir / "slow.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // A reader that opens the pipe and never reads: the pipe (64 KiB) fills, then the writer blocks.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  {
    AccessLog log(fifo.string(), 16);
    REQUIRE(log.is_open());
    const std::string line(1000, 'x');
    const auto started = std::chrono::steady_clock::now();
    for (int k = 0; k < 1000; ++k) log.write("{\"n\":" + std::to_string(k) + ",\"pad\":\"" + line + "\"}");
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(took < std::chrono::milliseconds(500));  // a thousand lines queued or dropped, none waited for the pipe
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto s = log.stats();
    CHECK(s.dropped > 0);
    CHECK(s.written + s.dropped + s.failed <= 1000);
    CHECK(s.written < 100);  // at most the pipe's worth got through
    // Now read: the writer drains what it holds, and every line that arrives is whole.
    std::string got;
    char buf[65536];
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < until) {
      const ssize_t n = ::read(reader, buf, sizeof buf);
      if (n > 0) got.append(buf, static_cast<std::size_t>(n));
      if (n <= 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      const auto now = log.stats();
      if (now.written + now.dropped + now.failed == 1000 && n <= 0) break;
    }
    const auto end = log.stats();
    CHECK(end.written + end.dropped + end.failed == 1000);
    const auto lines = json_lines(got);
    CHECK(lines.size() == end.written);
    for (std::size_t k = 1; k < lines.size(); ++k) CHECK(lines[k]["n"] > lines[k - 1]["n"]);
  }
  ::close(reader);
}

TEST_CASE("X-Request-Id: the caller's id is echoed, answered and logged; an invalid one is replaced",
          "[observability][server]") {
  TempDir dir;
  const auto decisions = dir / "decisions.jsonl";
  auto server = start(dir, {"--decision-log", decisions.string()});
  auto http = server->client();
  const std::string given = "client-42.a_b:c";
  auto r = http->Post("/v1/decide/aps.s26", {{"X-Request-Id", given}}, sarah_request().dump(), "application/json");
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("X-Request-Id") == given);
  CHECK(body_json(r)["request_id"] == given);
  auto lines = json_lines(read_file(decisions));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["request_id"] == given);
  CHECK(!lines[0].contains("trace_id"));

  // A batch: case k is "<id>/k".
  auto b = http->Post("/v1/decide/aps.s26/batch", {{"X-Request-Id", given}},
                      json{{"cases", {sarah_request(), sarah_request()}}}.dump(), "application/json");
  REQUIRE(b->status == 200);
  CHECK(body_json(b)["results"][1]["request_id"] == given + "/1");
  // Errors carry it in the header.
  auto e = http->Post("/v1/decide/aps.s26", {{"X-Request-Id", given}}, "{", "application/json");
  CHECK(e->status == 400);
  CHECK(e->get_header_value("X-Request-Id") == given);
  CHECK(http->Get("/nowhere", {{"X-Request-Id", given}})->get_header_value("X-Request-Id") == given);

  // Invalid ones are replaced by a generated id (not refused), and never reach the log.
  const std::regex generated(R"([0-9a-f]+-[0-9a-f]+)");
  for (const std::string bad : {std::string("has space"), std::string(129, 'x'), std::string("a/b"),
                                std::string("\"}{\"injected\":1")}) {
    auto x = http->Post("/v1/decide/aps.s26", {{"X-Request-Id", bad}}, sarah_request().dump(), "application/json");
    REQUIRE(x->status == 200);
    const std::string id = x->get_header_value("X-Request-Id");
    CHECK(std::regex_match(id, generated));
    CHECK(body_json(x)["request_id"] == id);
  }
  const std::string text = read_file(decisions);
  CHECK(text.find("has space") == std::string::npos);
  CHECK(text.find("injected") == std::string::npos);
  CHECK(json_lines(text).size() == 7);
}

TEST_CASE("traceparent: a valid one is echoed and its trace id logged; an invalid one is ignored",
          "[observability][server]") {
  TempDir dir;
  const auto decisions = dir / "decisions.jsonl";
  const auto access = dir / "access.jsonl";
  auto server = start(dir, {"--decision-log", decisions.string(), "--access-log", access.string()});
  auto http = server->client();
  auto r = http->Post("/v1/decide/aps.s26", {{"traceparent", kTrace}}, sarah_request().dump(), "application/json");
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("traceparent") == kTrace);
  auto bad = http->Post("/v1/decide/aps.s26", {{"traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}},
                        sarah_request().dump(), "application/json");
  REQUIRE(bad->status == 200);
  CHECK(!bad->has_header("traceparent"));
  CHECK(http->Get("/healthz", {{"traceparent", kTrace}})->get_header_value("traceparent") == kTrace);

  const auto lines = json_lines(read_file(decisions));
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(!lines[1].contains("trace_id"));
  const auto entries = wait_for_lines(access, 3);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0]["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(entries[0]["request_id"] == r->get_header_value("X-Request-Id"));
  CHECK(entries[1]["trace_id"].is_null());
  CHECK(entries[2]["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST_CASE("access log: one JSON line per request, query values left out, reopened on SIGHUP",
          "[observability][access][server]") {
  TempDir dir;
  const auto access = dir / "access.jsonl";
  auto server = start(dir, {"--access-log", access.string()});
  auto http = server->client();
  auto d = http->Post("/v1/decide/aps.s26", {{"X-Request-Id", "req-1"}}, sarah_request().dump(), "application/json");
  REQUIRE(d->status == 200);
  auto p = http->Get("/v1/policies/aps.s26?as_of=1970-01-01-private");
  REQUIRE(p->status == 400);
  REQUIRE(http->Get("/nowhere")->status == 404);
  auto entries = wait_for_lines(access, 3);
  REQUIRE(entries.size() == 3);
  const json& e = entries[0];
  CHECK(e["method"] == "POST");
  CHECK(e["path"] == "/v1/decide/aps.s26");
  CHECK(e["query"] == json::array());
  CHECK(e["status"] == 200);
  CHECK(e["bytes"] == d->body.size());
  CHECK(e["duration_ms"].get<double>() >= 0);
  CHECK(e["duration_ms"].get<double>() < 5000);
  CHECK(e["request_id"] == "req-1");
  CHECK(e["remote"] == "127.0.0.1");
  CHECK(e["policy"] == "aps.s26");
  CHECK(std::regex_match(e["time"].get<std::string>(), std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")));
  CHECK(entries[1]["path"] == "/v1/policies/aps.s26");
  CHECK(entries[1]["query"] == json{"as_of"});
  CHECK(entries[1]["status"] == 400);
  CHECK(entries[1]["policy"].is_null());
  CHECK(entries[1]["request_id"] == p->get_header_value("X-Request-Id"));
  CHECK(read_file(access).find("private") == std::string::npos);
  CHECK(entries[2]["status"] == 404);

  // logrotate: the file is moved away, SIGHUP, the next lines go to a new file at the path.
  const auto rotated = dir / "access.jsonl.1";
  std::filesystem::rename(access, rotated);
  REQUIRE(::kill(server->pid(), SIGHUP) == 0);
  for (int k = 0; k < 200 && server->stderr_text().find("reopened") == std::string::npos; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(http->Get("/healthz")->status == 200);
  const auto fresh = wait_for_lines(access, 1);
  REQUIRE(fresh.size() == 1);
  CHECK(fresh[0]["path"] == "/healthz");
  CHECK(json_lines(read_file(rotated)).size() == 3);

  const json status = body_json(http->Get("/v1/status"));
  CHECK(status["access_log"]["target"] == access.string());
  CHECK(status["access_log"]["lines_dropped"] == 0);
  CHECK(status["access_log"]["lines_failed"] == 0);
  CHECK(status["access_log"]["error"].is_null());
}

TEST_CASE("access log: - writes the lines to standard output after the address line", "[observability][access][server]") {
  TempDir dir;
  auto server = start(dir, {"--access-log", "-"});
  REQUIRE(server->client()->Get("/healthz", {{"X-Request-Id", "to-stdout"}})->status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(server->stop(SIGTERM) == 0);
  const auto lines = json_lines(server->rest_of_stdout());
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["request_id"] == "to-stdout");
  CHECK(lines[0]["status"] == 200);
}

TEST_CASE("access log: a full disk loses lines, counted, and never a decision", "[observability][access][server]") {
  TempDir dir;
  auto server = start(dir, {"--access-log", "/dev/full"});
  auto http = server->client();
  for (int k = 0; k < 20; ++k) {
    REQUIRE(http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json")->status == 200);
  }
  json status;
  for (int k = 0; k < 100; ++k) {
    status = body_json(http->Get("/v1/status"));
    if (status["access_log"]["lines_failed"].get<int>() >= 20) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(status["access_log"]["lines_failed"].get<int>() >= 20);
  CHECK(status["access_log"]["lines_written"] == 0);
  CHECK(status["access_log"]["error"].get<std::string>().find("No space left on device") != std::string::npos);
  CHECK(http->Get("/readyz")->status == 200);  // the access log is not a reason to take the replica out
}

TEST_CASE("log mask in the server: the decision log holds salted hashes of the named facts", "[observability][mask][server]") {
  TempDir dir;
  const auto decisions = dir / "decisions.jsonl";
  write_file(dir / "salt", kSalt + "\n");  // an editor's trailing newline is not part of the salt
  auto server = start(dir, {"--decision-log", decisions.string(), "--log-mask", "move.from_agency", "move.to_agency",
                            "--log-mask", "dates.notice_given_on", "--log-mask-salt-file", (dir / "salt").string()});
  auto http = server->client();
  auto r = http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
  REQUIRE(r->status == 200);
  CHECK(body_json(r)["decision"]["date_of_effect"] == "2026-03-30");  // the answer is not masked
  auto b = http->Post("/v1/decide/aps.s26/batch", json{{"cases", {sarah_request()}}}.dump(), "application/json");
  REQUIRE(b->status == 200);
  const std::string text = read_file(decisions);
  CHECK(text.find("Finance") == std::string::npos);
  CHECK(text.find("Social Services") == std::string::npos);
  const auto lines = json_lines(text);
  REQUIRE(lines.size() == 2);
  for (const json& l : lines) {
    CHECK(l["facts"]["move"]["from_agency"] == kFinance);
    CHECK(l["facts"]["move"]["to_agency"] == kSocialServices);
    CHECK(l["facts"]["dates"]["notice_given_on"] == kDate);
    CHECK(l["facts"]["move"]["kind"] == "ongoing");
    CHECK(l["facts"]["employee"] == sarah_facts()["employee"]);
    CHECK(l["decision"]["date_of_effect"] == "2026-03-30");
  }
  CHECK(body_json(http->Get("/v1/status"))["log_mask"] ==
        json{"move.from_agency", "move.to_agency", "dates.notice_given_on"});
}

TEST_CASE("log mask in the server: --log-mask is refused without a salt file, without a decision log, with a short or unreadable salt",
          "[observability][mask][server]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  const std::string policies = (dir / "policies").string();
  const std::string log = (dir / "d.jsonl").string();
  auto [code, err] = run_binary({"serve", "--policies", policies, "--port", "0", "--decision-log", log, "--log-mask",
                                 "employee.name"},
                                dir);
  CHECK(code == 2);
  CHECK(err.find("--log-mask needs --log-mask-salt-file") != std::string::npos);
  write_file(dir / "salt", kSalt);
  std::tie(code, err) = run_binary({"serve", "--policies", policies, "--port", "0", "--log-mask", "employee.name",
                                    "--log-mask-salt-file", (dir / "salt").string()},
                                   dir);
  CHECK(code == 2);
  CHECK(err.find("give --decision-log FILE too") != std::string::npos);
  std::tie(code, err) = run_binary({"serve", "--policies", policies, "--port", "0", "--decision-log", log, "--log-mask"}, dir);
  CHECK(code == 2);
  write_file(dir / "short", "tiny\n");
  std::tie(code, err) = run_binary({"serve", "--policies", policies, "--port", "0", "--decision-log", log, "--log-mask",
                                    "employee.name", "--log-mask-salt-file", (dir / "short").string()},
                                   dir);
  CHECK(code == 1);
  CHECK(err.find("the salt must be at least 16 bytes (it has 4)") != std::string::npos);
  std::tie(code, err) = run_binary({"serve", "--policies", policies, "--port", "0", "--decision-log", log, "--log-mask",
                                    "employee.name", "--log-mask-salt-file", (dir / "missing").string()},
                                   dir);
  CHECK(code == 1);
  CHECK(err.find("cannot read the salt file") != std::string::npos);
}

namespace {

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

void send_all(int fd, const std::string& bytes) {
  REQUIRE(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size()));
}

}  // namespace

TEST_CASE("connections: a busy keep-alive connection hands its worker over, saying Connection: close",
          "[observability][scale-out][server]") {
  TempDir dir;
  auto server = start(dir, {"--threads", "1"});
  const int busy = connect_to(server->port());
  send_all(busy, kHealth);
  REQUIRE(read_response(busy, std::chrono::seconds(3)).rfind("HTTP/1.1 200", 0) == 0);
  // The only worker holds `busy`, which never idles: another client waits.
  const int waiting = connect_to(server->port());
  send_all(waiting, kHealth);
  const auto started = std::chrono::steady_clock::now();
  bool told_to_close = false;
  int answered = 0;
  while (std::chrono::steady_clock::now() - started < std::chrono::seconds(3)) {
    send_all(busy, kHealth);
    const std::string r = read_response(busy, std::chrono::seconds(3));
    REQUIRE(r.rfind("HTTP/1.1 200", 0) == 0);  // every request it sent was answered
    ++answered;
    if (r.find("Connection: close") != std::string::npos) {
      told_to_close = true;
      break;
    }
  }
  CHECK(told_to_close);
  CHECK(answered > 1);  // a turn of several requests first, not one
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
  CHECK(read_response(waiting, std::chrono::seconds(3)).rfind("HTTP/1.1 200", 0) == 0);
  ::close(busy);
  ::close(waiting);
}

TEST_CASE("connections: --reclaim-idle-after sets how long an idle connection keeps its worker from a waiting one",
          "[observability][scale-out][server]") {
  for (const auto& [args, at_least, below] :
       {std::tuple{std::vector<std::string>{"--threads", "1"}, 0, 900},
        std::tuple{std::vector<std::string>{"--threads", "1", "--reclaim-idle-after", "1.5"}, 1400, 4000}}) {
    TempDir dir;
    auto server = start(dir, args);
    const int idle = connect_to(server->port());
    send_all(idle, kHealth);
    REQUIRE(read_response(idle, std::chrono::seconds(3)).rfind("HTTP/1.1 200", 0) == 0);
    const auto started = std::chrono::steady_clock::now();
    const int waiting = connect_to(server->port());
    send_all(waiting, kHealth);
    CHECK(read_response(waiting, std::chrono::seconds(5)).rfind("HTTP/1.1 200", 0) == 0);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    CHECK(ms.count() >= at_least);
    CHECK(ms.count() < below);
    ::close(idle);
    ::close(waiting);
  }
  TempDir dir;
  const auto [code, err] = run_binary({"serve", "--reclaim-idle-after", "61"}, dir);
  CHECK(code == 2);
  CHECK(err.find("--reclaim-idle-after: needs a number of seconds from 0 to 60") != std::string::npos);
}

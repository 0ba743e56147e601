// Operations: start-up line and arguments, health, status, metrics, the
// decision log, keep-alive and threads, and SIGINT/SIGTERM draining.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;

namespace {

std::vector<json> log_lines(const std::filesystem::path& p) {
  std::vector<json> out;
  std::istringstream in(read_file(p));
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    REQUIRE(!j.is_discarded());
    out.push_back(std::move(j));
  }
  return out;
}

std::unique_ptr<ServerProcess> start(const TempDir& dir, std::vector<std::string> extra = {}) {
  if (!std::filesystem::exists(dir / "policies")) copy_aps_s26(dir / "policies");
  std::vector<std::string> args = {"--policies", (dir / "policies").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  return std::make_unique<ServerProcess>(ServeOptions{args, {}});
}

// Runs the binary to completion with these arguments; {exit status, stderr}.
std::pair<int, std::string> run_binary(const std::vector<std::string>& args, const TempDir& dir) {
  std::string cmd = std::string(RULEBOOK_BINARY);
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " > '" + (dir / "run.out").string() + "' 2> '" + (dir / "run.err").string() + "' < /dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir / "run.err")};
}

}  // namespace

TEST_CASE("start: prints exactly one line with the address, and SIGTERM exits 0", "[ops]") {
  TempDir dir;
  auto server = start(dir);
  CHECK(std::regex_match(server->first_line(), std::regex(R"(rulebook listening on http://127\.0\.0\.1:\d+)")));
  const auto health = server->client()->Get("/healthz");
  CHECK(health->status == 200);
  CHECK(body_json(health) == json{{"status", "ok"}});
  // The defaults: a pool of 32 threads per core (at least 64), bodies up to 1 MiB.
  const json st = body_json(server->client()->Get("/v1/status"));
  const int threads = st["threads"];
  CHECK(threads >= 64);
  CHECK(threads % 32 == 0);
  CHECK(st["max_body"] == 1048576);
  CHECK(server->stop(SIGTERM) == 0);
  CHECK(server->rest_of_stdout().empty());
  // Stopped: nothing listens on the port any more.
  httplib::Client late("127.0.0.1", server->port());
  late.set_connection_timeout(1);
  CHECK(!late.Get("/healthz"));
}

TEST_CASE("start: SIGINT exits 0 too", "[ops]") {
  TempDir dir;
  auto server = start(dir);
  REQUIRE(server->client()->Get("/healthz")->status == 200);
  CHECK(server->stop(SIGINT) == 0);
}

TEST_CASE("start: bad arguments exit 2; a missing policies folder or decision log folder exits 1", "[ops]") {
  TempDir dir;
  CHECK(run_binary({"serve", "--port", "x"}, dir).first == 2);
  CHECK(run_binary({"serve", "--threads", "0"}, dir).first == 2);
  CHECK(run_binary({"serve", "--max-body", "-1"}, dir).first == 2);
  CHECK(run_binary({"serve", "--bogus"}, dir).first == 2);
  CHECK(run_binary({"serve", "--removal-grace", "86401"}, dir).first == 2);
  CHECK(run_binary({"serve", "--shutdown-timeout", "-1"}, dir).first == 2);
  CHECK(run_binary({"serve", "--policies", ""}, dir).first == 2);
  // One line naming the option, and where help is.
  const auto port = run_binary({"serve", "--port", "70000"}, dir);
  CHECK(port.first == 2);
  CHECK_THAT(port.second, Catch::StartsWith("rulebook serve: --port") && Catch::Contains("not in range 0 to 65535") &&
                              Catch::Contains("rulebook serve --help"));
  const auto empty = run_binary({"serve", "--host", ""}, dir);
  CHECK_THAT(empty.second, Catch::Contains("--host") && Catch::Contains("needs a value"));
  const auto help = run_binary({"serve", "--help"}, dir);
  CHECK(help.first == 0);
  const std::string usage = read_file(dir / "run.out");
  for (const std::string option : {"--policies", "--host", "--port", "--watch", "--threads", "--decision-log",
                                   "--max-body", "--shutdown-timeout", "--removal-grace", "--no-ui", "--tls-cert",
                                   "--tls-key", "--auth-token-file", "--cors-origin", "RULEBOOK_ADMIN_TOKEN"}) {
    CHECK_THAT(usage, Catch::Contains(option));
  }
  const auto missing = run_binary({"serve", "--port", "0", "--policies", (dir / "nowhere").string()}, dir);
  CHECK(missing.first == 1);
  CHECK(missing.second.find("no such file or folder") != std::string::npos);

  copy_aps_s26(dir / "policies");
  const auto no_log = run_binary({"serve", "--port", "0", "--policies", (dir / "policies").string(),
                                  "--decision-log", (dir / "no" / "such" / "dir" / "log").string()},
                                 dir);
  CHECK(no_log.first == 1);
  CHECK(no_log.second.find("decision log") != std::string::npos);
  // (Policies that do not compile no longer stop the start: readiness_test.cpp.)
}

TEST_CASE("status and metrics: what is loaded, and counts by route and status", "[ops]") {
  TempDir dir;
  auto server = start(dir, {"--threads", "6", "--max-body", "5000"});
  auto http = server->client();

  const json st = body_json(http->Get("/v1/status"));
  CHECK(st["status"] == "ok");
  CHECK(st["policies_loaded"].get<int>() >= 1);
  CHECK(st["policies_loaded"] == st["policies"].size());
  CHECK(std::regex_match(st["loaded_at"].get<std::string>(),
                         std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")));
  CHECK(st["last_reload_error"].is_null());
  CHECK(st["threads"] == 6);
  CHECK(st["max_body"] == 5000);
  CHECK(st["watch"] == false);

  for (int k = 0; k < 3; ++k) REQUIRE(http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json")->status == 200);
  REQUIRE(http->Post("/v1/decide/aps.s26", "{", "application/json")->status == 400);
  REQUIRE(http->Post("/v1/decide/aps.s26/batch", json{{"cases", json::array({sarah_request()})}}.dump(),
                     "application/json")->status == 200);
  REQUIRE(http->Get("/nowhere")->status == 404);

  const auto m = http->Get("/metrics");
  REQUIRE(m);
  REQUIRE(m->status == 200);
  CHECK(m->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  const std::string& text = m->body;
  CHECK(metric(text, R"(rulebook_http_requests_total{method="POST",route="/v1/decide/{policy_id}",status="200"})") == 3);
  CHECK(metric(text, R"(rulebook_http_requests_total{method="POST",route="/v1/decide/{policy_id}",status="400"})") == 1);
  CHECK(metric(text, R"(rulebook_http_requests_total{method="POST",route="/v1/decide/{policy_id}/batch",status="200"})") == 1);
  CHECK(metric(text, R"(rulebook_http_requests_total{method="GET",route="/v1/status",status="200"})") == 1);
  CHECK(metric(text, R"(rulebook_http_requests_total{method="GET",route="unmatched",status="404"})") == 1);
  CHECK(metric(text, R"(rulebook_decision_duration_seconds_count{route="/v1/decide/{policy_id}"})") == 4);
  CHECK(metric(text, R"(rulebook_decision_duration_seconds_bucket{route="/v1/decide/{policy_id}",le="+Inf"})") == 4);
  CHECK(metric(text, R"(rulebook_decision_duration_seconds_bucket{route="/v1/decide/{policy_id}",le="1"})") == 4);
  CHECK(metric(text, R"(rulebook_decision_duration_seconds_sum{route="/v1/decide/{policy_id}"})") > 0);
  CHECK(metric(text, "rulebook_policies_loaded") == st["policies_loaded"].get<int>());
  CHECK(metric(text, "rulebook_policy_reloads_total") == 0);
  CHECK(metric(text, "rulebook_policy_reload_failures_total") == 0);
  CHECK(metric(text, "rulebook_decision_log_write_failures_total") == 0);
  CHECK(text.find("# TYPE rulebook_decision_duration_seconds histogram") != std::string::npos);
  CHECK(text.find("# TYPE rulebook_http_requests_total counter") != std::string::npos);
}

TEST_CASE("decision log: one line per decision with its request id, written before the response, appended across restarts",
          "[ops][log]") {
  TempDir dir;
  const auto log = dir / "decisions.jsonl";
  std::string first_three;
  {
    auto server = start(dir, {"--decision-log", log.string()});
    auto http = server->client();
    const auto r = http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
    REQUIRE(r->status == 200);
    // Written before the response: it is in the file as soon as the answer is here.
    auto lines = log_lines(log);
    REQUIRE(lines.size() == 1);
    const json& l = lines[0];
    CHECK(l["request_id"] == r->get_header_value("X-Request-Id"));
    CHECK(l["request_id"] == body_json(r)["request_id"]);
    CHECK(l["policy"] == "aps.s26");
    CHECK(l["version"] == "2022");
    CHECK(l["hash"] == body_json(r)["policy"]["hash"]);
    CHECK(l["as_of"] == "2026-03-02");
    CHECK(l["facts"] == sarah_facts());
    CHECK(l["decision"] == body_json(r)["decision"]);
    CHECK(l["decision"]["date_of_effect"] == "2026-03-30");
    CHECK(std::regex_match(l["time"].get<std::string>(), std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")));

    // A batch: a line per decided case, none for the bad one.
    json bad = sarah_request();
    bad["facts"]["move"]["kind"] = "sideways";
    const auto b = http->Post("/v1/decide/aps.s26/batch", json{{"cases", {sarah_request(), bad, sarah_request()}}}.dump(),
                              "application/json");
    REQUIRE(b->status == 200);
    const std::string id = b->get_header_value("X-Request-Id");
    lines = log_lines(log);
    REQUIRE(lines.size() == 3);
    CHECK(lines[1]["request_id"] == id + "/0");
    CHECK(lines[2]["request_id"] == id + "/2");

    // Errors are not decisions.
    REQUIRE(http->Post("/v1/decide/aps.s26", bad.dump(), "application/json")->status == 422);
    CHECK(log_lines(log).size() == 3);
    first_three = read_file(log);
    http.reset();  // no idle keep-alive connection to wait out
    CHECK(server->stop(SIGTERM) == 0);
  }
  {
    auto server = start(dir, {"--decision-log", log.string()});
    const auto r = server->client()->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
    REQUIRE(r->status == 200);
    const std::string now = read_file(log);
    CHECK(now.rfind(first_three, 0) == 0);  // appended, never truncated
    const auto lines = log_lines(log);
    REQUIRE(lines.size() == 4);
    CHECK(lines[3]["request_id"] == r->get_header_value("X-Request-Id"));
    CHECK(lines[3]["request_id"] != lines[0]["request_id"]);  // unique across restarts
  }
}

TEST_CASE("decision log: a failed write is a 500 for that request and a metric", "[ops][log]") {
  TempDir dir;
  // /dev/full opens for appending, and every write to it fails (ENOSPC).
  auto server = start(dir, {"--decision-log", "/dev/full"});
  auto http = server->client();
  const auto r = http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
  REQUIRE(r);
  CHECK(r->status == 500);
  const json j = body_json(r);
  CHECK(j["error"]["code"] == "internal");
  CHECK(!j.contains("decision"));
  const auto b = http->Post("/v1/decide/aps.s26/batch", json{{"cases", {sarah_request()}}}.dump(), "application/json");
  CHECK(b->status == 500);
  // No decision, nothing to log: the usual answer.
  CHECK(http->Post("/v1/decide/aps.s26", "{}", "application/json")->status == 400);
  CHECK(metric(http->Get("/metrics")->body, "rulebook_decision_log_write_failures_total") == 2);
  CHECK(http->Get("/healthz")->status == 200);
}

TEST_CASE("SIGTERM: a request in flight is finished, then the server exits 0", "[ops]") {
  TempDir dir;
  auto server = start(dir, {"--max-body", "4000000"});
  auto http = server->client();
  REQUIRE(http->Get("/healthz")->status == 200);

  // A batch sent slowly, in pieces: the signal arrives while the server is reading it.
  json batch = {{"cases", json::array()}};
  for (int k = 0; k < 2000; ++k) batch["cases"].push_back(sarah_request());
  const std::string body = batch.dump();
  const std::size_t piece = body.size() / 8 + 1;
  bool signalled = false;
  const auto r = http->Post(
      "/v1/decide/aps.s26/batch",
      [&](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= body.size()) {
          sink.done();
          return true;
        }
        sink.write(body.data() + offset, std::min(piece, body.size() - offset));
        if (!signalled) {
          signalled = true;
          ::kill(server->pid(), SIGTERM);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        return true;
      },
      "application/json");
  REQUIRE(signalled);
  REQUIRE(r);
  CHECK(r->status == 200);
  const json j = body_json(r);
  REQUIRE(j["results"].size() == 2000);
  CHECK(j["results"][1999]["decision"]["outcome"] == "approved");
  CHECK(server->stop(0) == 0);  // signal 0: just wait for the exit
}

TEST_CASE("SIGTERM: an idle keep-alive connection delays the exit by at most the keep-alive timeout", "[ops]") {
  // cpp-httplib 0.11 does not close idle connections when it stops: it lets
  // each go when its keep-alive timeout (5 s, from its last answer) ends, and
  // the server exits once it has. This side never closes the connection, so
  // without that timeout the server would never exit. Each step waits for its
  // condition with a deadline far longer than it needs, so a loaded machine
  // (or a sanitizer build, whose exit runs the leak check) does not fail it;
  // the one bound on time is the keep-alive timeout's, measured where the
  // server applies it, on the connection.
  using Clock = std::chrono::steady_clock;
  using namespace std::chrono_literals;
  constexpr auto kKeepAliveTimeout = 5s;
  constexpr auto kSlack = 3s;  // the server notices the timeout on its next poll; scheduling
  TempDir dir;
  auto server = start(dir);

  // A keep-alive connection: one request answered, then idle.
  const int fd = connect_to(server->port());
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  const std::string answer = read_response(fd, 30s);
  const auto answered = Clock::now();
  INFO(answer);
  REQUIRE(answer.rfind("HTTP/1.1 200", 0) == 0);
  REQUIRE(answer.find(R"({"status":"ok"})") != std::string::npos);
  REQUIRE(answer.find("Connection: close") == std::string::npos);  // kept alive

  // SIGTERM, taken while the connection is open and idle.
  REQUIRE(::kill(server->pid(), SIGTERM) == 0);
  const auto taken_deadline = Clock::now() + 30s;
  while (server->stderr_text().find("SIGTERM: finishing") == std::string::npos && Clock::now() < taken_deadline) {
    std::this_thread::sleep_for(10ms);
  }
  INFO(server->stderr_text());
  REQUIRE(server->stderr_text().find("SIGTERM: finishing") != std::string::npos);

  // The server closes the idle connection when its keep-alive timeout ends.
  bool closed = false;
  const auto close_deadline = answered + kKeepAliveTimeout + 60s;
  while (!closed && Clock::now() < close_deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) continue;
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    CHECK(n <= 0);  // nothing more is sent on it
    if (n <= 0) closed = true;
  }
  const auto idle_for = Clock::now() - answered;
  ::close(fd);
  REQUIRE(closed);
  INFO("the idle connection was closed " << std::chrono::duration_cast<std::chrono::milliseconds>(idle_for).count()
                                         << " ms after its answer");
  CHECK(idle_for < kKeepAliveTimeout + kSlack);

  // And then nothing else holds the exit: it exits 0 (signal 0: just wait).
  CHECK(server->stop(0, 60s) == 0);
}

// Resident memory of a process, in KiB.
long rss_kib(pid_t pid) {
  std::istringstream in(read_file("/proc/" + std::to_string(pid) + "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST_CASE("no memory kept per request: thousands of good and bad requests leave the resident size flat", "[ops]") {
  TempDir dir;
  auto server = start(dir, {"--decision-log", (dir / "log.jsonl").string()});
  auto http = server->client();
  const std::string good = sarah_request().dump();
  json bad_facts = sarah_request();
  bad_facts["facts"]["employee"]["classification"] = "APS9";
  const std::string bad = bad_facts.dump();
  const std::string batch = json{{"cases", {sarah_request(), bad_facts, sarah_request()}}}.dump();
  const auto round = [&](int n) {
    for (int k = 0; k < n; ++k) {
      switch (k % 6) {
        case 0: REQUIRE(http->Post("/v1/decide/aps.s26", good, "application/json")->status == 200); break;
        case 1: REQUIRE(http->Post("/v1/decide/aps.s26", bad, "application/json")->status == 422); break;
        case 2: REQUIRE(http->Post("/v1/decide/aps.s26", "{\"facts\": [", "application/json")->status == 400); break;
        case 3: REQUIRE(http->Post("/v1/decide/aps.s26/batch", batch, "application/json")->status == 200); break;
        case 4: REQUIRE(http->Get("/v1/policies/aps.s26")->status == 200); break;
        case 5: REQUIRE(http->Get("/nowhere")->status == 404); break;
      }
    }
  };
  round(600);  // warm up: allocator pools, metrics labels
  const long before = rss_kib(server->pid());
  round(3000);
  const long after = rss_kib(server->pid());
  INFO("RSS " << before << " KiB -> " << after << " KiB");
  REQUIRE(before > 0);
#if !defined(__SANITIZE_ADDRESS__)
  // (Under AddressSanitizer the quarantine grows by design; there LeakSanitizer
  // checks the exit below instead.)
  CHECK(after - before < 1024);
#endif
  http.reset();
  CHECK(server->stop(SIGTERM) == 0);  // under ASan, a leak makes this exit non-zero
}

TEST_CASE("keep-alive and --threads: many requests on one connection, more clients than one", "[ops]") {
  TempDir dir;
  auto server = start(dir, {"--threads", "5"});
  auto http = server->client();
  const std::string body = sarah_request().dump();
  const auto started = std::chrono::steady_clock::now();
  for (int k = 0; k < 200; ++k) {
    const auto r = http->Post("/v1/decide/aps.s26", body, "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    if (k == 0) CHECK(r->get_header_value("Keep-Alive").find("timeout=") != std::string::npos);
    CHECK(r->get_header_value("Connection") != "close");
  }
  // With TCP_NODELAY on both ends a keep-alive round trip is well under a millisecond;
  // Nagle's algorithm would make each one ~40-80 ms.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));

  // Four more clients at once, each on its own connection: with the first one
  // still holding its keep-alive connection, that is the pool's size.
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      auto c = raw_client(server->port());
      for (int k = 0; k < 50; ++k) {
        const auto r = c->Post("/v1/decide/aps.s26", body, "application/json");
        if (r && r->status == 200) ok++;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == 200);
}

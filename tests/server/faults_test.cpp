// Issue 20, items 2, 3 and 7: a deploy caught half-way must not shrink the
// set being served; the decision log survives a full disk, deletion and
// rotation and says when it fails (/readyz, /metrics); reload errors name
// files relative to the policies folder.
#include <signal.h>
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <sstream>
#include <thread>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* kToken = "faults-token-1";

struct Served {
  TempDir dir;
  fs::path s26_2022;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<Http> http;

  explicit Served(std::vector<std::string> extra, long long file_size_limit = -1) {
    s26_2022 = copy_aps_s26(dir / "policies");
    std::vector<std::string> args = {"--policies", (dir / "policies").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    ServeOptions o{args, {{"RULEBOOK_ADMIN_TOKEN", kToken}}};
    o.file_size_limit = file_size_limit;
    server = std::make_unique<ServerProcess>(o);
    http = server->client();
  }
  fs::path s26_2016() const { return s26_2022.parent_path() / "s26-2016.rules"; }

  // Sarah's case on a day only the 2016 version is in force.
  int decide_2016() { return http->Post("/v1/decide/aps.s26", sarah_request("2018-06-01").dump(), "application/json")->status; }
  int decide() { return http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json")->status; }
  json status() { return body_json(http->Get("/v1/status")); }
  double metric_value(const std::string& name) { return metric(http->Get("/metrics")->body, name); }
};

// Polls `done` every 20 ms for up to `limit`.
template <typename F>
bool eventually(F done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::vector<std::string> out;
  std::istringstream in(read_file(p));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Every line of the log is whole JSON, and the file ends on a newline.
void check_whole_lines(const fs::path& log) {
  const std::string text = read_file(log);
  if (!text.empty()) CHECK(text.back() == '\n');
  for (const auto& line : lines_of(log)) {
    INFO(line.substr(0, 200));
    CHECK(!json::parse(line, nullptr, false).is_discarded());
  }
}

}  // namespace

TEST_CASE("watch: a rule file replaced by a folder keeps the old set serving, with the error in /v1/status",
          "[faults][watch]") {
  Served s({"--watch"});
  REQUIRE(s.decide_2016() == 200);
  fs::remove(s.s26_2016());
  fs::create_directory(s.s26_2016());
  REQUIRE(eventually([&] { return s.status()["last_reload_error"].is_object(); }, std::chrono::seconds(5)));
  const json st = s.status();
  CHECK(st["status"] == "reload_failed");
  CHECK(st["last_reload_error"]["message"] ==
        "aps/s26-2016.rules: error: this is a folder, not a rule file");
  CHECK(st["policies_loaded"] == 2);
  CHECK(s.decide_2016() == 200);  // the old server answered 422 not_in_force from here on
}

TEST_CASE("watch: removing a served version waits for --removal-grace, and is reported", "[faults][watch]") {
  Served s({"--watch", "--removal-grace", "2"});
  REQUIRE(s.decide_2016() == 200);
  const auto removed_at = std::chrono::steady_clock::now();
  fs::remove(s.s26_2016());
  REQUIRE(eventually([&] { return s.status()["status"] == "removal_pending"; }, std::chrono::seconds(5)));
  const json pending = s.status();
  CHECK(pending["pending_removal"]["versions"] == json::array({{{"id", "aps.s26"}, {"version", "2016"}}}));
  CHECK(pending["policies_loaded"] == 2);
  CHECK(pending["removal_grace_seconds"] == 2);
  CHECK(s.metric_value("rulebook_policy_versions_removal_pending") == 1);
  CHECK(s.decide_2016() == 200);  // still served during the grace period

  REQUIRE(eventually([&] { return s.decide_2016() == 422; }, std::chrono::seconds(6)));
  CHECK(std::chrono::steady_clock::now() - removed_at >= std::chrono::seconds(2));
  const json after = s.status();
  CHECK(after["status"] == "ok");
  CHECK(after["pending_removal"].is_null());
  CHECK(after["last_removal"]["versions"] == json::array({{{"id", "aps.s26"}, {"version", "2016"}}}));
  CHECK(after["policies_loaded"] == 1);
  CHECK(s.metric_value("rulebook_policy_versions_removed_total") == 1);
  CHECK(s.metric_value("rulebook_policy_versions_removal_pending") == 0);
  CHECK(s.decide() == 200);
}

TEST_CASE("watch: a file deleted and put back within the grace period is never removed", "[faults][watch]") {
  Served s({"--watch", "--removal-grace", "30"});
  const std::string text = read_file(s.s26_2016());
  fs::remove(s.s26_2016());
  REQUIRE(eventually([&] { return s.status()["status"] == "removal_pending"; }, std::chrono::seconds(5)));
  write_file(s.s26_2016(), text);
  REQUIRE(eventually([&] { return s.status()["status"] == "ok"; }, std::chrono::seconds(5)));
  CHECK(s.status()["last_removal"].is_null());
  CHECK(s.metric_value("rulebook_policy_versions_removed_total") == 0);
  CHECK(s.decide_2016() == 200);
}

TEST_CASE("reload: an explicit reload that removes a version takes effect at once and says so", "[faults][reload]") {
  Served s({});
  fs::remove(s.s26_2016());
  const auto r = s.http->Post("/v1/reload", {{"Authorization", std::string("Bearer ") + kToken}}, "", "application/json");
  REQUIRE(r->status == 200);
  CHECK(s.decide_2016() == 422);
  const json st = s.status();
  CHECK(st["last_removal"]["versions"] == json::array({{{"id", "aps.s26"}, {"version", "2016"}}}));
  CHECK(s.metric_value("rulebook_policy_versions_removed_total") == 1);
}

TEST_CASE("reload errors name files relative to the policies folder, in messages too", "[faults][reload]") {
  Served s({});
  // A second copy of the 2022 version: "is also defined in <file>" names the other file.
  fs::copy_file(s.s26_2022, s.s26_2022.parent_path() / "copy.rules");
  const auto r = s.http->Post("/v1/reload", {{"Authorization", std::string("Bearer ") + kToken}}, "", "application/json");
  REQUIRE(r->status == 422);
  const std::string folder = (s.dir / "policies").string();
  INFO(r->body);
  CHECK(r->body.find(folder) == std::string::npos);
  CHECK_THAT(r->body, Catch::Contains("aps/s26-2022.rules"));
  const std::string status = s.http->Get("/v1/status")->body;
  INFO(status);
  CHECK(status.find(folder + "/") == std::string::npos);  // (policies_dir itself is shown as given)
}

TEST_CASE("decision log: a full disk leaves whole lines, fails readiness, and recovers", "[faults][log]") {
  // RLIMIT_FSIZE makes writes past 4000 bytes fail (EFBIG), part-way for the
  // line that crosses it: a full disk, without root. (The old server was
  // killed by SIGXFSZ here; with the signal ignored, it left half a line.)
  TempDir logs;
  const fs::path log = logs / "decisions.log";
  Served s({"--decision-log", log.string()}, 4000);
  REQUIRE(s.http->Get("/readyz")->status == 200);
  CHECK(body_json(s.http->Get("/readyz")) == json({{"status", "ready"}, {"problems", json::array()}}));
  int answered = 0;
  int refused = 0;
  for (int k = 0; k < 20 && refused == 0; ++k) {
    const int status = s.decide();
    answered += status == 200;
    refused += status == 500;
  }
  REQUIRE(refused == 1);
  REQUIRE(answered >= 1);
  check_whole_lines(log);
  CHECK(lines_of(log).size() == static_cast<std::size_t>(answered));  // every answered decision, nothing else
  CHECK(s.decide() == 500);  // still full
  check_whole_lines(log);

  const auto ready = s.http->Get("/readyz");
  CHECK(ready->status == 503);
  const json j = body_json(ready);
  CHECK(j["status"] == "not_ready");
  REQUIRE(j["problems"].size() == 1);
  CHECK(j["problems"][0]["check"] == "decision_log");
  CHECK_THAT(j["problems"][0]["problem"].get<std::string>(), Catch::Contains("File too large"));
  CHECK(s.http->Get("/healthz")->status == 200);  // alive, not ready
  CHECK(s.status()["decision_log_error"].get<std::string>().find("File too large") != std::string::npos);
  CHECK(s.metric_value("rulebook_decision_log_write_failures_total") == 2);

  // Space comes back: the next decision is written, and the replica is ready again.
  rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
  rlimit old{};
  REQUIRE(::prlimit(s.server->pid(), RLIMIT_FSIZE, nullptr, &old) == 0);
  unlimited.rlim_max = old.rlim_max;
  unlimited.rlim_cur = old.rlim_max;
  REQUIRE(::prlimit(s.server->pid(), RLIMIT_FSIZE, &unlimited, nullptr) == 0);
  CHECK(s.decide() == 200);
  check_whole_lines(log);
  CHECK(lines_of(log).size() == static_cast<std::size_t>(answered) + 1);
  CHECK(s.http->Get("/readyz")->status == 200);
}

TEST_CASE("decision log: a deleted or moved log file is noticed and a new one is written at the path",
          "[faults][log]") {
  TempDir logs;
  const fs::path log = logs / "decisions.log";
  Served s({"--decision-log", log.string()});
  REQUIRE(s.decide() == 200);
  REQUIRE(lines_of(log).size() == 1);

  SECTION("deleted") {
    fs::remove(log);
    REQUIRE(s.decide() == 200);
    REQUIRE(fs::exists(log));  // the old server kept writing into the deleted file
    CHECK(lines_of(log).size() == 1);
  }
  SECTION("moved away (logrotate without copytruncate), without SIGHUP") {
    fs::rename(log, logs / "decisions.log.1");
    REQUIRE(s.decide() == 200);
    REQUIRE(fs::exists(log));
    CHECK(lines_of(log).size() == 1);
    CHECK(lines_of(logs / "decisions.log.1").size() == 1);
  }
  SECTION("SIGHUP reopens at once") {
    fs::rename(log, logs / "decisions.log.1");
    REQUIRE(::kill(s.server->pid(), SIGHUP) == 0);
    CHECK(eventually([&] { return fs::exists(log); }, std::chrono::seconds(3)));
    CHECK(lines_of(log).empty());
    REQUIRE(s.decide() == 200);
    CHECK(lines_of(log).size() == 1);
    CHECK(lines_of(logs / "decisions.log.1").size() == 1);
    CHECK(s.http->Get("/healthz")->status == 200);  // SIGHUP does not stop the server
  }
}

// Reloading: POST /v1/reload and its token, --watch, a broken set never
// replacing the last good one, and requests during reloads never seeing a mix.
#include <atomic>
#include <catch2/catch.hpp>
#include <regex>
#include <thread>

#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;

namespace {

constexpr const char* kToken = "test-token-8f2c";
constexpr const char* kCite = R"~(cite "PS Act s26")~";

struct Running {
  TempDir dir;
  std::filesystem::path s26_2022;
  std::unique_ptr<ServerProcess> server;
  std::unique_ptr<Http> http;

  Running(std::vector<std::string> extra, std::vector<std::pair<std::string, std::string>> env) {
    s26_2022 = copy_aps_s26(dir / "policies");
    std::vector<std::string> args = {"--policies", (dir / "policies").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    server = std::make_unique<ServerProcess>(ServeOptions{args, env});
    http = server->client();
  }

  Answer reload(const std::string& token = kToken) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return http->Post("/v1/reload", h, "", "application/json");
  }

  json decide() {
    const auto r = http->Post("/v1/decide/aps.s26", sarah_request().dump(), "application/json");
    REQUIRE(r->status == 200);
    return body_json(r);
  }

  json status() { return body_json(http->Get("/v1/status")); }
};

std::string first_cite(const json& decision) { return decision["fired"][0]["cite"]; }

}  // namespace

TEST_CASE("reload: refused with 403 when RULEBOOK_ADMIN_TOKEN is not set", "[reload]") {
  Running s({}, {});
  const auto r = s.reload();
  REQUIRE(r);
  CHECK(r->status == 403);
  CHECK(body_json(r)["error"]["code"] == "forbidden");
  CHECK(s.reload("")->status == 403);
}

TEST_CASE("reload: needs Authorization: Bearer <token> when the token is set", "[reload]") {
  Running s({}, {{"RULEBOOK_ADMIN_TOKEN", kToken}});
  for (const std::string token : {std::string(""), std::string("wrong"), std::string(kToken) + "x",
                                  std::string(kToken).substr(1)}) {
    const auto r = s.reload(token);
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(body_json(r)["error"]["code"] == "unauthorized");
    CHECK(r->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0);
  }
  httplib::Headers basic{{"Authorization", std::string("Basic ") + kToken}};
  CHECK(s.http->Post("/v1/reload", basic, "", "application/json")->status == 401);

  const auto ok = s.reload();
  REQUIRE(ok);
  CHECK(ok->status == 200);
  const json j = body_json(ok);
  CHECK(j["status"] == "reloaded");
  CHECK(j["policies_loaded"].get<int>() >= 1);
  CHECK(j["generation"] == 2);
}

TEST_CASE("reload: a good edit takes effect, a broken edit keeps the old set serving, a fix recovers", "[reload]") {
  Running s({}, {{"RULEBOOK_ADMIN_TOKEN", kToken}});
  const json before = s.decide();
  const std::string hash0 = before["policy"]["hash"];
  CHECK(first_cite(before) == "PS Act s26");
  CHECK(s.status()["last_reload_error"].is_null());

  // A good edit: a new citation, so a new hash.
  edit_file(s.s26_2022, kCite, R"~(cite "PS Act s26 (edited)")~");
  const auto good = s.reload();
  REQUIRE(good->status == 200);
  const json edited = s.decide();
  const std::string hash1 = edited["policy"]["hash"];
  CHECK(hash1 != hash0);
  CHECK(first_cite(edited) == "PS Act s26 (edited)");
  CHECK(s.status()["last_reload_error"].is_null());

  // A broken edit: the reload fails with file:line:col, the edited set keeps serving.
  edit_file(s.s26_2022, "  then outcome = awaiting_agreement", "  then outcome = awaiting_agreement +");
  const auto broken = s.reload();
  REQUIRE(broken);
  CHECK(broken->status == 422);
  const json b = body_json(broken);
  CHECK(b["error"]["code"] == "reload_failed");
  REQUIRE(!b["error"]["details"].empty());
  CHECK(std::regex_match(b["error"]["details"][0]["path"].get<std::string>(),
                         std::regex(R"(aps/s26-2022\.rules:\d+:\d+)")));

  const json still = s.decide();
  CHECK(still["policy"]["hash"] == hash1);
  CHECK(first_cite(still) == "PS Act s26 (edited)");
  const json st = s.status();
  CHECK(st["status"] == "reload_failed");
  REQUIRE(st["last_reload_error"].is_object());
  const std::string message = st["last_reload_error"]["message"];
  INFO(message);
  CHECK(std::regex_search(message, std::regex(R"(^aps/s26-2022\.rules:\d+:\d+: error: )")));
  CHECK(st["policies"][0].contains("hash"));
  CHECK(st["failed_reloads"] == 1);
  CHECK(st["reloads"] == 1);

  const std::string metrics = s.http->Get("/metrics")->body;
  CHECK(metric(metrics, "rulebook_policy_reloads_total") == 1);
  CHECK(metric(metrics, "rulebook_policy_reload_failures_total") == 1);

  // A file the version does not use changes: its hash does not.
  edit_file(s.s26_2022, "  then outcome = awaiting_agreement +", "  then outcome = awaiting_agreement");
  write_file(s.dir / "policies" / "unused.rules", "module test.unused \"Not used by aps.s26\"\n\ntype colour = one of red, green\n");
  REQUIRE(s.reload()->status == 200);
  CHECK(s.decide()["policy"]["hash"] == hash1);
  edit_file(s.s26_2022, "  then outcome = awaiting_agreement", "  then outcome = awaiting_agreement +");
  REQUIRE(s.reload()->status == 422);

  // The fix: back to good, the error is gone.
  edit_file(s.s26_2022, "  then outcome = awaiting_agreement +", "  then outcome = awaiting_agreement");
  REQUIRE(s.reload()->status == 200);
  CHECK(s.decide()["policy"]["hash"] == hash1);  // the same files as the good edit: the same hash
  const json fixed = s.status();
  CHECK(fixed["status"] == "ok");
  CHECK(fixed["last_reload_error"].is_null());
  CHECK(fixed["reloads"] == 3);
  CHECK(fixed["failed_reloads"] == 2);
}

TEST_CASE("watch: an edit is picked up within 2 s, a broken one is reported and the old set serves", "[reload][watch]") {
  Running s({"--watch"}, {});
  const std::string hash0 = s.decide()["policy"]["hash"];
  const std::string loaded0 = s.status()["loaded_at"];

  const auto wait_for = [&](auto done) {
    const auto start = std::chrono::steady_clock::now();
    while (!done()) {
      if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(2000)) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  };

  edit_file(s.s26_2022, kCite, R"~(cite "PS Act s26 (watched)")~");
  std::string hash1;
  CHECK(wait_for([&] {
    const json d = s.decide();
    hash1 = d["policy"]["hash"];
    return first_cite(d) == "PS Act s26 (watched)";
  }));
  CHECK(hash1 != hash0);
  CHECK(s.status()["loaded_at"] != loaded0);

  // A module the policy uses changes: its hash changes too.
  const auto facts_file = s.s26_2022.parent_path() / "s26-facts.rules";
  edit_file(facts_file, "\"employment status\"", "\"employment status (edited)\"");
  std::string hash2;
  CHECK(wait_for([&] {
    hash2 = s.decide()["policy"]["hash"];
    return hash2 != hash1;
  }));

  // A broken edit: reported in /v1/status, the last good set keeps answering.
  edit_file(s.s26_2022, "  then outcome = awaiting_agreement", "  then outcome = awaiting_agreement +");
  CHECK(wait_for([&] { return s.status()["last_reload_error"].is_object(); }));
  CHECK(std::regex_search(s.status()["last_reload_error"]["message"].get<std::string>(),
                          std::regex(R"(aps/s26-2022\.rules:\d+:\d+: error: )")));
  CHECK(s.decide()["policy"]["hash"] == hash2);

  // The fix.
  edit_file(s.s26_2022, "  then outcome = awaiting_agreement +", "  then outcome = awaiting_agreement");
  CHECK(wait_for([&] { return s.status()["last_reload_error"].is_null(); }));
  CHECK(s.decide()["policy"]["hash"] == hash2);
}

TEST_CASE("reload: concurrent requests during repeated reloads never fail and never see a mix", "[reload][concurrency]") {
  Running s({"--threads", "16"}, {{"RULEBOOK_ADMIN_TOKEN", kToken}});
  const std::string original = read_file(s.s26_2022);
  // Two good variants of the 2022 file that differ in a citation and so in hash.
  std::string variant_b = original;
  variant_b.replace(variant_b.find(kCite), std::string(kCite).size(), R"~(cite "PS Act s26 B")~");

  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::atomic<int> failures{0};
  std::mutex seen_mutex;
  std::map<std::string, std::string> cite_of_hash;  // must stay a function: one cite per hash
  std::vector<std::string> problems;

  const auto note = [&](const std::string& what) {
    std::lock_guard lock(seen_mutex);
    if (problems.size() < 20) problems.push_back(what);
    failures++;
  };

  json batch = {{"cases", json::array()}};
  for (int k = 0; k < 4; ++k) batch["cases"].push_back(sarah_request());
  const std::string batch_body = batch.dump();

  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto http = raw_client(s.server->port());
      while (!stop) {
        if (t == 3) {  // one client reads the policy list
          const auto r = http->Get("/v1/policies");
          if (!r || r->status != 200) note("GET /v1/policies failed");
          requests++;
          continue;
        }
        const auto r = http->Post("/v1/decide/aps.s26/batch", batch_body, "application/json");
        requests++;
        if (!r || r->status != 200) {
          note("batch failed: " + (r ? std::to_string(r->status) + " " + r->body : std::string("no response")));
          continue;
        }
        const json j = json::parse(r->body, nullptr, false);
        std::set<std::string> hashes;
        for (const auto& result : j["results"]) {
          if (!result.contains("policy")) {
            note("a case failed: " + result.dump());
            continue;
          }
          const std::string hash = result["policy"]["hash"];
          const std::string cite = result["fired"][0]["cite"];
          hashes.insert(hash);
          std::lock_guard lock(seen_mutex);
          const auto [it, fresh] = cite_of_hash.emplace(hash, cite);
          if (it->second != cite) problems.push_back("hash " + hash + " with two citations");
        }
        if (hashes.size() != 1) note("one batch saw " + std::to_string(hashes.size()) + " sets");
      }
    });
  }

  // At least 2 s and enough of both to mean something, however slow the
  // machine (sanitizer builds are several times slower); at most 30 s.
  int reloads = 0;
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::steady_clock::now() - started; };
  while ((elapsed() < std::chrono::seconds(2) || reloads < 8 || requests < 100) && elapsed() < std::chrono::seconds(30)) {
    write_file(s.s26_2022, reloads % 2 == 0 ? variant_b : original);
    const auto r = s.reload();
    REQUIRE(r);
    CHECK(r->status == 200);
    ++reloads;
  }
  stop = true;
  for (auto& c : clients) c.join();

  std::string all_problems;
  for (const auto& p : problems) all_problems += p + "\n";
  INFO("requests " << requests << ", reloads " << reloads << "\n" << all_problems);
  CHECK(failures == 0);
  CHECK(problems.empty());
  CHECK(reloads >= 8);
  CHECK(requests >= 100);
  CHECK(cite_of_hash.size() == 2);  // both variants were seen, each with its own hash
  CHECK(s.status()["reloads"] == reloads);
}

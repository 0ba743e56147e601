// Decisions hammered from several threads while the policies reload in a
// loop, through the same objects the server uses (PolicyStore snapshots,
// decide/decide_batch, Metrics, RequestIds, DecisionLog). Every answer must
// be right whichever set it saw; .ci/hardening runs this binary under
// ThreadSanitizer, which must find no race.
#include <catch2/catch.hpp>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "robustness.hpp"
#include "server/decision_log.hpp"
#include "server/metrics.hpp"
#include "server/policy_store.hpp"
#include "server/request_ids.hpp"

using namespace robust;
using nlohmann::json;

namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Replaces a file the way editors do: a sibling renamed over it.
void replace(const fs::path& p, const std::string& text) {
  const fs::path tmp = p.parent_path() / (".tmp-" + p.filename().string());
  std::ofstream(tmp, std::ios::binary) << text;
  fs::rename(tmp, p);
}

}  // namespace

TEST_CASE("decisions from several threads while the policies reload in a loop") {
  Folder folder;
  fs::copy(source_dir() + "/policies", folder.path(), fs::copy_options::recursive);
  const fs::path s26 = folder.path() / "aps" / "s26-2022.rules";
  const std::string good = read(s26);
  REQUIRE(good.find("rule right-of-return") != std::string::npos);
  // Another good version (a rule's title changes, so the hash does) and a broken one.
  std::string retitled = good;
  retitled.replace(retitled.find("\"At the end of a temporary move"), 1, "\"(retitled) ");
  const std::string broken = good + "\nrule broken \"x\"\n  when nothing_like_this\n  then outcome = approved\n";

  server::PolicyStore store(folder.str());
  REQUIRE(store.reload().ok);
  server::Metrics metrics;
  server::RequestIds ids;
  server::DecisionLog log((folder.path() / "decisions.log").string());
  REQUIRE(log.is_open());

  constexpr int kReloads = 12;
  constexpr int kDeciders = 4;
  std::atomic<bool> done{false};
  std::atomic<int> decisions{0}, wrong{0};
  std::vector<std::string> failures(kDeciders);

  std::thread reloader([&] {
    int failed = 0;
    for (int k = 0; k < kReloads; ++k) {
      replace(s26, k % 3 == 0 ? good : k % 3 == 1 ? retitled : broken);
      const server::ReloadOutcome r = store.reload();
      if (!r.ok) ++failed;
      (void)store.status();
      (void)metrics.render(store.status());
    }
    replace(s26, good);
    CHECK(store.reload().ok);
    CHECK(failed == kReloads / 3);
    done = true;
  });

  std::vector<std::thread> deciders;
  for (int t = 0; t < kDeciders; ++t) {
    deciders.emplace_back([&, t] {
      RequestContext ctx = context();
      ctx.want_log_line = true;
      ctx.now_iso = "2026-03-02T00:00:00.000Z";
      const std::string batch = std::string(R"({"cases": [)") + kSarah + "," + kSarah + "]}";
      // At least a few rounds even if the reloads finish first.
      for (int round = 0; !done || round < 20; ++round) {
        const auto snapshot = store.current();
        ctx.request_id = ids.next();
        const bool as_batch = round % 4 == 3;
        const DecideResult r = as_batch ? decide_batch(*snapshot->set, "aps.s26", batch, Limits{}, ctx)
                                        : decide(*snapshot->set, "aps.s26", kSarah, Limits{}, ctx);
        metrics.count_request(as_batch ? "/v1/decide/{policy_id}/batch" : "/v1/decide/{policy_id}", "POST",
                              r.response.status);
        metrics.observe_decision(as_batch, 0.001);
        if (!log.append(r.log_lines)) ++wrong;
        const json body = json::parse(r.response.body, nullptr, false);
        const json& decision = as_batch ? body["results"][1]["decision"] : body["decision"];
        if (r.response.status != 200 || decision.value("outcome", "") != "approved" ||
            decision.value("date_of_effect", "") != "2026-03-30") {
          if (wrong++ == 0) failures[t] = r.response.body.substr(0, 500);
        }
        ++decisions;
      }
    });
  }
  reloader.join();
  for (auto& d : deciders) d.join();
  for (const auto& f : failures) {
    INFO(f);
    CHECK(f.empty());
  }
  CHECK(wrong == 0);
  CHECK(decisions >= kDeciders * 20);
  const auto status = store.status();
  CHECK(status.failed_reloads == kReloads / 3);
  CHECK(status.reloads == static_cast<uint64_t>(kReloads - kReloads / 3 + 1));
  // Every decision's log line arrived whole.
  std::istringstream lines(read(folder.path() / "decisions.log"));
  std::string line;
  int logged = 0;
  while (std::getline(lines, line)) {
    INFO(line.substr(0, 200));
    REQUIRE_FALSE(json::parse(line, nullptr, false).is_discarded());
    ++logged;
  }
  CHECK(logged >= decisions.load());
}

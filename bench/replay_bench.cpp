// `rulebook diff --log` replay speed (issue 17: 1,000,000 logged decisions
// against two sets in under 10 s). Makes BASE (the shipped policies) and NEW
// (a copy with aps.s26's 4-week notice changed to 6 weeks), writes a decision
// log of N lines made by the decision API itself (1000 distinct requests:
// notice dates and move kinds vary), then times replaying the file.
//   replay_bench [N] (default 1000000)
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "impact/sources.hpp"
#include "rulebook/api.hpp"

namespace fs = std::filesystem;
using namespace rulebook;

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoull(argv[1]) : 1000000;
  const fs::path work = fs::temp_directory_path() / ("rulebook-replay-bench-" + std::to_string(::getpid()));
  const fs::path base_dir = fs::path(RULEBOOK_SOURCE_DIR) / "policies";
  const fs::path new_dir = work / "policies";
  fs::create_directories(work);
  fs::copy(base_dir, new_dir, fs::copy_options::recursive);
  {
    const fs::path rules = new_dir / "aps" / "s26-2022.rules";
    std::ifstream in(rules);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    const std::string from = "dates.notice_given_on + 4 weeks", to = "dates.notice_given_on + 6 weeks";
    text.replace(text.find(from), from.size(), to);
    std::ofstream(rules) << text;
  }
  LoadOptions load;
  load.module_search_dir = base_dir.string();
  const auto base = load_policies({base_dir.string()}, load).set;
  load.module_search_dir = new_dir.string();
  const auto next = load_policies({new_dir.string()}, load).set;
  if (!base || !next) {
    std::cerr << "replay_bench: the policies do not compile\n";
    return 1;
  }

  // The log: 1000 distinct decisions, as the server logs them, repeated.
  std::vector<std::string> lines;
  const char* kinds[] = {"ongoing", "ongoing", "temporary"};
  for (int k = 0; k < 1000; ++k) {
    const std::string date = format_iso_date(Date{date_from_ymd({2025, 1, 1}).days + k});
    const std::string body =
        std::string(R"({"as_of": ")") + date + R"(", "facts": {"employee": {"employment": "ongoing", "classification": "APS6", "on_temporary_transfer": )" +
        (k % 2 ? "true" : "false") + R"(}, "move": {"kind": ")" + kinds[k % 3] +
        R"(", "from_agency": "Finance", "to_agency": "Social Services", "to_classification": "APS6"}, "agreement": {"employee": true, "gaining_head": true}, "dates": {"notice_given_on": ")" +
        date + R"("}}})";
    RequestContext ctx;
    ctx.want_log_line = true;
    ctx.now_iso = date + "T09:00:00Z";
    ctx.request_id = "bench-" + std::to_string(k);
    auto r = decide(*base, "aps.s26", body, Limits{}, ctx);
    if (r.log_lines.size() != 1) {
      std::cerr << "replay_bench: no log line for case " << k << ": " << r.response.body << "\n";
      return 1;
    }
    lines.push_back(r.log_lines[0]);
  }
  const fs::path log = work / "decisions.jsonl";
  {
    std::ofstream f(log, std::ios::binary);
    for (std::size_t k = 0; k < n; ++k) f << lines[k % lines.size()] << '\n';
  }
  const auto bytes = fs::file_size(log);

  impact::Replayer replayer(*base, *next);
  impact::LogStats stats;
  const auto start = std::chrono::steady_clock::now();
  {
    std::ifstream in(log, std::ios::binary);
    impact::replay_log(in, log.string(), replayer, stats);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fs::remove_all(work);

  const auto& t = replayer.tally();
  std::printf("replayed %zu logged decisions (%.0f MB) against two sets in %.2f s: %.2f us each, %zu changed, %zu unreadable\n",
              t.cases[1], static_cast<double>(bytes) / 1e6, seconds, seconds * 1e6 / static_cast<double>(n),
              t.changed, stats.unreadable);
  std::printf("1,000,000 decisions: %.1f s (target < 10 s)\n", seconds * 1e6 / static_cast<double>(n));
  return stats.unreadable == 0 && t.cases[1] == n ? 0 : 1;
}

// Helpers shared by the `rulebook diff` tests: running the verb in process,
// files, and BASE/NEW folders made from the shipped policies with one edit.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "cli/cli.hpp"
#include "rulebook/api.hpp"

namespace diff_test {

namespace fs = std::filesystem;

inline const std::string kPolicies = std::string(RULEBOOK_SOURCE_DIR) + "/policies";

struct Run {
  int code = -1;
  std::string out, err;
};

inline Run run_diff(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Run r;
  r.code = rulebook::cli::diff(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

inline std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

inline void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

inline std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// BASE: a copy of the shipped policies; NEW: the same with one edit.
struct Edited {
  fs::path root, base, next;
  Edited() {
    static int counter = 0;
    root = fs::temp_directory_path() / ("rulebook-diff-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    base = root / "base";
    next = root / "new";
    fs::create_directories(root);
    fs::copy(kPolicies, base, fs::copy_options::recursive);
    fs::copy(kPolicies, next, fs::copy_options::recursive);
    const fs::path rules = next / "aps" / "s26-2022.rules";
    std::string text = read(rules);
    // The notice period is a dated parameter (issue 14): the edit is its entry.
    const std::string from = "from 2022-02-01: 4 weeks";
    REQUIRE(text.find(from) != std::string::npos);
    text.replace(text.find(from), from.size(), "from 2022-02-01: 6 weeks");
    write(rules, text);
  }
  ~Edited() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  // The report with the temporary folder written as $TMP.
  std::string shown(const std::string& report) const { return replace_all(report, root.string(), "$TMP"); }
};

inline const char* kSarah =
    R"({"employee": {"employment": "ongoing", "classification": "APS6", "on_temporary_transfer": true}, )"
    R"("move": {"kind": "ongoing", "from_agency": "Finance", "to_agency": "Social Services", "to_classification": "APS6"}, )"
    R"("agreement": {"employee": true, "gaining_head": true}, "dates": {"notice_given_on": "NOTICE"}})";

inline std::string sarah(const std::string& notice) { return replace_all(kSarah, "NOTICE", notice); }

// The report for make_log's five decisions (three of which the edit changes).
inline std::string expected_report(const std::string& base_label, const std::string& new_label) {
  const std::string facts1 = nlohmann::ordered_json::parse(sarah("2026-03-02")).dump();
  const std::string facts4 = nlohmann::ordered_json::parse(sarah("2026-03-09")).dump();
  return "rulebook diff: " + base_label + " → " + new_label + "\n"
         "aps.s26 2022: parameter notice_period edited (aps/s26-2022.rules:235)\n"
         "    entry 1: from 2022-02-01: 4 weeks → from 2022-02-01: 6 weeks\n"
         "replayed 5 cases (0 scenarios, 5 logged decisions, 0 generated cases): 3 changed\n"
         "skipped 1 log line that is not a decision; the first: $TMP/decisions.jsonl:4: not JSON: column 1: "
         "invalid literal 'not'; expected a value (true, false, null, a number, a string, an array or an object)\n"
         "\n"
         "aps.s26: 3 of 5 decisions changed\n"
         "  date_of_effect: 2026-03-30 → 2026-04-13: 2 decisions\n"
         "    e.g. $TMP/decisions.jsonl:1 (as of 2026-03-02, version 2022)\n"
         "      facts " + facts1 + "\n"
         "      set by four-weeks-after-notice on both sides\n"
         "  date_of_effect: 2026-04-06 → 2026-04-20: 1 decision\n"
         "    e.g. $TMP/decisions.jsonl:6 (as of 2026-03-09, version 2022)\n"
         "      facts " + facts4 + "\n"
         "      set by four-weeks-after-notice on both sides\n";
}

// A decision log as `serve --decision-log` writes it, made by the decision API over BASE.
inline std::string make_log(const fs::path& policies) {
  rulebook::LoadOptions load;
  load.module_search_dir = policies.string();
  const auto set = rulebook::load_policies({policies.string()}, load).set;
  REQUIRE(set);
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"2026-03-02", sarah("2026-03-02")},  // 4 weeks: changes
      {"2019-03-04", sarah("2019-03-04")},  // version 2016 answers: no change
      {"2026-03-09", replace_all(sarah("2026-03-09"), "\"kind\": \"ongoing\"", "\"kind\": \"temporary\"")},
      {"2026-03-09", sarah("2026-03-09")},  // changes
      {"2026-03-02", sarah("2026-03-02")},  // the first again: counted twice
  };
  std::string log;
  int k = 0;
  for (const auto& [as_of, facts] : requests) {
    rulebook::RequestContext ctx;
    ctx.want_log_line = true;
    ctx.request_id = "req-" + std::to_string(++k);
    ctx.now_iso = as_of + "T09:00:00Z";
    const auto r = rulebook::decide(*set, "aps.s26", "{\"as_of\": \"" + as_of + "\", \"facts\": " + facts + "}", rulebook::Limits{}, ctx);
    REQUIRE(r.response.status == 200);
    REQUIRE(r.log_lines.size() == 1);
    log += r.log_lines[0] + "\n";
    if (k == 2) log += "\nnot a decision\n";  // a blank line is skipped; a bad one is counted
  }
  return log;
}

}  // namespace diff_test

// rulebook diff's reports (docs/impact.md): --format json read back value by
// value, --format markdown as exact text for a small edited policy,
// --fail-on-change's exit codes, the bound on the pairs kept per output, and
// bad command lines.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "diff_helpers.hpp"

using namespace diff_test;
using json = nlohmann::json;

namespace {

const fs::path kBonus = fs::path(IMPACT_FIXTURES) / "policies";

// A scratch folder removed afterwards.
struct Scratch {
  fs::path root;
  Scratch() {
    static int counter = 0;
    root = fs::temp_directory_path() /
           ("rulebook-diff-report-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(root);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  std::string shown(const std::string& report) const { return replace_all(report, root.string(), "$TMP"); }
};

// The bonus fixture (tests/impact/fixtures/policies/bonus.rules) in `dir`, with `from` replaced by `to`.
fs::path bonus_copy(const fs::path& dir, const std::string& from, const std::string& to) {
  fs::create_directories(dir);
  const std::string text = read(kBonus / "bonus.rules");
  const std::string edited = from.empty() ? text : replace_all(text, from, to);
  REQUIRE((from.empty() || edited != text));
  write(dir / "bonus.rules", edited);
  return dir;
}

std::string bonus_line(int years, const std::string& rating, bool on_leave = false) {
  return R"({"policy": "test.bonus", "as_of": "2026-01-01", "facts": {"employee": {"years": )" + std::to_string(years) +
         R"(, "rating": ")" + rating + "\"" + (on_leave ? R"(, "on_leave": true)" : "") + "}}}\n";
}

}  // namespace

TEST_CASE("rulebook diff --format json gives the changes per policy and output, with counts and examples") {
  Edited e;
  write(e.root / "decisions.jsonl", make_log(e.base));
  const Run r = run_diff({e.base.string(), e.next.string(), "--log", (e.root / "decisions.jsonl").string(),
                          "--format", "json"});
  CHECK(r.code == rulebook::cli::kOk);
  CHECK(r.err == "");
  const json j = json::parse(r.out);
  CHECK(j["base"] == e.base.string());
  CHECK(j["new"] == e.next.string());
  CHECK(j["cases"] == json({{"scenarios", 0}, {"logged", 5}, {"generated", 0}}));
  CHECK(j["changed"] == 3);
  CHECK(j["rules"] == json::parse(R"([{"policy": "aps.s26", "version": "2022", "rule": "notice_period",
      "item": "parameter", "change": "edited", "where": "aps/s26-2022.rules:235",
      "details": ["entry 1: from 2022-02-01: 4 weeks → from 2022-02-01: 6 weeks"]}])"));
  CHECK(j["log_lines_skipped"] == 1);
  CHECK(j["first_log_problem"] == (e.root / "decisions.jsonl").string() +
                                      ":4: not JSON: column 1: invalid literal 'not'; expected a value (true, false, "
                                      "null, a number, a string, an array or an object)");
  REQUIRE(j["policies"].size() == 1);
  const json& p = j["policies"][0];
  CHECK(p["policy"] == "aps.s26");
  CHECK(p["decisions"] == 5);
  CHECK(p["changed"] == 3);
  REQUIRE(p["outputs"].size() == 1);
  const json& o = p["outputs"][0];
  CHECK(o["output"] == "date_of_effect");
  CHECK(o["other_changes"] == 0);
  CHECK(o["other_decisions"] == 0);
  REQUIRE(o["changes"].size() == 2);
  const json& first = o["changes"][0];
  CHECK(first["old"] == "2026-03-30");
  CHECK(first["new"] == "2026-04-13");
  CHECK(first["count"] == 2);
  CHECK(first["example"]["origin"] == (e.root / "decisions.jsonl").string() + ":1");
  CHECK(first["example"]["as_of"] == "2026-03-02");
  CHECK(first["example"]["old_version"] == "2022");
  CHECK(first["example"]["new_version"] == "2022");
  CHECK(first["example"]["facts"] == json::parse(sarah("2026-03-02")));
  CHECK(first["example"]["set_by_old"] == "four-weeks-after-notice");
  CHECK(first["example"]["set_by_new"] == "four-weeks-after-notice");
  CHECK(first["example"]["fired_only_old"] == json::array());
  CHECK(first["example"]["fired_only_new"] == json::array());
  const json& second = o["changes"][1];
  CHECK(second["old"] == "2026-04-06");
  CHECK(second["new"] == "2026-04-20");
  CHECK(second["count"] == 1);
  CHECK(second["example"]["origin"] == (e.root / "decisions.jsonl").string() + ":6");
  CHECK(second["example"]["as_of"] == "2026-03-09");
  CHECK(second["example"]["facts"] == json::parse(sarah("2026-03-09")));
}

TEST_CASE("rulebook diff --format markdown is a pull-request comment: exact text for a small edited policy") {
  Scratch s;
  const fs::path base = bonus_copy(s.root / "base", "", "");
  const fs::path next = bonus_copy(s.root / "new", "when employee.years >= 5", "when employee.years >= 6");
  write(s.root / "log.jsonl", bonus_line(5, "good") + bonus_line(10, "good") + bonus_line(5, "good") +
                                  bonus_line(5, "good", true) + bonus_line(2, "excellent"));
  const Run r = run_diff({base.string(), next.string(), "--log", (s.root / "log.jsonl").string(), "--format", "markdown"});
  CHECK(r.code == rulebook::cli::kOk);
  CHECK(r.err == "");
  CHECK(s.shown(r.out) ==
        "### rulebook diff: `$TMP/base` → `$TMP/new`\n"
        "\n"
        "replayed 5 cases (0 scenarios, 5 logged decisions, 0 generated cases): 2 changed.\n"
        "\n"
        "| policy | version | rule | change | where |\n"
        "|---|---|---|---|---|\n"
        "| test.bonus | 1 | long-service | edited<br>condition 1: employee.years >= 5 → employee.years >= 6 | "
        "`bonus.rules:16` |\n"
        "\n"
        "#### test.bonus: 2 of 5 decisions changed\n"
        "\n"
        "| output | old | new | decisions | example |\n"
        "|---|---|---|---:|---|\n"
        "| `bonus` | `small` | `none` | 2 | $TMP/log.jsonl:1 (as of 2026-01-01, version 1)<br>"
        "set by long-service before, by no rule now; fired before only: long-service<br>"
        "<code>{\"employee\":{\"years\":5,\"rating\":\"good\"}}</code> |\n");

  // Nothing changed: the Markdown says so.
  const Run same = run_diff({base.string(), base.string(), "--log", (s.root / "log.jsonl").string(), "--format", "markdown"});
  CHECK(same.code == rulebook::cli::kOk);
  CHECK(s.shown(same.out) ==
        "### rulebook diff: `$TMP/base` → `$TMP/base`\n"
        "\n"
        "replayed 5 cases (0 scenarios, 5 logged decisions, 0 generated cases): 0 changed.\n"
        "\n"
        "No rule was added, removed or edited.\n"
        "\n"
        "No decision changed.\n");
}

TEST_CASE("rulebook diff --fail-on-change exits 1 when a decision or a rule changed, 0 when nothing did") {
  Scratch s;
  const fs::path base = bonus_copy(s.root / "base", "", "");
  const fs::path boundary = bonus_copy(s.root / "boundary", "when employee.years >= 5", "when employee.years >= 6");
  const fs::path title = bonus_copy(s.root / "title", "\"An excellent rating earns a large bonus, and a review\"",
                                    "\"An excellent rating earns a large bonus and a review\"");
  const std::string log = (s.root / "log.jsonl").string();
  write(log, bonus_line(5, "good") + bonus_line(2, "excellent"));

  // A decision changed.
  CHECK(run_diff({base.string(), boundary.string(), "--log", log, "--fail-on-change"}).code == rulebook::cli::kFailed);
  CHECK(run_diff({base.string(), boundary.string(), "--log", log}).code == rulebook::cli::kOk);
  // A rule edited (its title) but no decision changed: still a change.
  const Run edited = run_diff({base.string(), title.string(), "--log", log, "--fail-on-change"});
  CHECK(edited.code == rulebook::cli::kFailed);
  CHECK(edited.out.find("replayed 2 cases (0 scenarios, 2 logged decisions, 0 generated cases): 0 changed\n") !=
        std::string::npos);
  // Nothing changed.
  CHECK(run_diff({base.string(), bonus_copy(s.root / "copy", "", "").string(), "--log", log, "--fail-on-change"})
            .code == rulebook::cli::kOk);
  // A side that does not compile: 1, with its errors.
  const fs::path broken = bonus_copy(s.root / "broken", "then bonus = small", "then bonus = enormous");
  const Run bad = run_diff({base.string(), broken.string(), "--log", log});
  CHECK(bad.code == rulebook::cli::kFailed);
  CHECK(bad.out == "");
  CHECK(s.shown(bad.err).find("rulebook diff: the policies of $TMP/broken do not compile\n") != std::string::npos);
}

TEST_CASE("rulebook diff keeps at most 100 distinct changes per output and counts the rest") {
  Scratch s;
  const std::string policy =
      "policy test.pay \"Pay\"\n"
      "  version 1\n"
      "  in force from 2020-01-01\n"
      "  source \"tests/impact\"\n"
      "\n"
      "facts\n"
      "  employee.years : number \"whole years of service\"\n"
      "\n"
      "outputs\n"
      "  points : number, default 0\n"
      "\n"
      "rule points \"A point a year\"\n"
      "  cite \"Pay 1\"\n"
      "  when employee.years >= 0\n"
      "  then points = employee.years\n";
  fs::create_directories(s.root / "base");
  fs::create_directories(s.root / "new");
  write(s.root / "base" / "pay.rules", policy);
  write(s.root / "new" / "pay.rules", replace_all(policy, "then points = employee.years", "then points = employee.years + 1"));
  // 150 distinct values, the first one three times: 152 decisions, 150 distinct changes.
  std::string log;
  auto line = [](int years) {
    return R"({"policy": "test.pay", "as_of": "2026-01-01", "facts": {"employee": {"years": )" +
           std::to_string(years) + "}}}\n";
  };
  for (int k = 0; k < 150; ++k) log += line(k);
  log += line(0) + line(0);
  write(s.root / "log.jsonl", log);

  const Run r = run_diff({(s.root / "base").string(), (s.root / "new").string(), "--log", (s.root / "log.jsonl").string()});
  CHECK(r.code == rulebook::cli::kOk);
  CHECK(r.err == "");
  CHECK(r.out.find("replayed 152 cases (0 scenarios, 152 logged decisions, 0 generated cases): 152 changed\n") !=
        std::string::npos);
  CHECK(r.out.find("test.pay: 152 of 152 decisions changed\n") != std::string::npos);
  // The first 100 distinct changes are listed, the most frequent first; 50 are counted only.
  CHECK(r.out.find("\n  points: 0 → 1: 3 decisions\n    e.g. ") != std::string::npos);
  std::size_t listed = 0;
  for (std::size_t at = r.out.find("\n  points: "); at != std::string::npos; at = r.out.find("\n  points: ", at + 1)) {
    ++listed;
  }
  CHECK(listed == 101);  // 100 pairs and the line for the rest
  CHECK(r.out.find("\n  points: 99 → 100: 1 decision\n") != std::string::npos);
  CHECK(r.out.find("\n  points: 100 → 101") == std::string::npos);
  CHECK(r.out.find("\n  points: 50 more changes (50 decisions) not listed\n") != std::string::npos);

  const json j = json::parse(
      run_diff({(s.root / "base").string(), (s.root / "new").string(), "--log", (s.root / "log.jsonl").string(),
                "--format", "json"})
          .out);
  const json& o = j["policies"][0]["outputs"][0];
  CHECK(o["output"] == "points");
  CHECK(o["changes"].size() == 100);
  CHECK(o["changes"][0]["count"] == 3);
  CHECK(o["other_changes"] == 50);
  CHECK(o["other_decisions"] == 50);
}

TEST_CASE("rulebook diff: a bad command line exits 2 with one message") {
  Scratch s;
  const fs::path base = bonus_copy(s.root / "base", "", "");
  const std::string b = base.string();
  struct Bad {
    std::vector<std::string> args;
    std::string err;
  };
  const std::vector<Bad> cases = {
      {{},
       "rulebook diff: give two policy folders, BASE and NEW (or --git REV and one folder)\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b},
       "rulebook diff: give two policy folders, BASE and NEW (or --git REV and one folder)\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b, b, b},
       "rulebook diff: FOLDERS: At Most 2 required but received 3\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b, b, "--frobnicate"},
       "rulebook diff: The following argument was not expected: --frobnicate\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b, b, "--generate", "-1"},
       "rulebook diff: --generate: Value -1 not in range 0 to 1000000\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b, b, "--generate", "lots"},
       "rulebook diff: --generate: Value lots not in range 0 to 1000000\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b, b, "--format", "xml"},
       "rulebook diff: --format: xml not in {text,json,markdown}\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b, b, "--log"},
       "rulebook diff: --log: 1 required TEXT missing\n"
       "run 'rulebook diff --help' for its options\n"},
      {{b, b, "--log", (s.root / "missing.jsonl").string()}, "rulebook diff: $TMP/missing.jsonl: no such log file\n"},
      {{b, b, "--log", s.root.string()}, "rulebook diff: $TMP: no such log file\n"},
      {{b, (s.root / "nowhere").string()}, "rulebook diff: $TMP/nowhere: no such folder\n"},
      {{b, b, "--as-of", "yesterday"}, "rulebook diff: --as-of yesterday is not a date like 2026-03-02\n"},
  };
  for (const auto& c : cases) {
    std::string words;
    for (const auto& a : c.args) words += " " + a;
    INFO("rulebook diff" << words);
    const Run r = run_diff(c.args);
    CHECK(r.code == rulebook::cli::kBadInput);
    CHECK(r.out == "");
    CHECK(s.shown(r.err) == c.err);
  }
  // --help is not an error.
  const Run help = run_diff({"--help"});
  CHECK(help.code == rulebook::cli::kOk);
  CHECK(help.out.find("Show which decisions change between two policy folders") != std::string::npos);
}

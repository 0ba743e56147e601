// rulebook diff (docs/impact.md), end to end: a copy of the shipped policies
// with aps.s26's 4-week notice changed to 6 weeks, against the shipped suites,
// a decision log made here by the decision API, and generated cases. --git is
// in diff_git_test.cpp; the formats, the bound on memory and bad command lines
// in diff_report_test.cpp.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unistd.h>

#include "cli/cli.hpp"
#include "diff_helpers.hpp"
#include "impact/generate.hpp"
#include "impact/git_tree.hpp"
#include "impact/sources.hpp"
#include "rulebook/api.hpp"

using namespace rulebook;
namespace fs = std::filesystem;
using json = nlohmann::json;

using namespace diff_test;

TEST_CASE("rulebook diff reports exactly the logged decisions a 4-week to 6-week edit changes") {
  Edited e;
  write(e.root / "decisions.jsonl", make_log(e.base));
  const Run r = run_diff({e.base.string(), e.next.string(), "--log", (e.root / "decisions.jsonl").string()});
  CHECK(r.code == cli::kOk);
  CHECK(r.err == "");
  // The log keeps the facts as sent, so the report shows them in that order.
  CHECK(e.shown(r.out) == expected_report("$TMP/base", "$TMP/new"));

  // --fail-on-change makes a change an exit 1; no change is still 0.
  CHECK(run_diff({e.base.string(), e.next.string(), "--log", (e.root / "decisions.jsonl").string(), "--fail-on-change"})
            .code == cli::kFailed);
  const Run same = run_diff({e.base.string(), e.base.string(), "--log", (e.root / "decisions.jsonl").string(),
                             "--fail-on-change"});
  CHECK(same.code == cli::kOk);
  CHECK(e.shown(same.out) ==
        "rulebook diff: $TMP/base → $TMP/base\n"
        "rules: no rule added, removed or edited\n"
        "replayed 5 cases (0 scenarios, 5 logged decisions, 0 generated cases): 0 changed\n"
        "skipped 1 log line that is not a decision; the first: $TMP/decisions.jsonl:4: not JSON: column 1: "
        "invalid literal 'not'; expected a value (true, false, null, a number, a string, an array or an object)\n");
}

TEST_CASE("rulebook diff --suites replays every shipped scenario against both sets") {
  Edited e;
  const Run r = run_diff({e.base.string(), e.next.string(), "--suites"});
  CHECK(r.code == cli::kOk);
  CHECK(r.err == "");
  INFO(r.out);
  CHECK(e.shown(r.out) ==
        "rulebook diff: $TMP/base \u2192 $TMP/new\n"
        "aps.s26 2022: parameter notice_period edited (aps/s26-2022.rules:235)\n"
        "    entry 1: from 2022-02-01: 4 weeks \u2192 from 2022-02-01: 6 weeks\n"
        "replayed 325 cases (325 scenarios, 0 logged decisions, 0 generated cases): 8 changed\n"
        "\n"
        "aps.s26: 8 of 118 decisions changed\n"
        "  date_of_effect: 2026-03-30 \u2192 2026-04-13: 6 decisions\n"
        "    e.g. $TMP/new/aps/s26-2022.scenarios:20 scenario \"Sarah accepts an ongoing job while on a temporary transfer\" (as of 2026-03-02, version 2022)\n"
        "      facts {\"agreement\":{\"employee\":true,\"gaining_head\":true},\"dates\":{\"notice_given_on\":\"2026-03-02\"},\"employee\":{\"classification\":\"APS6\",\"employment\":\"ongoing\",\"on_temporary_transfer\":true},\"move\":{\"from_agency\":\"Finance\",\"kind\":\"ongoing\",\"to_agency\":\"Social Services\",\"to_classification\":\"APS6\"}}\n"
        "      set by four-weeks-after-notice on both sides\n"
        "  date_of_effect: 2019-04-01 \u2192 2019-04-15: 1 decision\n"
        "    e.g. $TMP/new/aps/s26-2016.scenarios:119 scenario \"Sarah's same facts decided in 2024 (version 2022) give the same answer\" (as of 2024-05-01, version 2022)\n"
        "      facts {\"agreement\":{\"employee\":true,\"gaining_head\":true},\"dates\":{\"notice_given_on\":\"2019-03-04\"},\"employee\":{\"classification\":\"APS6\",\"employment\":\"ongoing\",\"on_temporary_transfer\":true},\"move\":{\"from_agency\":\"Finance\",\"kind\":\"ongoing\",\"to_agency\":\"Social Services\",\"to_classification\":\"APS6\"}}\n"
        "      set by four-weeks-after-notice on both sides\n"
        "  date_of_effect: 2022-02-28 \u2192 2022-03-14: 1 decision\n"
        "    e.g. $TMP/new/aps/s26-2016.scenarios:722 scenario \"The first day of the 2022 version decides the same way\" (as of 2022-02-01, version 2022)\n"
        "      facts {\"agreement\":{\"employee\":true,\"gaining_head\":true},\"dates\":{\"notice_given_on\":\"2022-01-31\"},\"employee\":{\"classification\":\"APS5\",\"employment\":\"ongoing\"},\"move\":{\"from_agency\":\"Department of Finance\",\"kind\":\"ongoing\",\"to_agency\":\"Department of Health\",\"to_classification\":\"APS5\"}}\n"
        "      set by four-weeks-after-notice on both sides\n");
}

TEST_CASE("rulebook diff --generate finds the change with cases made from the rules") {
  Edited e;
  const Run r = run_diff({e.base.string(), e.next.string(), "--generate", "60"});
  CHECK(r.code == cli::kOk);
  INFO(r.out);
  CHECK(r.out.find("aps.s26 2022: parameter notice_period edited (aps/s26-2022.rules:235)\n") != std::string::npos);
  CHECK(r.out.find("replayed 420 cases (0 scenarios, 0 logged decisions, 420 generated cases): ") != std::string::npos);
  // Every change found is the edit's: date_of_effect 14 days later, from a case aimed at the edited rule.
  std::istringstream in(r.out);
  std::size_t changes = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  ", 0) != 0 || line.rfind("    ", 0) == 0) continue;
    INFO(line);
    REQUIRE(line.rfind("  date_of_effect: ", 0) == 0);
    const auto was = parse_iso_date(line.substr(18, 10));
    const auto now = parse_iso_date(line.substr(33, 10));  // after " → "
    REQUIRE(was);
    REQUIRE(now);
    CHECK(now->days - was->days == 14);
    ++changes;
  }
  CHECK(changes >= 1);
  CHECK(r.out.find("rule four-weeks-after-notice holds (as of 2022-02-01, version 2022)") != std::string::npos);
  // The same cases every time.
  CHECK(run_diff({e.base.string(), e.next.string(), "--generate", "60"}).out == r.out);
}

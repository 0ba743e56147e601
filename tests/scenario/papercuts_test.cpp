// The tester's papercuts (issue 17): JUnit XML valid against the strict schema,
// --filter that selects nothing, --update, table-driven scenarios, given define,
// --format json, --watch, expect version/hash, condition coverage.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "cli/cli.hpp"
#include "impact/git_tree.hpp"
#include "scenario/scenario.hpp"

using namespace rulebook;
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::string kFixtures = SCENARIO_FIXTURES;
const std::string kPolicies = kFixtures + "/policies";
const std::string kSuites = kFixtures + "/suites";

struct Run {
  int code = -1;
  std::string out, err;
};

Run run_test(const std::vector<std::string>& args, const std::string& answers = "") {
  std::ostringstream out, err;
  std::istringstream in(answers);
  Run r;
  r.code = cli::test(args, out, err, in);
  r.out = out.str();
  r.err = err.str();
  return r;
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("rulebook-papercuts-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
};

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the JUnit report is valid against the strict JUnit schema, with real times and timestamps") {
  TempDir dir;
  const std::string bad = dir.write("bad.scenarios", "suite \"B\" for test.leave\nscenario \"x\"\n  expect\n");
  const std::string xml_path = (dir.path / "report.xml").string();
  const Run r = run_test({kSuites + "/passing.scenarios", kSuites + "/failing.scenarios", bad, "--policies", kPolicies,
                          "--junit", xml_path, "--filter", "e"});
  CHECK(r.code == cli::kBadInput);
  const std::string xml = read(xml_path);
  INFO(xml);
  std::string out;
  const int code = impact::run_capture(
      {"xmllint", "--noout", "--schema", std::string(RULEBOOK_SOURCE_DIR) + "/tests/scenario/junit.xsd", xml_path}, out);
  REQUIRE(code != -1);
  REQUIRE(code != 127);  // xmllint (libxml2-utils) is installed by scripts/test
  CHECK(code == 0);
  // A timestamp on every suite, and no attribute the schema does not know (xmllint refuses those too).
  const std::regex stamp(R"(timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")");
  CHECK(std::distance(std::sregex_iterator(xml.begin(), xml.end(), stamp), std::sregex_iterator()) == 3);
  CHECK(xml.find(" file=") == std::string::npos);
  CHECK(xml.find("<system-out>" + kSuites + "/passing.scenarios:") != std::string::npos);
  // Times are measured: a suite's time is its wall time, at least the sum of its cases'.
  const std::regex suite_time(R"re(<testsuite name="[^"]*passing.scenarios" [^>]*time="([0-9.]+)")re");
  std::smatch m;
  REQUIRE(std::regex_search(xml, m, suite_time));
  double cases = 0;
  const std::string passing_block = xml.substr(static_cast<std::size_t>(m.position(0)),
                                               xml.find("</testsuite>", static_cast<std::size_t>(m.position(0))) -
                                                   static_cast<std::size_t>(m.position(0)));
  const std::regex case_time(R"re(<testcase [^>]*time="([0-9.]+)")re");
  for (auto it = std::sregex_iterator(passing_block.begin(), passing_block.end(), case_time); it != std::sregex_iterator(); ++it) {
    cases += std::stod((*it)[1]);
  }
  CHECK(std::stod(m[1]) + 0.0015 >= cases);
}

TEST_CASE("rulebook test --filter that matches no scenario exits 1 and says so") {
  const Run r = run_test({kSuites + "/passing.scenarios", "--policies", kPolicies, "--filter", "no such name"});
  CHECK(r.code == cli::kFailed);
  CHECK(r.err == "rulebook test: no scenario's name contains \"no such name\"\n");
  CHECK(r.out == "0 passed, 0 failed, 2 skipped\n");
}

TEST_CASE("rulebook test --update shows the diff, asks, and writes the actual outputs") {
  TempDir dir;
  const std::string text = R"(suite "Update" for test.leave
  as of 2026-03-02
  given employee.days_left = 10

scenario "wrong outcome"
  given request.days = 12
  expect
    outcome = approved
    paid = no

scenario "all outputs"
  given request.days = 1
  expect
    all
    outcome = approved
)";
  const std::string path = dir.write("update.scenarios", text);
  const std::string diff = "--- " + path + "\n+++ " + path + " (actual outputs)\n" +
                           "@@ line 8 @@\n-    outcome = approved\n+    outcome = refused\n" +
                           "@@ line 14 @@\n-    all\n+    paid = yes\n+    return_on = null\n+    all\n";
  // Answered no: nothing is written.
  Run r = run_test({path, "--policies", kPolicies, "--update"}, "n\n");
  CHECK(r.code == cli::kFailed);
  CHECK(r.out.find(diff + "write these changes to " + path + "? [y/N] not written\n") != std::string::npos);
  CHECK(read(path) == text);
  // Answered yes: written, and the suite then passes.
  r = run_test({path, "--policies", kPolicies, "--update"}, "y\n");
  CHECK(r.out.find("updated " + path + "\n") != std::string::npos);
  const std::string updated = R"(suite "Update" for test.leave
  as of 2026-03-02
  given employee.days_left = 10

scenario "wrong outcome"
  given request.days = 12
  expect
    outcome = refused
    paid = no

scenario "all outputs"
  given request.days = 1
  expect
    paid = yes
    return_on = null
    all
    outcome = approved
)";
  CHECK(read(path) == updated);
  CHECK(run_test({path, "--policies", kPolicies}).code == cli::kOk);
  // --yes writes without asking.
  dir.write("update.scenarios", text);
  r = run_test({path, "--policies", kPolicies, "--update", "--yes"});
  CHECK(r.out.find("? [y/N]") == std::string::npos);
  CHECK(read(path) == updated);
  CHECK(run_test({path, "--policies", kPolicies, "--yes"}).code == cli::kBadInput);
}

TEST_CASE("a table-driven scenario is one scenario per row") {
  TempDir dir;
  const std::string path = dir.write("table.scenarios", R"(suite "Tables" for test.leave
  as of 2026-03-02

scenario "Leave by days asked"
  given employee.days_left = 10
  table
    | request.days | request.kind | expect outcome | expect paid |
    | 1            | annual       | approved       | yes         |
    | 10           | annual       | approved       | yes         |
    | 11           | annual       | refused        | no          |
    | 11           | sick         | referred       | yes         |   # wrong: paid is no
  expect not fired long-sick-referred
)");
  const Run r = run_test({path, "--policies", kPolicies});
  CHECK(r.code == cli::kFailed);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("    ", 0) != 0) lines.push_back(line);
  }
  CHECK(lines == std::vector<std::string>{
                     path + ":11: scenario \"Leave by days asked [row 4]\": paid: expected yes, got no",
                     path + ":12: scenario \"Leave by days asked [row 4]\": not fired long-sick-referred: expected it "
                            "not to fire, but it fired",
                     "3 passed, 1 failed",
                 });
  // A row of the wrong width is an error at the row.
  const std::string bad = dir.write("bad.scenarios", R"(suite "Tables" for test.leave
scenario "x"
  table
    | request.days | expect outcome |
    | 1            |
)");
  const auto suite = scenario::load_suite(bad);
  REQUIRE(suite.diagnostics.size() == 1);
  CHECK(format_headline(suite.diagnostics[0]) ==
        bad + ":5:5: error: this row has 1 value but the table has 2 columns");
}

TEST_CASE("given define fixes an intermediate value; expect version and hash") {
  TempDir dir;
  dir.write("policies/p.rules", R"(policy test.d "Defines"
  version 7
  in force from 2020-01-01

facts
  a : number

outputs
  big : yes/no

define large = a > 100

rule r "R"
  cite "c"
  when large
  then big = yes

rule s "S"
  cite "c"
  when not large
  then big = no
)");
  const std::string path = dir.write("d.scenarios", R"(suite "Defines" for test.d
  as of 2026-03-02
  given a = 1

scenario "as the facts say"
  expect big = no  version 7

scenario "fixed"
  given define large = yes
  expect big = yes

scenario "no such define"
  given define larger = yes
  expect big = yes

scenario "wrong version"
  expect version 2016  hash sha256:00
)");
  const Run r = run_test({path, "--policies", (dir.path / "policies").string()});
  CHECK(r.code == cli::kFailed);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("    ", 0) != 0) lines.push_back(line);
  }
  const LoadResult loaded = load_policies({(dir.path / "policies").string()});
  REQUIRE(loaded.set);
  const std::string hash = loaded.set->versions()[0]->hash;
  CHECK(lines == std::vector<std::string>{
                     path + ":12: scenario \"no such define\": expected a decision, got error invalid_define: test.d 7 "
                            "has no define called larger (its defines: large)",
                     path + ":17: scenario \"wrong version\": version: expected 2016, got 7",
                     path + ":17: scenario \"wrong version\": hash: expected sha256:00, got " + hash,
                     "2 passed, 2 failed",
                 });
}

TEST_CASE("rulebook test --format json gives the results as one document") {
  const Run r = run_test({kSuites + "/failing.scenarios", "--policies", kPolicies, "--format", "json"});
  CHECK(r.code == cli::kFailed);
  const json j = json::parse(r.out);
  CHECK(j["passed"] == 1);
  CHECK(j["failed"] == 2);
  CHECK(j["skipped"] == 0);
  REQUIRE(j["suites"].size() == 1);
  const json& s = j["suites"][0];
  CHECK(s["path"] == kSuites + "/failing.scenarios");
  REQUIRE(s["scenarios"].size() == 3);
  CHECK(s["scenarios"][0]["status"] == "failed");
  CHECK(s["scenarios"][0]["failures"][0].get<std::string>().find("outcome: expected approved, got refused") !=
        std::string::npos);
  CHECK(s["scenarios"][0]["explanation"][0] == "    test.leave version 1 as of 2026-03-02");
  CHECK(j["unreadable"].empty());
}

TEST_CASE("rulebook test --watch runs again when a suite is saved") {
  TempDir dir;
  fs::copy(kPolicies, dir.path / "policies", fs::copy_options::recursive);
  const std::string suite = dir.write("policies/s.scenarios", read(kSuites + "/passing.scenarios"));
  std::thread saver([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    std::ofstream(suite, std::ios::app) << "\n# saved\n";
  });
  const Run r = run_test({"--policies", (dir.path / "policies").string(), "--watch", "--watch-runs", "2",
                          "--watch-interval", "0.05"});
  saver.join();
  CHECK(r.code == cli::kOk);
  CHECK(r.out == "2 passed, 0 failed\nwatching 2 files for changes (Ctrl-C to stop)\n\nchanged: running again\n"
                 "2 passed, 0 failed\n");
}

TEST_CASE("rulebook test --coverage also names the conditions never seen deciding a rule did not apply") {
  const Run r = run_test({kSuites + "/passing.scenarios", "--policies", kPolicies, "--coverage"});
  CHECK(r.code == cli::kOk);
  CHECK(r.out == "test.leave 1: exception long-sick-referred (" + kPolicies +
                     "/leave.rules:29:1) never fired\n"
                     "test.leave 1: output outcome never was referred\n"
                     "test.leave 1: 3 of 4 rules fired, 5 of 6 output values seen, in 2 decisions\n"
                     "test.leave 1: rule long-sick-referred (" + kPolicies + "/leave.rules:32): condition 2 "
                     "'request.days > 10' was never the one false\n"
                     "test.leave 1: rule back-a-week-later (" + kPolicies + "/leave.rules:37): condition 2 "
                     "'request.starts_on is given' was never the one false\n"
                     "test.leave 1: 4 of 6 conditions seen deciding a rule did not apply\n"
                     "2 passed, 0 failed\n");
}

// The scenario runner (issue 4): the readable and JSON suite formats, the
// runner's exact failure report, --filter, JUnit XML and coverage.
// Fixtures: fixtures/policies/leave.rules (a small policy) and fixtures/suites/.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <tao/pegtl/contrib/analyze.hpp>
#include <unistd.h>

#include "cli/cli.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scenario_grammar.hpp"

using namespace rulebook;
using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = SCENARIO_FIXTURES;
const std::string kPolicies = kFixtures + "/policies";
const std::string kSuites = kFixtures + "/suites";

struct Run {
  int code = -1;
  std::string out, err;
};

Run run_test(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Run r;
  r.code = cli::test(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::vector<std::string> headlines(const scenario::Suite& s) {
  std::vector<std::string> out;
  for (const auto& d : s.diagnostics) out.push_back(format_headline(d));
  return out;
}

// A fresh folder under the system's temporary folder, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("rulebook-scenario-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path / name;
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

// A small XML well-formedness check (no DTDs, no CDATA, no comments, which the
// JUnit writer never emits): tags nest and match, one root, attributes are
// quoted and unique, and '&' only starts a known entity. Counts elements by name.
std::string xml_problem(const std::string& x, std::map<std::string, int>& counts) {
  auto entities_ok = [](std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '<') return false;
      if (s[i] != '&') continue;
      const std::size_t semi = s.find(';', i);
      if (semi == std::string_view::npos) return false;
      const std::string_view e = s.substr(i + 1, semi - i - 1);
      if (!(e == "amp" || e == "lt" || e == "gt" || e == "quot" || e == "apos" || (e.size() > 1 && e[0] == '#'))) {
        return false;
      }
    }
    return true;
  };
  auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.'; };
  std::size_t k = 0;
  if (x.rfind("<?xml ", 0) == 0) {
    k = x.find("?>");
    if (k == std::string::npos) return "unterminated XML declaration";
    k += 2;
  }
  std::vector<std::string> stack;
  bool root_done = false;
  while (k < x.size()) {
    if (x[k] != '<') {
      const std::size_t next = std::min(x.find('<', k), x.size());
      const std::string text = x.substr(k, next - k);
      if (stack.empty() && text.find_first_not_of(" \t\r\n") != std::string::npos) return "text outside the root";
      if (!entities_ok(text)) return "bad text: " + text.substr(0, 40);
      k = next;
      continue;
    }
    if (x.compare(k, 2, "</") == 0) {
      const std::size_t end = x.find('>', k);
      if (end == std::string::npos) return "unterminated end tag";
      const std::string name = x.substr(k + 2, end - k - 2);
      if (stack.empty() || stack.back() != name) return "mismatched </" + name + ">";
      stack.pop_back();
      if (stack.empty()) root_done = true;
      k = end + 1;
      continue;
    }
    std::size_t i = k + 1;
    while (i < x.size() && name_char(x[i])) ++i;
    const std::string name = x.substr(k + 1, i - k - 1);
    if (name.empty()) return "a '<' that starts no tag";
    if (stack.empty() && root_done) return "a second root element";
    std::set<std::string> attrs;
    bool closed = false;
    while (i < x.size()) {
      while (i < x.size() && std::isspace(static_cast<unsigned char>(x[i]))) ++i;
      if (x.compare(i, 2, "/>") == 0) {
        i += 2;
        closed = true;
        if (stack.empty()) root_done = true;
        break;
      }
      if (i < x.size() && x[i] == '>') {
        ++i;
        closed = true;
        stack.push_back(name);
        break;
      }
      const std::size_t a = i;
      while (i < x.size() && name_char(x[i])) ++i;
      const std::string attr = x.substr(a, i - a);
      if (attr.empty() || x.compare(i, 2, "=\"") != 0) return "bad attribute in <" + name + ">";
      if (!attrs.insert(attr).second) return "attribute " + attr + " twice";
      const std::size_t end = x.find('"', i + 2);
      if (end == std::string::npos) return "unterminated attribute";
      if (!entities_ok(std::string_view(x).substr(i + 2, end - i - 2))) return "bad attribute value";
      i = end + 1;
    }
    if (!closed) return "unterminated tag <" + name;
    ++counts[name];
    k = i;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (!root_done) return "no root element";
  return "";
}

}  // namespace

// ---- the readable format ---------------------------------------------------------

TEST_CASE("the scenario grammar has no rule that can loop without consuming input") {
  CHECK(tao::pegtl::analyze<rulebook::scenario_grammar::chunk>(false) == 0);
}

TEST_CASE("facts are written as in the rule language and become the JSON request's facts") {
  const auto s = scenario::parse_scenarios("t.scenarios", R"(# shared facts
suite "Values" for test.leave
  as of 2026-03-02
  given
    employee.days_left = 10
    employee.name = "Ann \"A\" Lee"
    request.kind = sick
    request.paid = yes
    request.urgent = false
    request.rate = 12.50
    request.delta = -3
    request.period = 4 weeks
    request.span = 2 months
    request.starts_on = 2026-03-09
    request.bad_date = "2026-02-30"
    request.tags = [a, "b c", 3, no]
    request.none = []

scenario "inherits the shared facts"
  expect outcome = approved

scenario "overrides and removes"
  as of 2026-04-01
  given
    employee.days_left = 3
    request.kind = missing
    request.rate = null
  expect paid = no

scenario "removing every fact of a group removes the group" for other.hyphen-policy
  given
    employee.days_left = missing
    employee.name = missing
    nothing.here = missing
  expect paid = no
)");
  INFO(Catch::Detail::stringify(headlines(s)));
  REQUIRE(s.diagnostics.empty());
  REQUIRE(s.scenarios.size() == 3);
  CHECK(s.title == "Values");
  const auto& a = s.scenarios[0];
  CHECK(a.name == "inherits the shared facts");
  CHECK(a.policy == "test.leave");
  CHECK(a.pos.line == 19);
  REQUIRE(a.as_of);
  CHECK(format_iso_date(*a.as_of) == "2026-03-02");
  CHECK(a.facts == json::parse(R"({
    "employee": {"days_left": 10, "name": "Ann \"A\" Lee"},
    "request": {"kind": "sick", "paid": true, "urgent": false, "rate": 12.5, "delta": -3, "period": "P4W",
                "span": "P2M", "starts_on": "2026-03-09", "bad_date": "2026-02-30",
                "tags": ["a", "b c", 3, false], "none": []}})"));

  const auto& b = s.scenarios[1];
  CHECK(format_iso_date(*b.as_of) == "2026-04-01");
  CHECK(b.facts["employee"]["days_left"] == 3);
  CHECK_FALSE(b.facts["request"].contains("kind"));
  CHECK_FALSE(b.facts["request"].contains("rate"));
  CHECK(b.facts["request"]["paid"] == true);

  const auto& c = s.scenarios[2];
  CHECK(c.policy == "other.hyphen-policy");
  CHECK_FALSE(c.facts.contains("employee"));
  CHECK_FALSE(c.facts.contains("nothing"));
}

TEST_CASE("expectations: outputs, fired and not fired rules, all, and errors") {
  const auto s = scenario::parse_scenarios("t.scenarios", R"(suite "E" for test.leave
scenario "decision"
  expect
    all
    outcome = approved
    return_on = null
    fired enough-leave, back-a-week-later
    not fired not-enough
    fired = yes
scenario "facts rejected"
  expect error invalid_facts at employee.days_left, request.tags[2]
scenario "conflict"
  expect error conflict between a-rule, b-rule
scenario "not in force"
  expect error not_in_force
)");
  INFO(Catch::Detail::stringify(headlines(s)));
  REQUIRE(s.diagnostics.empty());
  REQUIRE(s.scenarios.size() == 4);
  const auto& d = s.scenarios[0];
  REQUIRE(d.expect_all);
  CHECK(d.expect_all->line == 4);
  REQUIRE(d.outputs.size() == 3);
  CHECK(d.outputs[0].output == "outcome");
  CHECK(d.outputs[0].value == "approved");
  CHECK(d.outputs[0].pos.line == 5);
  CHECK(d.outputs[1].value.is_null());
  CHECK(d.outputs[2].output == "fired");  // an output may be called 'fired'
  CHECK(d.outputs[2].value == true);
  REQUIRE(d.rules.size() == 3);
  CHECK(d.rules[0].rule == "enough-leave");
  CHECK(d.rules[0].fired);
  CHECK(d.rules[1].rule == "back-a-week-later");
  CHECK(d.rules[2].rule == "not-enough");
  CHECK_FALSE(d.rules[2].fired);
  CHECK(d.rules[2].pos.line == 8);
  CHECK_FALSE(d.as_of);

  REQUIRE(s.scenarios[1].error);
  CHECK(s.scenarios[1].error->code == "invalid_facts");
  CHECK(*s.scenarios[1].error->paths == std::vector<std::string>{"employee.days_left", "request.tags[2]"});
  CHECK_FALSE(s.scenarios[1].error->rules);
  CHECK(*s.scenarios[2].error->rules == std::vector<std::string>{"a-rule", "b-rule"});
  CHECK(s.scenarios[3].error->code == "not_in_force");
  CHECK_FALSE(s.scenarios[3].error->paths);
}

TEST_CASE("syntax and other errors are diagnostics at their line and column, several per file") {
  const std::string text = R"(suite "Broken" for test.leave
  as of 2026-02-30

scenario "no equals"
  given request.days 5
  expect outcome = approved

scenario "bad list"
  given request.tags = [a, ]
  expect outcome = approved

scenario "no expectation"
  expect
    outcome approved

scenario "twice"
  given request.days = 1  request.days = 2
  expect outcome = approved

scenario "twice"
  expect error invalid_facts
    paid = yes

scenario "unclosed
  expect paid = yes

scenario "impossible date"
  given request.starts_on = 2026-02-30
  expect paid = yes
)";
  const auto s = scenario::parse_scenarios("broken.scenarios", text);
  CHECK(headlines(s) ==
        std::vector<std::string>{
            "broken.scenarios:2:9: error: 2026-02-30 is not a date: that month has 28 days",
            "broken.scenarios:5:22: error: expected '=' and a value after the fact's name, like "
            "employee.classification = APS6",
            "broken.scenarios:9:28: error: expected a value after ','",
            "broken.scenarios:14:5: error: expected what the decision should be after 'expect': OUTPUT = VALUE, "
            "fired RULE, not fired RULE, all, error CODE, version V or hash H",
            "broken.scenarios:17:27: error: the fact request.days is already given in this block, at line 17",
            "broken.scenarios:20:10: error: another scenario in this file has this name, at line 16",
            "broken.scenarios:22:5: error: a scenario that expects an error cannot also expect outputs or rules: the "
            "error means there is no decision",
            "broken.scenarios:24:19: error: this text has no closing '\"' before the end of the line",
            "broken.scenarios:28:29: error: 2026-02-30 is not a date: that month has 28 days (to send it anyway, "
            "write it in quotes: \"2026-02-30\")",
        });
  // The caret display, as `rulebook check` shows it.
  REQUIRE(s.diagnostics.size() > 1);
  CHECK(format_diagnostic(s.diagnostics[1]) ==
        "broken.scenarios:5:22: error: expected '=' and a value after the fact's name, like "
        "employee.classification = APS6\n"
        "      given request.days 5\n"
        "                         ^\n");
}

TEST_CASE("a suite needs its header and at least one scenario") {
  CHECK(headlines(scenario::parse_scenarios("a.scenarios", "scenario \"x\"\n  expect paid = yes\n")) ==
        std::vector<std::string>{"a.scenarios:1:1: error: a suite starts with a header naming its policy, like: "
                                 "suite \"Section 26 moves\" for aps.s26"});
  CHECK(headlines(scenario::parse_scenarios("b.scenarios", "# nothing\n")) ==
        std::vector<std::string>{"b.scenarios:1:1: error: this suite has no scenarios; a suite is 'suite \"TITLE\" "
                                 "for POLICY' and then 'scenario \"NAME\"' blocks"});
  CHECK(headlines(scenario::parse_scenarios("c.scenarios", "suite \"x\" test.leave\n")) ==
        std::vector<std::string>{"c.scenarios:1:11: error: expected 'for' and the policy id after the suite's title, "
                                 "as in suite \"Section 26 moves\" for aps.s26"});
  CHECK(headlines(scenario::parse_scenarios("bom.scenarios",
                                            "\xEF\xBB\xBFsuite \"x\" for a.b\r\nscenario \"y\"\r\n  expect paid = yes\r\n"))
            .empty());
  // A header that does not parse is reported once, not again as missing.
  CHECK(headlines(scenario::parse_scenarios("e.scenarios", "# a comment\nsuite \"x\" for a.b as\nscenario \"y\"\n  expect paid = yes\n")) ==
        std::vector<std::string>{"e.scenarios:3:1: error: expected 'of' after 'as', as in 'as of 2026-03-02'"});
  CHECK(headlines(scenario::parse_scenarios("d.scenarios", "suite \"x\" for test.leave\nsenario \"y\"\n")) ==
        std::vector<std::string>{"d.scenarios:2:1: error: expected 'as of DATE', 'given' and facts, or the first "
                                 "'scenario \"NAME\"'"});
}

// ---- JSON suites --------------------------------------------------------------------

TEST_CASE("JSON suites are read case by case, with problems at each case's line") {
  const auto ok = scenario::load_suite(kSuites + "/cases.scenarios.json");
  INFO(Catch::Detail::stringify(headlines(ok)));
  REQUIRE(ok.diagnostics.empty());
  REQUIRE(ok.scenarios.size() == 3);
  CHECK(ok.scenarios[0].name == "Exported: enough leave");
  CHECK(ok.scenarios[0].pos.line == 2);
  CHECK(ok.scenarios[1].pos.line == 10);
  CHECK(ok.scenarios[0].outputs.size() == 3);
  CHECK(ok.scenarios[0].rules.size() == 2);
  CHECK_FALSE(ok.scenarios[2].as_of);
  REQUIRE(ok.scenarios[2].error);
  CHECK(*ok.scenarios[2].error->paths == std::vector<std::string>{"employee.days_left"});

  const auto bad = scenario::parse_json_suite("bad.scenarios.json", R"([
  {"name": "a", "policy": "p", "facts": {}, "expect": {"decision": {"x": 1}}},
  {"name": "a", "policy": "p", "facts": [], "expect": {"fired": "r"}, "extra": 1},
  {"policy": "p", "as_of": "2026-02-30", "facts": {}, "expect": {}}
])");
  CHECK(headlines(bad) ==
        std::vector<std::string>{
            "bad.scenarios.json:3:3: error: case 2 (\"a\"): expect.fired must be a list of names, not text",
            "bad.scenarios.json:3:3: error: case 2 (\"a\"): unknown field \"extra\"; a case has name, policy, as_of, "
            "facts and expect",
            "bad.scenarios.json:3:3: error: case 2 (\"a\"): facts must be an object, as in a decision request, not a "
            "list",
            "bad.scenarios.json:3:3: error: case 2 (\"a\"): another case has this name (case 1)",
            "bad.scenarios.json:4:3: error: case 3: as_of must be a real date as \"YYYY-MM-DD\"",
            "bad.scenarios.json:4:3: error: case 3: expect is empty: give decision, fired, not_fired or error",
            "bad.scenarios.json:4:3: error: case 3: name is missing",
        });

  const auto broken = scenario::parse_json_suite("broken.scenarios.json", "[\n  {\"name\": \"a\",, }\n]");
  REQUIRE(broken.diagnostics.size() == 1);
  CHECK(format_headline(broken.diagnostics[0]).rfind("broken.scenarios.json:2:16: error: this is not valid JSON: ", 0) ==
        0);
  CHECK(headlines(scenario::parse_json_suite("o.scenarios.json", "{}")) ==
        std::vector<std::string>{"o.scenarios.json:1:1: error: a JSON suite is a list of cases: [{\"name\": ..., "
                                 "\"policy\": ..., \"facts\": ..., \"expect\": ...}, ...]"});
  CHECK(scenario::is_suite_file("x.scenarios"));
  CHECK(scenario::is_suite_file("x.scenarios.json"));
  CHECK_FALSE(scenario::is_suite_file("x.json"));
  CHECK_FALSE(scenario::is_suite_file("x.rules"));
}

// ---- running ---------------------------------------------------------------------------

TEST_CASE("a suite that agrees with its policy passes") {
  const Run r = run_test({kSuites + "/passing.scenarios", "--policies", kPolicies});
  CHECK(r.err == "");
  CHECK(r.out == "2 passed, 0 failed\n");
  CHECK(r.code == cli::kOk);
}

TEST_CASE("a suite that must fail gives the difference and why the policy decided as it did") {
  const std::string suite = kSuites + "/failing.scenarios";
  const Run r = run_test({suite, "--policies", kPolicies});
  CHECK(r.code == cli::kFailed);
  CHECK(r.err == "");
  CHECK(r.out ==
        suite + ":9: scenario \"Too much leave\": outcome: expected approved, got refused\n" +
        suite + ":10: scenario \"Too much leave\": paid: expected yes, got no\n" +
        suite + ":11: scenario \"Too much leave\": fired enough-leave: expected it to fire, but it did not apply: "
                "request.days <= employee.days_left does not hold\n"
                "    test.leave version 1 as of 2026-03-02\n"
                "    enough-leave did not apply: request.days <= employee.days_left does not hold (request.days is 12, "
                "employee.days_left is 10)\n"
                "    not-enough applied (Leave policy 2): request.days is 12, employee.days_left is 10\n"
                "    long-sick-referred did not apply: request.kind is sick does not hold (request.kind is annual)\n"
                "    back-a-week-later did not apply: outcome is approved does not hold (outcome is refused)\n"
                "    outcome = refused, by not-enough\n"
                "    paid = no (the default: no rule set it)\n"
                "    return_on = missing (no rule set it)\n" +
        suite + ":19: scenario \"Wrong error\": error: expected invalid_facts at employee.days_left, got "
                "invalid_facts at request.days\n"
                "    1 problem with the facts for test.leave\n"
                "    request.days: wrong type: expected a whole number, got text\n"
                "1 passed, 2 failed\n");
}

TEST_CASE("JSON suites run like readable ones") {
  const std::string suite = kSuites + "/cases.scenarios.json";
  const Run r = run_test({suite, "--policies", kPolicies});
  CHECK(r.code == cli::kFailed);
  CHECK(r.out.rfind(suite + ":10: scenario \"Exported: long sick leave\": outcome: expected approved, got referred\n"
                            "    test.leave version 1 as of 2026-03-02\n",
                    0) == 0);
  CHECK(r.out.find("    long-sick-referred applied (Leave policy 3)") != std::string::npos);
  CHECK(r.out.substr(r.out.size() - 19) == "2 passed, 1 failed\n");
}

TEST_CASE("expected and unexpected errors, unknown names, and 'all'") {
  TempDir dir;
  const std::string path = dir.write("errors.scenarios", R"(suite "Errors" for test.leave
  as of 2026-03-02
  given employee.days_left = 10

scenario "too early"
  as of 2019-12-31
  given request.days = 1
  expect error not_in_force

scenario "no such policy" for test.nothing
  given request.days = 1
  expect error unknown_policy

scenario "missing fact"
  given employee.days_left = missing  request.days = 1
  expect error invalid_facts at employee.days_left

scenario "a decision where an error was expected"
  given request.days = 1
  expect error invalid_facts

scenario "an error where a decision was expected"
  expect paid = yes

scenario "typos in names"
  given request.days = 1
  expect
    paid = yes
    outcom = approved
    fired enough-leaves

scenario "all outputs"
  given request.days = 1
  expect
    all
    outcome = approved
)");
  const Run r = run_test({path, "--policies", kPolicies});
  CHECK(r.code == cli::kFailed);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("    ", 0) != 0) lines.push_back(line);
  }
  CHECK(lines == std::vector<std::string>{
                     path + ":20: scenario \"a decision where an error was expected\": error: expected invalid_facts, "
                            "got a decision",
                     path + ":22: scenario \"an error where a decision was expected\": expected a decision, got error "
                            "invalid_facts at request.days: 1 problem with the facts for test.leave",
                     path + ":29: scenario \"typos in names\": outcom: test.leave 1 has no output called outcom; did you "
                            "mean outcome? (its outputs: outcome, paid, return_on)",
                     path + ":30: scenario \"typos in names\": fired enough-leaves: test.leave 1 has no rule called "
                            "enough-leaves; did you mean enough-leave?",
                     path + ":35: scenario \"all outputs\": paid: not listed, though 'all' outputs are expected; it is "
                            "yes",
                     path + ":35: scenario \"all outputs\": return_on: not listed, though 'all' outputs are expected; "
                            "it is null",
                     "3 passed, 4 failed",
                 });
  CHECK(r.out.find("    request.days: required fact is missing\n") != std::string::npos);
}

TEST_CASE("rulebook test --filter runs only the scenarios whose name contains the text, ignoring case") {
  const Run r = run_test({kSuites + "/passing.scenarios", "--policies", kPolicies, "--filter", "TOO MUCH"});
  CHECK(r.out == "1 passed, 0 failed, 1 skipped\n");
  CHECK(r.code == cli::kOk);
  const Run none = run_test({kSuites + "/failing.scenarios", "--policies", kPolicies, "--filter", "right"});
  CHECK(none.out == "1 passed, 0 failed, 2 skipped\n");
  CHECK(none.code == cli::kOk);
}

TEST_CASE("with no PATH every suite under the policies folder runs") {
  TempDir dir;
  fs::create_directories(dir.path / "policies" / "sub");
  fs::copy_file(kPolicies + "/leave.rules", dir.path / "policies" / "leave.rules");
  fs::copy_file(kSuites + "/passing.scenarios", dir.path / "policies" / "sub" / "passing.scenarios");
  fs::copy_file(kSuites + "/cases.scenarios.json", dir.path / "policies" / "cases.scenarios.json");
  dir.write("policies/notes.json", "not a suite");
  const Run r = run_test({"--policies", (dir.path / "policies").string()});
  CHECK(r.out.substr(r.out.size() - 19) == "4 passed, 1 failed\n");
  CHECK(r.code == cli::kFailed);
}

TEST_CASE("unreadable suites and bad command lines exit 2") {
  TempDir dir;
  const std::string bad = dir.write("bad.scenarios", "suite \"B\" for test.leave\nscenario \"x\"\n  given request.days 5\n  expect paid = yes\n");
  const Run r = run_test({bad, kSuites + "/passing.scenarios", "--policies", kPolicies});
  CHECK(r.code == cli::kBadInput);
  CHECK(r.err == bad + ":3:22: error: expected '=' and a value after the fact's name, like "
                       "employee.classification = APS6\n"
                       "      given request.days 5\n"
                       "                         ^\n"
                       "1 suite file could not be read\n");
  CHECK(r.out == "2 passed, 0 failed\n");  // the readable suites still run

  CHECK(run_test({"--policies", kPolicies, "--frobnicate"}).code == cli::kBadInput);
  CHECK(run_test({"--policies", kPolicies, "--filter"}).code == cli::kBadInput);
  CHECK(run_test({(dir.path / "nope.scenarios").string(), "--policies", kPolicies}).code == cli::kBadInput);
  CHECK(run_test({"--policies", (dir.path / "no-such-folder").string()}).code == cli::kBadInput);
}

// ---- JUnit XML ------------------------------------------------------------------------------

TEST_CASE("rulebook test --junit writes well-formed JUnit XML with one testcase per scenario") {
  TempDir dir;
  const std::string tricky = dir.write("tricky.scenarios", R"(suite "Tricky" for test.leave
  as of 2026-03-02
  given employee.days_left = 10
scenario "Tricky <&\"'> name"
  given request.days = 12
  expect outcome = approved
)");
  const std::string bad = dir.write("bad.scenarios", "suite \"B\" for test.leave\nscenario \"x\"\n  expect\n");
  const std::string xml_path = (dir.path / "report.xml").string();
  const Run r = run_test({kSuites + "/passing.scenarios", kSuites + "/failing.scenarios", tricky, bad, "--policies",
                          kPolicies, "--junit", xml_path, "--filter", "e"});
  CHECK(r.code == cli::kBadInput);
  const std::string xml = read(xml_path);
  std::map<std::string, int> counts;
  INFO(xml);
  CHECK(xml_problem(xml, counts) == "");
  CHECK(counts["testsuites"] == 1);
  CHECK(counts["testsuite"] == 4);  // one per file, the unreadable one too
  CHECK(counts["testcase"] == 2 + 3 + 1 + 1);
  CHECK(counts["failure"] == 3);  // "Too much leave", "Wrong error" and the tricky one
  CHECK(counts["skipped"] == 1);  // "Right" has no e
  CHECK(counts["error"] == 1);
  CHECK(xml.find("<testcase name=\"Tricky &lt;&amp;&quot;&apos;&gt; name\" classname=\"test.leave\"") !=
        std::string::npos);
  CHECK(xml.find("<testsuites name=\"rulebook test\" tests=\"7\" failures=\"3\" errors=\"1\" time=\"") !=
        std::string::npos);
  CHECK(xml.find("outcome: expected approved, got refused\n") != std::string::npos);
  CHECK(xml.find("does not hold\n    test.leave version 1 as of 2026-03-02\n") != std::string::npos);
}

TEST_CASE("XML escaping covers markup, control characters and invalid UTF-8") {
  CHECK(scenario::xml_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&apos;");
  CHECK(scenario::xml_escape("tab\tnl\n") == "tab&#9;nl&#10;");
  CHECK(scenario::xml_escape(std::string("bell\x07")) == "bell?");
  CHECK(scenario::xml_escape("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(scenario::xml_escape("bad\xC3(") == "bad\xEF\xBF\xBD(");
  CHECK(scenario::xml_escape("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a UTF-16 surrogate
}

// ---- coverage -----------------------------------------------------------------------------------

TEST_CASE("rulebook test --coverage names the rules no scenario made fire and the output values never seen") {
  const Run r = run_test({kSuites + "/passing.scenarios", "--policies", kPolicies, "--coverage"});
  CHECK(r.code == cli::kOk);
  CHECK(r.out.rfind("test.leave 1: exception long-sick-referred (" + kPolicies +
                         "/leave.rules:29:1) never fired\n"
                         "test.leave 1: output outcome never was referred\n"
                         "test.leave 1: 3 of 4 rules fired, 5 of 6 output values seen, in 2 decisions\n",
                     0) == 0);  // then condition coverage (papercuts_test.cpp)
  const Run all = run_test({kSuites + "/passing.scenarios", kSuites + "/cases.scenarios.json", "--policies",
                            kPolicies, "--coverage"});
  CHECK(all.out.find("test.leave 1: 4 of 4 rules fired, 6 of 6 output values seen, in 4 decisions\n") !=
        std::string::npos);
}

TEST_CASE("the shipped aps.s26 2022 suite passes and makes every rule fire") {
  const std::string policies = std::string(RULEBOOK_SOURCE_DIR) + "/policies";
  const Run r = run_test({policies + "/aps/s26-2022.scenarios", "--policies", policies, "--coverage"});
  CHECK(r.code == cli::kOk);
  INFO(r.out);
  CHECK(r.out.find(" failed\n") != std::string::npos);
  CHECK(r.out.find(", 0 failed\n") != std::string::npos);
  // Nothing of version 2022 is left unexercised: no rule, exception or output value.
  // (Condition coverage lines also start "aps.s26 2022: rule "; these are the rules never fired.)
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const bool never_fired = line.size() > 11 && line.compare(line.size() - 11, 11, "never fired") == 0;
    CHECK_FALSE((line.rfind("aps.s26 2022: rule ", 0) == 0 && never_fired));
  }
  CHECK(r.out.find("aps.s26 2022: exception ") == std::string::npos);
  CHECK(r.out.find("aps.s26 2022: output ") == std::string::npos);
  CHECK(r.out.find("aps.s26 2022: ") != std::string::npos);
}

// ---- robustness -------------------------------------------------------------------------------

TEST_CASE("no mangled suite makes the readers or the runner throw") {
  const LoadResult loaded = load_policies({kPolicies});
  REQUIRE(loaded.set);
  const std::vector<std::string> seeds = {read(kSuites + "/passing.scenarios"), read(kSuites + "/failing.scenarios"),
                                          read(kSuites + "/cases.scenarios.json")};
  const std::string inserts[] = {"\"", "[", "]", "=", ",", "\n", "#", "\xff", std::string(1, '\0'), "scenario ",
                                 "expect ", "given ", "missing", "2026-02-30", "-", "9999999999999999999999", "{",
                                 "}", "not fired ", "error ", "as of "};
  std::mt19937 rng(20260302);
  scenario::RunOptions options;
  options.today = Date{};
  std::size_t ran = 0, threw = 0;
  for (int k = 0; k < 3000; ++k) {
    std::string text = seeds[static_cast<std::size_t>(k) % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text.erase(at, 1 + rng() % 8); break;
        case 1: text.insert(at, inserts[rng() % std::size(inserts)]); break;
        case 2: text.insert(at, text.substr(rng() % text.size(), rng() % 40)); break;
        default: text.resize(at); break;
      }
    }
    try {
      for (const auto& s : {scenario::parse_scenarios("m.scenarios", text), scenario::parse_json_suite("m.json", text)}) {
        if (has_errors(s.diagnostics)) continue;
        scenario::Coverage cov;
        const auto r = scenario::run_suite(*loaded.set, s, options, &cov);
        (void)scenario::junit_xml({r});
        (void)cov.report(*loaded.set);
        ++ran;
      }
    } catch (const std::exception& e) {
      ++threw;
      UNSCOPED_INFO("threw on:\n" << text << "\n" << e.what());
    }
  }
  CHECK(threw == 0);
  CHECK(ran > 100);
}

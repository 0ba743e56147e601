// Scenario suites (docs/scenarios.md): a readable format parsed with the rule
// language's front end, and JSON suites; running them against a PolicySet;
// the failure report, JUnit XML and rule coverage.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "rulebook/diagnostic.hpp"
#include "rulebook/evaluator.hpp"
#include "rulebook/limits.hpp"
#include "rulebook/policy_set.hpp"
#include "rulebook/value.hpp"

namespace rulebook::scenario {

// `OUTPUT = VALUE`: the expected value as the decision JSON writes it.
struct OutputExpectation {
  std::string output;
  nlohmann::json value;
  SourcePos pos;
  std::size_t value_begin = 0, value_end = 0;  // the value's bytes in a readable suite's text (--update)
};

// `fired RULE` (fired = true) or `not fired RULE`.
struct RuleExpectation {
  std::string rule;
  bool fired = true;
  SourcePos pos;
};

// `error CODE [at PATH, ...] [between RULE, ...]`.
struct ErrorExpectation {
  std::string code;
  std::optional<std::vector<std::string>> paths;  // compared as a set when given
  std::optional<std::vector<std::string>> rules;  // compared as a set when given
  SourcePos pos;
};

struct Scenario {
  std::string name;
  std::string policy;
  std::optional<Date> as_of;
  nlohmann::json facts = nlohmann::json::object();  // the request's "facts" object
  std::vector<OutputExpectation> outputs;
  std::vector<RuleExpectation> rules;
  std::optional<ErrorExpectation> error;
  std::optional<SourcePos> expect_all;  // `all`: every output must be listed
  SourcePos pos;                        // the `scenario` keyword, or the JSON case (a table's row)
  nlohmann::json defines = nlohmann::json::object();  // `given define NAME = VALUE`: name -> value
  std::optional<std::string> version;   // `expect version V`
  std::optional<std::string> hash;      // `expect hash H`
  SourcePos version_pos, hash_pos, defines_pos;
};

struct Suite {
  std::string path;   // as shown in reports
  std::string title;  // the suite's title (JSON suites: the file name)
  std::vector<Scenario> scenarios;
  std::vector<Diagnostic> diagnostics;  // problems reading the file; any error means it does not run
};

// The readable format. Never throws; every problem is a diagnostic.
Suite parse_scenarios(std::string path, const std::string& text, const Limits& limits = {});
// A JSON suite: a list of {name, policy, as_of, facts, expect}.
Suite parse_json_suite(std::string path, const std::string& text, const Limits& limits = {});
// Reads a file and parses it by its extension (.json: a JSON suite).
Suite load_suite(const std::string& path, const Limits& limits = {});

// Whether a file name is a suite: *.scenarios or *.scenarios.json.
bool is_suite_file(const std::string& name);
// Appends `path` (a file) or the suite files under it (a folder, recursively, in
// a stable order); false when it is neither.
bool collect_suite_files(const std::string& path, std::vector<std::string>& out);

// ---- running ------------------------------------------------------------------

enum class Status { passed, failed, skipped };

struct ScenarioResult {
  const Scenario* scenario = nullptr;
  Status status = Status::passed;
  std::vector<std::string> failures;  // "file:line: scenario "X": what: expected E, got A"
  std::string detail;                 // why the policy decided as it did, each line indented
  double seconds = 0;
  // A failed scenario that was decided: every output and its actual value, as a suite writes it (--update).
  std::vector<std::pair<std::string, std::string>> actual;

  // The failure lines and then the detail: what `rulebook test` prints.
  std::string report() const;
};

struct SuiteResult {
  const Suite* suite = nullptr;
  std::vector<ScenarioResult> results;
  std::chrono::system_clock::time_point started;  // when the suite began to run
  double seconds = 0;                              // how long it ran, wall time
};

// Which rules fired and which output values were seen, per policy version.
struct VersionCoverage {
  std::size_t decisions = 0;
  std::vector<bool> fired;                          // per rule
  std::vector<std::set<std::string>> values;        // per output: values seen ("null" for none)
  std::vector<std::set<std::string>> elements;      // per list output: elements seen
  std::vector<std::vector<bool>> condition_false;   // per rule, per condition: seen as the one that failed
};

class Coverage {
 public:
  void record(const Program& p, const Decision& d);
  // "aps.s26 2022: rule promotion (policies/aps/s26-2022.rules:120:1) never fired", ...
  std::string report(const PolicySet& set) const;
  // Condition coverage: each `and` part of a rule never seen as the one that
  // made the rule not apply (every part before it held, it did not).
  std::string condition_report(const PolicySet& set) const;
  // Whether some decision recorded by this version made rule `rule` fire (test --suggest).
  bool fired(const Program& p, uint32_t rule) const;

 private:
  std::map<const Program*, VersionCoverage> by_version_;
};

struct RunOptions {
  std::string filter;  // run only scenarios whose name contains this, ignoring case
  Limits limits;
  Date today;          // the as_of of a scenario that gives none
};

// Every output's actual value, as a suite writes it (test --update, test --suggest).
std::vector<std::pair<std::string, std::string>> actual_outputs(const Program& p, const Decision& d);

SuiteResult run_suite(const PolicySet& set, const Suite& suite, const RunOptions& options, Coverage* coverage);

// JUnit XML: one testsuite per file, one testcase per scenario.
// Valid against the strict JUnit schema in tests/scenario/junit.xsd (Jenkins' junit-10
// with Ant's typed attributes): real times, a `timestamp` per suite, no other attributes.
std::string junit_xml(const std::vector<SuiteResult>& results, const std::vector<const Suite*>& unreadable = {},
                      std::chrono::system_clock::time_point written = std::chrono::system_clock::now());

// Text escaped for XML attribute values and text (also replaces invalid UTF-8
// and control characters XML cannot hold).
std::string xml_escape(std::string_view text);

}  // namespace rulebook::scenario

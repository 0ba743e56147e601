// The scenarios of `rulebook test --suggest` (suggest.hpp). Each is checked
// before it is written: the whole file is parsed and run as `rulebook test`
// would run it, and a scenario that does not pass (its rule did not fire) is
// listed with the reason instead of being written.
#include "scenario/suggest.hpp"

#include <cctype>

#include "scenario/scenario.hpp"

namespace rulebook::scenario {

namespace {

std::string rule_label(const Program& p, uint32_t r) {
  const RuleInfo& rule = p.rules[r];
  return p.header.id + " " + p.header.version + ": " + (rule.exception_to.empty() ? "rule " : "exception ") +
         rule.name + " (" + rule.pos.file + ":" + std::to_string(rule.pos.line) + ":" +
         std::to_string(rule.pos.column) + ")";
}

std::string scenario_name(const Program& p, uint32_t r) { return "rule " + p.rules[r].name + " fires"; }

// One scenario: the facts, `fired RULE`, and every output the evaluator gives, to confirm.
std::string scenario_text(const Program& p, uint32_t r, const Facts& facts, const Decision& d) {
  std::string t = "scenario \"" + scenario_name(p, r) + "\"\n";
  t += "  as of " + format_iso_date(facts.as_of) + "\n";
  const std::string given = given_lines(p, facts);
  if (!given.empty()) t += "  given\n" + given;
  t += "  expect\n    fired " + p.rules[r].name + "\n";
  for (const auto& [name, value] : actual_outputs(p, d)) t += "    " + name + " = " + value + "  # confirm\n";
  return t + "\n";
}

std::string header(const Program& p) {
  return "# Written by `rulebook test --suggest`: a scenario for each rule of " + p.header.id + " " +
         p.header.version +
         " that no scenario made fire.\n"
         "# The facts come from the solver. The expected outputs are what the policy decides today:\n"
         "# confirm each line marked `# confirm` against the guidance (fix the value, or the policy)\n"
         "# before keeping the suite, then remove the marks.\n"
         "suite \"Suggested: rules no scenario made fire\" for " +
         p.header.id + "\n\n";
}

}  // namespace

std::string file_safe(std::string name) {
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  }
  return name;
}

std::string given_lines(const Program& p, const Facts& facts) {
  std::string t;
  for (SlotId s = 0; s < p.facts.size() && s < facts.values.size(); ++s) {
    const FieldInfo& f = p.facts[s];
    const Value& v = facts.values[s];
    if (v.is_missing() || v.kind == ValueKind::record) continue;  // an optional fact left out
    std::string shown = display_value(p, f.type, v, &facts.arena);
    if (v.kind == ValueKind::duration) {  // the scenario language writes one unit
      shown = v.dur.days == 0     ? std::to_string(v.dur.months) + " months"
              : v.dur.months == 0 ? std::to_string(v.dur.days) + " days"
                                  : "\"" + format_duration(v.dur) + "\"";
    }
    t += "    " + f.name + " = " + shown + "\n";
  }
  return t;
}

Suggestions suggest_scenarios(const PolicySet& set, const Coverage& coverage, const SuggestFacts& solve,
                              unsigned timeout_ms) {
  Suggestions out;
  for (const auto& version : set.versions()) {
    const Program& p = *version;
    std::vector<std::pair<uint32_t, std::string>> written;  // rule, its scenario
    for (uint32_t r = 0; r < p.rules.size(); ++r) {
      if (coverage.fired(p, r)) continue;
      const SuggestedFacts found = solve(p, r, timeout_ms);
      switch (found.outcome) {
        case SuggestedFacts::Outcome::impossible:
          out.unwritten.push_back(rule_label(p, r) +
                                  ": no facts make it fire: its conditions contradict each other, or an exception "
                                  "to it applies whenever it does (see rulebook check)");
          continue;
        case SuggestedFacts::Outcome::undecided:
          out.unwritten.push_back(rule_label(p, r) + ": the solver found no facts within " +
                                  std::to_string(timeout_ms) + " ms (" + found.why +
                                  "; raise --proof-timeout, or write this scenario by hand)");
          continue;
        case SuggestedFacts::Outcome::found: break;
      }
      const Decision d = evaluate(p, found.facts);
      if (d.error) {
        out.unwritten.push_back(rule_label(p, r) + ": the solver's facts end in the error " + d.error->code + " (" +
                                d.error->message + "); write this scenario by hand");
        continue;
      }
      written.emplace_back(r, scenario_text(p, r, found.facts, d));
    }
    if (written.empty()) continue;

    // Run the file as `rulebook test` will: keep only the scenarios that pass.
    SuggestedSuite suite;
    suite.file_name = file_safe(p.header.id + "-" + p.header.version + "-suggested") + ".scenarios";
    std::string text = header(p);
    for (const auto& w : written) text += w.second;
    const Suite parsed = parse_scenarios(suite.file_name, text);
    RunOptions options;
    options.today = p.header.in_force_from;
    const SuiteResult ran = has_errors(parsed.diagnostics) ? SuiteResult{} : run_suite(set, parsed, options, nullptr);
    suite.text = header(p);
    for (const auto& [r, scenario] : written) {
      const ScenarioResult* result = nullptr;
      for (const auto& sr : ran.results) {
        if (sr.scenario && sr.scenario->name == scenario_name(p, r)) result = &sr;
      }
      if (result && result->status == Status::passed) {
        suite.text += scenario;
        suite.rules.push_back(p.rules[r].name);
        continue;
      }
      std::string why = result ? "" : "the scenario could not be read back";
      if (result) {
        for (const auto& f : result->failures) why += (why.empty() ? "" : "; ") + f;
      }
      out.unwritten.push_back(rule_label(p, r) +
                              ": the solver's facts do not make it fire when run (they depend on something the "
                              "solver does not model): " + why);
    }
    if (!suite.rules.empty()) out.suites.push_back(std::move(suite));
  }
  return out;
}

}  // namespace rulebook::scenario

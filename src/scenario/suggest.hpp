// `rulebook test --suggest DIR` (docs/scenarios.md, docs/proofs.md): for each
// rule no scenario made fire, a scenario that does. The facts come from a
// solver, which the library does not link: the caller passes it in as a
// SuggestFacts function (the binary passes analysis::suggest_facts). The
// expected outputs written are what the evaluator gives for those facts, each
// marked `# confirm` for the tester to check against the guidance.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rulebook/evaluator.hpp"
#include "rulebook/policy_set.hpp"
#include "rulebook/program.hpp"

namespace rulebook::scenario {

class Coverage;

// The solver's answer for one rule: facts (and a date) under which it applies
// and no exception overrides it, or why there are none.
struct SuggestedFacts {
  enum class Outcome { found, impossible, undecided };
  Outcome outcome = Outcome::undecided;
  Facts facts;
  std::string why;  // undecided: what stopped the solver
};
using SuggestFacts = std::function<SuggestedFacts(const Program& p, uint32_t rule, unsigned timeout_ms)>;

struct SuggestedSuite {
  std::string file_name;  // policy-version-suggested.scenarios
  std::string text;
  std::vector<std::string> rules;  // the rules it makes fire, in rule order
};

struct Suggestions {
  std::vector<SuggestedSuite> suites;  // one per version with a rule to suggest for
  std::vector<std::string> unwritten;  // "t 1: rule r ... : why no scenario was written", one per rule
};

// For every rule of every version that `coverage` never saw fire.
Suggestions suggest_scenarios(const PolicySet& set, const Coverage& coverage, const SuggestFacts& solve,
                              unsigned timeout_ms);

// The facts as the lines of a scenario's `given` block ("    NAME = VALUE\n"
// each): an absent optional fact is left out. Shared with `check --witnesses`.
std::string given_lines(const Program& p, const Facts& facts);

// A name made safe as a file name: what is not a letter, digit, '.', '-' or '_' becomes '_'.
std::string file_safe(std::string name);

}  // namespace rulebook::scenario

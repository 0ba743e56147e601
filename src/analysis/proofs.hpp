// Proofs over a compiled policy with the Z3 solver (docs/proofs.md): conflicts,
// gaps, rules that can never apply and rules an exception always displaces.
// Run by `rulebook check` only: the decision path and `rulebook serve` never
// call the solver (they keep the enumeration of check/overlap.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rulebook/diagnostic.hpp"
#include "rulebook/evaluator.hpp"
#include "rulebook/policy_set.hpp"
#include "rulebook/program.hpp"
#include "scenario/suggest.hpp"

namespace rulebook::analysis {

struct ProofOptions {
  unsigned timeout_ms = 200;       // per query (a rule pair, a rule, an output)
  std::size_t max_findings = 100;  // diagnostics per policy; the analysis stops there
  // A policy of thousands of rules must not make `check` run for hours: the
  // proofs of one version stop after this many questions or this long, with
  // an `analysis-budget` warning (decisions still refuse any conflict they meet).
  std::size_t max_queries = 20000;
  unsigned total_ms = 30000;
};

// An example the solver found and the evaluator replayed: facts that show the problem.
struct Witness {
  std::string code;                // conflict, gap
  std::vector<std::string> names;  // the rules involved (a gap: the output)
  Facts facts;                     // every fact, and the decision's date in as_of
};

using LineOf = std::function<std::string(const SourcePos&)>;

// The findings on one program. `witnesses`, when given, receives each example.
std::vector<Diagnostic> prove(const Program& p, const ProofOptions& options, const LineOf& line_of,
                              std::vector<Witness>* witnesses = nullptr);

// A witness as a scenario suite a tester can run (`rulebook check --witnesses`):
// the example's facts and date, expecting the error it shows (`conflict
// between` the two rules, or `undecided`).
struct WitnessSuite {
  std::string file_name;  // policy-version-code-names.scenarios
  std::string text;
};
WitnessSuite witness_suite(const Program& p, const Witness& w);

// What `rulebook check` reports: load the paths, then, when every file
// compiled, the proofs over each version (their diagnostics appended).
// `suites`, when given, receives each example as a suite.
LoadResult check_policies(const std::vector<std::string>& paths, const LoadOptions& load,
                          const ProofOptions& options, std::vector<WitnessSuite>* suites = nullptr);

// `rulebook test --suggest`: facts (and a date in the version's range) under
// which rule `rule` applies and no exception overrides it; impossible when the
// solver proves there are none; undecided when it gives up within timeout_ms.
// The binary passes this to the test verb (the library does not link Z3).
scenario::SuggestedFacts suggest_facts(const Program& p, uint32_t rule, unsigned timeout_ms);

// Only the conflict pairs, by rule names "a/b" (a before b in the output's
// rule order): the test that the solver and the enumeration agree.
std::vector<std::string> proven_conflict_pairs(const Program& p, const ProofOptions& options);

}  // namespace rulebook::analysis

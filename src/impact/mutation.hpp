// `rulebook test --mutate` (docs/impact.md): each mutant of each policy file
// (mutators.hpp) is compiled in a scratch copy of the policies folder and the
// suites are run against it. A mutant is killed when a scenario that passes
// against the real policies fails against it, rejected when the checker
// refuses it (it cannot reach a decision), and survives otherwise: a change no
// scenario notices. The score of a policy is killed / (killed + survived).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "impact/mutators.hpp"
#include "scenario/scenario.hpp"

namespace rulebook::impact {

enum class MutantStatus { killed, survived, rejected };

struct MutantResult {
  std::string file;    // as the policies folder names it: policies/aps/s26-2022.rules
  std::string policy;  // "aps.s26 2022"
  Mutant mutant;
  MutantStatus status = MutantStatus::survived;
  std::string killed_by;  // the first scenario that noticed it: "file:line scenario \"name\""
};

struct MutationReport {
  std::vector<MutantResult> results;
  std::string error;  // the run could not be made (the policies do not compile, a scratch copy failed)
  std::size_t baseline_failures = 0;  // scenarios failing before any mutation (ignored)
};

// `policies` is the folder; `suites` the parsed suites (readable ones only).
MutationReport run_mutation(const std::string& policies, const std::vector<scenario::Suite>& suites,
                            const scenario::RunOptions& options);

// Survivors one per line ("FILE:LINE: rule R: CHANGE survived"), then a score per policy version.
std::string mutation_text(const MutationReport& r);

}  // namespace rulebook::impact

// What changed in the rules themselves between two policy sets: versions and
// rules added, removed or edited (title, citation, exceptions, conditions,
// assignments), matched by policy id, version and rule name; dated parameters
// too (title, citation, entries), matched by name.
#pragma once

#include <string>
#include <vector>

#include "rulebook/policy_set.hpp"

namespace rulebook::impact {

struct RuleChange {
  std::string policy;
  std::string version;
  std::string rule;     // empty for a whole version added or removed
  std::string kind;     // "added", "removed", "edited"
  std::string where;    // "aps/s26-2022.rules:235" (NEW's place, BASE's for a removal)
  std::vector<std::string> details;  // edited: "then: date_of_effect = a + 4 weeks → date_of_effect = a + 6 weeks"
  std::string item = "rule";  // what `rule` names: a "rule" or a dated "parameter" (issue 14)
};

// "a, b, c": names joined for a report line (the rules diff and the report use it).
std::string join(const std::vector<std::string>& items);

// `base_root` and `new_root` are stripped from file names, so both sides read alike.
std::vector<RuleChange> diff_rules(const PolicySet& base, const PolicySet& next, const std::string& base_root,
                                   const std::string& new_root);

}  // namespace rulebook::impact

// The checker: resolves names, types every expression, enforces presence
// guards on optional values, orders exceptions, rejects cycles, and compiles
// the result into a Program. It never evaluates anything that depends on facts.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "rulebook/diagnostic.hpp"
#include "rulebook/limits.hpp"
#include "rulebook/program.hpp"

namespace rulebook {

struct CheckResult {
  std::unique_ptr<Program> program;  // null when there are errors
  std::vector<Diagnostic> diagnostics;
};

// `modules` are the files the policy uses, directly or not, each once, in an
// order where a module comes after the modules it uses.
CheckResult check_policy(const ast::File& policy, const std::vector<const ast::File*>& modules,
                         const Limits& limits = {});

// Checks a module on its own (its types, facts and defines), for `rulebook check`.
std::vector<Diagnostic> check_module(const ast::File& module, const std::vector<const ast::File*>& modules,
                                     const Limits& limits = {});

// ---- sub-decisions (issue 14) ----
// The loaded versions of each policy, by id, that a `decision of` may name: the
// loader checks callees first. An id whose versions failed to check has an empty
// list (its callers are not checked against it, and get no follow-on error).
using CalleeVersions = std::map<std::string, std::vector<std::shared_ptr<const Program>>, std::less<>>;
CheckResult check_policy(const ast::File& policy, const std::vector<const ast::File*>& modules,
                         const CalleeVersions& callees, const Limits& limits = {});
// The `decision of` in the defines of `f`: the policy ids they name and where.
std::vector<ast::NameRef> sub_decision_refs(const ast::File& f);
// ---- end of sub-decisions ----

// The closest of `candidates` to `name`, or "" when none is close enough.
std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace rulebook

// Lint: warnings about a policy that compiles but likely says something other
// than its author meant. Run after check_policy; never errors, so a policy with
// warnings still serves (`rulebook check --strict` makes them fail).
//
//   unused-member     an enum member no define, rule or default mentions
//   output-never-set  an optional output no rule assigns (it is always null)
//   cite-not-in-source  a cite quotes ('...') text that is not in any of the
//                     policy's source texts (policies/sources/*.txt)
// (unused-fact and missing-cite are the checker's own, src/check/rules.cpp.)
#pragma once

#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "rulebook/diagnostic.hpp"

namespace rulebook {

// `modules`: the files `policy` uses (their expressions count as mentions).
// `source_texts`: the texts of the policy's sources; when empty, cites are not compared.
std::vector<Diagnostic> lint_policy(const ast::File& policy, const std::vector<const ast::File*>& modules,
                                    const std::vector<std::string>& source_texts);

// The quoted passages of a cite: the text between a ' that opens (after a space
// or at the start) and a ' that closes (before a space, punctuation or the end),
// split at "..." where the cite leaves words out.
std::vector<std::string> quoted_passages(const std::string& cite);

}  // namespace rulebook

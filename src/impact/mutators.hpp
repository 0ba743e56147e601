// The mutants of one policy file for `rulebook test --mutate` (docs/impact.md):
// small text edits a wrong policy could plausibly contain, each of which a good
// suite should notice. Per rule:
//  - each comparison flipped: `<` to `<=`, `<=` to `<`, `>` to `>=`, `>=` to `>`;
//  - each condition (a top-level `and` part of `when`) dropped (replaced by `yes`);
//  - each condition negated (`not (...)`);
//  - each literal assigned value changed to another of its type's values: yes/no
//    flipped, the next member of a `one of` (the first after the last), a number
//    or decimal plus 1, a duration one day longer;
//  - its `exception to` clause removed.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "rulebook/program.hpp"

namespace rulebook::impact {

struct Mutant {
  std::string rule;
  std::size_t line = 0;    // of the change, 1-based
  std::string change;      // "condition 2 negated", "'<' → '<='", ...
  std::size_t begin = 0, end = 0;  // the bytes of the file's text replaced
  std::string replacement;
};

// `file` is the parsed text; `program` the compiled version it is the policy file of
// (for the types of assigned values).
std::vector<Mutant> mutants_of(const ast::File& file, const Program& program);

// The file's text with the mutant applied.
std::string apply_mutant(const std::string& text, const Mutant& m);

}  // namespace rulebook::impact

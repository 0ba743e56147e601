// The front end: .rules text in, syntax tree and diagnostics out.
#pragma once

#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "rulebook/diagnostic.hpp"
#include "rulebook/limits.hpp"

namespace rulebook {

struct ParseResult {
  ast::File file;
  std::vector<Diagnostic> diagnostics;
};

// Never throws for any input: every problem becomes a diagnostic. After a
// syntax error the parser resumes at the next top-level keyword in column 1,
// so one run reports the errors of every broken item.
ParseResult parse_rules(std::string path, std::string text, const Limits& limits = {});

}  // namespace rulebook

// Sub-decisions (issue 14): the order in which the loader checks policies, so
// that a policy's `decision of` callees are compiled before it.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "lang/ast.hpp"
#include "rulebook/diagnostic.hpp"
#include "rulebook/limits.hpp"

namespace rulebook {

struct CallOrder {
  std::vector<std::string> ids;    // every policy id, each after the policies it decides
  std::set<std::string> blocked;   // ids on a circle or too deep a chain: not checked
  std::vector<Diagnostic> diagnostics;
};

// `policies` are the parsed policy files (every version of every id). A circle
// of policies deciding each other is an error at each `decision of` on it; so
// is a chain of more than limits.max_use_depth policies.
CallOrder order_by_calls(const std::vector<const ast::File*>& policies, const Limits& limits);

}  // namespace rulebook

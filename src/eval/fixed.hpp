// Evaluation with some defines fixed to a value whatever the facts: a
// scenario's `given define NAME = VALUE` (docs/scenarios.md). The decision API
// never fixes anything; evaluate_into is this with nothing fixed.
#pragma once

#include <span>
#include <utility>

#include "rulebook/evaluator.hpp"

namespace rulebook {

void evaluate_fixed(const Program& program, const Facts& facts, std::span<const std::pair<SlotId, Value>> fixed,
                    Decision& out);

}  // namespace rulebook

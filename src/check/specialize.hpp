// A peephole pass over a checked program: replaces the commonest shapes
// (`fact is value`, `not fact`, reading a fact) with single nodes the
// evaluator runs without recursion. Meaning and explanations are unchanged.
#pragma once

#include "rulebook/program.hpp"

namespace rulebook {

void specialize(Program& p);

}  // namespace rulebook

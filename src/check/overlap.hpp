// Proves conflicts between rules before any decision is made (see overlap.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "rulebook/diagnostic.hpp"
#include "rulebook/program.hpp"

namespace rulebook {

struct ConflictOptions {
  std::size_t max_combinations = 4096;    // per rule pair; larger pairs are left to decision time
  std::size_t max_evaluations = 1000000;  // per policy
  std::size_t max_conflicts = 100;        // conflicts reported per policy; the analysis stops there
};

std::vector<Diagnostic> find_conflicts(const Program& p, const ConflictOptions& options,
                                       const std::function<std::string(const SourcePos&)>& line_of);

}  // namespace rulebook

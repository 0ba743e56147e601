// Generated cases for `rulebook diff --generate N`: for each policy version,
// N cases, each aimed at one rule, round robin: even cases make the rule's
// conditions all hold, odd ones then make one of its conditions fail (each in
// turn). Values come from each fact's domain: both yes/no values, every
// member of a `one of`, "not given" for an optional fact, and for numbers,
// dates, durations and texts the constants the policy compares them with and
// their neighbours (the boundaries), and dates around the version's start.
// Deterministic: the same program and N give the same cases.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rulebook/limits.hpp"
#include "rulebook/program.hpp"

namespace rulebook::impact {

struct GeneratedCase {
  std::string policy;
  Date as_of;
  nlohmann::json facts;
  std::string purpose;  // "#3: rule four-weeks-after-notice holds", "#4: rule X: condition 2 fails"
};

std::vector<GeneratedCase> generate_cases(const Program& p, std::size_t n, const Limits& limits = {});

}  // namespace rulebook::impact

// The explanation's account of per-output exceptions and collect outputs
// (issue 14), for decision_json.cpp: which outputs of a rule an exception
// displaced and by which rule, and what each rule gave a collect output.
#pragma once

#include <string>
#include <vector>

#include "facts/json_writer.hpp"
#include "rulebook/evaluator.hpp"

namespace rulebook::explain {

struct Displacement {
  uint32_t output = 0;  // index into Program::outputs
  uint32_t by = 0;      // the exception that displaced the rule for that output
};

// For a rule whose conditions held: each output it sets that an applying exception displaced.
std::vector<Displacement> displacements(const Program& p, const Decision& d, uint32_t rule);
// "; for 'tax' it was overridden by the exception low-income" (empty when none): an applied rule.
std::string partly_overridden_text(const Program& p, const Decision& d, uint32_t rule);
// " held but was overridden by the exception X" (and, per output, when several displaced it).
std::string overridden_text(const Program& p, const Decision& d, uint32_t rule);
// "X, Y for 'tax'": the rules this exception displaced (empty when none).
std::string overrode_text(const Program& p, const Decision& d, uint32_t exception);
// JSON: "overridden_for": [{"output", "by"}] when the rule was displaced for any output;
// "overrode": the rules the exception displaced for some output.
void write_overridden_for(JsonWriter& w, const Program& p, const Decision& d, uint32_t rule);
void write_overrode(JsonWriter& w, const Program& p, const Decision& d, uint32_t exception);
// A collect output: "collect" and "contributions": [{"rule", "value"}], in the order the rules stand.
void write_contributions(JsonWriter& w, const Program& p, const Decision& d, uint32_t output);
// ", sum of rules: extra-vacation.1 gives 5, extra-vacation.4 gives 2" (or ", sum of rules: no rule applied").
std::string contributions_text(const Program& p, const Decision& d, uint32_t output);

}  // namespace rulebook::explain

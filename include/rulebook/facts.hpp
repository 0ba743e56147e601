// Reading a request's facts: JSON in, slot values out, with every problem
// reported at once by its JSON path. A fact the policy does not declare is a
// problem too, so a typo can never silently change a decision.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "rulebook/evaluator.hpp"
#include "rulebook/limits.hpp"
#include "rulebook/program.hpp"

namespace rulebook {

struct FactProblem {
  std::string path;     // "employee.classification", "dates.notice_given_on", "x.items[2]"
  std::string problem;  // what is wrong, in words
};

// From the request reader's document (the fast path the server uses).
class JsonDocument;
struct JsonValue;
std::vector<FactProblem> read_facts(const Program& program, const JsonDocument& doc, const JsonValue& facts,
                                    const Limits& limits, Facts& out);
// From a nlohmann::json object (tests, scenarios, tools).
std::vector<FactProblem> read_facts(const Program& program, const nlohmann::json& facts, const Limits& limits,
                                    Facts& out);

// Parses an ISO 8601 duration of years, months, weeks and days: P1Y2M, P4W, P28D.
std::optional<Duration> parse_iso_duration(std::string_view text);

}  // namespace rulebook

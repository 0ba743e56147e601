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
  FactProblem() = default;
  FactProblem(std::string path_, std::string problem_) : path(std::move(path_)), problem(std::move(problem_)) {}
  std::string path;     // "employee.classification", "dates.notice_given_on", "x.items[2]"
  std::string problem;  // what is wrong, in words
  // ---- require (issue 14, law-require) ----
  // A broken require: `problem` is its message, `path` the first fact its condition
  // reads, `paths` every one of them (through defines), `require` its index.
  std::vector<std::string> paths;
  uint32_t require = kNone;
};

// ---- require (issue 14, law-require) ----
// The problem of require `k` of `program` (as FactProblem above).
FactProblem require_problem(const Program& program, uint32_t k);
// Adds one problem per require the facts break. With fact problems already in
// `problems`, only the requires that read none of the facts in trouble are
// evaluated (the others cannot be judged on facts that did not read).
void add_require_problems(const Program& program, const Facts& facts, std::vector<FactProblem>& problems);

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

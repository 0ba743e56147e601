// `rulebook diff` (docs/impact.md): one case decided against two policy sets,
// BASE and NEW, and every difference between the two answers tallied per
// policy, per output and per `old → new` pair, with a count and the first
// example. Memory is bounded whatever the number of cases: at most
// kMaxPairsPerOutput distinct pairs are kept per output; the rest are counted.
#pragma once

#include <cstddef>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rulebook/evaluator.hpp"
#include "rulebook/limits.hpp"
#include "rulebook/policy_set.hpp"

namespace rulebook {
class JsonDocument;
struct JsonValue;
}  // namespace rulebook

namespace rulebook::impact {

// Where cases come from, for the report's counts.
enum class Source { suite, log, generated };

// One case to decide: a policy, a date and facts, either as the fast reader's
// document (decision logs) or as nlohmann JSON (suites, generated cases).
struct CaseView {
  Source source = Source::suite;
  std::string_view policy;
  Date as_of;
  const JsonDocument* doc = nullptr;
  const JsonValue* doc_facts = nullptr;
  const nlohmann::json* facts = nullptr;
  std::string_view origin_file;  // suite or log file, or the policy version generated from
  std::size_t origin_line = 0;
  std::string_view origin_name;  // a scenario's name, a generated case's purpose
};

// The first case seen for one change.
struct Example {
  std::string origin;  // "policies/aps/s26-2022.scenarios:20 scenario \"...\"", "log.jsonl:7"
  std::string as_of;
  std::string facts;   // compact JSON
  std::string old_version, new_version;       // the versions that answered ("" for none)
  std::vector<std::string> fired_only_old;   // rules that fired in BASE only
  std::vector<std::string> fired_only_new;   // in NEW only
  std::string decided_by_old, decided_by_new;  // the rule that set this output on each side ("" for none)
};

struct Change {
  std::size_t count = 0;
  Example example;
};

inline constexpr std::size_t kMaxPairsPerOutput = 100;

struct OutputChanges {
  std::map<std::pair<std::string, std::string>, Change> pairs;  // (old, new) -> change
  std::size_t other_pairs = 0;      // distinct pairs past kMaxPairsPerOutput (an upper bound: not deduplicated)
  std::size_t other_decisions = 0;  // the decisions they hold
};

// "(result)" is the pseudo output for a decision on one side and an error on
// the other, or two different errors: its values are "decision" or "error CODE".
inline constexpr const char* kResult = "(result)";

struct PolicyChanges {
  std::map<std::string, OutputChanges> outputs;  // by output name
  std::size_t decisions = 0;                     // cases of this policy replayed
  std::size_t changed = 0;                       // of which any output or the result changed
};

struct Tally {
  std::size_t cases[3] = {0, 0, 0};  // by Source
  std::size_t changed = 0;
  std::map<std::string, PolicyChanges, std::less<>> policies;  // by policy id
};

class Replayer {
 public:
  Replayer(const PolicySet& base, const PolicySet& next, const Limits& limits = {});
  // Decides `c` against both sets; true when anything differs.
  bool replay(const CaseView& c);
  const Tally& tally() const { return tally_; }

 private:
  struct Side {
    const Program* program = nullptr;
    std::string_view error;  // empty when decided
    Facts facts;
    Decision decision;
  };
  struct OutputMap {
    std::vector<uint32_t> base_of_new;   // per NEW output: the BASE output of that name, or kNone
    std::vector<uint8_t> same_type;      // per NEW output: values compare directly
    std::vector<uint32_t> base_only;     // BASE outputs NEW lacks
  };
  void decide(const PolicySet& set, const CaseView& c, Side& side);
  const OutputMap& output_map(const Program& base, const Program& next);
  void record(const CaseView& c, const std::string& output, std::string old_value, std::string new_value,
              uint32_t base_output, uint32_t new_output);

  const PolicySet& base_;
  const PolicySet& next_;
  Limits limits_;
  Side old_, new_;
  std::map<std::pair<const Program*, const Program*>, OutputMap> maps_;
  Tally tally_;
};

// A value as a report shows it: display_value's text, "null" when missing.
std::string shown(const Program& p, TypeId type, const Value& v, const std::vector<Value>& arena);

}  // namespace rulebook::impact

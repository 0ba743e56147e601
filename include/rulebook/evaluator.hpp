// The evaluator: a compiled Program and validated facts in, a Decision out.
// Pure, total and deterministic: no I/O, no loops over input, no recursion
// beyond the (checked, bounded) depth of the policy's own definitions.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/program.hpp"

namespace rulebook {

// Fact values by slot, as the facts reader produces them. Defaults are
// already applied; an optional fact without a default that was not sent is missing.
struct Facts {
  std::vector<Value> values;      // one per fact
  std::vector<Value> arena;       // elements of list facts
  std::deque<std::string> texts;  // storage for text facts (stable addresses)
  Date as_of{};                   // the decision's date: `as_of` in the rules
};

enum class RuleStatus : uint8_t {
  not_evaluated,  // only when evaluation stopped on an error
  applied,        // every condition held and no exception to it applied
  not_applied,    // a condition failed
  overridden,     // every condition held, but an exception to it applied
  unknown,        // only in the checker's overlap analysis: depends on facts not enumerated
};

// RuleOutcome::failed_condition of a rule not in force on as_of (`in force from ... until ...`, issue 14).
inline constexpr uint32_t kNotInForce = 0xFFFFFFFEu;

struct RuleOutcome {
  RuleStatus status = RuleStatus::not_evaluated;
  uint32_t failed_condition = kNone;  // not_applied: index of the first condition that failed, or kNotInForce
  uint32_t overridden_by = kNone;     // overridden: the exception that applied
  bool exceptions_checked = false;    // internal: no exception to it applies (memo)
};

struct DecisionError {
  std::string code;     // "conflict", "undecided", "arithmetic", "invalid_facts" (a require failed)
  std::string message;
  std::vector<std::string> rules;  // the rules involved, for a conflict
};

// A function call the explanation shows: one made outside any other call or
// aggregate, with its arguments' values (in Decision::call_args) and its result.
struct CallRecord {
  uint32_t site = 0;         // index into Program::call_sites
  uint32_t args_offset = 0;  // into Decision::call_args
  Value result;
};

// An aggregate the explanation shows: one outside any call or other aggregate.
struct AggregateRecord {
  uint32_t site = 0;     // index into Program::aggregate_sites
  uint32_t read = 0;     // items of the list it went through
  uint32_t matched = 0;  // items that met `where` (every/some: that satisfied the condition)
  Value result;
  // every/some: the item that settled it (every: the first that failed the
  // condition; some: the first that met it), kNone when none did.
  uint32_t decisive = kNone;
  Value item;
};

// ---- collect outputs (issue 14) ----
// One rule's contribution to an output declared `sum of rules`, `list of rules`, ...
struct Contribution {
  uint32_t output = 0;  // index into Program::outputs
  uint32_t rule = 0;
  Value value;
};

// ---- sub-decisions (issue 14) ----
struct Decision;
// A `decision of` made while deciding: the callee's facts and decision, kept for
// the explanation and `fired` (the callee's text values point into them).
struct SubDecisionRecord {
  uint32_t site = 0;                       // index into Program::sub_decisions
  std::shared_ptr<const Program> program;  // the callee version that decided
  std::shared_ptr<const Facts> facts;
  std::shared_ptr<const Decision> decision;
};

struct Decision {
  std::vector<Value> slots;        // every fact, define and output value
  std::vector<uint8_t> evaluated;  // whether each slot was computed
  std::vector<Value> arena;        // list elements
  std::vector<RuleOutcome> rules;  // one per rule of the program
  std::vector<uint32_t> fired;     // applied rules, in the order they were found to apply
  std::vector<uint32_t> output_rule;  // per output: the rule that decided it, or kNone (default or missing)
  std::optional<DecisionError> error;
  std::vector<Value> scratch;  // internal: list items being built (kept to reuse its memory)
  std::deque<std::string> texts;  // text computed during the decision (lower, upper): stable addresses
  Date as_of{};                   // the decision's date, from Facts::as_of
  std::vector<Value> locals;       // internal: function arguments and aggregate variables in scope
  std::vector<CallRecord> calls;   // function calls for the explanation (at most kMaxCallRecords)
  std::vector<Value> call_args;    // their arguments, each call's in a row
  std::vector<AggregateRecord> aggregates;  // for the explanation (at most kMaxCallRecords)
  static constexpr std::size_t kMaxCallRecords = 100;
  std::vector<Contribution> contributions;  // collect outputs (issue 14): in the order the rules stand
  std::vector<SubDecisionRecord> sub_decisions;  // sub-decisions (issue 14), in the order they were made
  // ---- require (issue 14, law-require) ----
  // The requires whose condition the facts broke (indexes into Program::requirements);
  // when any did, `error` is invalid_facts and no output was computed.
  std::vector<uint32_t> failed_requires;

  const Value& output(const Program& p, uint32_t o) const { return slots[p.output_slot(o)]; }
};

Decision evaluate(const Program& program, const Facts& facts);
// The same, reusing `out`'s buffers: the hot path allocates nothing once warm.
void evaluate_into(const Program& program, const Facts& facts, Decision& out);

// ---- require (issue 14, law-require) ----
// The requires `facts` break (indexes into Program::requirements), evaluating
// only those all of whose facts are usable (`usable_fact[f]`, one per fact; null: all).
// A require whose evaluation fails (as an arithmetic error) is not counted broken.
std::vector<uint32_t> broken_requirements(const Program& program, const Facts& facts,
                                          const std::vector<bool>* usable_fact);

bool values_equal(const Value& a, const Value& b, const std::vector<Value>& arena_a,
                  const std::vector<Value>& arena_b);

}  // namespace rulebook

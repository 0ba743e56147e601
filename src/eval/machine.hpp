// The evaluation machine shared by the evaluator and the checker's overlap
// analysis. In analysis mode a value may be `unknown` (a fact the analysis did
// not enumerate); `and`, `or` and `if` follow three-valued (Kleene) logic and
// every other operation on an unknown is unknown.
#pragma once

#include <string>
#include <vector>

#include "rulebook/evaluator.hpp"

namespace rulebook::eval {

struct Failure {
  std::string code;
  std::string message;
  std::vector<std::string> rules;
};

enum class Tri : uint8_t { no, yes, unknown };

class Machine {
 public:
  Machine(const Program& p, Decision& d, bool analysis) : p_(p), d_(d), analysis_(analysis) {}

  // Throws Failure (never in analysis mode, where failures become unknown).
  Value eval(NodeId id);
  // eval() with the two commonest leaves (a fact, a constant) read in place.
  Value operand(NodeId id) {
    const Node& n = p_.nodes[id];
    if (n.op == Op::load_fact) return d_.slots[n.aux];
    if (n.op == Op::constant) return n.constant;
    return eval(id);
  }
  // Not in analysis mode: the truth of a yes/no expression, without building
  // Values for the common shapes (conditions are almost all yes/no).
  bool truth(NodeId id);
  // The memo checks are inline; the work is out of line.
  const Value& load(SlotId slot) {
    return d_.evaluated[slot] == kDone ? d_.slots[slot] : compute(slot);
  }
  Tri rule_applies(uint32_t rule) {  // all conditions hold (before exceptions)
    switch (d_.rules[rule].status) {
      case RuleStatus::applied:
      case RuleStatus::overridden: return Tri::yes;
      case RuleStatus::not_applied: return Tri::no;
      case RuleStatus::unknown: return Tri::unknown;
      case RuleStatus::not_evaluated: break;
    }
    return try_rule(rule);
  }
  // Every output it sets is displaced by an applying exception that sets it too (issue 14).
  bool rule_overridden(uint32_t rule);
  void resolve_output(uint32_t output);
  // Per output (issue 14): the first applying exception that displaces `rule` for the
  // output of its assignment number `assignment`, or kNone.
  uint32_t displaced_by(uint32_t rule, uint32_t assignment);

 private:
  static constexpr uint8_t kPending = 0, kBusy = 1, kDone = 2;  // Decision::evaluated
  [[gnu::noinline]] const Value& compute(SlotId slot);
  [[gnu::noinline]] Tri try_rule(uint32_t rule);
  Value fail(const char* code, std::string message);
  [[gnu::noinline]] Value arithmetic(const Node& n, NodeId id);
  Value compare(const Node& n);
  [[gnu::noinline]] Value build_list(const Node& n);
  [[gnu::noinline]] Value build_record(const Node& n);
  [[gnu::noinline]] Value call(const Node& n);
  [[gnu::noinline]] Value text(const Node& n);
  [[gnu::noinline]] Value call_function(const Node& n);
  [[gnu::noinline]] Value aggregate(const Node& n);
  // ---- collect outputs (issue 14) ----
  [[gnu::noinline]] void resolve_collect(uint32_t output);  // collect.cpp
  [[gnu::noinline]] Value parameter(const Node& n);  // dated parameters (issue 14, law-values)
  [[gnu::noinline]] Value sub_decision(const Node& n);  // sub-decisions (issue 14): eval/subdecision.cpp
  NodeId kid(const Node& n, uint32_t k) const { return p_.kids[n.kids + k]; }

  const Program& p_;
  Decision& d_;
  bool analysis_;
};

// -1, 0, 1; both values of one ordered type.
int compare_values(const Value& a, const Value& b);

}  // namespace rulebook::eval

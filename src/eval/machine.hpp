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
  const Value& load(SlotId slot);
  Tri rule_applies(uint32_t rule);   // all conditions hold (before exceptions)
  bool rule_overridden(uint32_t rule);  // some exception to it applies
  void resolve_output(uint32_t output);

 private:
  Value fail(const char* code, std::string message);
  [[gnu::noinline]] Value arithmetic(const Node& n, NodeId id);
  Value compare(const Node& n);
  [[gnu::noinline]] Value build_list(const Node& n);
  [[gnu::noinline]] Value call(const Node& n);
  NodeId kid(const Node& n, uint32_t k) const { return p_.kids[n.kids + k]; }

  const Program& p_;
  Decision& d_;
  bool analysis_;
};

// -1, 0, 1; both values of one ordered type.
int compare_values(const Value& a, const Value& b);

}  // namespace rulebook::eval

// Translation of a compiled Program into Z3 terms (docs/proofs.md).
//
// Every fact becomes a solver variable of its type: yes/no a Boolean, whole
// numbers, dates (day numbers), enumerations (member index) and texts (an id:
// each text constant of the policy has its own, so only equality is modelled)
// integers, decimals exact reals, durations a pair of integers (months, days).
// An optional fact has a second, Boolean variable: whether it is given.
// Defines are inlined; an output read by a condition is the value of the first
// rule that applies and is not overridden, else its default.
//
// Whatever is not modelled (aggregates, lists that are not literals, function
// calls, text functions, powers, rounding, ...) becomes a fresh variable with
// no constraint: the solver may then find "examples" that cannot happen, never
// miss one that can. So an unsatisfiable query is a proof; a satisfiable one
// is only reported after its example has been replayed through the evaluator
// (see proofs.cpp).
#pragma once

#include <z3++.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/evaluator.hpp"
#include "rulebook/program.hpp"

namespace rulebook::analysis {

// A value in the solver: `value` (for a duration, its months; `days` its days)
// and whether it is given (false only for an absent optional fact or output).
struct Term {
  z3::expr value;
  z3::expr days;
  z3::expr given;
};

class Translator {
 public:
  Translator(z3::context& c, const Program& p);

  // The conditions of rule r all hold.
  z3::expr applies(uint32_t rule);
  // r applies and no exception to it does: it decides its outputs.
  z3::expr decides(uint32_t rule);
  // r applies and no exception to it that sets `output` too does (issue 14).
  z3::expr decides(uint32_t rule, uint32_t output);
  Term node(NodeId id);
  Term slot(SlotId s);
  // The value rule r assigns to output o (r must assign it).
  Term assigned(uint32_t rule, uint32_t output);
  // Two values of one type are equal (both given and equal, or both absent).
  z3::expr equal(TypeId type, const Term& a, const Term& b);
  // Ranges of dates and enumerations, bounds of month arithmetic: assert with every query.
  const z3::expr_vector& axioms() const { return axioms_; }

  // Facts (and the decision date) from a model: what the solver's example reads as input.
  Facts facts_from(const z3::model& m);

 private:
  Term fresh(TypeId type);
  Term opaque(const Node& n);
  NodeId through_defines(NodeId id) const;        // a define's expression in place of reading it
  std::optional<z3::expr> count_of(NodeId list);  // count(list), when the list is written out  // an operation not modelled: the same for the same operands
  Term translate(NodeId id);
  Term constant(const Node& n);
  Term fact_term(SlotId s);
  Term output_term(uint32_t o);
  z3::expr text_id(std::string_view text);
  z3::expr compare(Op op, TypeId type, const Term& a, const Term& b);
  z3::expr add_months(const z3::expr& date, const z3::expr& months);
  NodeId kid(const Node& n, uint32_t k) const { return p_.kids[n.kids + k]; }
  TypeKind kind(TypeId t) const { return p_.types[t].kind; }

  z3::context& c_;
  const Program& p_;
  z3::expr_vector axioms_;
  z3::expr as_of_;
  z3::func_decl add_months_;
  std::vector<std::optional<Term>> slots_;
  std::vector<std::optional<Term>> nodes_;
  std::vector<std::optional<z3::expr>> applies_;
  std::map<std::string, Term> opaque_;
  std::map<std::string, int64_t, std::less<>> text_ids_;  // text constant -> its id (from 1)
  unsigned fresh_count_ = 0;
};

}  // namespace rulebook::analysis

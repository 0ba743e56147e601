// Presence guards: an optional value with no default may be read only where
// it is known to be present. Guards are made by `is given` / `is missing`
// and flow through `not`, `and`, `or` and `if` (and from a rule's `when` into its `then`).
#include "check/checker_impl.hpp"

#include <algorithm>

namespace rulebook::checking {

Guards Checker::merged(Guards a, const Guards& b) {
  for (SlotId s : b) {
    if (std::find(a.begin(), a.end(), s) == a.end()) a.push_back(s);
  }
  return a;
}

bool Checker::guarded(const Guards& g, SlotId s) const { return std::find(g.begin(), g.end(), s) != g.end(); }

// `x is given` is true only when x is present; `x is missing` only when it is not.
Checked Checker::check_presence_test(const ast::Expr& e, const Guards& g) {
  using K = ast::ExprKind;
  const ast::Expr& operand = *e.children[0];
  if (operand.kind != K::name) {
    error("presence-test", e.pos, "'is given' and 'is missing' test a fact or an output by name");
    return Checked{};
  }
  Checked c = check_name(operand, kNone, g, true);
  if (!c.ok()) return c;
  const Node& target = p_->nodes[c.node];
  SlotId slot = target.aux;
  bool optional = false;
  if (target.op == Op::field) {  // a record's field: guarded by its path as written
    const Node& record = p_->nodes[p_->kids[target.kids]];
    optional = p_->types[record.type].fields[target.aux].optional;
    slot = path_key(operand.text);
  } else if (target.op == Op::local) {  // a parameter or an item: always present
    slot = kNone;
  } else {
    optional = slot_optional(slot);
  }
  if (!optional) {
    warning("always-given", e.pos, "'" + operand.text + "' always has a value (it is required or has a default)");
  }
  Node n;
  n.op = e.kind == K::is_given ? Op::is_given : Op::is_missing;
  n.type = types::boolean;
  Checked out{add(n, {c.node}), types::boolean, {}, {}};
  if (slot != kNone) (e.kind == K::is_given ? out.when_true : out.when_false).push_back(slot);
  return out;
}

// `not` swaps what is known when true and when false.
Checked Checker::check_not(const ast::Expr& e, const Guards& g) {
  Checked c = check_bool(*e.children[0], g);
  if (!c.ok()) return c;
  Node n;
  n.op = Op::not_;
  n.type = types::boolean;
  return Checked{add(n, {c.node}), types::boolean, c.when_false, c.when_true};
}

Checked Checker::check_logic(const ast::Expr& e, const Guards& g) {
  using K = ast::ExprKind;
  // Guards flow left to right: in `x is given and x > 3` the second part may read x.
  const bool is_and = e.kind == K::and_;
  Guards flowing = g;
  Guards collected;
  std::vector<NodeId> kids;
  bool ok = true;
  for (const auto& child : e.children) {
    Checked c = check_bool(*child, flowing);
    if (!c.ok()) {
      ok = false;
      continue;
    }
    kids.push_back(c.node);
    const Guards& carry = is_and ? c.when_true : c.when_false;
    flowing = merged(flowing, carry);
    collected = merged(collected, carry);
  }
  if (!ok) return Checked{};
  Node n;
  n.op = is_and ? Op::and_ : Op::or_;
  n.type = types::boolean;
  Checked out{add_n(n, kids), types::boolean, {}, {}};
  (is_and ? out.when_true : out.when_false) = collected;
  return out;
}

// The condition's guards flow into the branch they select.
Checked Checker::check_if(const ast::Expr& e, TypeId expected, const Guards& g) {
  Checked c = check_bool(*e.children[0], g);
  Checked a = check(*e.children[1], expected, merged(g, c.when_true));
  Checked b = check(*e.children[2], expected != kNone ? expected : a.type, merged(g, c.when_false));
  if (!c.ok() || !a.ok() || !b.ok()) return Checked{};
  TypeId t = unify(a, b, *e.children[1], *e.children[2]);
  if (t == kNone) return Checked{};
  Node n;
  n.op = Op::if_;
  n.type = t;
  return Checked{add(n, {c.node, a.node, b.node}), t, {}, {}};
}

bool Checker::slot_optional(SlotId s) const {
  if (s < p_->facts.size()) return p_->facts[s].optional;
  s -= static_cast<SlotId>(p_->facts.size());
  if (s < p_->defines.size()) return false;
  return p_->outputs[s - p_->defines.size()].optional;
}

}  // namespace rulebook::checking

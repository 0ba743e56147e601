#include "check/specialize.hpp"

namespace rulebook {

namespace {
bool finite(const Program& p, TypeId t) {
  return p.types[t].kind == TypeKind::boolean || p.types[t].kind == TypeKind::enumeration;
}
}  // namespace

void specialize(Program& p) {
  const auto facts = static_cast<uint32_t>(p.facts.size());
  auto is_fact = [&](const Node& n) { return n.op == Op::load && n.aux < facts; };
  // Children come before parents in the node array, so one forward pass sees
  // each node after its kids were rewritten.
  for (Node& n : p.nodes) {
    if (is_fact(n)) {
      n.op = Op::load_fact;
      continue;
    }
    if ((n.op == Op::eq || n.op == Op::ne) && n.kid_count == 2) {
      const Node& a = p.nodes[p.kids[n.kids]];
      const Node& b = p.nodes[p.kids[n.kids + 1]];
      auto loads = [](const Node& x) { return x.op == Op::load_fact || x.op == Op::load; };
      const Node* slot = loads(a) ? &a : (loads(b) ? &b : nullptr);
      const Node* value = (a.op == Op::constant) ? &a : (b.op == Op::constant ? &b : nullptr);
      if (slot && value && finite(p, value->type)) {
        const bool eq = n.op == Op::eq;
        n.constant = value->constant;
        n.aux = slot->aux;
        if (slot->op == Op::load_fact) {
          n.op = eq ? Op::fact_is : Op::fact_is_not;
        } else {
          n.op = eq ? Op::slot_is : Op::slot_is_not;
        }
      }
    } else if (n.op == Op::not_ && n.kid_count == 1) {
      const Node& a = p.nodes[p.kids[n.kids]];
      if (a.op == Op::load_fact && a.type == types::boolean) {
        n.aux = a.aux;
        n.op = Op::not_fact;
      }
    }
  }
}

}  // namespace rulebook

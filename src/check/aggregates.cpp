// Aggregates over a list: `count of`, `sum/min/max of ... for each`,
// `every/some ... satisfies`, and `[E for each c in L where C]`. The variable
// is local to the expression and may not hide a declared name; `where`
// guards the value (an item whose optional field `where` tested is read safely).
#include "check/checker_impl.hpp"

#include <algorithm>

namespace rulebook::checking {

namespace {
bool ordered_kind(const TypeInfo& t) {
  return t.kind == TypeKind::integer || t.kind == TypeKind::decimal || t.kind == TypeKind::date ||
         (t.kind == TypeKind::enumeration && t.ordered);
}

// A list written out with at least one item that no `if` leaves out.
bool surely_not_empty(const ast::Expr& list) {
  if (list.kind != ast::ExprKind::list) return false;
  for (const auto& item : list.children) {
    if (item->children.size() == 1) return true;
  }
  return false;
}
}  // namespace

// The fields of the item `depth` places from the top of the locals that the
// expression reads (`c.in_care`), in the order they are first read; an inner
// aggregate's value and condition see the item one place further down.
void Checker::item_fields_read(NodeId id, uint32_t depth, std::vector<uint32_t>& out) const {
  if (id == kNone) return;
  const Node& n = p_->nodes[id];
  if (n.op == Op::field && n.kid_count == 1) {
    const Node& base = p_->nodes[p_->kids[n.kids]];
    if (base.op == Op::local && base.aux == depth) {
      if (std::find(out.begin(), out.end(), n.aux) == out.end()) out.push_back(n.aux);
      return;
    }
  }
  const bool aggregate = n.op == Op::agg_count || n.op == Op::agg_sum_int || n.op == Op::agg_sum_dec ||
                         n.op == Op::agg_min || n.op == Op::agg_max || n.op == Op::agg_every ||
                         n.op == Op::agg_some || n.op == Op::agg_list;
  for (uint32_t k = 0; k < n.kid_count; ++k) {
    // The value and the condition (kids 1 and 2) see one more item; the list and `else` do not.
    item_fields_read(p_->kids[n.kids + k], aggregate && (k == 1 || k == 2) ? depth + 1 : depth, out);
  }
}

Checked Checker::check_aggregate(const ast::Expr& e, TypeId expected, const Guards& g) {
  const std::string& what = e.text;  // count, sum, min, max, every, some, list
  const ast::Expr& list_expr = *e.children[0];
  Checked list = check(list_expr, kNone, g);
  if (!list.ok()) return list;
  if (p_->types[list.type].kind != TypeKind::list) {
    error("type-mismatch", list_expr.pos,
          "'" + (what == "list" ? std::string("for each") : what) + "' goes through a list, but '" + list_expr.source +
              "' is " + article(list.type));
    return Checked{};
  }
  const TypeId element = p_->types[list.type].element;
  if (!local_name_free(e.variable, e.variable_pos, "variable")) return Checked{};

  scope_.emplace_back(e.variable, element);
  Checked condition, value;
  bool ok = true;
  Guards inner = g;
  if (e.where_at >= 0) {
    condition = check_bool(*e.children[static_cast<std::size_t>(e.where_at)], g);
    ok = condition.ok();
    if (ok) inner = merged(inner, condition.when_true);
  }
  if (ok && e.value_at >= 0) {
    TypeId want = kNone;
    if (what == "list" && expected != kNone && p_->types[expected].kind == TypeKind::list) {
      want = p_->types[expected].element;
    }
    value = check(*e.children[static_cast<std::size_t>(e.value_at)], want, inner);
    ok = value.ok();
  }
  scope_.pop_back();
  if (!ok) return Checked{};

  Node n;
  const ast::Expr* value_expr = e.value_at >= 0 ? e.children[static_cast<std::size_t>(e.value_at)].get() : nullptr;
  if (what == "count") {
    n.op = Op::agg_count;
    n.type = types::integer;
  } else if (what == "every" || what == "some") {
    n.op = what == "every" ? Op::agg_every : Op::agg_some;
    n.type = types::boolean;
  } else if (what == "list") {
    n.op = Op::agg_list;
    n.type = intern_list(value.type);
  } else if (what == "sum") {
    if (value.type != types::integer && value.type != types::decimal) {
      error("type-mismatch", value_expr->pos,
            "'sum of' adds numbers or decimals, but '" + value_expr->source + "' is " + article(value.type));
      return Checked{};
    }
    n.op = value.type == types::integer ? Op::agg_sum_int : Op::agg_sum_dec;
    n.type = value.type;
  } else {  // min, max
    if (!ordered_kind(p_->types[value.type])) {
      error("not-ordered", value_expr->pos,
            "'" + what + " of' needs values with an order: numbers, decimals, dates or an ordered type; '" +
                value_expr->source + "' is " + article(value.type));
      return Checked{};
    }
    n.op = what == "min" ? Op::agg_min : Op::agg_max;
    n.type = value.type;
    if (e.else_at < 0 && (e.where_at >= 0 || !surely_not_empty(list_expr))) {
      warning("may-be-empty", e.pos,
              "'" + e.source + "' has no 'else': when " + list_expr.source +
                  " has no matching items the decision fails as undecided; add 'else <value>'");
    }
  }
  NodeId otherwise = kNone;
  if (e.else_at >= 0) {
    const ast::Expr& else_expr = *e.children[static_cast<std::size_t>(e.else_at)];
    if (n.op == Op::agg_count || n.op == Op::agg_every || n.op == Op::agg_some) {
      error("else-not-allowed", else_expr.pos, "'" + what + "' always has a value; it takes no 'else'");
      return Checked{};
    }
    Checked d = check(else_expr, n.type, g);
    if (!d.ok()) return d;
    if (n.type == types::decimal && d.type == types::integer) d = coerce(d, types::decimal, else_expr);
    if (d.type == types::decimal && n.type == types::integer && n.op != Op::agg_list) {
      // `max of p.days ... else 0.5`: the whole aggregate becomes a decimal.
      Node widen;
      widen.op = Op::to_dec;
      widen.type = types::decimal;
      value.node = add(widen, {value.node});
      value.type = types::decimal;
      n.type = types::decimal;
      if (n.op == Op::agg_sum_int) n.op = Op::agg_sum_dec;
    }
    if (d.type != n.type) {
      error("type-mismatch", else_expr.pos,
            "the 'else' value must be " + article(n.type) + " like the items, but '" + else_expr.source + "' is " +
                article(d.type));
      return Checked{};
    }
    otherwise = d.node;
  }
  AggregateSite site{e.source, list_expr.source, n.type, element, e.variable, {}};
  if ((n.op == Op::agg_every || n.op == Op::agg_some) && p_->types[element].kind == TypeKind::record) {
    item_fields_read(condition.node, 1, site.item_fields);
  }
  p_->aggregate_sites.push_back(std::move(site));
  n.aux = static_cast<uint32_t>(p_->aggregate_sites.size() - 1);
  const NodeId value_node = e.value_at >= 0 ? value.node : kNone;
  const NodeId condition_node = e.where_at >= 0 ? condition.node : kNone;
  return Checked{add_n(n, {list.node, value_node, condition_node, otherwise}), n.type, {}, {}};
}

}  // namespace rulebook::checking

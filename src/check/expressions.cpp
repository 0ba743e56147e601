// Typing expressions: every expression gets a type and a compiled node;
// whole numbers widen to decimals where a decimal is wanted.
#include "check/checker_impl.hpp"

#include <algorithm>

namespace rulebook::checking {

NodeId Checker::add(Node n, std::initializer_list<NodeId> kids) {
  n.kids = static_cast<uint32_t>(p_->kids.size());
  n.kid_count = static_cast<uint32_t>(kids.size());
  for (NodeId k : kids) p_->kids.push_back(k);
  p_->nodes.push_back(n);
  return static_cast<NodeId>(p_->nodes.size() - 1);
}

NodeId Checker::add_n(Node n, const std::vector<NodeId>& kids) {
  n.kids = static_cast<uint32_t>(p_->kids.size());
  n.kid_count = static_cast<uint32_t>(kids.size());
  p_->kids.insert(p_->kids.end(), kids.begin(), kids.end());
  p_->nodes.push_back(n);
  return static_cast<NodeId>(p_->nodes.size() - 1);
}

Checked Checker::constant(Value v, TypeId type) {
  Node n;
  n.op = Op::constant;
  n.type = type;
  n.constant = v;
  return Checked{add(n), type, {}, {}};
}

// Converts a whole number to a decimal where a decimal is wanted; otherwise
// the types must match exactly.
Checked Checker::coerce(Checked c, TypeId want, const ast::Expr& e) {
  if (!c.ok() || want == kNone || c.type == want) return c;
  if (c.type == types::integer && want == types::decimal) {
    Node n;
    n.op = Op::to_dec;
    n.type = types::decimal;
    if (p_->nodes[c.node].op == Op::constant) {
      auto d = decimal_from_int(p_->nodes[c.node].constant.i);
      if (d) return constant(Value::decimal(*d), types::decimal);
    }
    c.node = add(n, {c.node});
    c.type = types::decimal;
    return c;
  }
  error("type-mismatch", e.pos, "expected " + article(want) + " here, but '" + e.source + "' is " + article(c.type));
  return Checked{};
}

std::string Checker::article(TypeId t) const {
  const std::string& n = tname(t);
  if (t != kNone && p_->types[t].kind == TypeKind::enumeration) return "a value of type '" + n + "'";
  if (t == types::boolean) return "a yes/no value";
  const bool vowel = !n.empty() && std::string("aeiou").find(n[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + n;
}

Checked Checker::check(const ast::Expr& e, TypeId expected, const Guards& g) {
  using K = ast::ExprKind;
  switch (e.kind) {
    case K::boolean: return constant(e.literal, types::boolean);
    case K::integer: return constant(e.literal, types::integer);
    case K::decimal: return constant(e.literal, types::decimal);
    case K::date: return constant(e.literal, types::date);
    case K::duration: return constant(e.literal, types::duration);
    case K::text: {
      // Where a `one of` value is expected, quoted text names a member: "VERY LOW".
      if (expected != kNone && p_->types[expected].kind == TypeKind::enumeration) return check_quoted_member(e, expected);
      p_->text_constants.push_back(std::make_unique<std::string>(e.text));
      return constant(Value::of_text(*p_->text_constants.back()), types::text);
    }
    case K::name: return check_name(e, expected, g, false);
    case K::is_given:
    case K::is_missing: return check_presence_test(e, g);
    case K::not_: return check_not(e, g);
    case K::and_:
    case K::or_: return check_logic(e, g);
    case K::if_: return check_if(e, expected, g);
    case K::negate: {
      Checked c = check(*e.children[0], expected, g);
      if (!c.ok()) return c;
      Node n;
      n.type = c.type;
      const Node& inner = p_->nodes[c.node];
      if (c.type == types::integer) {
        if (inner.op == Op::constant && inner.constant.i != INT64_MIN) return constant(Value::integer(-inner.constant.i), c.type);
        n.op = Op::neg_int;
      } else if (c.type == types::decimal) {
        if (inner.op == Op::constant) return constant(Value::decimal(decimal_neg(inner.constant.decimal_value())), c.type);
        n.op = Op::neg_dec;
      } else if (c.type == types::duration) {
        n.op = Op::neg_dur;
      } else {
        error("type-mismatch", e.pos, "'-' needs a number, a decimal or a duration, but '" + e.children[0]->source + "' is " + article(c.type));
        return Checked{};
      }
      return Checked{add(n, {c.node}), c.type, {}, {}};
    }
    case K::binary: return check_binary(e, g);
    case K::list: return check_list(e, expected, g);
    case K::call: return check_call(e, g);
    case K::aggregate: return check_aggregate(e, expected, g);
    case K::named_arg:
      error("named-argument", e.pos,
            "'" + e.text + ": ...' names a field, which only a record built with its type's name takes, as in " +
                "child(birth_date: 2010-01-01); a function's arguments are given in order, without names");
      return Checked{};
    case K::decision_of: return check_sub_decision(e, g);  // sub-decisions (issue 14)
    case K::list_item: break;
    case K::parameter: return check_parameter(e);  // dated parameters (issue 14, law-values)
  }
  error("internal", e.pos, "unexpected expression");
  return Checked{};
}

Checked Checker::check_bool(const ast::Expr& e, const Guards& g) {
  Checked c = check(e, types::boolean, g);
  if (c.ok() && c.type != types::boolean) {
    error("not-a-condition", e.pos, "'" + e.source + "' is " + article(c.type) + ", not a yes/no condition");
    return Checked{};
  }
  return c;
}

TypeId Checker::unify(Checked& a, Checked& b, const ast::Expr& ea, const ast::Expr& eb) {
  if (a.type == b.type) return a.type;
  if (a.type == types::integer && b.type == types::decimal) {
    a = coerce(a, types::decimal, ea);
    return types::decimal;
  }
  if (a.type == types::decimal && b.type == types::integer) {
    b = coerce(b, types::decimal, eb);
    return types::decimal;
  }
  error("type-mismatch", eb.pos,
        "'" + ea.source + "' is " + article(a.type) + " but '" + eb.source + "' is " + article(b.type) +
            "; both must be of the same type");
  return kNone;
}

Checked Checker::check_binary(const ast::Expr& e, const Guards& g) {
  using B = ast::BinOp;
  const ast::Expr& le = *e.children[0];
  const ast::Expr& re = *e.children[1];
  const bool membership = e.op == B::in || e.op == B::not_in;
  const bool comparison = e.op == B::eq || e.op == B::ne || e.op == B::lt || e.op == B::le || e.op == B::gt ||
                          e.op == B::ge;
  Checked l, r;
  if (e.op == B::contains || e.op == B::starts_with) return check_text_test(e, g);
  // `approved is outcome`, `"VERY LOW" is risk`: read the right side first to learn the enum.
  const bool left_needs_context = unresolved_word(le) || le.kind == ast::ExprKind::text;
  const bool right_gives_context = !unresolved_word(re) && re.kind != ast::ExprKind::text;
  if ((comparison || membership) && left_needs_context && right_gives_context) {
    r = check(re, kNone, g);
    TypeId want = r.type;
    if (membership && r.ok()) want = p_->types[r.type].kind == TypeKind::list ? p_->types[r.type].element : kNone;
    l = check(le, want, g);
  } else {
    l = check(le, kNone, g);
    TypeId want = kNone;
    if (l.ok() && comparison) want = l.type;
    if (l.ok() && membership) want = intern_list(l.type);
    r = check(re, want, g);
  }
  if (!l.ok() || !r.ok()) return Checked{};
  Node n;
  const auto& lt = p_->types[l.type];
  if (membership) {
    if (p_->types[r.type].kind != TypeKind::list) {
      error("type-mismatch", re.pos, "'" + std::string(ast::binop_symbol(e.op)) + "' needs a list on its right, but '" + re.source + "' is " + article(r.type));
      return Checked{};
    }
    Checked elem_l = coerce(l, p_->types[r.type].element, le);
    if (!elem_l.ok()) return elem_l;
    n.op = e.op == B::in ? Op::in : Op::not_in;
    n.type = types::boolean;
    return Checked{add(n, {elem_l.node, r.node}), types::boolean, {}, {}};
  }
  if (comparison) {
    TypeId t = unify(l, r, le, re);
    if (t == kNone) return Checked{};
    const auto& tt = p_->types[t];
    const bool ordered = tt.kind == TypeKind::integer || tt.kind == TypeKind::decimal || tt.kind == TypeKind::date ||
                         (tt.kind == TypeKind::enumeration && tt.ordered);
    if (e.op != B::eq && e.op != B::ne && !ordered) {
      std::string why = tt.kind == TypeKind::enumeration
                            ? "the values of " + tt.name + " have no order (declare the type with '<' to order them)"
                            : tname(t) + " values have no order";
      error("not-ordered", e.pos, "'" + e.source + "' compares with " + ast::binop_symbol(e.op) + ", but " + why);
      return Checked{};
    }
    static const Op ops[] = {Op::eq, Op::ne, Op::lt, Op::le, Op::gt, Op::ge};
    n.op = ops[static_cast<int>(e.op) - static_cast<int>(B::eq)];
    n.type = types::boolean;
    return Checked{add(n, {l.node, r.node}), types::boolean, {}, {}};
  }
  // Arithmetic.
  const TypeKind a = lt.kind, b = p_->types[r.type].kind;
  auto numeric = [](TypeKind k) { return k == TypeKind::integer || k == TypeKind::decimal; };
  auto make = [&](Op op, TypeId type, NodeId x, NodeId y) {
    Node m;
    m.op = op;
    m.type = type;
    return Checked{add(m, {x, y}), type, {}, {}};
  };
  if (e.op == B::pow) {
    // A power is a decimal, as a quotient is, even of whole numbers (2 ** -7 is 0.0078125).
    if (!numeric(a)) {
      error("type-mismatch", le.pos, "'**' raises a number or a decimal, but '" + le.source + "' is " + article(l.type));
      return Checked{};
    }
    if (b != TypeKind::integer) {
      error("type-mismatch", re.pos,
            "the power after '**' must be a whole number, but '" + re.source + "' is " + article(r.type));
      return Checked{};
    }
    l = coerce(l, types::decimal, le);
    return make(Op::pow_dec, types::decimal, l.node, r.node);
  }
  if (numeric(a) && numeric(b)) {
    if (e.op == B::mod) {
      if (a == TypeKind::integer && b == TypeKind::integer) return make(Op::mod_int, types::integer, l.node, r.node);
      l = coerce(l, types::decimal, le);
      r = coerce(r, types::decimal, re);
      return make(Op::mod_dec, types::decimal, l.node, r.node);
    }
    if (a == TypeKind::integer && b == TypeKind::integer && e.op != B::div) {
      const Op op = e.op == B::add ? Op::add_int : e.op == B::sub ? Op::sub_int : Op::mul_int;
      return make(op, types::integer, l.node, r.node);
    }
    l = coerce(l, types::decimal, le);
    r = coerce(r, types::decimal, re);
    const Op op = e.op == B::add ? Op::add_dec : e.op == B::sub ? Op::sub_dec : e.op == B::mul ? Op::mul_dec : Op::div_dec;
    return make(op, types::decimal, l.node, r.node);
  }
  if (a == TypeKind::date && b == TypeKind::duration && (e.op == B::add || e.op == B::sub)) {
    return make(e.op == B::add ? Op::date_plus : Op::date_minus, types::date, l.node, r.node);
  }
  if (a == TypeKind::duration && b == TypeKind::date && e.op == B::add) {
    return make(Op::date_plus, types::date, r.node, l.node);
  }
  if (a == TypeKind::date && b == TypeKind::date && e.op == B::sub) {
    return make(Op::date_diff, types::integer, l.node, r.node);
  }
  if (a == TypeKind::duration && b == TypeKind::duration && (e.op == B::add || e.op == B::sub)) {
    return make(e.op == B::add ? Op::dur_add : Op::dur_sub, types::duration, l.node, r.node);
  }
  if (e.op == B::mul && a == TypeKind::integer && b == TypeKind::duration) {
    return make(Op::dur_scale, types::duration, l.node, r.node);
  }
  if (e.op == B::mul && a == TypeKind::duration && b == TypeKind::integer) {
    return make(Op::dur_scale, types::duration, r.node, l.node);
  }
  error("type-mismatch", e.pos,
        "cannot use '" + std::string(ast::binop_symbol(e.op)) + "' on " + article(l.type) + " ('" + le.source +
            "') and " + article(r.type) + " ('" + re.source + "')");
  return Checked{};
}

Checked Checker::check_list(const ast::Expr& e, TypeId expected, const Guards& g) {
  TypeId element = kNone;
  if (expected != kNone && p_->types[expected].kind == TypeKind::list) element = p_->types[expected].element;
  std::vector<NodeId> kids;
  bool ok = true;
  for (const auto& item : e.children) {
    NodeId guard = kNone;
    Guards inner = g;
    if (item->children.size() > 1) {
      Checked c = check_bool(*item->children[1], g);
      if (!c.ok()) {
        ok = false;
        continue;
      }
      guard = c.node;
      inner = merged(inner, c.when_true);
    }
    Checked v = check(*item->children[0], element, inner);
    if (v.ok() && element == kNone) element = v.type;
    v = coerce(v, element, *item->children[0]);
    if (!v.ok()) {
      ok = false;
      continue;
    }
    kids.push_back(v.node);
    kids.push_back(guard);
  }
  if (!ok) return Checked{};
  if (element == kNone) {
    error("untyped-list", e.pos, "the type of this empty list is not known here");
    return Checked{};
  }
  Node n;
  n.op = Op::list;
  n.type = intern_list(element);
  return Checked{add_n(n, kids), n.type, {}, {}};
}

// The rounding functions by name; nullopt for any other name.
static std::optional<Rounding> rounding_mode(const std::string& name) {
  if (name == "round") return Rounding::half_up;
  if (name == "round_half_even") return Rounding::half_even;
  if (name == "round_down") return Rounding::down;
  if (name == "round_up") return Rounding::up;
  if (name == "floor") return Rounding::floor;
  if (name == "ceiling") return Rounding::ceiling;
  return std::nullopt;
}

Checked Checker::check_call(const ast::Expr& e, const Guards& g) {
  if (auto fn = function_ids_.find(e.text); fn != function_ids_.end()) return check_function_call(e, fn->second, g);
  if (const TypeId rt = record_type_named(e.text); rt != kNone) return check_record_value(e, rt, g);
  if (!is_builtin_function(e.text)) return unknown_function(e);
  std::vector<Checked> args;
  for (const auto& a : e.children) {
    args.push_back(check(*a, args.empty() ? kNone : args.front().type, g));
    if (!args.back().ok()) return Checked{};
  }
  auto arity = [&](std::size_t lo, std::size_t hi) {
    if (args.size() < lo || args.size() > hi) {
      error("arity", e.pos, e.text + "() takes " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + " or more") +
                                " argument" + (hi == 1 ? "" : "s") + ", not " + std::to_string(args.size()));
      return false;
    }
    return true;
  };
  Node n;
  if (e.text == "count") {
    if (!arity(1, 1)) return Checked{};
    if (p_->types[args[0].type].kind != TypeKind::list) {
      error("type-mismatch", e.children[0]->pos, "count() counts the items of a list");
      return Checked{};
    }
    n.op = Op::fn_count;
    n.type = types::integer;
  } else if (e.text == "min" || e.text == "max") {
    if (!arity(2, 64)) return Checked{};
    TypeId t = args[0].type;
    for (std::size_t k = 1; k < args.size(); ++k) {
      t = unify(args[0], args[k], *e.children[0], *e.children[k]);
      if (t == kNone) return Checked{};
    }
    for (auto& a : args) a = coerce(a, t, *e.children[0]);
    const auto& tt = p_->types[t];
    if (!(tt.kind == TypeKind::integer || tt.kind == TypeKind::decimal || tt.kind == TypeKind::date ||
          (tt.kind == TypeKind::enumeration && tt.ordered))) {
      error("not-ordered", e.pos, e.text + "() needs values with an order: numbers, decimals, dates or an ordered type");
      return Checked{};
    }
    n.op = e.text == "min" ? Op::fn_min : Op::fn_max;
    n.type = t;
  } else if (e.text == "abs") {
    if (!arity(1, 1)) return Checked{};
    if (args[0].type != types::integer && args[0].type != types::decimal) {
      error("type-mismatch", e.children[0]->pos, "abs() needs a number or a decimal");
      return Checked{};
    }
    n.op = Op::fn_abs;
    n.type = args[0].type;
  } else if (e.text == "days_between") {
    if (!arity(2, 2)) return Checked{};
    if (args[0].type != types::date || args[1].type != types::date) {
      error("type-mismatch", e.pos, "days_between(a, b) needs two dates; it gives the days from a to b");
      return Checked{};
    }
    n.op = Op::fn_days_between;
    n.type = types::integer;
  } else if (auto mode = rounding_mode(e.text)) {
    // round(x, places): places 0 when left out; the result is a decimal.
    if (!arity(1, 2)) return Checked{};
    if (args[0].type != types::integer && args[0].type != types::decimal) {
      error("type-mismatch", e.children[0]->pos,
            e.text + "() rounds a number or a decimal, but '" + e.children[0]->source + "' is " + article(args[0].type));
      return Checked{};
    }
    args[0] = coerce(args[0], types::decimal, *e.children[0]);
    if (args.size() > 1) {
      if (args[1].type != types::integer) {
        error("type-mismatch", e.children[1]->pos,
              "the places to round to must be a whole number, but '" + e.children[1]->source + "' is " +
                  article(args[1].type));
        return Checked{};
      }
      const Node& places = p_->nodes[args[1].node];
      if (places.op == Op::constant && (places.constant.i < 0 || places.constant.i > Decimal::kMaxScale)) {
        error("rounding-places", e.children[1]->pos,
              e.text + "() rounds to between 0 and 18 places after the point, not " + std::to_string(places.constant.i));
        return Checked{};
      }
    }
    n.op = Op::fn_round;
    n.aux = static_cast<uint32_t>(*mode);
    n.type = types::decimal;
  } else if (e.text == "lower" || e.text == "upper" || e.text == "trim" || e.text == "length") {
    if (!arity(1, 1)) return Checked{};
    if (args[0].type != types::text) {
      const bool list = p_->types[args[0].type].kind == TypeKind::list;
      error("type-mismatch", e.children[0]->pos,
            e.text + "() needs text, but '" + e.children[0]->source + "' is " + article(args[0].type) +
                (list && e.text == "length" ? "; count() gives the number of items in a list" : ""));
      return Checked{};
    }
    n.op = e.text == "lower"   ? Op::fn_lower
           : e.text == "upper" ? Op::fn_upper
           : e.text == "trim"  ? Op::fn_trim
                               : Op::fn_length;
    n.type = e.text == "length" ? types::integer : types::text;
  } else {
    return unknown_function(e);
  }
  std::vector<NodeId> kids;
  for (const auto& a : args) kids.push_back(a.node);
  return Checked{add_n(n, kids), n.type, {}, {}};
}

Checked Checker::unknown_function(const ast::Expr& e) {
  std::vector<std::string> candidates = builtin_functions();
  for (const auto& [name, _] : function_ids_) candidates.push_back(name);
  for (const auto& [name, t] : named_types_) {
    if (p_->types[t].kind == TypeKind::record) candidates.push_back(name);
  }
  error("unknown-function", e.pos, "there is no function called " + e.text + suggestion(e.text, candidates) +
                                       " (functions: count, min, max, abs, days_between, round, round_half_even, round_down, "
                                       "round_up, floor, ceiling, lower, upper, trim, length)");
  return Checked{};
}

// `t contains "x"`, `t starts with "x"`: both sides text, compared character
// for character (case matters; lower() on both sides ignores it).
Checked Checker::check_text_test(const ast::Expr& e, const Guards& g) {
  const ast::Expr& le = *e.children[0];
  const ast::Expr& re = *e.children[1];
  Checked l = check(le, types::text, g);
  Checked r = check(re, types::text, g);
  if (!l.ok() || !r.ok()) return Checked{};
  for (const Checked* side : {&l, &r}) {
    if (side->type != types::text) {
      const ast::Expr& x = side == &l ? le : re;
      error("type-mismatch", x.pos,
            "'" + std::string(ast::binop_symbol(e.op)) + "' tests text, but '" + x.source + "' is " + article(side->type));
      return Checked{};
    }
  }
  Node n;
  n.op = e.op == ast::BinOp::contains ? Op::text_contains : Op::text_starts_with;
  n.type = types::boolean;
  return Checked{add(n, {l.node, r.node}), types::boolean, {}, {}};
}

// Quoted text where a `one of` value is expected names the member written that way.
Checked Checker::check_quoted_member(const ast::Expr& e, TypeId expected) {
  const auto& ms = p_->types[expected].members;
  auto it = std::find(ms.begin(), ms.end(), e.text);
  if (it != ms.end()) return constant(Value::enumeration(static_cast<uint32_t>(it - ms.begin())), expected);
  std::string list;
  for (std::size_t k = 0; k < ms.size(); ++k) list += (k ? ", " : "") + display_member(ms[k]);
  error("unknown-value", e.pos,
        "\"" + e.text + "\" is not one of the values of " + tname(expected) + " (" + list + ")" + suggestion(e.text, ms));
  return Checked{};
}

}  // namespace rulebook::checking

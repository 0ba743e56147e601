// Compiled nodes into Z3 terms; see translate.hpp for what is modelled.
#include "analysis/translate.hpp"

#include <cstdlib>

namespace rulebook::analysis {

namespace {

// The calendar the language accepts: 0001-01-01 to 9999-12-31.
const int64_t kFirstDay = date_from_ymd({1, 1, 1}).days;
const int64_t kLastDay = date_from_ymd({9999, 12, 31}).days;

std::string int128_text(__int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string out;
  while (u > 0) {
    out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return negative ? "-" + out : out;
}

}  // namespace

Translator::Translator(z3::context& c, const Program& p)
    : c_(c),
      p_(p),
      axioms_(c),
      as_of_(c.int_const("as_of")),
      add_months_(c.function("add_months", c.int_sort(), c.int_sort(), c.int_sort())),
      slots_(p.slot_count()),
      nodes_(p.nodes.size()),
      applies_(p.rules.size()) {
  // The decision date lies where the policy is in force.
  axioms_.push_back(as_of_ >= c_.int_val(static_cast<int64_t>(p.header.in_force_from.days)));
  if (p.header.in_force_until) {
    axioms_.push_back(as_of_ <= c_.int_val(static_cast<int64_t>(p.header.in_force_until->days)));
  } else {
    axioms_.push_back(as_of_ <= c_.int_val(kLastDay));
  }
}

z3::expr Translator::text_id(std::string_view text) {
  auto it = text_ids_.find(text);
  if (it == text_ids_.end()) {
    it = text_ids_.emplace(std::string(text), static_cast<int64_t>(text_ids_.size()) + 1).first;
  }
  return c_.int_val(it->second);
}

Term Translator::fresh(TypeId type) {
  const std::string name = "opaque" + std::to_string(fresh_count_++);
  const z3::expr t = c_.bool_val(true);
  switch (kind(type)) {
    case TypeKind::boolean: return {c_.bool_const(name.c_str()), t, t};
    case TypeKind::decimal: return {c_.real_const(name.c_str()), t, t};
    case TypeKind::duration:
      return {c_.int_const(name.c_str()), c_.int_const((name + ".days").c_str()), t};
    case TypeKind::integer:
    case TypeKind::text:
    case TypeKind::date:
    case TypeKind::enumeration:
    case TypeKind::list:
    case TypeKind::record: break;
  }
  return {c_.int_const(name.c_str()), t, t};
}

Term Translator::fact_term(SlotId s) {
  const FieldInfo& f = p_.facts[s];
  const z3::expr t = c_.bool_val(true);
  const std::string& name = f.name;
  z3::expr given = f.optional ? c_.bool_const((name + " is given").c_str()) : t;
  switch (kind(f.type)) {
    case TypeKind::boolean: return {c_.bool_const(name.c_str()), t, given};
    case TypeKind::decimal: return {c_.real_const(name.c_str()), t, given};
    case TypeKind::duration: {  // as facts are read: P..M..D, no sign (facts_reader.cpp)
      z3::expr months = c_.int_const((name + ".months").c_str()), days = c_.int_const((name + ".days").c_str());
      axioms_.push_back(months >= 0 && months <= 1000000 && days >= 0 && days <= 10000000);
      return {months, days, given};
    }
    case TypeKind::date: {
      z3::expr v = c_.int_const(name.c_str());
      axioms_.push_back(v >= c_.int_val(kFirstDay) && v <= c_.int_val(kLastDay));
      return {v, t, given};
    }
    case TypeKind::enumeration: {
      z3::expr v = c_.int_const(name.c_str());
      const auto members = static_cast<int64_t>(p_.types[f.type].members.size());
      axioms_.push_back(v >= 0 && v < c_.int_val(members));
      return {v, t, given};
    }
    case TypeKind::integer:
    case TypeKind::text: return {c_.int_const(name.c_str()), t, given};
    case TypeKind::list:
    case TypeKind::record: break;
  }
  Term opaque = fresh(f.type);
  opaque.given = given;
  return opaque;
}

Term Translator::assigned(uint32_t rule, uint32_t output) {
  for (const auto& a : p_.rules[rule].assignments) {
    if (a.output == output) return node(a.node);
  }
  return fresh(p_.outputs[output].type);  // not reached: callers pass a rule that assigns it
}

Term Translator::output_term(uint32_t o) {
  const FieldInfo& out = p_.outputs[o];
  // A collect output (issue 14) is not modelled: any value of its type.
  if (out.collect != FieldInfo::Collect::none) return fresh(out.type);
  // No rule decides it: the default, absent when optional, and otherwise the
  // decision fails (`undecided`), which nothing downstream sees: any value.
  Term value = fresh(out.type);
  if (out.default_value) {
    Node n;
    n.op = Op::constant;
    n.type = out.type;
    n.constant = *out.default_value;
    value = constant(n);
  } else if (out.optional) {
    value.given = c_.bool_val(false);
  }
  for (std::size_t k = out.rules.size(); k-- > 0;) {  // the first rule that decides it
    const uint32_t r = out.rules[k];
    const Term v = node(out.rule_values[k]);
    const z3::expr d = decides(r, o);
    value = Term{z3::ite(d, v.value, value.value), z3::ite(d, v.days, value.days), z3::ite(d, v.given, value.given)};
  }
  return value;
}

Term Translator::slot(SlotId s) {
  if (slots_[s]) return *slots_[s];
  Term t = fresh(p_.slot_type(s));
  switch (p_.slot_kind(s)) {
    case SlotKind::fact: t = fact_term(s); break;
    case SlotKind::define: t = node(p_.defines[s - p_.facts.size()].node); break;
    case SlotKind::output: t = output_term(s - p_.output_slot(0)); break;
  }
  slots_[s] = t;
  return t;
}

z3::expr Translator::applies(uint32_t rule) {
  if (applies_[rule]) return *applies_[rule];
  z3::expr_vector all(c_);
  for (const auto& cond : p_.rules[rule].conditions) all.push_back(node(cond.node).value);
  // A rule with its own dates in force (issue 14) applies only on them.
  const RuleInfo& info = p_.rules[rule];
  if (info.in_force_from) all.push_back(as_of_ >= c_.int_val(static_cast<int64_t>(info.in_force_from->days)));
  if (info.in_force_until) all.push_back(as_of_ <= c_.int_val(static_cast<int64_t>(info.in_force_until->days)));
  z3::expr e = all.empty() ? c_.bool_val(true) : z3::mk_and(all);
  applies_[rule] = e;
  return e;
}

z3::expr Translator::decides(uint32_t rule) {
  z3::expr_vector over(c_);
  for (uint32_t x : p_.rules[rule].overriders) over.push_back(applies(x));
  if (over.empty()) return applies(rule);
  return applies(rule) && !z3::mk_or(over);
}

z3::expr Translator::decides(uint32_t rule, uint32_t output) {
  z3::expr_vector over(c_);
  if (const AssignmentInfo* a = assignment_of(p_, rule, output)) {
    for (uint32_t x : a->displaced_by) over.push_back(applies(x));
  }
  if (over.empty()) return applies(rule);
  return applies(rule) && !z3::mk_or(over);
}

Term Translator::node(NodeId id) {
  if (nodes_[id]) return *nodes_[id];
  Term t = translate(id);
  nodes_[id] = t;
  return t;
}

Term Translator::constant(const Node& n) {
  const z3::expr t = c_.bool_val(true);
  const Value& v = n.constant;
  switch (v.kind) {
    case ValueKind::boolean: return {c_.bool_val(v.b), t, t};
    case ValueKind::integer: return {c_.int_val(v.i), t, t};
    case ValueKind::decimal: {
      const Decimal d = v.decimal_value();
      std::string text = int128_text(d.coef) + "/1" + std::string(static_cast<std::size_t>(d.scale), '0');
      return {c_.real_val(text.c_str()), t, t};
    }
    case ValueKind::text: return {text_id(v.as_text()), t, t};
    case ValueKind::date: return {c_.int_val(static_cast<int64_t>(v.date.days)), t, t};
    case ValueKind::duration: return {c_.int_val(v.dur.months), c_.int_val(v.dur.days), t};
    case ValueKind::enumeration: return {c_.int_val(static_cast<int64_t>(v.member)), t, t};
    case ValueKind::missing: {
      Term absent = fresh(n.type);
      absent.given = c_.bool_val(false);
      return absent;
    }
    case ValueKind::list:
    case ValueKind::unknown:
    case ValueKind::record: break;
  }
  return fresh(n.type);
}

z3::expr Translator::add_months(const z3::expr& date, const z3::expr& months) {
  // Calendar months have 28 to 31 days, and the day is clamped to the month's
  // end: the result lies between 28 and 31 days a month away. Bounds, not the
  // calendar: an example the bounds allow is replayed before it is reported.
  z3::expr r = add_months_(date, months);
  const z3::expr moved = r - date;
  axioms_.push_back(z3::implies(months >= 0, moved >= 28 * months && moved <= 31 * months));
  axioms_.push_back(z3::implies(months < 0, moved >= 31 * months && moved <= 28 * months));
  axioms_.push_back(z3::implies(months == 0, r == date));
  return r;
}

z3::expr Translator::equal(TypeId type, const Term& a, const Term& b) {
  z3::expr same = c_.bool_val(false);
  switch (kind(type)) {
    case TypeKind::duration: same = a.value == b.value && a.days == b.days; break;
    case TypeKind::list:
    case TypeKind::record: same = fresh(types::boolean).value; break;
    case TypeKind::boolean:
    case TypeKind::integer:
    case TypeKind::decimal:
    case TypeKind::text:
    case TypeKind::date:
    case TypeKind::enumeration: same = a.value == b.value; break;
  }
  return z3::ite(a.given && b.given, same, a.given == b.given);
}

z3::expr Translator::compare(Op op, TypeId type, const Term& a, const Term& b) {
  if (op == Op::eq) return equal(type, a, b);
  if (op == Op::ne) return !equal(type, a, b);
  z3::expr x = a.value, y = b.value;
  switch (kind(type)) {
    case TypeKind::duration: {  // as the machine orders them: equal, else months * 31 + days
      x = z3::ite(a.value == b.value && a.days == b.days, c_.int_val(0), a.value * 31 + a.days);
      y = z3::ite(a.value == b.value && a.days == b.days, c_.int_val(0), b.value * 31 + b.days);
      break;
    }
    case TypeKind::integer:
    case TypeKind::decimal:
    case TypeKind::date:
    case TypeKind::enumeration: break;
    case TypeKind::boolean:
    case TypeKind::text:
    case TypeKind::list:
    case TypeKind::record: return fresh(types::boolean).value;
  }
  switch (op) {
    case Op::lt: return x < y;
    case Op::le: return x <= y;
    case Op::gt: return x > y;
    case Op::ge: return x >= y;
    default: return fresh(types::boolean).value;
  }
}

Term Translator::translate(NodeId id) {
  const Node& n = p_.nodes[id];
  const z3::expr t = c_.bool_val(true);
  auto k = [&](uint32_t i) { return node(kid(n, i)); };
  auto is = [&](const Term& v, bool same) {
    const z3::expr eq = v.given && v.value == constant(n).value;
    return Term{same ? eq : !eq, t, t};
  };
  switch (n.op) {
    case Op::constant: return constant(n);
    case Op::load:
    case Op::load_fact: return slot(n.aux);
    case Op::fact_is:
    case Op::slot_is: return is(slot(n.aux), true);
    case Op::fact_is_not:
    case Op::slot_is_not: return is(slot(n.aux), false);
    case Op::not_fact: return {!slot(n.aux).value, t, t};
    case Op::not_: return {!k(0).value, t, t};
    case Op::and_:
    case Op::or_: {
      z3::expr_vector parts(c_);
      for (uint32_t i = 0; i < n.kid_count; ++i) parts.push_back(k(i).value);
      return {n.op == Op::and_ ? z3::mk_and(parts) : z3::mk_or(parts), t, t};
    }
    case Op::if_: {
      const z3::expr cond = k(0).value;
      const Term a = k(1), b = k(2);
      return {z3::ite(cond, a.value, b.value), z3::ite(cond, a.days, b.days), z3::ite(cond, a.given, b.given)};
    }
    case Op::neg_int:
    case Op::neg_dec: return {-k(0).value, t, t};
    case Op::neg_dur: return {-k(0).value, -k(0).days, t};
    case Op::to_dec: return {z3::to_real(k(0).value), t, t};
    case Op::add_int:
    case Op::add_dec: return {k(0).value + k(1).value, t, t};
    case Op::sub_int:
    case Op::sub_dec: return {k(0).value - k(1).value, t, t};
    case Op::mul_int:
    case Op::mul_dec: return {k(0).value * k(1).value, t, t};
    case Op::div_dec: return {k(0).value / k(1).value, t, t};
    case Op::as_of: return {as_of_, t, t};
    case Op::parameter: {  // dated parameters (issue 14): the entry in force on as_of
      const ParameterInfo& prm = p_.parameters[n.aux];
      Term out = opaque(n);  // before the first entry: no value (the decision fails there)
      for (uint32_t e = 0; e < n.kid_count && e < prm.entries.size(); ++e) {
        const Term v = k(e);
        const z3::expr on = as_of_ >= c_.int_val(static_cast<int64_t>(prm.entries[e].from.days));
        out = Term{z3::ite(on, v.value, out.value), z3::ite(on, v.days, out.days), z3::ite(on, v.given, out.given)};
      }
      return out;
    }
    case Op::date_plus:
    case Op::date_minus: {
      const Term d = k(0), dur = k(1);
      const z3::expr months = n.op == Op::date_plus ? dur.value : -dur.value;
      const z3::expr days = n.op == Op::date_plus ? dur.days : -dur.days;
      return {add_months(d.value, months) + days, t, t};
    }
    case Op::date_diff: return {k(0).value - k(1).value, t, t};
    case Op::fn_days_between: return {k(1).value - k(0).value, t, t};
    case Op::dur_add: return {k(0).value + k(1).value, k(0).days + k(1).days, t};
    case Op::dur_sub: return {k(0).value - k(1).value, k(0).days - k(1).days, t};
    case Op::dur_scale: return {k(0).value * k(1).value, k(0).value * k(1).days, t};
    case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge: {
      const TypeId type = p_.nodes[kid(n, 0)].type;
      const TypeKind tk = kind(type);
      const bool ordering = n.op != Op::eq && n.op != Op::ne;
      if (tk == TypeKind::list || tk == TypeKind::record) break;
      if (ordering && (tk == TypeKind::boolean || tk == TypeKind::text)) break;
      return {compare(n.op, type, k(0), k(1)), t, t};
    }
    case Op::in:
    case Op::not_in: {
      const NodeId list_id = through_defines(kid(n, 1));
      const Node& list = p_.nodes[list_id];
      if (list.op != Op::list) break;
      const Term x = k(0);
      const TypeId type = p_.nodes[kid(n, 0)].type;
      z3::expr_vector any(c_);
      for (uint32_t i = 0; i + 1 < list.kid_count; i += 2) {
        const NodeId guard = p_.kids[list.kids + i + 1];
        z3::expr hit = equal(type, x, node(p_.kids[list.kids + i]));
        if (guard != kNone) hit = node(guard).value && hit;
        any.push_back(hit);
      }
      const z3::expr found = any.empty() ? c_.bool_val(false) : z3::mk_or(any);
      return {n.op == Op::in ? found : !found, t, t};
    }
    case Op::is_given: return {k(0).given, t, t};
    case Op::is_missing: return {!k(0).given, t, t};
    case Op::fn_min:
    case Op::fn_max: {
      const TypeKind tk = kind(n.type);
      if (tk != TypeKind::integer && tk != TypeKind::decimal && tk != TypeKind::date) break;
      z3::expr best = k(0).value;
      for (uint32_t i = 1; i < n.kid_count; ++i) {
        const z3::expr v = k(i).value;
        best = n.op == Op::fn_min ? z3::ite(v < best, v, best) : z3::ite(v > best, v, best);
      }
      return {best, t, t};
    }
    case Op::fn_abs: {
      const z3::expr v = k(0).value;
      return {z3::ite(v < 0, -v, v), t, t};
    }
    case Op::fn_count: {
      if (auto counted = count_of(kid(n, 0))) return {*counted, t, t};
      break;
    }
    // Not modelled: a fresh value of the node's type (see the file comment).
    case Op::list: case Op::pow_dec: case Op::mod_int: case Op::mod_dec: case Op::fn_round:
    case Op::fn_lower: case Op::fn_upper: case Op::fn_trim: case Op::fn_length:
    case Op::text_contains: case Op::text_starts_with: case Op::call: case Op::local: case Op::field: case Op::record:
    case Op::agg_count: case Op::agg_sum_int: case Op::agg_sum_dec: case Op::agg_min: case Op::agg_max:
    case Op::agg_every: case Op::agg_some: case Op::agg_list:
    case Op::sub_decision: break;  // sub-decisions (issue 14): another policy's decision
  }
  return opaque(n);
}

NodeId Translator::through_defines(NodeId id) const {
  for (int hops = 0; hops < 64; ++hops) {  // the checker rejects cycles; this bounds the walk anyway
    const Node& n = p_.nodes[id];
    if (n.op != Op::load || p_.slot_kind(n.aux) != SlotKind::define) return id;
    id = p_.defines[n.aux - p_.facts.size()].node;
  }
  return id;
}

std::optional<z3::expr> Translator::count_of(NodeId id) {
  // A written list counts the items whose guard holds; `if` picks one of two.
  const Node& n = p_.nodes[through_defines(id)];
  if (n.op == Op::list) {
    z3::expr count = c_.int_val(0);
    for (uint32_t i = 0; i + 1 < n.kid_count; i += 2) {
      const NodeId guard = kid(n, i + 1);
      count = count + (guard == kNone ? c_.int_val(1) : z3::ite(node(guard).value, c_.int_val(1), c_.int_val(0)));
    }
    return count.simplify();
  }
  if (n.op == Op::if_) {
    auto a = count_of(kid(n, 1)), b = count_of(kid(n, 2));
    if (a && b) return z3::ite(node(kid(n, 0)).value, *a, *b);
  }
  return std::nullopt;
}

Term Translator::opaque(const Node& n) {
  // The same operation on the same terms is the same unknown value:
  // count(missing_details) read by two rules is one variable, so their
  // conditions `... is 0` and `... > 0` stay exclusive. Z3 shares equal
  // terms, so their ids are a structural key.
  std::string key = std::to_string(static_cast<int>(n.op)) + ":" + std::to_string(n.aux) + ":" +
                    std::to_string(n.type);
  for (uint32_t i = 0; i < n.kid_count; ++i) {
    const NodeId k = kid(n, i);
    if (k == kNone) {
      key += ",-";
      continue;
    }
    const Term t = node(k);
    for (const z3::expr* e : {&t.value, &t.days, &t.given}) key += "," + std::to_string(Z3_get_ast_id(c_, *e));
  }
  if (n.op == Op::constant) key += ":" + std::to_string(opaque_.size());  // a list constant: its own
  auto it = opaque_.find(key);
  if (it == opaque_.end()) {
    it = opaque_.emplace(key, fresh(n.type)).first;
    if (n.op == Op::fn_count || n.op == Op::agg_count || n.op == Op::fn_length) {
      axioms_.push_back(it->second.value >= 0);  // how many: never negative
    }
  }
  return it->second;
}

Facts Translator::facts_from(const z3::model& m) {
  Facts facts;
  facts.values.resize(p_.facts.size());
  auto whole = [&](const z3::expr& e) -> int64_t {
    int64_t v = 0;
    const z3::expr r = m.eval(e, true);
    return r.is_numeral_i64(v) ? v : 0;
  };
  for (SlotId s = 0; s < p_.facts.size(); ++s) {
    const FieldInfo& f = p_.facts[s];
    const Term term = slot(s);
    if (f.optional && !m.eval(term.given, true).is_true()) {
      facts.values[s] = Value::missing_value();
      continue;
    }
    Value v;
    switch (kind(f.type)) {
      case TypeKind::boolean: v = Value::boolean(m.eval(term.value, true).is_true()); break;
      case TypeKind::integer: v = Value::integer(whole(term.value)); break;
      case TypeKind::date: v = Value::of_date(Date{static_cast<int32_t>(whole(term.value))}); break;
      case TypeKind::enumeration: v = Value::enumeration(static_cast<uint32_t>(whole(term.value))); break;
      case TypeKind::duration:
        v = Value::duration(Duration{static_cast<int32_t>(whole(term.value)), static_cast<int32_t>(whole(term.days))});
        break;
      case TypeKind::decimal: {
        // 18 places, the most a decimal has; a longer expansion is cut there
        // (the replay then decides whether the example still holds).
        std::string text = m.eval(term.value, true).get_decimal_string(18);
        if (!text.empty() && text.back() == '?') text.pop_back();
        auto d = parse_decimal(text);
        v = Value::decimal(d ? *d : Decimal{});
        break;
      }
      case TypeKind::text: {
        // A text the model leaves free gets a text of its own: completing every free one
        // with the same number would make two free texts equal, which the solver did not
        // assume (a text function of each, such as lower(trim(...)), is a separate unknown).
        int64_t id = 0;
        const bool free = !m.eval(term.value, false).is_numeral_i64(id);
        std::string text = free ? "any text " + std::to_string(s + 1) : "text " + std::to_string(id);
        for (const auto& [constant_text, constant_id] : text_ids_) {
          if (!free && constant_id == id) text = constant_text;
        }
        facts.texts.push_back(text);
        v = Value::of_text(facts.texts.back());
        break;
      }
      case TypeKind::list: v = Value::list_of(0, 0); break;  // not modelled: empty
      case TypeKind::record: v = Value::missing_value(); break;
    }
    facts.values[s] = v;
  }
  facts.as_of = Date{static_cast<int32_t>(whole(as_of_))};
  return facts;
}

}  // namespace rulebook::analysis

// Evaluates compiled nodes. Defines and outputs are computed lazily, once,
// when first read; rules are tried once and remembered. Outputs are resolved
// the way law reads: among the rules that assign an output and apply, drop
// every rule that an applying exception setting that output overrides; what
// remains must agree (or, for a collect output, is gathered: collect.cpp).
#include "eval/machine.hpp"

#include <algorithm>

namespace rulebook::eval {

namespace {

bool is_unknown(const Value& v) { return v.kind == ValueKind::unknown; }
}  // namespace

int compare_values(const Value& a, const Value& b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  switch (a.kind) {
    case ValueKind::boolean: return cmp(a.b, b.b);
    case ValueKind::integer: return cmp(a.i, b.i);
    case ValueKind::decimal: return decimal_compare(a.decimal_value(), b.decimal_value());
    case ValueKind::date: return cmp(a.date.days, b.date.days);
    case ValueKind::enumeration: return cmp(a.member, b.member);
    case ValueKind::text: return a.as_text().compare(b.as_text()) < 0 ? -1 : (a.as_text() == b.as_text() ? 0 : 1);
    case ValueKind::duration: return (a.dur == b.dur) ? 0 : cmp(a.dur.months * 31 + a.dur.days, b.dur.months * 31 + b.dur.days);
    default: return 0;
  }
}

[[gnu::cold, gnu::noinline]] Value Machine::fail(const char* code, std::string message) {
  if (analysis_) return Value::unknown_value();
  throw Failure{code, std::move(message), {}};
}

const Value& Machine::compute(SlotId slot) {
  uint8_t& state = d_.evaluated[slot];
  if (state == kBusy) {  // the checker rejects cycles; this is a guard, not a path
    fail("internal", "'" + p_.slot_name(slot) + "' depends on itself");
    d_.slots[slot] = Value::unknown_value();
    return d_.slots[slot];
  }
  state = kBusy;
  if (p_.slot_kind(slot) == SlotKind::define) {
    d_.slots[slot] = eval(p_.defines[slot - p_.facts.size()].node);
  } else if (analysis_) {
    d_.slots[slot] = Value::unknown_value();  // outputs are not analysed
  } else {
    resolve_output(slot - p_.output_slot(0));
  }
  state = kDone;
  return d_.slots[slot];
}

Tri Machine::try_rule(uint32_t r) {
  RuleOutcome& out = d_.rules[r];
  const RuleInfo& rule = p_.rules[r];
  // ---- per-rule in force (issue 14, law-values): outside its dates a rule does not apply ----
  if ((rule.in_force_from || rule.in_force_until) && !analysis_ && !rule.in_force_on(d_.as_of)) {
    out.status = RuleStatus::not_applied;
    out.failed_condition = kNotInForce;
    return Tri::no;
  }
  if (!analysis_) {
    for (uint32_t c = 0; c < rule.conditions.size(); ++c) {
      if (!truth(rule.conditions[c].node)) {
        out.status = RuleStatus::not_applied;
        out.failed_condition = c;
        return Tri::no;
      }
    }
    out.status = RuleStatus::applied;
    d_.fired.push_back(r);
    return Tri::yes;
  }
  Tri result = Tri::yes;
  for (uint32_t c = 0; c < rule.conditions.size(); ++c) {
    const Value v = eval(rule.conditions[c].node);
    if (is_unknown(v)) {
      result = Tri::unknown;
    } else if (!v.b) {
      out.status = RuleStatus::not_applied;
      out.failed_condition = c;
      return Tri::no;
    }
  }
  out.status = result == Tri::yes ? RuleStatus::applied : RuleStatus::unknown;
  if (result == Tri::yes && !analysis_) d_.fired.push_back(r);
  return result;
}

uint32_t Machine::displaced_by(uint32_t r, uint32_t assignment) {
  for (uint32_t over : p_.rules[r].assignments[assignment].displaced_by) {
    if (rule_applies(over) == Tri::yes) return over;
  }
  return kNone;
}

// Overridden only when displaced for every output it sets: a base that still
// decides one output stays applied (Catala's rule).
bool Machine::rule_overridden(uint32_t r) {
  RuleOutcome& out = d_.rules[r];
  if (out.status == RuleStatus::overridden) return true;
  if (out.exceptions_checked) return false;
  const RuleInfo& rule = p_.rules[r];
  uint32_t first = kNone;
  for (uint32_t a = 0; a < rule.assignments.size(); ++a) {
    const uint32_t by = displaced_by(r, a);
    if (by == kNone) {
      out.exceptions_checked = true;
      return false;
    }
    if (first == kNone) first = by;
  }
  if (first == kNone) {  // a rule that sets nothing (the checker rejects these): any exception
    for (uint32_t over : rule.overriders) {
      if (rule_applies(over) == Tri::yes) {
        first = over;
        break;
      }
    }
    if (first == kNone) {
      out.exceptions_checked = true;
      return false;
    }
  }
  out.status = RuleStatus::overridden;
  out.overridden_by = first;
  return true;
}

void Machine::resolve_output(uint32_t o) {
  const FieldInfo& out = p_.outputs[o];
  if (out.collect != FieldInfo::Collect::none) return resolve_collect(o);
  const SlotId slot = out.slot;
  uint32_t winner = kNone;
  Value value;
  for (std::size_t k = 0; k < out.rules.size(); ++k) {
    const uint32_t r = out.rules[k];
    if (rule_applies(r) != Tri::yes || displaced_by(r, out.rule_assignments[k]) != kNone) continue;
    const Value v = operand(out.rule_values[k]);
    if (winner == kNone) {
      winner = r;
      value = v;
    } else if (!values_equal(v, value, d_.arena, d_.arena)) {
      const std::string a_name = p_.rules[winner].name, b_name = p_.rules[r].name;
      throw Failure{"conflict",
                    "rules " + a_name + " and " + b_name + " both apply and give '" + out.name +
                        "' different values (" + display_value(p_, out.type, value, &d_.arena) + " and " +
                        display_value(p_, out.type, v, &d_.arena) +
                        "); the policy must make one an exception to the other",
                    {a_name, b_name}};
    }
  }
  d_.output_rule[o] = winner;
  if (winner != kNone) {
    d_.slots[slot] = value;
  } else if (out.default_value) {
    d_.slots[slot] = *out.default_value;
  } else if (out.optional) {
    d_.slots[slot] = Value::missing_value();
  } else {
    throw Failure{"undecided", "no rule decided '" + out.name + "' for these facts, and it has no default", {}};
  }
}

// ---- dated parameters (issue 14, law-values) ----
// The value in force on as_of: the last entry from on or before it.
Value Machine::parameter(const Node& n) {
  if (analysis_) return Value::unknown_value();  // the overlap analysis holds for every date
  const ParameterInfo& prm = p_.parameters[n.aux];
  const uint32_t entry = prm.entry_on(d_.as_of);
  if (entry == kNone) {
    return fail("undecided", "parameter '" + prm.name + "' has no value on " + format_iso_date(d_.as_of) +
                                 ": its first value is from " + format_iso_date(prm.entries.front().from));
  }
  return eval(kid(n, entry));
}

Value Machine::eval(NodeId id) {
  const Node& n = p_.nodes[id];
  switch (n.op) {
    case Op::constant: return n.constant;
    case Op::load_fact: return d_.slots[n.aux];
    case Op::fact_is:
    case Op::fact_is_not: {
      // A yes/no or enumeration fact against a constant: both are built by
      // the Value factories, so equal values have equal bits.
      const Value& v = d_.slots[n.aux];
      if (is_unknown(v)) return v;
      const bool same = v.kind == n.constant.kind && v.i == n.constant.i;
      return Value::boolean(same == (n.op == Op::fact_is));
    }
    case Op::not_fact: {
      const Value& v = d_.slots[n.aux];
      return is_unknown(v) ? v : Value::boolean(!v.b);
    }
    case Op::slot_is:
    case Op::slot_is_not: {
      const Value& v = load(n.aux);
      if (is_unknown(v)) return v;
      const bool same = v.kind == n.constant.kind && v.i == n.constant.i;
      return Value::boolean(same == (n.op == Op::slot_is));
    }
    case Op::load: return load(n.aux);
    case Op::as_of:  // the overlap analysis holds for every date
      return analysis_ ? Value::unknown_value() : Value::of_date(d_.as_of);
    case Op::not_: {
      const Value v = eval(kid(n, 0));
      return is_unknown(v) ? v : Value::boolean(!v.b);
    }
    case Op::and_:
    case Op::or_: {
      const bool is_and = n.op == Op::and_;
      bool unknown = false;
      for (uint32_t k = 0; k < n.kid_count; ++k) {
        const Value v = eval(kid(n, k));
        if (is_unknown(v)) {
          unknown = true;
        } else if (v.b != is_and) {
          return Value::boolean(!is_and);  // false in an and, true in an or: decided
        }
      }
      return unknown ? Value::unknown_value() : Value::boolean(is_and);
    }
    case Op::if_: {
      const Value c = eval(kid(n, 0));
      if (is_unknown(c)) return c;
      return eval(kid(n, c.b ? 1 : 2));
    }
    case Op::is_given:
    case Op::is_missing: {
      const Value v = operand(kid(n, 0));
      if (is_unknown(v)) return v;
      return Value::boolean(v.is_missing() == (n.op == Op::is_missing));
    }
    case Op::eq: case Op::ne: case Op::lt: case Op::le: case Op::gt: case Op::ge:
    case Op::in: case Op::not_in:
      return compare(n);
    case Op::list: return build_list(n);
    case Op::record: return build_record(n);
    case Op::sub_decision: return sub_decision(n);  // sub-decisions (issue 14): eval/subdecision.cpp
    case Op::local: return d_.locals[d_.locals.size() - n.aux];
    case Op::field: {
      const Value r = operand(kid(n, 0));
      if (r.kind != ValueKind::record) return r;  // unknown (analysis) or missing: an absent record has no fields
      return d_.arena[r.list.offset + n.aux];
    }
    case Op::call: return call_function(n);
    case Op::parameter: return parameter(n);  // dated parameters (issue 14, law-values)
    case Op::agg_count: case Op::agg_sum_int: case Op::agg_sum_dec: case Op::agg_min: case Op::agg_max:
    case Op::agg_every: case Op::agg_some: case Op::agg_list:
      return aggregate(n);
    case Op::fn_count: case Op::fn_min: case Op::fn_max: case Op::fn_abs: case Op::fn_days_between:
    case Op::fn_round:
      return call(n);
    case Op::fn_lower: case Op::fn_upper: case Op::fn_trim: case Op::fn_length:
    case Op::text_contains: case Op::text_starts_with:
      return text(n);
    default: return arithmetic(n, id);
  }
}

bool Machine::truth(NodeId id) {
  const Node& n = p_.nodes[id];
  switch (n.op) {
    case Op::constant: return n.constant.b;
    case Op::load_fact: return d_.slots[n.aux].b;
    case Op::fact_is:
    case Op::fact_is_not: {
      const Value& v = d_.slots[n.aux];
      return (v.kind == n.constant.kind && v.i == n.constant.i) == (n.op == Op::fact_is);
    }
    case Op::not_fact: return !d_.slots[n.aux].b;
    case Op::slot_is:
    case Op::slot_is_not: {
      const Value& v = load(n.aux);
      return (v.kind == n.constant.kind && v.i == n.constant.i) == (n.op == Op::slot_is);
    }
    case Op::load: return load(n.aux).b;
    case Op::not_: return !truth(kid(n, 0));
    case Op::and_:
      for (uint32_t k = 0; k < n.kid_count; ++k) {
        if (!truth(kid(n, k))) return false;
      }
      return true;
    case Op::or_:
      for (uint32_t k = 0; k < n.kid_count; ++k) {
        if (truth(kid(n, k))) return true;
      }
      return false;
    case Op::if_: return truth(kid(n, truth(kid(n, 0)) ? 1 : 2));
    default: return eval(id).b;
  }
}

Value Machine::compare(const Node& n) {
  const Value a = operand(kid(n, 0));
  const Value b = operand(kid(n, 1));
  if (is_unknown(a) || is_unknown(b)) return Value::unknown_value();
  switch (n.op) {
    case Op::eq:
    case Op::ne: {
      bool same;
      if (a.kind == ValueKind::boolean || a.kind == ValueKind::enumeration || a.kind == ValueKind::integer ||
          a.kind == ValueKind::date) {
        same = a.kind == b.kind && a.i == b.i;  // factory-built: equal values have equal bits
      } else {
        same = values_equal(a, b, d_.arena, d_.arena);
      }
      return Value::boolean(same == (n.op == Op::eq));
    }
    case Op::lt: return Value::boolean(compare_values(a, b) < 0);
    case Op::le: return Value::boolean(compare_values(a, b) <= 0);
    case Op::gt: return Value::boolean(compare_values(a, b) > 0);
    case Op::ge: return Value::boolean(compare_values(a, b) >= 0);
    default: break;
  }
  bool found = false;
  for (uint32_t k = 0; k < b.list.size && !found; ++k) {
    const Value& e = d_.arena[b.list.offset + k];
    if (is_unknown(e)) return Value::unknown_value();
    found = values_equal(a, e, d_.arena, d_.arena);
  }
  return Value::boolean(found == (n.op == Op::in));
}

Value Machine::build_list(const Node& n) {
  // Items are computed first (an item may itself build a list), then copied
  // into the arena together, so a list's elements are contiguous.
  const std::size_t base = d_.scratch.size();
  for (uint32_t k = 0; k + 1 < n.kid_count; k += 2) {
    const NodeId guard = kid(n, k + 1);
    if (guard != kNone) {
      const Value g = eval(guard);
      if (is_unknown(g)) {
        d_.scratch.resize(base);
        return Value::unknown_value();
      }
      if (!g.b) continue;
    }
    const Value v = operand(kid(n, k));
    d_.scratch.push_back(v);
  }
  const auto offset = static_cast<uint32_t>(d_.arena.size());
  const auto size = static_cast<uint32_t>(d_.scratch.size() - base);
  d_.arena.insert(d_.arena.end(), d_.scratch.begin() + static_cast<std::ptrdiff_t>(base), d_.scratch.end());
  d_.scratch.resize(base);
  return Value::list_of(offset, size);
}

// A record's fields in declaration order, contiguous in the arena (as a list's items).
Value Machine::build_record(const Node& n) {
  const std::size_t base = d_.scratch.size();
  for (uint32_t k = 0; k < n.kid_count; ++k) {
    const Value v = operand(kid(n, k));
    if (is_unknown(v)) {
      d_.scratch.resize(base);
      return v;
    }
    d_.scratch.push_back(v);
  }
  const auto offset = static_cast<uint32_t>(d_.arena.size());
  d_.arena.insert(d_.arena.end(), d_.scratch.begin() + static_cast<std::ptrdiff_t>(base), d_.scratch.end());
  d_.scratch.resize(base);
  return Value::record_of(offset, n.kid_count);
}

Value Machine::call(const Node& n) {
  if (n.op == Op::fn_min || n.op == Op::fn_max) {
    Value best = operand(kid(n, 0));
    for (uint32_t k = 1; k < n.kid_count; ++k) {
      const Value v = operand(kid(n, k));
      if (is_unknown(best) || is_unknown(v)) return Value::unknown_value();
      const int c = compare_values(v, best);
      if (n.op == Op::fn_min ? c < 0 : c > 0) best = v;
    }
    return best;
  }
  const Value a = operand(kid(n, 0));
  if (is_unknown(a)) return a;
  switch (n.op) {
    case Op::fn_count: return Value::integer(a.list.size);
    case Op::fn_abs:
      if (a.kind == ValueKind::integer) {
        if (a.i == INT64_MIN) return fail("arithmetic", "abs() of the smallest whole number overflows");
        return Value::integer(a.i < 0 ? -a.i : a.i);
      }
    {
      // The range is not symmetric: -(-9223372036854.775808) overflows. Adding to 0 checks it.
      auto r = decimal_add(Decimal{}, decimal_abs(a.decimal_value()));
      return r ? Value::decimal(*r) : fail("arithmetic", "a decimal overflowed");
    }
    case Op::fn_round: {
      int64_t places = 0;
      if (n.kid_count > 1) {
        const Value p = operand(kid(n, 1));
        if (is_unknown(p)) return p;
        places = p.i;
      }
      if (places < 0 || places > Decimal::kMaxScale) {
        return fail("arithmetic", "rounding to " + std::to_string(places) + " places: it must be between 0 and 18");
      }
      auto r = decimal_add(Decimal{}, decimal_round(a.decimal_value(), static_cast<int>(places), static_cast<Rounding>(n.aux)));
      return r ? Value::decimal(*r) : fail("arithmetic", "a decimal overflowed");  // rounding up at the range's edge
    }
    case Op::fn_days_between: {
      const Value b = operand(kid(n, 1));
      if (is_unknown(b)) return b;
      return Value::integer(int64_t{b.date.days} - a.date.days);
    }
    default: return fail("internal", "unknown function");
  }
}

// A function call: the arguments are computed in the caller's scope, then
// pushed as the body's scope (Op::local reads them from the top of the stack).
Value Machine::call_function(const Node& n) {
  const CallSite& site = p_.call_sites[n.aux];
  const FunctionInfo& f = p_.functions[site.function];
  Value args[kMaxParams];
  const uint32_t count = std::min(n.kid_count, kMaxParams);  // the checker keeps it at most kMaxParams
  for (uint32_t k = 0; k < count; ++k) {
    args[k] = operand(kid(n, k));
    if (is_unknown(args[k])) return args[k];
  }
  const bool outermost = d_.locals.empty();
  const std::size_t base = d_.locals.size();
  d_.locals.insert(d_.locals.end(), args, args + count);
  const Value result = eval(f.body);
  d_.locals.resize(base);
  if (outermost && !analysis_ && d_.calls.size() < Decision::kMaxCallRecords) {
    d_.calls.push_back(CallRecord{n.aux, static_cast<uint32_t>(d_.call_args.size()), result});
    d_.call_args.insert(d_.call_args.end(), args, args + count);
  }
  return result;
}

// Goes through a list with its item on top of Decision::locals (the
// variable reads it with Op::local), keeping count of what it read.
Value Machine::aggregate(const Node& n) {
  const Value list = operand(kid(n, 0));
  if (is_unknown(list)) return list;
  const NodeId value = kid(n, 1), condition = kid(n, 2), otherwise = kid(n, 3);
  const bool outermost = d_.locals.empty();
  const std::size_t base = d_.locals.size();
  const std::size_t scratch_base = d_.scratch.size();
  d_.locals.push_back(Value());
  uint32_t read = 0, matched = 0;
  int64_t int_sum = 0;
  Decimal dec_sum{};
  Value best;  // min, max
  std::optional<bool> decided;  // every, some: the answer once one item settles it
  uint32_t decisive = kNone;    // the item that settled it
  bool unknown = false;
  for (uint32_t k = 0; k < list.list.size && !decided && !unknown; ++k) {
    d_.locals[base] = d_.arena[list.list.offset + k];  // by index: evaluating may grow the arena
    ++read;
    if (condition != kNone) {
      const Value c = eval(condition);
      if (is_unknown(c)) {
        unknown = true;
        break;
      }
      if (n.op == Op::agg_every || n.op == Op::agg_some) {
        if (c.b) ++matched;
        if (c.b == (n.op == Op::agg_some)) {
          decided = c.b;
          decisive = k;
        }
        continue;
      }
      if (!c.b) continue;
    }
    ++matched;
    if (n.op == Op::agg_count) continue;
    const Value v = eval(value);
    if (is_unknown(v)) {
      unknown = true;
      break;
    }
    switch (n.op) {
      case Op::agg_sum_int:
        if (__builtin_add_overflow(int_sum, v.i, &int_sum)) {
          d_.locals.resize(base);
          return fail("arithmetic", "a whole number overflowed in " + p_.aggregate_sites[n.aux].source);
        }
        break;
      case Op::agg_sum_dec: {
        auto s = decimal_add(dec_sum, v.decimal_value());
        if (!s) {
          d_.locals.resize(base);
          return fail("arithmetic", "a decimal overflowed in " + p_.aggregate_sites[n.aux].source);
        }
        dec_sum = *s;
        break;
      }
      case Op::agg_min:
      case Op::agg_max:
        if (matched == 1 || (n.op == Op::agg_min ? compare_values(v, best) < 0 : compare_values(v, best) > 0)) best = v;
        break;
      case Op::agg_list: d_.scratch.push_back(v); break;
      default: break;
    }
  }
  d_.locals.resize(base);
  if (unknown) {
    d_.scratch.resize(scratch_base);
    return Value::unknown_value();
  }
  Value result;
  switch (n.op) {
    case Op::agg_count: result = Value::integer(matched); break;
    case Op::agg_every: result = Value::boolean(decided.value_or(true)); break;
    case Op::agg_some: result = Value::boolean(decided.value_or(false)); break;
    case Op::agg_sum_int: result = Value::integer(int_sum); break;
    case Op::agg_sum_dec: result = Value::decimal(dec_sum); break;
    case Op::agg_list: {
      const auto offset = static_cast<uint32_t>(d_.arena.size());
      d_.arena.insert(d_.arena.end(), d_.scratch.begin() + static_cast<std::ptrdiff_t>(scratch_base), d_.scratch.end());
      result = Value::list_of(offset, static_cast<uint32_t>(d_.scratch.size() - scratch_base));
      d_.scratch.resize(scratch_base);
      break;
    }
    default: result = best; break;  // min, max
  }
  if (matched == 0 && otherwise != kNone && n.op != Op::agg_every && n.op != Op::agg_some && n.op != Op::agg_count) {
    result = eval(otherwise);
  } else if (matched == 0 && (n.op == Op::agg_min || n.op == Op::agg_max)) {
    return fail("undecided", p_.aggregate_sites[n.aux].source + " read no items (" +
                                 p_.aggregate_sites[n.aux].list_source + " had " + std::to_string(read) +
                                 (read == 1 ? " item" : " items") + ", none matching), and it has no 'else' value");
  }
  if (outermost && !analysis_ && d_.aggregates.size() < Decision::kMaxCallRecords) {
    const Value item = decisive != kNone ? d_.arena[list.list.offset + decisive] : Value();
    d_.aggregates.push_back(AggregateRecord{n.aux, read, matched, result, decisive, item});
  }
  return result;
}

Value Machine::text(const Node& n) {
  const Value a = operand(kid(n, 0));
  if (is_unknown(a)) return a;
  const std::string_view t = a.as_text();
  switch (n.op) {
    case Op::fn_lower:
    case Op::fn_upper:
      // The result must outlive this call: it is kept with the decision.
      d_.texts.push_back(n.op == Op::fn_lower ? text_lower(t) : text_upper(t));
      return Value::of_text(d_.texts.back());
    case Op::fn_trim: return Value::of_text(text_trim(t));
    case Op::fn_length: return Value::integer(text_length(t));
    case Op::text_contains:
    case Op::text_starts_with: {
      const Value b = operand(kid(n, 1));
      if (is_unknown(b)) return b;
      const std::string_view x = b.as_text();
      return Value::boolean(n.op == Op::text_contains ? t.find(x) != std::string_view::npos : t.substr(0, x.size()) == x);
    }
    default: return fail("internal", "unknown text operation");
  }
}

Value Machine::arithmetic(const Node& n, NodeId id) {
  (void)id;
  const Value a = operand(kid(n, 0));
  if (is_unknown(a)) return a;
  if (n.kid_count == 1) {
    switch (n.op) {
      case Op::neg_int:
        if (a.i == INT64_MIN) return fail("arithmetic", "a whole number overflowed");
        return Value::integer(-a.i);
      case Op::neg_dec:
      {
        auto r = decimal_add(Decimal{}, decimal_neg(a.decimal_value()));
        return r ? Value::decimal(*r) : fail("arithmetic", "a decimal overflowed");
      }
      case Op::neg_dur:
        if (a.dur.months == INT32_MIN || a.dur.days == INT32_MIN) return fail("arithmetic", "a duration overflowed");
        return Value::duration(Duration{-a.dur.months, -a.dur.days});
      case Op::to_dec: {
        auto d = decimal_from_int(a.i);
        return d ? Value::decimal(*d) : fail("arithmetic", "a number is too large to use as a decimal");
      }
      default: return fail("internal", "unknown operation");
    }
  }
  const Value b = operand(kid(n, 1));
  if (is_unknown(b)) return b;
  int64_t r = 0;
  std::optional<Decimal> dr;
  switch (n.op) {
    case Op::add_int:
      if (__builtin_add_overflow(a.i, b.i, &r)) return fail("arithmetic", "a whole number overflowed");
      return Value::integer(r);
    case Op::sub_int:
      if (__builtin_sub_overflow(a.i, b.i, &r)) return fail("arithmetic", "a whole number overflowed");
      return Value::integer(r);
    case Op::mul_int:
      if (__builtin_mul_overflow(a.i, b.i, &r)) return fail("arithmetic", "a whole number overflowed");
      return Value::integer(r);
    case Op::add_dec: dr = decimal_add(a.decimal_value(), b.decimal_value()); break;
    case Op::sub_dec: dr = decimal_sub(a.decimal_value(), b.decimal_value()); break;
    case Op::mul_dec: dr = decimal_mul(a.decimal_value(), b.decimal_value()); break;
    case Op::div_dec:
    case Op::mod_dec:
      if (b.decimal_value().coef == 0) return fail("arithmetic", "division by zero");
      dr = n.op == Op::div_dec ? decimal_div(a.decimal_value(), b.decimal_value())
                               : decimal_mod(a.decimal_value(), b.decimal_value());
      break;
    case Op::pow_dec: {
      const char* why = "a decimal overflowed";
      dr = decimal_pow(a.decimal_value(), b.i, &why);
      if (!dr) return fail("arithmetic", why);
      break;
    }
    case Op::mod_int: {
      if (b.i == 0) return fail("arithmetic", "division by zero");
      if (b.i == -1) return Value::integer(0);  // INT64_MIN % -1 overflows
      int64_t m = a.i % b.i;
      if (m != 0 && ((m < 0) != (b.i < 0))) m += b.i;  // the sign of the divisor
      return Value::integer(m);
    }
    case Op::date_plus:
    case Op::date_minus: {
      Duration d = b.dur;
      if (n.op == Op::date_minus) d = Duration{-d.months, -d.days};
      auto date = add_duration(a.date, d);
      return date ? Value::of_date(*date) : fail("arithmetic", "a date fell outside the years 0001 to 9999");
    }
    case Op::date_diff: return Value::integer(int64_t{a.date.days} - b.date.days);
    case Op::dur_add:
    case Op::dur_sub: {
      const int64_t sign = n.op == Op::dur_add ? 1 : -1;
      const int64_t months = int64_t{a.dur.months} + sign * b.dur.months;
      const int64_t days = int64_t{a.dur.days} + sign * b.dur.days;
      if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN) {
        return fail("arithmetic", "a duration overflowed");
      }
      return Value::duration(Duration{static_cast<int32_t>(months), static_cast<int32_t>(days)});
    }
    case Op::dur_scale: {
      const __int128 months = static_cast<__int128>(a.i) * b.dur.months;
      const __int128 days = static_cast<__int128>(a.i) * b.dur.days;
      if (months > INT32_MAX || months < INT32_MIN || days > INT32_MAX || days < INT32_MIN) {
        return fail("arithmetic", "a duration overflowed");
      }
      return Value::duration(Duration{static_cast<int32_t>(months), static_cast<int32_t>(days)});
    }
    default: return fail("internal", "unknown operation");
  }
  return dr ? Value::decimal(*dr) : fail("arithmetic", "a decimal overflowed");
}

}  // namespace rulebook::eval

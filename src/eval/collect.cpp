// Collect outputs (issue 14): `sum of rules`, `min of rules`, `max of rules`,
// `list of rules`. Every rule that applies and that no applying exception
// displaces for this output contributes, in the order the rules stand in the
// file; there is no conflict between them.
#include "eval/machine.hpp"

namespace rulebook::eval {

void Machine::resolve_collect(uint32_t o) {
  const FieldInfo& out = p_.outputs[o];
  using C = FieldInfo::Collect;
  const bool whole = p_.types[out.type].kind == TypeKind::integer;
  int64_t int_sum = 0;
  Decimal dec_sum{};
  Value best;
  bool any = false;
  const std::size_t base = d_.scratch.size();  // list of rules: the items
  for (std::size_t k = 0; k < out.rules.size(); ++k) {
    const uint32_t r = out.rules[k];
    if (rule_applies(r) != Tri::yes || displaced_by(r, out.rule_assignments[k]) != kNone) continue;
    const Value v = operand(out.rule_values[k]);
    d_.contributions.push_back(Contribution{o, r, v});
    if (d_.output_rule[o] == kNone) d_.output_rule[o] = r;
    switch (out.collect) {
      case C::sum:
        if (v.is_missing()) break;
        if (whole) {
          if (__builtin_add_overflow(int_sum, v.i, &int_sum)) {
            d_.scratch.resize(base);
            throw Failure{"arithmetic", "a whole number overflowed adding up the rules of '" + out.name + "'", {}};
          }
        } else {
          auto s = decimal_add(dec_sum, v.decimal_value());
          if (!s) {
            d_.scratch.resize(base);
            throw Failure{"arithmetic", "a decimal overflowed adding up the rules of '" + out.name + "'", {}};
          }
          dec_sum = *s;
        }
        break;
      case C::min:
      case C::max: {
        if (v.is_missing()) break;
        const int c = any ? compare_values(v, best) : 0;
        if (!any || (out.collect == C::min ? c < 0 : c > 0)) best = v;
        any = true;
        break;
      }
      case C::list: d_.scratch.push_back(v); break;
      case C::none: break;
    }
  }
  Value& slot = d_.slots[out.slot];
  switch (out.collect) {
    case C::sum: slot = whole ? Value::integer(int_sum) : Value::decimal(dec_sum); break;
    case C::min:
    case C::max:
      slot = any ? best : out.default_value ? *out.default_value : Value::missing_value();
      break;
    case C::list: {
      const auto offset = static_cast<uint32_t>(d_.arena.size());
      const auto size = static_cast<uint32_t>(d_.scratch.size() - base);
      d_.arena.insert(d_.arena.end(), d_.scratch.begin() + static_cast<std::ptrdiff_t>(base), d_.scratch.end());
      d_.scratch.resize(base);
      slot = Value::list_of(offset, size);
      break;
    }
    case C::none: break;
  }
}

}  // namespace rulebook::eval

// Collect outputs (issue 14): `extra_days : number, sum of rules`. Every rule
// that applies and is not displaced contributes; the option is checked here
// against the output's type.
#include "check/checker_impl.hpp"

namespace rulebook::checking {

void Checker::collect_option(const ast::FieldDecl& d, FieldInfo& info, bool is_output) {
  if (d.collect.empty()) return;
  const std::string option = "'" + d.collect + " of rules'";
  if (!is_output) {
    error("collect-not-output", d.collect_pos,
          option + " belongs to an output, which rules set; '" + d.name + "' is not one");
    return;
  }
  if (info.type == kNone) return;  // its type was reported already
  const TypeInfo& t = p_->types[info.type];
  using C = FieldInfo::Collect;
  const C kind = d.collect == "sum" ? C::sum : d.collect == "min" ? C::min : d.collect == "max" ? C::max : C::list;
  bool fits = false;
  std::string wants;
  switch (kind) {
    case C::sum:
      fits = t.kind == TypeKind::integer || t.kind == TypeKind::decimal;
      wants = "a number, decimal or money";
      break;
    case C::min:
    case C::max:
      fits = t.kind == TypeKind::integer || t.kind == TypeKind::decimal || t.kind == TypeKind::date ||
             (t.kind == TypeKind::enumeration && t.ordered);
      wants = "a number, decimal, money, date or ordered 'one of'";
      break;
    case C::list:
      fits = t.kind == TypeKind::list;
      wants = "a list type, as in 'reasons : list of reason, list of rules'";
      break;
    case C::none: break;
  }
  if (!fits) {
    error("collect-type", d.collect_pos, option + " cannot collect " + tname(info.type) + " '" + d.name +
                                             "': it needs " + wants);
    return;
  }
  if ((kind == C::sum || kind == C::list) && d.default_value) {
    error("collect-default", d.default_value->pos,
          std::string("with no rule applying, ") + option + " gives " + (kind == C::sum ? "0" : "[]") +
              ": drop the default");
    return;
  }
  info.collect = kind;
  // min/max with no rule applying: the default, else missing (null).
  if ((kind == C::min || kind == C::max) && !info.default_value) info.optional = true;
}

}  // namespace rulebook::checking

// Sub-decisions (issue 14): `define parent = decision of fr.smic with region = ...`.
// The callee version in force on the caller's as_of is decided with the bound
// values as its facts; its outputs become the define's record. Values cross
// between the two programs by shape: enumeration members by their word (member
// indexes differ between programs), records by field name, lists item by item,
// each copied from one evaluation's arena into the other's.
//
// Depth: the loader rejects circles of policies and bounds the chain of
// `decision of` (Limits::max_use_depth), so this recursion is bounded.
#include <algorithm>
#include <memory>

#include "eval/machine.hpp"

namespace rulebook::eval {

namespace {

// `v`, of type `from_type` in `from`, as a value of `to_type` in `to`, its list
// items and record fields appended to `to_arena`. The checker proved the shapes fit.
Value carry_sub_value(const Program& from, TypeId from_type, const Value& v, const std::vector<Value>& from_arena,
                  const Program& to, TypeId to_type, std::vector<Value>& to_arena) {
  if (v.is_missing() || from_type == kNone || to_type == kNone) return v;
  const TypeInfo& ft = from.types[from_type];
  const TypeInfo& tt = to.types[to_type];
  switch (tt.kind) {
    case TypeKind::decimal:
      if (v.kind == ValueKind::integer) {
        if (auto dec = decimal_from_int(v.i)) return Value::decimal(*dec);
      }
      return v;
    case TypeKind::enumeration: {
      if (v.kind != ValueKind::enumeration || ft.kind != TypeKind::enumeration || v.member >= ft.members.size()) return v;
      const auto it = std::find(tt.members.begin(), tt.members.end(), ft.members[v.member]);
      return it == tt.members.end() ? Value() : Value::enumeration(static_cast<uint32_t>(it - tt.members.begin()));
    }
    case TypeKind::list: {
      if (v.kind != ValueKind::list || ft.kind != TypeKind::list) return v;
      const auto offset = static_cast<uint32_t>(to_arena.size());
      to_arena.resize(to_arena.size() + v.list.size);  // the items' places first; nested items go after
      for (uint32_t k = 0; k < v.list.size; ++k) {
        const Value item = carry_sub_value(from, ft.element, from_arena[v.list.offset + k], from_arena, to, tt.element, to_arena);
        to_arena[offset + k] = item;
      }
      return Value::list_of(offset, v.list.size);
    }
    case TypeKind::record: {
      if (v.kind != ValueKind::record || ft.kind != TypeKind::record) return v;
      const auto fields = static_cast<uint32_t>(tt.fields.size());
      const auto offset = static_cast<uint32_t>(to_arena.size());
      to_arena.resize(to_arena.size() + fields);
      for (uint32_t k = 0; k < fields; ++k) {
        const FieldInfo& target = tt.fields[k];
        const int source = ft.field_index(target.name);
        Value field = target.default_value.value_or(Value());
        if (source >= 0 && static_cast<uint32_t>(source) < v.list.size) {
          const Value given = from_arena[v.list.offset + static_cast<uint32_t>(source)];
          if (!given.is_missing()) {
            field = carry_sub_value(from, ft.fields[static_cast<std::size_t>(source)].type, given, from_arena, to,
                                target.type, to_arena);
          }
        }
        to_arena[offset + k] = field;
      }
      return Value::record_of(offset, fields);
    }
    case TypeKind::boolean:
    case TypeKind::integer:
    case TypeKind::text:
    case TypeKind::date:
    case TypeKind::duration: return v;
  }
  return v;
}

// The rules of a failed sub-decision, named as the caller's `fired` names them: policy/rule.
std::vector<std::string> qualified_rules(const std::string& policy, const std::vector<std::string>& rules) {
  std::vector<std::string> out;
  out.reserve(rules.size());
  for (const auto& r : rules) out.push_back(policy + "/" + r);
  return out;
}

}  // namespace

Value Machine::sub_decision(const Node& n) {
  const SubDecisionSite& site = p_.sub_decisions[n.aux];
  // The overlap analysis does not decide other policies: the value is not enumerated.
  if (analysis_) return Value::unknown_value();
  const std::string& define_name = p_.defines[site.define].name;
  const SubDecisionVersion* version = nullptr;
  for (const auto& v : site.versions) {
    if (v.program->in_force_on(d_.as_of)) version = &v;
  }
  if (!version) {
    throw Failure{"undecided",
                  "'" + define_name + "' decides " + site.policy_id + ", which has no version in force on " +
                      format_iso_date(d_.as_of),
                  {}};
  }
  const Program& callee = *version->program;

  auto facts = std::make_shared<Facts>();
  facts->as_of = d_.as_of;
  facts->values.resize(callee.facts.size());
  for (std::size_t f = 0; f < callee.facts.size(); ++f) {
    if (callee.facts[f].default_value) facts->values[f] = *callee.facts[f].default_value;
  }
  for (uint32_t b = 0; b < n.kid_count; ++b) {
    const Value given = eval(kid(n, b));
    const SlotId slot = version->binding_facts[b];
    const FieldInfo& fact = callee.facts[slot];
    if (given.is_missing()) {
      if (!fact.optional && !fact.default_value) {
        throw Failure{"undecided",
                      "'" + define_name + "' decides " + site.policy_id + " with " + site.binding_names[b] +
                          ", which is missing here; " + site.policy_id + " needs it",
                      {}};
      }
      continue;
    }
    facts->values[slot] = carry_sub_value(p_, site.binding_types[b], given, d_.arena, callee, fact.type, facts->arena);
  }

  auto decision = std::make_shared<Decision>();
  evaluate_into(callee, *facts, *decision);
  d_.sub_decisions.push_back(SubDecisionRecord{n.aux, version->program, facts, decision});
  if (decision->error) {
    throw Failure{decision->error->code,
                  "in " + site.policy_id + " (decided for '" + define_name + "'): " + decision->error->message,
                  qualified_rules(site.policy_id, decision->error->rules)};
  }

  // The outputs, as the define's record.
  const TypeInfo& record = p_.types[site.type];
  const auto fields = static_cast<uint32_t>(record.fields.size());
  const auto offset = static_cast<uint32_t>(d_.arena.size());
  d_.arena.resize(d_.arena.size() + fields);
  for (uint32_t k = 0; k < fields; ++k) {
    const uint32_t o = version->field_outputs[k];
    Value field;
    if (o != kNone) {
      const FieldInfo& out = callee.outputs[o];
      field = carry_sub_value(callee, out.type, decision->slots[out.slot], decision->arena, p_, record.fields[k].type,
                          d_.arena);
    }
    d_.arena[offset + k] = field;
  }
  return Value::record_of(offset, fields);
}

}  // namespace rulebook::eval

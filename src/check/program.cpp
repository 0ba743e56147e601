// Small helpers on Program that both the evaluator and the JSON layer use.
#include "rulebook/program.hpp"

#include <algorithm>

namespace rulebook {

const std::string& Program::slot_name(SlotId s) const {
  if (s < facts.size()) return facts[s].name;
  s -= static_cast<SlotId>(facts.size());
  if (s < defines.size()) return defines[s].name;
  return outputs[s - defines.size()].name;
}

TypeId Program::slot_type(SlotId s) const {
  if (s < facts.size()) return facts[s].type;
  s -= static_cast<SlotId>(facts.size());
  if (s < defines.size()) return nodes[defines[s].node].type;
  return outputs[s - defines.size()].type;
}

std::string display_member(const std::string& m) {
  bool word = !m.empty() && !(m[0] >= '0' && m[0] <= '9');
  for (char c : m) {
    word = word && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  }
  return word ? m : "\"" + m + "\"";
}

std::string display_value(const Program& p, TypeId type, const Value& v, const std::vector<Value>* arena) {
  switch (v.kind) {
    case ValueKind::missing: return "missing";
    case ValueKind::unknown: return "unknown";
    case ValueKind::boolean: return v.b ? "yes" : "no";
    case ValueKind::integer: return std::to_string(v.i);
    case ValueKind::decimal: return format_decimal(v.decimal_value());
    case ValueKind::text: return "\"" + std::string(v.as_text()) + "\"";
    case ValueKind::date: return format_iso_date(v.date);
    case ValueKind::duration: return format_duration(v.dur);
    case ValueKind::enumeration: {
      const auto& members = p.types[type].members;
      return v.member < members.size() ? members[v.member] : "?";
    }
    case ValueKind::list: {
      std::string out = "[";
      const TypeId element = p.types[type].element;
      for (uint32_t k = 0; arena && k < v.list.size; ++k) {
        if (k) out += ", ";
        out += display_value(p, element, (*arena)[v.list.offset + k], arena);
      }
      return out + "]";
    }
    case ValueKind::record: {
      // As the rule language builds it: child(birth_date: 2010-01-01, in_care: yes); absent fields left out.
      const TypeInfo& t = p.types[type];
      std::string out = t.name + "(";
      bool first = true;
      for (uint32_t k = 0; arena && k < v.list.size && k < t.fields.size(); ++k) {
        const Value& f = (*arena)[v.list.offset + k];
        if (f.is_missing()) continue;
        out += (first ? "" : ", ") + t.fields[k].name + ": " + display_value(p, t.fields[k].type, f, arena);
        first = false;
      }
      return out + ")";
    }
  }
  return "?";
}

// ---- per-output exceptions (issue 14) ----
const AssignmentInfo* assignment_of(const Program& p, uint32_t rule, uint32_t output) {
  for (const auto& a : p.rules[rule].assignments) {
    if (a.output == output) return &a;
  }
  return nullptr;
}

bool displaces(const Program& p, uint32_t over, uint32_t base, uint32_t output) {
  const AssignmentInfo* a = assignment_of(p, base, output);
  return a && std::binary_search(a->displaced_by.begin(), a->displaced_by.end(), over);
}

int TypeInfo::field_index(std::string_view field) const {
  for (std::size_t k = 0; k < fields.size(); ++k) {
    if (fields[k].name == field) return static_cast<int>(k);
  }
  return -1;
}

}  // namespace rulebook

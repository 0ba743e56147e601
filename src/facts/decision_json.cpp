// A decision as JSON (the `decision` object and the explanation) and as text
// for people (`rulebook decide --explain --format text`).
#include <algorithm>
#include <charconv>

#include "facts/json_writer.hpp"
#include "facts/law_explain.hpp"
#include "rulebook/api.hpp"

namespace rulebook {

void append_value_json(std::string& out, const Program& p, TypeId type, const Value& v,
                       const std::vector<Value>& arena) {
  switch (v.kind) {
    case ValueKind::missing:
    case ValueKind::unknown: out += "null"; return;
    case ValueKind::boolean: out += v.b ? "true" : "false"; return;
    case ValueKind::integer: {
      char buf[24];
      out.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v.i).ptr - buf));
      return;
    }
    case ValueKind::decimal: out += format_decimal(v.decimal_value()); return;
    case ValueKind::text: append_json_string(out, v.as_text()); return;
    case ValueKind::date: out += '"'; out += format_iso_date(v.date); out += '"'; return;
    case ValueKind::duration: out += '"'; out += format_duration(v.dur); out += '"'; return;
    case ValueKind::enumeration: append_json_string(out, p.types[type].members[v.member]); return;
    case ValueKind::list:
      out += '[';
      for (uint32_t k = 0; k < v.list.size; ++k) {
        if (k) out += ',';
        append_value_json(out, p, p.types[type].element, arena[v.list.offset + k], arena);
      }
      out += ']';
      return;
    case ValueKind::record: {
      // An object with every field; an absent optional field is null.
      const TypeInfo& t = p.types[type];
      out += '{';
      for (uint32_t k = 0; k < v.list.size && k < t.fields.size(); ++k) {
        if (k) out += ',';
        append_json_string(out, t.fields[k].name);
        out += ':';
        append_value_json(out, p, t.fields[k].type, arena[v.list.offset + k], arena);
      }
      out += '}';
      return;
    }
  }
  out += "null";
}

std::string value_json(const Program& p, TypeId type, const Value& v, const std::vector<Value>& arena) {
  std::string out;
  append_value_json(out, p, type, v, arena);
  return out;
}

// Dotted outputs, nested by Program::output_tree.
static void append_output_node(std::string& out, const Program& p, const Decision& d, uint32_t node) {
  const FactTreeNode& n = p.output_tree[node];
  if (n.fact != kNone) {
    const auto& info = p.outputs[n.fact];
    append_value_json(out, p, info.type, d.slots[info.slot], d.arena);
    return;
  }
  out += '{';
  for (std::size_t k = 0; k < n.children.size(); ++k) {
    if (k) out += ',';
    append_json_string(out, p.output_tree[n.children[k]].key);
    out += ':';
    append_output_node(out, p, d, n.children[k]);
  }
  out += '}';
}

std::string decision_object_json(const Program& p, const Decision& d) {
  std::string out;
  if (!p.output_tree.empty()) {
    append_output_node(out, p, d, 0);
    return out;
  }
  out += '{';
  bool first = true;
  for (uint32_t o = 0; o < p.outputs.size(); ++o) {
    const auto& info = p.outputs[o];
    if (info.internal) continue;  // internal values are not in the decision (issue 14)
    if (!first) out += ',';
    first = false;
    append_json_string(out, info.name);
    out += ':';
    append_value_json(out, p, info.type, d.slots[info.slot], d.arena);
  }
  out += '}';
  return out;
}

namespace {

const char* status_name(RuleStatus s) {
  switch (s) {
    case RuleStatus::applied: return "applied";
    case RuleStatus::not_applied: return "not_applied";
    case RuleStatus::overridden: return "overridden";
    case RuleStatus::unknown: return "unknown";
    case RuleStatus::not_evaluated: break;
  }
  return "not_evaluated";
}

void write_values(JsonWriter& w, const Program& p, const Decision& d, const std::vector<SlotId>& reads) {
  w.begin_object();
  for (SlotId s : reads) {
    if (!d.evaluated[s]) continue;
    w.key(p.slot_name(s)).raw(value_json(p, p.slot_type(s), d.slots[s], d.arena));
  }
  w.end_object();
}

std::vector<SlotId> all_reads(const RuleInfo& r) {
  std::vector<SlotId> out;
  for (const auto& c : r.conditions) {
    for (SlotId s : c.reads) {
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  }
  return out;
}

std::string values_text(const Program& p, const Decision& d, const std::vector<SlotId>& reads) {
  std::string out;
  for (SlotId s : reads) {
    if (!d.evaluated[s]) continue;
    if (!out.empty()) out += ", ";
    out += p.slot_name(s) + " is " + display_value(p, p.slot_type(s), d.slots[s], &d.arena);
  }
  return out;
}


// A function call's arguments, by parameter name: `p is ..., window_start is 2021-11-29`.
std::string call_arguments_text(const Program& p, const Decision& d, const CallRecord& c) {
  const FunctionInfo& f = p.functions[p.call_sites[c.site].function];
  std::string out;
  for (std::size_t k = 0; k < f.params.size(); ++k) {
    if (k) out += ", ";
    out += f.params[k] + " is " + display_value(p, f.param_types[k], d.call_args[c.args_offset + k], &d.arena);
  }
  return out;
}

TypeId aggregate_type(const Program& p, const AggregateRecord& a) { return p.aggregate_sites[a.site].type; }

bool is_quantifier(Op op) { return op == Op::agg_every || op == Op::agg_some; }

// The item that settled an `every` or `some` in a failed condition (the first
// one that failed `every`, or met a `some` under `not`), found through the
// aggregates the decision recorded; null when the condition has none.
const AggregateRecord* failed_item(const Program& p, const Decision& d, NodeId id) {
  if (id == kNone) return nullptr;
  const Node& n = p.nodes[id];
  if (is_quantifier(n.op)) {
    for (std::size_t k = d.aggregates.size(); k-- > 0;) {
      if (d.aggregates[k].site == n.aux) return d.aggregates[k].decisive != kNone ? &d.aggregates[k] : nullptr;
    }
    return nullptr;
  }
  if (n.op >= Op::agg_count && n.op <= Op::agg_list) return nullptr;  // an inner quantifier is not recorded
  if (n.op == Op::call) return nullptr;                               // nor one in a function's body
  for (uint32_t k = 0; k < n.kid_count; ++k) {
    if (const AggregateRecord* a = failed_item(p, d, p.kids[n.kids + k])) return a;
  }
  return nullptr;
}

// `household.children[2]` and the fields of it the condition read.
std::string failed_item_path(const Program& p, const AggregateRecord& a) {
  return p.aggregate_sites[a.site].list_source + "[" + std::to_string(a.decisive) + "]";
}

void write_failed_item(JsonWriter& w, const Program& p, const Decision& d, const AggregateRecord& a) {
  const AggregateSite& site = p.aggregate_sites[a.site];
  w.key("failed_item").begin_object();
  w.key("aggregate").string(site.source);
  w.key("list").string(site.list_source);
  w.key("index").raw(std::to_string(a.decisive));
  w.key("path").string(failed_item_path(p, a));
  if (site.item_fields.empty() || a.item.kind != ValueKind::record) {
    w.key("item").raw(value_json(p, site.item_type, a.item, d.arena));
  } else {
    const TypeInfo& t = p.types[site.item_type];
    w.key("values").begin_object();
    for (uint32_t f : site.item_fields) {
      w.key(site.variable + "." + t.fields[f].name)
          .raw(value_json(p, t.fields[f].type, d.arena[a.item.list.offset + f], d.arena));
    }
    w.end_object();
  }
  w.end_object();
}

std::string failed_item_text(const Program& p, const Decision& d, const AggregateRecord& a) {
  const AggregateSite& site = p.aggregate_sites[a.site];
  std::string out = "; " + failed_item_path(p, a) + " made it fail: ";
  if (site.item_fields.empty() || a.item.kind != ValueKind::record) {
    return out + site.variable + " is " + display_value(p, site.item_type, a.item, &d.arena);
  }
  const TypeInfo& t = p.types[site.item_type];
  for (std::size_t k = 0; k < site.item_fields.size(); ++k) {
    const uint32_t f = site.item_fields[k];
    out += (k ? ", " : "") + site.variable + "." + t.fields[f].name + " is " +
           display_value(p, t.fields[f].type, d.arena[a.item.list.offset + f], &d.arena);
  }
  return out;
}

// ---- dated parameters and per-rule in force (issue 14, law-values) ----
// `from 2016-12-01 until 2022-06-30`, `from 2022-07-01`, `until 2016-11-30`.
std::string rule_dates_text(const RuleInfo& r) {
  std::string out;
  if (r.in_force_from) out += "in force from " + format_iso_date(*r.in_force_from);
  if (r.in_force_until) out += std::string(out.empty() ? "in force" : "") + " until " + format_iso_date(*r.in_force_until);
  return out;
}

void write_rule_dates(JsonWriter& w, const RuleInfo& r) {
  w.key("in_force_from");
  if (r.in_force_from) w.string(format_iso_date(*r.in_force_from)); else w.null();
  w.key("in_force_until");
  if (r.in_force_until) w.string(format_iso_date(*r.in_force_until)); else w.null();
}

// The parameter's entry in force on the decision's date: its date and the citation.
void write_parameter_entry(JsonWriter& w, const Program& p, const Decision& d, uint32_t index) {
  const ParameterInfo& prm = p.parameters[index];
  w.key("parameter").begin_object();
  w.key("title").string(prm.title);
  w.key("cite").string(prm.cite);
  const uint32_t e = prm.entry_on(d.as_of);
  w.key("in_force_from");
  if (e != kNone) w.string(format_iso_date(prm.entries[e].from)); else w.null();
  w.key("entry");
  if (e != kNone) w.string(prm.entries[e].source); else w.null();
  w.end_object();
}

std::string parameter_entry_text(const Program& p, const Decision& d, uint32_t index) {
  const ParameterInfo& prm = p.parameters[index];
  const uint32_t e = prm.entry_on(d.as_of);
  if (e == kNone) return ", the parameter has no value before " + format_iso_date(prm.entries.front().from);
  std::string out = ", the parameter's value from " + format_iso_date(prm.entries[e].from);
  if (!prm.cite.empty()) out += " (" + prm.cite + ")";
  return out;
}

}  // namespace

// ---- sub-decisions (issue 14) ----
// The decision a `decision of` define made, or null when it made none.
static const SubDecisionRecord* sub_decision_of(const Program& p, const Decision& d, const DefineInfo& def) {
  for (const SubDecisionRecord& s : d.sub_decisions) {
    if (&p.defines[p.sub_decisions[s.site].define] == &def) return &s;
  }
  return nullptr;
}

// Nested under the define: the callee's version, its fired rules and its whole explanation.
static void write_sub_decision_json(JsonWriter& w, const Program& p, const Decision& d, const DefineInfo& def) {
  const SubDecisionRecord* s = sub_decision_of(p, d, def);
  if (!s) return;
  const Program& callee = *s->program;
  w.key("sub_decision").begin_object();
  w.key("policy").string(callee.header.id).key("version").string(callee.header.version);
  w.key("hash").string(callee.hash);
  w.key("fired").begin_array();
  for (uint32_t r : s->decision->fired) {
    w.begin_object().key("rule").string(callee.rules[r].name).key("cite").string(callee.rules[r].cite).end_object();
  }
  w.end_array();
  if (s->decision->error) w.key("error").string(s->decision->error->message);
  w.key("explanation").raw(explanation_json(callee, *s->decision));
  w.end_object();
}

static std::string sub_decision_text(const Program& p, const Decision& d, const DefineInfo& def) {
  const SubDecisionRecord* s = sub_decision_of(p, d, def);
  if (!s) return "";
  const Program& callee = *s->program;
  std::string out = "  " + def.name + " decided by " + callee.header.id + " version " + callee.header.version + ":\n";
  const std::string inner = explanation_text(callee, *s->decision);
  std::size_t at = 0;
  while (at < inner.size()) {  // each line indented under the define
    const std::size_t end = inner.find('\n', at);
    const std::size_t stop = end == std::string::npos ? inner.size() : end;
    out += "    " + inner.substr(at, stop - at) + "\n";
    at = stop + 1;
  }
  if (s->decision->error) out += "    error: " + s->decision->error->message + "\n";
  return out;
}
// ---- end of sub-decisions ----

std::string explanation_json(const Program& p, const Decision& d) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (uint32_t r = 0; r < p.rules.size(); ++r) {
    const RuleInfo& rule = p.rules[r];
    const RuleOutcome& o = d.rules[r];
    w.begin_object();
    w.key("rule").string(rule.name);
    w.key("title").string(rule.title);
    w.key("cite").string(rule.cite);
    w.key("applied").boolean(o.status == RuleStatus::applied);
    w.key("status").string(status_name(o.status));
    if (o.status == RuleStatus::not_applied && o.failed_condition == kNotInForce) {
      w.key("not_in_force").string(format_iso_date(d.as_of));  // per-rule in force (issue 14)
      write_rule_dates(w, rule);
    } else if (o.status == RuleStatus::not_applied && o.failed_condition != kNone) {
      const Condition& c = rule.conditions[o.failed_condition];
      w.key("failed_condition").string(c.source);
      w.key("values");
      write_values(w, p, d, c.reads);
      if (const AggregateRecord* a = failed_item(p, d, c.node)) write_failed_item(w, p, d, *a);
    } else if (o.status == RuleStatus::applied || o.status == RuleStatus::overridden) {
      w.key("values");
      write_values(w, p, d, all_reads(rule));
    }
    if (o.status == RuleStatus::overridden) w.key("overridden_by").string(p.rules[o.overridden_by].name);
    explain::write_overridden_for(w, p, d, r);  // per output (issue 14)
    if (!rule.exception_to.empty()) {
      w.key("exception_to").begin_array();
      for (uint32_t t : rule.exception_to) w.string(p.rules[t].name);
      w.end_array();
      explain::write_overrode(w, p, d, r);
    }
    w.end_object();
  }
  for (const auto& def : p.defines) {
    w.begin_object();
    w.key("define").string(def.name);
    w.key("expression").string(def.source);
    if (def.parameter != kNone) write_parameter_entry(w, p, d, def.parameter);  // dated parameters (issue 14)
    w.key("inputs");
    write_values(w, p, d, def.reads);
    w.key("value");
    if (d.evaluated[def.slot]) {
      w.raw(value_json(p, p.slot_type(def.slot), d.slots[def.slot], d.arena));
    } else {
      w.null();
      w.key("evaluated").boolean(false);
    }
    write_sub_decision_json(w, p, d, def);  // sub-decisions (issue 14)
    w.end_object();
  }
  // Aggregates outside calls and other aggregates: the list, how many items it read and matched.
  for (const AggregateRecord& a : d.aggregates) {
    const AggregateSite& site = p.aggregate_sites[a.site];
    w.begin_object();
    w.key("aggregate").string(site.source);
    w.key("list").string(site.list_source);
    w.key("items").raw(std::to_string(a.read));
    w.key("matched").raw(std::to_string(a.matched));
    w.key("value").raw(value_json(p, aggregate_type(p, a), a.result, d.arena));
    w.end_object();
  }
  // Function calls made outside other calls and aggregates, in the order they were made.
  for (const CallRecord& c : d.calls) {
    const FunctionInfo& f = p.functions[p.call_sites[c.site].function];
    w.begin_object();
    w.key("call").string(p.call_sites[c.site].source);
    w.key("function").string(f.name);
    w.key("arguments").begin_object();
    for (std::size_t k = 0; k < f.params.size(); ++k) {
      w.key(f.params[k]).raw(value_json(p, f.param_types[k], d.call_args[c.args_offset + k], d.arena));
    }
    w.end_object();
    w.key("value").raw(value_json(p, f.result, c.result, d.arena));
    w.end_object();
  }
  for (uint32_t o = 0; o < p.outputs.size(); ++o) {
    const auto& info = p.outputs[o];
    w.begin_object();
    w.key("output").string(info.name);
    if (info.internal) w.key("internal").boolean(true);  // issue 14: shown here, not in the decision
    w.key("value").raw(value_json(p, info.type, d.slots[info.slot], d.arena));
    const uint32_t by = o < d.output_rule.size() ? d.output_rule[o] : kNone;
    if (info.collect != FieldInfo::Collect::none) {  // collect outputs (issue 14)
      explain::write_contributions(w, p, d, o);
    } else if (by != kNone) {
      const AssignmentInfo* a = assignment_of(p, by, o);
      w.key("decided_by").string(p.rules[by].name);
      w.key("expression").string(a->source);
      w.key("inputs");
      write_values(w, p, d, a->reads);
    } else {
      w.key("decided_by").null();
      w.key("from").string(info.default_value ? "default" : "no rule applied");
    }
    w.end_object();
  }
  w.end_array();
  return out;
}

std::string explanation_text(const Program& p, const Decision& d) {
  std::string out;
  // ---- require (issue 14, law-require): a broken require stops the decision first ----
  for (uint32_t k : d.failed_requires) {
    const RequireInfo& req = p.requirements[k];
    out += "require failed (line " + std::to_string(req.pos.line) + ", " + req.source + "): " + req.message;
    if (!req.facts.empty()) {
      std::vector<SlotId> facts(req.facts.begin(), req.facts.end());
      out += ": " + values_text(p, d, facts);
    }
    out += "\n";
  }
  for (uint32_t r = 0; r < p.rules.size(); ++r) {
    const RuleInfo& rule = p.rules[r];
    const RuleOutcome& o = d.rules[r];
    std::string line = rule.name;
    switch (o.status) {
      case RuleStatus::applied: {
        line += " applied";
        if (!rule.cite.empty()) line += " (" + rule.cite + ")";
        const std::string vals = values_text(p, d, all_reads(rule));
        if (!vals.empty()) line += ": " + vals;
        line += explain::partly_overridden_text(p, d, r);  // per output (issue 14)
        const std::string overrode = explain::overrode_text(p, d, r);
        if (!overrode.empty()) line += "; it overrides " + overrode;
        break;
      }
      case RuleStatus::not_applied: {
        if (o.failed_condition == kNotInForce) {  // per-rule in force (issue 14)
          line += " did not apply: not in force on " + format_iso_date(d.as_of) + " (" + rule_dates_text(rule) + ")";
          break;
        }
        const Condition& c = rule.conditions[o.failed_condition];
        line += " did not apply: " + c.source + " does not hold";
        const std::string vals = values_text(p, d, c.reads);
        if (!vals.empty()) line += " (" + vals + ")";
        if (const AggregateRecord* a = failed_item(p, d, c.node)) line += failed_item_text(p, d, *a);
        break;
      }
      case RuleStatus::overridden:
        line += explain::overridden_text(p, d, r);
        break;
      default:
        line += " was not evaluated";
        break;
    }
    out += line + "\n";
  }
  for (const auto& def : p.defines) {
    if (!d.evaluated[def.slot]) continue;
    if (def.parameter != kNone) {  // dated parameters (issue 14)
      out += def.name + " = " + display_value(p, p.slot_type(def.slot), d.slots[def.slot], &d.arena) +
             parameter_entry_text(p, d, def.parameter) + "\n";
      continue;
    }
    out += def.name + " = " + display_value(p, p.slot_type(def.slot), d.slots[def.slot], &d.arena) + ", from " +
           def.source;
    const std::string vals = values_text(p, d, def.reads);
    out += vals.empty() ? "\n" : " where " + vals + "\n";
    out += sub_decision_text(p, d, def);  // sub-decisions (issue 14)
  }
  for (const AggregateRecord& a : d.aggregates) {
    const AggregateSite& site = p.aggregate_sites[a.site];
    out += site.source + " = " + display_value(p, aggregate_type(p, a), a.result, &d.arena) + " (" +
           std::to_string(a.matched) + " of the " + std::to_string(a.read) + " items of " + site.list_source +
           " matched)\n";
  }
  for (const CallRecord& c : d.calls) {
    const FunctionInfo& f = p.functions[p.call_sites[c.site].function];
    out += p.call_sites[c.site].source + " = " + display_value(p, f.result, c.result, &d.arena);
    const std::string args = call_arguments_text(p, d, c);
    out += args.empty() ? "\n" : " where " + args + "\n";
  }
  for (uint32_t o = 0; o < p.outputs.size(); ++o) {
    const auto& info = p.outputs[o];
    out += info.name + (info.internal ? " (internal)" : "") + " = " +
           display_value(p, info.type, d.slots[info.slot], &d.arena);
    const uint32_t by = o < d.output_rule.size() ? d.output_rule[o] : kNone;
    if (info.collect != FieldInfo::Collect::none) {  // collect outputs (issue 14)
      out += explain::contributions_text(p, d, o);
    } else if (by != kNone) {
      const AssignmentInfo* a = assignment_of(p, by, o);
      out += ", by " + p.rules[by].name;
      if (a->source != display_value(p, info.type, d.slots[info.slot], &d.arena)) out += ": " + a->source;
      const std::string vals = values_text(p, d, a->reads);
      if (!vals.empty()) out += " where " + vals;
    } else {
      out += info.default_value ? " (the default: no rule set it)" : " (no rule set it)";
    }
    out += "\n";
  }
  return out;
}

}  // namespace rulebook

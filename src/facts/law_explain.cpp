// Per-output exceptions and collect outputs in the explanation (issue 14).
#include "facts/law_explain.hpp"

#include "rulebook/api.hpp"

namespace rulebook::explain {

namespace {

bool held(const Decision& d, uint32_t r) {
  return d.rules[r].status == RuleStatus::applied || d.rules[r].status == RuleStatus::overridden;
}

const char* collect_name(FieldInfo::Collect c) {
  switch (c) {
    case FieldInfo::Collect::sum: return "sum of rules";
    case FieldInfo::Collect::min: return "min of rules";
    case FieldInfo::Collect::max: return "max of rules";
    case FieldInfo::Collect::list: return "list of rules";
    case FieldInfo::Collect::none: break;
  }
  return "";
}

std::string quoted_outputs(const Program& p, const std::vector<uint32_t>& outputs) {
  std::string out;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    out += (k == 0 ? "" : k + 1 == outputs.size() ? " and " : ", ") + ("'" + p.outputs[outputs[k]].name + "'");
  }
  return out;
}

// The outputs of `rule` that `exception` displaced; `all` when that is every output it sets.
std::vector<uint32_t> displaced_by(const Program& p, const Decision& d, uint32_t rule, uint32_t exception,
                                   bool& all) {
  std::vector<uint32_t> outs;
  for (const Displacement& x : displacements(p, d, rule)) {
    if (x.by == exception) outs.push_back(x.output);
  }
  all = outs.size() == p.rules[rule].assignments.size();
  return outs;
}

}  // namespace

std::vector<Displacement> displacements(const Program& p, const Decision& d, uint32_t rule) {
  std::vector<Displacement> out;
  if (!held(d, rule)) return out;
  for (const AssignmentInfo& a : p.rules[rule].assignments) {
    for (uint32_t over : a.displaced_by) {
      if (held(d, over)) {
        out.push_back(Displacement{a.output, over});
        break;
      }
    }
  }
  return out;
}

std::string partly_overridden_text(const Program& p, const Decision& d, uint32_t rule) {
  std::string out;
  const auto all = displacements(p, d, rule);
  for (std::size_t k = 0; k < all.size(); ++k) {
    out += (k == 0 ? "; for '" : ", for '") + p.outputs[all[k].output].name + "' it was overridden by the exception " +
           p.rules[all[k].by].name;
  }
  return out;
}

std::string overridden_text(const Program& p, const Decision& d, uint32_t rule) {
  const auto all = displacements(p, d, rule);
  bool one = !all.empty();
  for (const auto& x : all) one = one && x.by == all.front().by;
  if (one || all.empty()) return " held but was overridden by the exception " + p.rules[d.rules[rule].overridden_by].name;
  std::string out = " held but was overridden";
  for (std::size_t k = 0; k < all.size(); ++k) {
    out += (k == 0 ? ": for '" : ", for '") + p.outputs[all[k].output].name + "' by the exception " +
           p.rules[all[k].by].name;
  }
  return out;
}

std::string overrode_text(const Program& p, const Decision& d, uint32_t exception) {
  std::string out;
  for (uint32_t t = 0; t < p.rules.size(); ++t) {
    if (t == exception) continue;
    bool all = false;
    const auto outs = displaced_by(p, d, t, exception, all);
    if (outs.empty()) continue;
    out += (out.empty() ? "" : ", ") + p.rules[t].name;
    if (!all) out += " for " + quoted_outputs(p, outs);
  }
  return out;
}

void write_overridden_for(JsonWriter& w, const Program& p, const Decision& d, uint32_t rule) {
  const auto all = displacements(p, d, rule);
  if (all.empty()) return;
  w.key("overridden_for").begin_array();
  for (const auto& x : all) {
    w.begin_object();
    w.key("output").string(p.outputs[x.output].name);
    w.key("by").string(p.rules[x.by].name);
    w.end_object();
  }
  w.end_array();
}

void write_overrode(JsonWriter& w, const Program& p, const Decision& d, uint32_t exception) {
  w.key("overrode").begin_array();
  for (uint32_t t = 0; t < p.rules.size(); ++t) {
    bool all = false;
    if (t != exception && !displaced_by(p, d, t, exception, all).empty()) w.string(p.rules[t].name);
  }
  w.end_array();
}

void write_contributions(JsonWriter& w, const Program& p, const Decision& d, uint32_t output) {
  const FieldInfo& info = p.outputs[output];
  const TypeId item = info.collect == FieldInfo::Collect::list ? p.types[info.type].element : info.type;
  w.key("collect").string(collect_name(info.collect));
  w.key("contributions").begin_array();
  for (const Contribution& c : d.contributions) {
    if (c.output != output) continue;
    w.begin_object();
    w.key("rule").string(p.rules[c.rule].name);
    w.key("value").raw(value_json(p, item, c.value, d.arena));
    w.end_object();
  }
  w.end_array();
}

std::string contributions_text(const Program& p, const Decision& d, uint32_t output) {
  const FieldInfo& info = p.outputs[output];
  const TypeId item = info.collect == FieldInfo::Collect::list ? p.types[info.type].element : info.type;
  std::string out = std::string(", ") + collect_name(info.collect) + ": ";
  bool any = false;
  for (const Contribution& c : d.contributions) {
    if (c.output != output) continue;
    out += (any ? ", " : "") + p.rules[c.rule].name + " gives " + display_value(p, item, c.value, &d.arena);
    any = true;
  }
  if (!any) out += info.default_value ? "no rule applied (the default)" : "no rule applied";
  return out;
}

}  // namespace rulebook::explain

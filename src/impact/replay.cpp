// Deciding one case against BASE and NEW and tallying what differs. The hot
// path (a decision log line whose answer did not change) reuses both sides'
// Facts and Decision buffers and compares output values in place, so it
// allocates nothing; strings are built only for a change.
#include "impact/replay.hpp"

#include <algorithm>
#include <iterator>

#include "facts/json_reader.hpp"
#include "rulebook/api.hpp"
#include "rulebook/facts.hpp"

namespace rulebook::impact {

namespace {

bool same_type(const Program& a, TypeId ta, const Program& b, TypeId tb) {
  const TypeInfo& x = a.types[ta];
  const TypeInfo& y = b.types[tb];
  if (x.kind != y.kind || x.members != y.members) return false;
  if (x.kind == TypeKind::list) return same_type(a, x.element, b, y.element);
  return true;
}

std::vector<std::string> fired_names(const Program& p, const Decision& d) {
  std::vector<std::string> out;
  for (uint32_t r : d.fired) out.push_back(p.rules[r].name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

std::string shown(const Program& p, TypeId type, const Value& v, const std::vector<Value>& arena) {
  if (v.is_missing() || v.is_unknown()) return "null";
  return display_value(p, type, v, &arena);
}

Replayer::Replayer(const PolicySet& base, const PolicySet& next, const Limits& limits)
    : base_(base), next_(next), limits_(limits) {}

void Replayer::decide(const PolicySet& set, const CaseView& c, Side& side) {
  side.program = nullptr;
  side.error = {};
  const auto found = set.find(c.policy, c.as_of);
  if (found.status == PolicySet::Status::unknown_policy) {
    side.error = "unknown_policy";
    return;
  }
  if (found.status == PolicySet::Status::not_in_force) {
    side.error = "not_in_force";
    return;
  }
  side.program = found.program;
  const bool bad = c.doc ? !read_facts(*found.program, *c.doc, *c.doc_facts, limits_, side.facts).empty()
                         : !read_facts(*found.program, *c.facts, limits_, side.facts).empty();
  if (bad) {
    side.error = "invalid_facts";
    return;
  }
  side.facts.as_of = c.as_of;
  evaluate_into(*found.program, side.facts, side.decision);
  if (side.decision.error) side.error = side.decision.error->code;
}

const Replayer::OutputMap& Replayer::output_map(const Program& base, const Program& next) {
  auto [it, inserted] = maps_.try_emplace({&base, &next});
  OutputMap& m = it->second;
  if (!inserted) return m;
  std::vector<bool> matched(base.outputs.size(), false);
  for (const auto& out : next.outputs) {
    uint32_t b = kNone;
    for (uint32_t k = 0; k < base.outputs.size(); ++k) {
      if (base.outputs[k].name == out.name) b = k;
    }
    m.base_of_new.push_back(b);
    m.same_type.push_back(b != kNone && same_type(base, base.outputs[b].type, next, out.type));
    if (b != kNone) matched[b] = true;
  }
  for (uint32_t k = 0; k < base.outputs.size(); ++k) {
    if (!matched[k]) m.base_only.push_back(k);
  }
  return m;
}

bool Replayer::replay(const CaseView& c) {
  ++tally_.cases[static_cast<int>(c.source)];
  decide(base_, c, old_);
  decide(next_, c, new_);
  const std::size_t before = tally_.changed;
  const bool old_ok = old_.error.empty(), new_ok = new_.error.empty();
  auto result_text = [](const Side& s) { return s.error.empty() ? std::string("decision") : "error " + std::string(s.error); };
  bool changed = false;
  if (!old_ok || !new_ok) {
    if (old_.error != new_.error) {
      record(c, kResult, result_text(old_), result_text(new_), kNone, kNone);
      changed = true;
    }
  } else {
    const Program& b = *old_.program;
    const Program& n = *new_.program;
    const OutputMap& m = output_map(b, n);
    const Decision& db = old_.decision;
    const Decision& dn = new_.decision;
    for (uint32_t o = 0; o < n.outputs.size(); ++o) {
      if (n.outputs[o].internal) continue;  // not in the decision (issue 14): not a change clients see
      const Value& nv = dn.output(n, o);
      const uint32_t bo = m.base_of_new[o];
      if (bo == kNone) {
        record(c, n.outputs[o].name, "(no such output)", shown(n, n.outputs[o].type, nv, dn.arena), kNone, o);
        changed = true;
        continue;
      }
      const Value& bv = db.output(b, bo);
      if (m.same_type[o] ? values_equal(bv, nv, db.arena, dn.arena) : false) continue;
      std::string was = shown(b, b.outputs[bo].type, bv, db.arena);
      std::string now = shown(n, n.outputs[o].type, nv, dn.arena);
      if (was == now) continue;  // different types that read alike
      record(c, n.outputs[o].name, std::move(was), std::move(now), bo, o);
      changed = true;
    }
    for (uint32_t bo : m.base_only) {
      if (b.outputs[bo].internal) continue;
      record(c, b.outputs[bo].name, shown(b, b.outputs[bo].type, db.output(b, bo), db.arena), "(no such output)", bo,
             kNone);
      changed = true;
    }
  }
  if (c.policy.size()) {
    // The per-policy counts: found without building a string on the hot path.
    auto it = tally_.policies.find(c.policy);
    if (it == tally_.policies.end()) it = tally_.policies.emplace(std::string(c.policy), PolicyChanges{}).first;
    ++it->second.decisions;
    if (changed) ++it->second.changed;
  }
  if (changed) tally_.changed = before + 1;
  return changed;
}

void Replayer::record(const CaseView& c, const std::string& output, std::string old_value, std::string new_value,
                      uint32_t base_output, uint32_t new_output) {
  OutputChanges& oc = tally_.policies[std::string(c.policy)].outputs[output];
  auto key = std::make_pair(std::move(old_value), std::move(new_value));
  auto it = oc.pairs.find(key);
  if (it == oc.pairs.end()) {
    if (oc.pairs.size() >= kMaxPairsPerOutput) {
      ++oc.other_pairs;
      ++oc.other_decisions;
      return;
    }
    it = oc.pairs.emplace(std::move(key), Change{}).first;
    Example& e = it->second.example;
    e.origin = std::string(c.origin_file);
    if (c.origin_line) e.origin += ":" + std::to_string(c.origin_line);
    if (!c.origin_name.empty()) {
      e.origin += c.source == Source::suite ? " scenario \"" + std::string(c.origin_name) + "\""
                                             : " " + std::string(c.origin_name);
    }
    e.as_of = format_iso_date(c.as_of);
    if (c.doc) {
      c.doc->write(*c.doc_facts, e.facts);
    } else {
      e.facts = c.facts->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    if (old_.program) e.old_version = old_.program->header.version;
    if (new_.program) e.new_version = new_.program->header.version;
    if (old_.error.empty() && new_.error.empty()) {
      const auto fo = fired_names(*old_.program, old_.decision);
      const auto fn = fired_names(*new_.program, new_.decision);
      e.fired_only_old = minus(fo, fn);
      e.fired_only_new = minus(fn, fo);
      auto by = [](const Program& p, const Decision& d, uint32_t o) {
        if (o == kNone || o >= d.output_rule.size() || d.output_rule[o] == kNone) return std::string();
        return p.rules[d.output_rule[o]].name;
      };
      e.decided_by_old = by(*old_.program, old_.decision, base_output);
      e.decided_by_new = by(*new_.program, new_.decision, new_output);
    }
  }
  ++it->second.count;
}

}  // namespace rulebook::impact

// The evaluator's entry points: set up the slots, resolve every output in
// declaration order, then mark the rules that exceptions overrode.
#include "rulebook/evaluator.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "eval/fixed.hpp"
#include "eval/machine.hpp"

namespace rulebook {

bool values_equal(const Value& a, const Value& b, const std::vector<Value>& arena_a,
                  const std::vector<Value>& arena_b) {
  if (a.kind != b.kind) return false;
  if (a.kind == ValueKind::list || a.kind == ValueKind::record) {
    if (a.list.size != b.list.size) return false;
    for (uint32_t k = 0; k < a.list.size; ++k) {
      if (!values_equal(arena_a[a.list.offset + k], arena_b[b.list.offset + k], arena_a, arena_b)) return false;
    }
    return true;
  }
  if (a.kind == ValueKind::missing || a.kind == ValueKind::unknown) return true;
  if (a.kind == ValueKind::duration) return a.dur == b.dur;
  return eval::compare_values(a, b) == 0;
}

void evaluate_into(const Program& p, const Facts& facts, Decision& d) { evaluate_fixed(p, facts, {}, d); }

void evaluate_fixed(const Program& p, const Facts& facts, std::span<const std::pair<SlotId, Value>> fixed, Decision& d) {
  // Facts are copied in whole and marked done; the rest starts pending. All
  // of these are trivially copyable, so each line is one memcpy or memset.
  const std::size_t slots = p.slot_count(), fact_count = p.facts.size();
  d.slots.resize(slots);
  std::copy_n(facts.values.begin(), fact_count, d.slots.begin());
  static_assert(std::is_trivially_copyable_v<Value> && ValueKind::missing == ValueKind{0});  // Value() is all zeros
  if (slots > fact_count) {  // (an empty vector's data() may be null, which memset may not take)
    std::memset(static_cast<void*>(d.slots.data() + fact_count), 0, (slots - fact_count) * sizeof(Value));
  }
  d.evaluated.resize(slots);
  std::fill_n(d.evaluated.begin(), fact_count, uint8_t{2});
  std::fill(d.evaluated.begin() + static_cast<std::ptrdiff_t>(fact_count), d.evaluated.end(), uint8_t{0});
  d.arena.assign(facts.arena.begin(), facts.arena.end());
  d.rules.assign(p.rules.size(), RuleOutcome{});
  d.fired.clear();
  d.as_of = facts.as_of;
  if (!d.texts.empty()) d.texts.clear();
  d.locals.clear();
  d.calls.clear();
  d.call_args.clear();
  d.aggregates.clear();
  d.contributions.clear();
  if (!d.sub_decisions.empty()) d.sub_decisions.clear();  // sub-decisions (issue 14)
  d.output_rule.assign(p.outputs.size(), kNone);
  d.error.reset();
  for (const auto& [slot, value] : fixed) {  // given define: computed already
    d.slots[slot] = value;
    d.evaluated[slot] = 2;
  }
  eval::Machine m(p, d, /*analysis=*/false);
  d.failed_requires.clear();
  try {
    // ---- require (issue 14, law-require): checks on the facts, before any output ----
    if (!p.requirements.empty()) {
      for (uint32_t k = 0; k < p.requirements.size(); ++k) {
        if (!m.truth(p.requirements[k].condition)) d.failed_requires.push_back(k);
      }
      if (!d.failed_requires.empty()) {
        std::string message = "the facts break " + std::to_string(d.failed_requires.size()) + " require" +
                              (d.failed_requires.size() == 1 ? "" : "s") + ": ";
        for (std::size_t k = 0; k < d.failed_requires.size(); ++k) {
          message += (k ? "; " : "") + p.requirements[d.failed_requires[k]].message;
        }
        d.error = DecisionError{"invalid_facts", std::move(message), {}};
        d.fired.clear();
        return;
      }
    }
    for (uint32_t o = 0; o < p.outputs.size(); ++o) m.load(p.outputs[o].slot);
    // Rules that assign nothing any output needed are still tried, so the
    // explanation accounts for every rule.
    for (uint32_t r = 0; r < p.rules.size(); ++r) {
      if (m.rule_applies(r) == eval::Tri::yes) m.rule_overridden(r);
    }
  } catch (const eval::Failure& f) {
    d.error = DecisionError{f.code, f.message, f.rules};
  }
  // `fired` lists the rules that applied and contributed: not the overridden ones.
  std::size_t keep = 0;
  for (uint32_t r : d.fired) {
    if (d.rules[r].status == RuleStatus::applied) d.fired[keep++] = r;
  }
  d.fired.resize(keep);
}

// ---- require (issue 14, law-require) ----
std::vector<uint32_t> broken_requirements(const Program& p, const Facts& facts, const std::vector<bool>* usable_fact) {
  std::vector<uint32_t> broken;
  if (p.requirements.empty()) return broken;
  // A decision's state as evaluate_fixed sets it up: the facts done, the rest pending.
  Decision d;
  d.slots.assign(p.slot_count(), Value());
  d.evaluated.assign(p.slot_count(), uint8_t{0});
  const std::size_t given = std::min(facts.values.size(), p.facts.size());
  std::copy_n(facts.values.begin(), given, d.slots.begin());
  std::fill_n(d.evaluated.begin(), p.facts.size(), uint8_t{2});
  d.rules.assign(p.rules.size(), RuleOutcome{});
  d.output_rule.assign(p.outputs.size(), kNone);
  d.arena.assign(facts.arena.begin(), facts.arena.end());
  d.as_of = facts.as_of;
  eval::Machine m(p, d, /*analysis=*/false);
  for (uint32_t k = 0; k < p.requirements.size(); ++k) {
    const RequireInfo& req = p.requirements[k];
    if (usable_fact && std::any_of(req.facts.begin(), req.facts.end(),
                                   [&](SlotId f) { return f >= usable_fact->size() || !(*usable_fact)[f]; })) {
      continue;
    }
    try {
      if (!m.truth(req.condition)) broken.push_back(k);
    } catch (const eval::Failure&) {
      // not judged: the decision reports the failure itself
    }
  }
  return broken;
}

Decision evaluate(const Program& p, const Facts& facts) {
  Decision d;
  evaluate_into(p, facts, d);
  return d;
}

}  // namespace rulebook

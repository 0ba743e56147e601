// Conflict analysis: two rules that no exception orders, that can both apply
// and give one output different values, are an error the checker can often
// prove before any decision is made. For each such pair it enumerates the
// yes/no and enumeration facts their conditions read (through defines too),
// leaving every other fact unknown, and runs the evaluator in three-valued
// mode. A combination where both rules surely apply, no exception to either
// can apply, and the values surely differ is a proof, reported with it.
// Where nothing is proven, the evaluator still refuses a conflicting decision.
#include "check/overlap.hpp"

#include <algorithm>
#include <map>

#include "eval/machine.hpp"

namespace rulebook {

namespace {

// Whether two rules are both in force on some date (issue 14: `in force from ... until ...` on a rule).
bool dates_meet(const RuleInfo& a, const RuleInfo& b) {
  const Date lo = std::max(a.in_force_from.value_or(Date{INT32_MIN}), b.in_force_from.value_or(Date{INT32_MIN}));
  const Date hi = std::min(a.in_force_until.value_or(Date{INT32_MAX}), b.in_force_until.value_or(Date{INT32_MAX}));
  return lo <= hi;
}


// `fact is constant` parts of a rule's conditions: a cheap disjointness test.
std::map<SlotId, Value> pinned_facts(const Program& p, const RuleInfo& r) {
  std::map<SlotId, Value> out;
  for (const auto& c : r.conditions) {
    const Node& n = p.nodes[c.node];  // after specialize(): see check/specialize.cpp
    if (n.op == Op::load_fact) {
      out[n.aux] = Value::boolean(true);
    } else if (n.op == Op::not_fact) {
      out[n.aux] = Value::boolean(false);
    } else if (n.op == Op::fact_is) {
      out[n.aux] = n.constant;
    }
  }
  return out;
}

bool surely_disjoint(const std::map<SlotId, Value>& a, const std::map<SlotId, Value>& b) {
  static const std::vector<Value> no_arena;
  for (const auto& [slot, v] : a) {
    auto it = b.find(slot);
    if (it != b.end() && !values_equal(v, it->second, no_arena, no_arena)) return true;
  }
  return false;
}

void facts_read(const Program& p, const std::vector<SlotId>& reads, std::vector<SlotId>& out,
                std::vector<bool>& seen) {
  for (SlotId s : reads) {
    if (seen[s]) continue;
    seen[s] = true;
    if (s < p.facts.size()) {
      out.push_back(s);
    } else if (p.slot_kind(s) == SlotKind::define) {
      facts_read(p, p.defines[s - p.facts.size()].reads, out, seen);
    }
  }
}

std::vector<Value> domain(const Program& p, const FieldInfo& f) {
  std::vector<Value> values;
  const TypeInfo& t = p.types[f.type];
  if (t.kind == TypeKind::boolean) {
    values = {Value::boolean(false), Value::boolean(true)};
  } else if (t.kind == TypeKind::enumeration) {
    for (uint32_t m = 0; m < t.members.size(); ++m) values.push_back(Value::enumeration(m));
  } else {
    return {Value::unknown_value()};
  }
  if (f.optional) values.push_back(Value::missing_value());
  return values;
}

}  // namespace

std::vector<Diagnostic> find_conflicts(const Program& p, const ConflictOptions& options,
                                       const std::function<std::string(const SourcePos&)>& line_of) {
  std::vector<Diagnostic> out;
  std::size_t budget = options.max_evaluations;
  auto stopped_after = [&](const std::string& what) {
    Diagnostic w;
    w.severity = Severity::warning;
    w.code = "analysis-budget";
    w.pos = p.header.pos;
    w.message = "conflict analysis stopped after " + what;
    return w;
  };
  auto budget_spent = [&] {
    return stopped_after("its budget of " + std::to_string(options.max_evaluations) +
                         " evaluations; remaining rule pairs are checked when each decision is made");
  };
  std::vector<std::map<SlotId, Value>> pinned;
  for (const auto& r : p.rules) pinned.push_back(pinned_facts(p, r));

  Decision d;
  const uint32_t slots = p.slot_count();
  for (uint32_t o = 0; o < p.outputs.size(); ++o) {
    // Rules of a collect output all contribute: they never conflict (issue 14).
    if (p.outputs[o].collect != FieldInfo::Collect::none) continue;
    const auto& rules = p.outputs[o].rules;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      for (std::size_t j = i + 1; j < rules.size(); ++j) {
        const uint32_t r1 = rules[i], r2 = rules[j];
        // Every pair costs one from the budget, even one skipped at once: an
        // output that thousands of rules assign cannot make this loop long.
        if (budget == 0) {
          out.push_back(budget_spent());
          return out;
        }
        --budget;
        // Per output (issue 14): only an exception that sets this output too displaces.
        if (displaces(p, r1, r2, o) || displaces(p, r2, r1, o)) continue;
        if (!dates_meet(p.rules[r1], p.rules[r2])) continue;  // per-rule in force (issue 14): never on one date
        if (surely_disjoint(pinned[r1], pinned[r2])) continue;
        auto assignment = [&](uint32_t r) {
          for (const auto& a : p.rules[r].assignments) {
            if (a.output == o) return a.node;
          }
          return kNone;
        };
        const NodeId n1 = assignment(r1), n2 = assignment(r2);
        if (p.nodes[n1].op == Op::constant && p.nodes[n2].op == Op::constant &&
            values_equal(p.nodes[n1].constant, p.nodes[n2].constant, d.arena, d.arena)) {
          continue;
        }
        // The facts that decide whether these rules (or exceptions to them) apply.
        std::vector<uint32_t> involved{r1, r2};
        for (uint32_t r : {r1, r2}) {
          for (uint32_t x : assignment_of(p, r, o)->displaced_by) involved.push_back(x);
        }
        std::vector<SlotId> facts;
        std::vector<bool> seen(slots, false);
        for (uint32_t r : involved) {
          for (const auto& c : p.rules[r].conditions) facts_read(p, c.reads, facts, seen);
        }
        std::vector<std::vector<Value>> domains;
        std::size_t combinations = 1;
        for (SlotId f : facts) {
          domains.push_back(domain(p, p.facts[f]));
          combinations *= domains.back().size();
          if (combinations > options.max_combinations) break;
        }
        if (combinations > options.max_combinations) continue;
        if (combinations > budget) {
          out.push_back(budget_spent());
          return out;
        }
        budget -= combinations;

        std::vector<std::size_t> pick(facts.size(), 0);
        for (std::size_t c = 0; c < combinations; ++c) {
          d.slots.assign(slots, Value::unknown_value());
          d.evaluated.assign(slots, 0);
          for (std::size_t f = 0; f < p.facts.size(); ++f) d.evaluated[f] = 2;
          for (std::size_t k = 0; k < facts.size(); ++k) d.slots[facts[k]] = domains[k][pick[k]];
          d.arena.clear();
          d.rules.assign(p.rules.size(), RuleOutcome{});
          eval::Machine m(p, d, /*analysis=*/true);
          bool proven = m.rule_applies(r1) == eval::Tri::yes && m.rule_applies(r2) == eval::Tri::yes;
          for (std::size_t k = 2; proven && k < involved.size(); ++k) {
            proven = m.rule_applies(involved[k]) == eval::Tri::no;
          }
          // require (issue 14, law-require): facts that break a require are invalid, no conflict
          for (std::size_t k = 0; proven && k < p.requirements.size(); ++k) {
            const Value held = m.eval(p.requirements[k].condition);
            proven = held.kind != ValueKind::boolean || held.b;
          }
          Value v1, v2;
          if (proven) {
            v1 = m.eval(n1);
            v2 = m.eval(n2);
            proven = !v1.is_unknown() && !v2.is_unknown() && !values_equal(v1, v2, d.arena, d.arena);
          }
          if (proven) {
            std::string when;
            for (std::size_t k = 0; k < facts.size(); ++k) {
              const Value& v = d.slots[facts[k]];
              if (v.is_unknown()) continue;
              if (!when.empty()) when += ", ";
              when += p.facts[facts[k]].name + " is " + display_value(p, p.facts[facts[k]].type, v, &d.arena);
            }
            const auto& out_info = p.outputs[o];
            Diagnostic e;
            e.code = "conflict";
            e.pos = p.rules[r2].pos;
            e.message = "rules " + p.rules[r1].name + " and " + p.rules[r2].name + " can both apply and give '" +
                        out_info.name + "' different values (" + display_value(p, out_info.type, v1, &d.arena) +
                        " and " + display_value(p, out_info.type, v2, &d.arena) + ")" +
                        (when.empty() ? "" : ", for example when " + when) +
                        "; write 'exception to " + p.rules[r1].name + "' in the rule that should win (or the reverse)";
            e.source_line = line_of(e.pos);
            out.push_back(std::move(e));
            if (out.size() >= options.max_conflicts) {  // a mangled file must not list a million
              out.push_back(stopped_after(std::to_string(options.max_conflicts) + " conflicts; fix these first"));
              return out;
            }
            break;
          }
          for (std::size_t k = 0; k < pick.size(); ++k) {  // next combination
            if (++pick[k] < domains[k].size()) break;
            pick[k] = 0;
          }
        }
      }
    }
  }
  return out;
}

}  // namespace rulebook

// A small guided search: start from random values, evaluate, and change one
// fact that the first failing condition reads (through defines and the rules
// behind an output it reads) until the rule's conditions hold; a change that
// makes an earlier condition fail is undone. Bounded: kSteps evaluations per case.
#include "impact/generate.hpp"

#include <algorithm>
#include <random>
#include <set>

#include "rulebook/evaluator.hpp"
#include "rulebook/facts.hpp"

namespace rulebook::impact {

using json = nlohmann::json;

namespace {

constexpr int kSteps = 256;  // evaluations per attempt
constexpr int kAttempts = 4;  // fresh starts when an attempt does not make the rule hold

Op op_of(const Program& p, NodeId n) { return p.nodes[n].op; }
NodeId kid(const Program& p, NodeId n, uint32_t k) { return p.kids[p.nodes[n].kids + k]; }
bool is_load(const Program& p, NodeId n) { return op_of(p, n) == Op::load || op_of(p, n) == Op::load_fact; }

json value_json_of(const Program& p, TypeId type, const Value& v) {
  const TypeInfo& t = p.types[type];
  switch (v.kind) {
    case ValueKind::boolean: return v.b;
    case ValueKind::integer: return v.i;
    case ValueKind::decimal: return json::parse(format_decimal(v.decimal_value()));
    case ValueKind::text: return std::string(v.as_text());
    case ValueKind::date: return format_iso_date(v.date);
    case ValueKind::duration: return format_duration(v.dur);
    case ValueKind::enumeration: return t.members[v.member];
    default: return nullptr;
  }
}

// The values worth trying for each fact, as JSON (null: not given).
std::vector<std::vector<json>> domains(const Program& p, Date as_of) {
  std::vector<std::set<std::string>> seen(p.facts.size());
  std::vector<std::vector<json>> out(p.facts.size());
  auto add = [&](SlotId f, json v) {
    if (seen[f].insert(v.dump()).second) out[f].push_back(std::move(v));
  };
  std::vector<Duration> durations;
  std::vector<std::string> texts;
  for (const Node& n : p.nodes) {
    if (n.op != Op::constant) continue;
    if (n.constant.kind == ValueKind::duration) durations.push_back(n.constant.dur);
    if (n.constant.kind == ValueKind::text) texts.emplace_back(n.constant.as_text());
  }
  // Constants compared with a fact, and their neighbours.
  for (NodeId id = 0; id < p.nodes.size(); ++id) {
    const Op op = op_of(p, id);
    if (!(op == Op::eq || op == Op::ne || op == Op::lt || op == Op::le || op == Op::gt || op == Op::ge)) continue;
    if (p.nodes[id].kid_count != 2) continue;
    for (uint32_t side = 0; side < 2; ++side) {
      const NodeId a = kid(p, id, side), b = kid(p, id, 1 - side);
      if (!is_load(p, a) || op_of(p, b) != Op::constant || p.nodes[a].aux >= p.facts.size()) continue;
      const SlotId f = p.nodes[a].aux;
      const Value& c = p.nodes[b].constant;
      const TypeId type = p.facts[f].type;
      if (c.kind == ValueKind::integer) {
        for (int64_t d : {-1, 0, 1}) add(f, c.i + d);
      } else if (c.kind == ValueKind::decimal) {
        const Decimal one{1, 0};
        for (auto v : {decimal_sub(c.decimal_value(), one), std::optional<Decimal>(c.decimal_value()),
                       decimal_add(c.decimal_value(), one)}) {
          if (v) add(f, json::parse(format_decimal(*v)));
        }
      } else if (c.kind == ValueKind::date) {
        for (int d : {-1, 0, 1}) add(f, format_iso_date(Date{c.date.days + d}));
      } else {
        add(f, value_json_of(p, type, c));
      }
    }
  }
  for (SlotId f = 0; f < p.facts.size(); ++f) {
    const FieldInfo& fact = p.facts[f];
    const TypeInfo& t = p.types[fact.type];
    switch (t.kind) {
      case TypeKind::boolean: add(f, false); add(f, true); break;
      case TypeKind::enumeration:
        for (const auto& m : t.members) add(f, m);
        break;
      case TypeKind::integer: add(f, 0); add(f, 1); break;
      case TypeKind::decimal: add(f, 0); add(f, 1); break;
      case TypeKind::text:
        add(f, "A");
        add(f, "B");
        for (const auto& s : texts) add(f, s);
        break;
      case TypeKind::date:
        for (int d : {-365, -30, -1, 0, 1, 30}) add(f, format_iso_date(Date{as_of.days + d}));
        for (const Duration& d : durations) {  // as_of less each duration the policy adds, and a day either side
          if (auto back = add_duration(as_of, Duration{-d.months, -d.days})) {
            for (int k : {-1, 0, 1}) add(f, format_iso_date(Date{back->days + k}));
          }
        }
        break;
      case TypeKind::duration:
        add(f, "P0D");
        for (const Duration& d : durations) {
          add(f, format_duration(d));
          add(f, format_duration(Duration{d.months, d.days + 1}));
        }
        break;
      case TypeKind::list: {
        add(f, json::array());
        const TypeInfo& e = p.types[t.element];
        if (e.kind == TypeKind::enumeration) {
          for (const auto& m : e.members) add(f, json::array({m}));
        }
        break;
      }
      case TypeKind::record: break;  // no made-up records: only absence (below), when the fact may be missing
    }
    if (fact.optional || fact.default_value) add(f, nullptr);
  }
  return out;
}

// The facts a set of slots depends on: through defines, and through the rules behind an output.
void facts_behind(const Program& p, SlotId s, std::vector<bool>& seen, std::vector<SlotId>& out) {
  if (s >= seen.size() || seen[s]) return;
  seen[s] = true;
  switch (p.slot_kind(s)) {
    case SlotKind::fact: out.push_back(s); return;
    case SlotKind::define:
      for (SlotId r : p.defines[s - p.facts.size()].reads) facts_behind(p, r, seen, out);
      return;
    case SlotKind::output: {
      const FieldInfo& o = p.outputs[s - p.facts.size() - p.defines.size()];
      for (uint32_t rule : o.rules) {
        for (const auto& c : p.rules[rule].conditions) {
          for (SlotId r : c.reads) facts_behind(p, r, seen, out);
        }
        for (const auto& a : p.rules[rule].assignments) {
          for (SlotId r : a.reads) facts_behind(p, r, seen, out);
        }
      }
      return;
    }
  }
}

std::vector<SlotId> facts_of_condition(const Program& p, const Condition& c) {
  std::vector<bool> seen(p.slot_count(), false);
  std::vector<SlotId> out;
  for (SlotId s : c.reads) facts_behind(p, s, seen, out);
  return out;
}

void put(json& facts, const std::string& dotted, const json& v) {
  json* at = &facts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = dotted.find('.', start);
    const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) {
      if (v.is_null()) at->erase(key);
      else (*at)[key] = v;
      return;
    }
    json& next = (*at)[key];
    if (!next.is_object()) next = json::object();
    at = &next;
    start = dot + 1;
  }
}

// Drops objects left empty by facts not given.
void prune(json& j) {
  if (!j.is_object()) return;
  for (auto it = j.begin(); it != j.end();) {
    prune(*it);
    if (it->is_object() && it->empty()) it = j.erase(it);
    else ++it;
  }
}

}  // namespace

std::vector<GeneratedCase> generate_cases(const Program& p, std::size_t n, const Limits& limits) {
  std::vector<GeneratedCase> out;
  if (p.rules.empty() || n == 0) return out;
  const Date as_of = p.header.in_force_from;
  const auto dom = domains(p, as_of);
  std::mt19937_64 rng(0x5eed);
  auto pick = [&](std::size_t size) { return static_cast<std::size_t>(rng() % size); };
  std::vector<std::size_t> choice(p.facts.size(), 0);
  Facts facts;
  Decision d;
  auto to_json = [&] {
    json j = json::object();
    for (SlotId f = 0; f < p.facts.size(); ++f) {
      if (!dom[f].empty()) put(j, p.facts[f].name, dom[f][choice[f]]);
    }
    prune(j);
    return j;
  };
  // -1: the facts are refused; otherwise how far the rule got (conditions.size() + 1: it held).
  auto score = [&](uint32_t rule, int* failed) {
    const json j = to_json();
    if (!read_facts(p, j, limits, facts).empty()) return -1;
    facts.as_of = as_of;
    evaluate_into(p, facts, d);
    const RuleOutcome& o = d.rules[rule];
    if (failed) *failed = -1;
    if (o.status == RuleStatus::applied || o.status == RuleStatus::overridden) {
      return static_cast<int>(p.rules[rule].conditions.size()) + 1;
    }
    if (o.status == RuleStatus::not_applied && o.failed_condition < p.rules[rule].conditions.size()) {
      if (failed) *failed = static_cast<int>(o.failed_condition);
      return static_cast<int>(o.failed_condition);
    }
    return 0;
  };
  for (std::size_t k = 0; k < n; ++k) {
    const uint32_t rule = static_cast<uint32_t>((k / 2) % p.rules.size());
    const RuleInfo& r = p.rules[rule];
    const int held = static_cast<int>(r.conditions.size()) + 1;
    int failed = -1;
    int best = -1;
    for (int attempt = 0; attempt < kAttempts && best < held; ++attempt) {
      for (SlotId f = 0; f < p.facts.size(); ++f) choice[f] = dom[f].empty() ? 0 : pick(dom[f].size());
      best = score(rule, &failed);
      for (int step = 0; step < kSteps && best < held; ++step) {
        std::vector<SlotId> candidates;
        if (failed >= 0) candidates = facts_of_condition(p, r.conditions[static_cast<std::size_t>(failed)]);
        if (candidates.empty()) {  // refused facts or an error: any fact
          for (SlotId f = 0; f < p.facts.size(); ++f) candidates.push_back(f);
        }
        const SlotId f = candidates[pick(candidates.size())];
        if (dom[f].size() < 2) continue;
        const std::size_t was = choice[f];
        choice[f] = pick(dom[f].size());
        int now_failed = -1;
        const int now = score(rule, &now_failed);
        if (now >= best) {
          best = now;
          failed = now_failed;
        } else {
          choice[f] = was;
        }
      }
    }
    std::string purpose = "#" + std::to_string(k + 1) + ": rule " + r.name;
    if (k % 2 == 0 || r.conditions.empty()) {
      purpose += best == held ? " holds" : " (could not make it hold)";
    } else {
      // Then make one condition fail, keeping the facts the others read where they can be.
      const std::size_t c = (k / 2 / p.rules.size()) % r.conditions.size();
      const auto candidates = facts_of_condition(p, r.conditions[c]);
      bool done = false;
      for (int step = 0; step < kSteps && !done && !candidates.empty(); ++step) {
        const SlotId f = candidates[pick(candidates.size())];
        if (dom[f].size() < 2) continue;
        choice[f] = pick(dom[f].size());
        int now_failed = -1;
        if (score(rule, &now_failed) >= 0 && now_failed == static_cast<int>(c)) done = true;
      }
      purpose += done ? ": condition " + std::to_string(c + 1) + " fails"
                      : ": condition " + std::to_string(c + 1) + " (could not make it fail)";
    }
    GeneratedCase g;
    g.policy = p.header.id;
    g.as_of = as_of;
    g.facts = to_json();
    g.purpose = std::move(purpose);
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace rulebook::impact

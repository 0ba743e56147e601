// Dated parameters and per-rule dates in force (issue 14):
//
//   parameter notice_period "Notice before an ongoing move takes effect"
//     cite "Directions 2022 s46(2)"
//     from 2016-12-01: 4 weeks
//     from 2030-07-01: 6 weeks
//
// A parameter is checked as a define whose value is an Op::parameter node: its
// entries' values (constants, in date order) are the node's kids, and the
// evaluator takes the one in force on as_of. Being a define, it is read by name
// anywhere a define may be, and the explanation, the proofs and the language
// server see it as one.
#include <algorithm>

#include "check/checker_impl.hpp"

namespace rulebook::checking {

namespace {

// Whether `id` reads the decision's date anywhere below it.
bool reads_as_of(const Program& p, NodeId id) {
  const Node& n = p.nodes[id];
  if (n.op == Op::as_of) return true;
  for (uint32_t k = 0; k < n.kid_count; ++k) {
    const NodeId kid = p.kids[n.kids + k];
    if (kid != kNone && reads_as_of(p, kid)) return true;
  }
  return false;
}

}  // namespace

void Checker::declare_parameters(const std::vector<const ast::File*>& files) {
  for (const auto* f : files) {
    for (const auto& prm : f->parameters) {
      ParameterInfo info;
      info.name = prm.name;
      info.title = prm.title;
      info.cite = prm.cite;
      info.pos = prm.pos;
      info.define = static_cast<uint32_t>(p_->defines.size());
      parameter_asts_.emplace(prm.name, &prm);

      DefineInfo def;
      def.name = prm.name;
      def.pos = prm.pos;
      def.parameter = static_cast<uint32_t>(p_->parameters.size());
      p_->defines.push_back(std::move(def));
      define_asts_.push_back(&prm.as_define);
      p_->parameters.push_back(std::move(info));
    }
  }
}

Checked Checker::check_parameter(const ast::Expr& e) {
  // The define this expression stands for names the parameter it belongs to.
  const SlotId slot = names_.count(e.text) ? names_.at(e.text) : kNone;
  auto found = parameter_asts_.find(e.text);
  if (found == parameter_asts_.end() || slot == kNone || p_->slot_kind(slot) != SlotKind::define) {
    error("internal", e.pos, "parameter '" + e.text + "' was not declared");
    return Checked{};
  }
  const ast::Parameter& prm = *found->second;
  const uint32_t index = p_->defines[slot - p_->facts.size()].parameter;
  if (index == kNone) return Checked{};  // a define of the same name: reported as a duplicate name
  ParameterInfo& info = p_->parameters[index];
  if (prm.entries.empty()) {
    error("parameter-without-value", prm.pos,
          "parameter '" + prm.name + "' has no value; add a line like 'from 2016-12-01: 4 weeks'");
    return Checked{};
  }

  // Each entry's value: a constant expression (it reads no fact, define, output or as_of).
  struct Entry {
    const ast::ParameterEntry* ast;
    Checked value;
  };
  std::vector<Entry> entries;
  bool ok = true;
  for (const auto& entry : prm.entries) {
    Checked c = check(*entry.value, kNone, Guards{});
    if (!c.ok()) {
      ok = false;
      continue;
    }
    if (!reads_of(c.node).empty() || reads_as_of(*p_, c.node)) {
      error("parameter-not-constant", entry.value->pos,
            "a parameter's value is a constant, like 4 weeks, 0.20 or a date; '" + entry.value->source +
                "' reads other values: make it a define instead");
      ok = false;
      continue;
    }
    entries.push_back({&entry, c});
  }
  if (!ok) return Checked{};

  // One type for every entry: the first one's (whole numbers widen to decimal
  // when any entry is a decimal, as `0` beside `0.20`).
  TypeId type = entries.front().value.type;
  const bool numbers = std::all_of(entries.begin(), entries.end(), [](const Entry& en) {
    return en.value.type == types::integer || en.value.type == types::decimal;
  });
  if (numbers && std::any_of(entries.begin(), entries.end(),
                             [](const Entry& en) { return en.value.type == types::decimal; })) {
    type = types::decimal;
  }
  for (auto& en : entries) {
    if (en.value.type == type || (en.value.type == types::integer && type == types::decimal)) {
      en.value = coerce(en.value, type, *en.ast->value);
      continue;
    }
    error("parameter-type", en.ast->value->pos,
          "parameter '" + prm.name + "' is " + article(type) + " (its first value, '" +
              entries.front().ast->value->source + "'), but '" + en.ast->value->source + "' is " +
              article(en.value.type) + ": every value of a parameter has one type");
    ok = false;
  }
  if (!ok) return Checked{};

  // Date order: entries written out of order are sorted, with a warning; two
  // entries from the same date are an error at the second.
  for (std::size_t k = 1; k < entries.size(); ++k) {
    if (entries[k].ast->from < entries[k - 1].ast->from) {
      warning("parameter-order", entries[k].ast->pos,
              "the entries of parameter '" + prm.name + "' are not in date order; they are taken in date order");
      break;
    }
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.ast->from < b.ast->from; });
  for (std::size_t k = 1; k < entries.size(); ++k) {
    if (entries[k].ast->from == entries[k - 1].ast->from) {
      error("parameter-duplicate-date", entries[k].ast->pos,
            "parameter '" + prm.name + "' has two values from " + format_iso_date(entries[k].ast->from) +
                " (the other at line " + std::to_string(entries[k - 1].ast->pos.line) +
                "); keep one value per date");
      ok = false;
    }
  }
  if (!ok) return Checked{};

  info.type = type;
  info.entries.clear();
  std::vector<NodeId> kids;
  for (const auto& en : entries) {
    info.entries.push_back(ParameterEntry{en.ast->from, en.value.node, en.ast->value->source, en.ast->pos});
    kids.push_back(en.value.node);
  }
  Node n;
  n.op = Op::parameter;
  n.type = type;
  n.aux = index;
  return Checked{add_n(n, kids), type, {}, {}};
}

void Checker::rule_in_force(const ast::Rule& r, RuleInfo& info) {
  info.in_force_from = r.in_force_from;
  info.in_force_until = r.in_force_until;
  if (r.in_force_from && r.in_force_until && *r.in_force_until < *r.in_force_from) {
    error("inverted-range", r.in_force_pos,
          "rule " + r.name + " ends (" + format_iso_date(*r.in_force_until) + ") before it starts (" +
              format_iso_date(*r.in_force_from) + ")");
  }
}

}  // namespace rulebook::checking

// Defines, rules and their assignments, and the order exceptions put on rules.
#include "check/checker_impl.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "check/specialize.hpp"

namespace rulebook::checking {

void Checker::check_define(uint32_t k) {
  if (define_state_[k] == 2) return;
  if (define_state_[k] == 1) {
    if (report_if_recursive(Pending{false, k})) return;  // the circle goes through a function
    error("cycle", p_->defines[k].pos, "define '" + p_->defines[k].name + "' depends on itself");
    define_state_[k] = 3;
    return;
  }
  if (define_state_[k] == 3) return;
  // A define read before its own expression was checked is checked there,
  // recursively: bound that recursion as check_cycles bounds evaluation's.
  if (define_nesting_ >= limits_.max_define_chain) {
    error("chain-too-long", p_->defines[k].pos,
          "'" + p_->defines[k].name + "' sits on a chain of more than " + std::to_string(limits_.max_define_chain) +
              " defines reading each other; the limit is " + std::to_string(limits_.max_define_chain));
    define_state_[k] = 3;
    define_types_[k] = kNone;
    define_failed_ = true;
    return;
  }
  define_state_[k] = 1;
  Guards none;
  ++define_nesting_;
  auto saved_scope = std::move(scope_);  // a define read inside a function sees none of its parameters
  scope_.clear();
  checking_.push_back(Pending{false, k});
  Checked c = check(*define_asts_[k]->value, kNone, none);
  checking_.pop_back();
  scope_ = std::move(saved_scope);
  --define_nesting_;
  auto& d = p_->defines[k];
  if (c.ok()) {
    d.node = c.node;
    d.source = define_asts_[k]->value->source;
    d.reads = reads_of(c.node);
    define_types_[k] = c.type;
    define_guards_[k] = {c.when_true, c.when_false};
  } else {
    define_types_[k] = kNone;
    define_failed_ = true;
  }
  if (define_state_[k] == 1) define_state_[k] = 2;
}

void Checker::compile(const std::vector<const ast::File*>& files) {
  (void)files;
  define_state_.assign(p_->defines.size(), 0);
  define_types_.assign(p_->defines.size(), kNone);
  define_guards_.assign(p_->defines.size(), {});
  for (uint32_t k = 0; k < p_->defines.size(); ++k) check_define(k);
  for (uint32_t k = 0; k < p_->functions.size(); ++k) check_function(k);

  // Rules.
  for (uint32_t r = 0; r < rule_asts_.size(); ++r) p_->rules.push_back(compile_rule(*rule_asts_[r], r));
  check_requirements(files);  // require (issue 14, law-require)
  if (has_errors(diags_)) return;
  order_exceptions();
  for (uint32_t o = 0; o < p_->outputs.size(); ++o) {
    const auto& out = p_->outputs[o];
    const bool collects_empty = out.collect == FieldInfo::Collect::sum || out.collect == FieldInfo::Collect::list;
    if (out.rules.empty() && !out.default_value && !out.optional && !collects_empty) {
      error("undecidable-output", out.pos,
            "no rule assigns '" + out.name + "' and it has no default: add a rule, 'default <value>' or 'optional'");
    }
  }
  if (has_errors(diags_)) return;
  check_cycles();
  specialize(*p_);
  std::vector<bool> read(p_->facts.size(), false);
  auto mark = [&](const std::vector<SlotId>& reads) {
    for (SlotId s : reads) {
      if (s < read.size()) read[s] = true;
    }
  };
  for (const auto& d : p_->defines) mark(d.reads);
  for (const auto& q : p_->requirements) mark(q.facts);  // require (issue 14, law-require)
  for (const auto& r : p_->rules) {
    for (const auto& c : r.conditions) mark(c.reads);
    for (const auto& a : r.assignments) mark(a.reads);
  }
  for (std::size_t f = 0; f < read.size(); ++f) {
    // Facts from a shared module may serve other policies; only the policy's own are flagged.
    if (!read[f] && !p_->rules.empty() && p_->facts[f].pos.file == policy_path_) {
      warning("unused-fact", p_->facts[f].pos, "fact '" + p_->facts[f].name + "' is declared but nothing reads it");
    }
  }
}

RuleInfo Checker::compile_rule(const ast::Rule& r, uint32_t index) {
  RuleInfo info;
  info.name = r.name;
  info.title = r.title;
  info.cite = r.cite;
  info.pos = r.pos;
  rule_in_force(r, info);  // per-rule in force (issue 14, law-values)
  if (r.cite.empty()) {
    warning("missing-cite", r.pos,
            "rule " + r.name + " has no citation; add 'cite \"...\"' naming the legislation or guidance it applies");
  }
  Guards g;
  for (const auto& c : r.conditions) {
    Checked k = check_bool(*c, g);
    if (!k.ok()) continue;
    g = merged(g, k.when_true);
    info.conditions.push_back(Condition{k.node, c->source, reads_of(k.node), c->pos});
  }
  if (r.assignments.empty()) {
    error("no-assignment", r.pos, "rule " + r.name + " assigns no output; add 'then <output> = <value>'");
  }
  std::set<uint32_t> assigned;
  for (const auto& a : r.assignments) {
    auto it = names_.find(a.target);
    if (it == names_.end() || p_->slot_kind(it->second) != SlotKind::output) {
      std::vector<std::string> outs;
      for (const auto& o : p_->outputs) outs.push_back(o.name);
      std::string what = it == names_.end() ? "there is no output called '" + a.target + "'"
                         : p_->slot_kind(it->second) == SlotKind::fact
                             ? "'" + a.target + "' is a fact, an input: rules assign outputs only"
                             : "'" + a.target + "' is a define, computed by its own expression: rules assign outputs only";
      error("not-an-output", a.pos, what + suggestion(a.target, outs));
      continue;
    }
    const uint32_t o = it->second - p_->output_slot(0);
    if (!assigned.insert(o).second) {
      error("double-assignment", a.pos, "rule " + r.name + " assigns '" + a.target + "' twice");
      continue;
    }
    // A `list of rules` output (issue 14): each rule sets one item.
    const TypeId want = p_->outputs[o].collect == FieldInfo::Collect::list ? p_->types[p_->outputs[o].type].element
                                                                           : p_->outputs[o].type;
    Checked v = coerce(check(*a.value, want, g), want, *a.value);
    if (!v.ok()) continue;
    p_->outputs[o].rule_assignments.push_back(static_cast<uint32_t>(info.assignments.size()));
    info.assignments.push_back(AssignmentInfo{o, v.node, a.value->source, reads_of(v.node), {}});
    p_->outputs[o].rules.push_back(index);
    p_->outputs[o].rule_values.push_back(v.node);
  }
  return info;
}

void Checker::order_exceptions() {
  const auto n = static_cast<uint32_t>(p_->rules.size());
  // Labels (issue 14): a label names every rule that carries it, and may not be a rule's name.
  std::map<std::string, std::vector<uint32_t>> labelled;
  std::vector<std::vector<uint32_t>> named(n);  // named[t]: the rules that name t itself after `exception to`
  for (uint32_t r = 0; r < n; ++r) {
    for (const auto& label : rule_asts_[r]->labels) {
      if (rule_ids_.count(label.name)) {
        error("label-is-rule", label.pos,
              "'" + label.name + "' is the name of a rule; a label must have a name of its own");
        continue;
      }
      auto& members = labelled[label.name];
      if (members.empty() || members.back() != r) members.push_back(r);
      p_->rules[r].labels.push_back(label.name);
    }
  }
  for (uint32_t r = 0; r < n; ++r) {
    for (const auto& target : rule_asts_[r]->exception_to) {
      auto it = rule_ids_.find(target.name);
      auto group = labelled.find(target.name);
      if (it == rule_ids_.end() && group == labelled.end()) {
        std::vector<std::string> names;
        for (const auto& [name, _] : rule_ids_) names.push_back(name);
        for (const auto& [name, _] : labelled) names.push_back(name);
        error("unknown-rule", target.pos,
              "there is no rule or label called " + target.name + suggestion(target.name, names));
      } else if (it != rule_ids_.end() && it->second == r) {
        error("self-exception", target.pos, "rule " + target.name + " cannot be an exception to itself");
      } else if (it == rule_ids_.end() &&
                 std::find(group->second.begin(), group->second.end(), r) != group->second.end()) {
        error("self-exception", target.pos,
              "rule " + p_->rules[r].name + " carries the label " + target.name +
                  ", so it cannot be an exception to it");
      } else {
        if (it != rule_ids_.end()) named[it->second].push_back(r);
        auto& to = p_->rules[r].exception_to;
        for (uint32_t t : it != rule_ids_.end() ? std::vector<uint32_t>{it->second} : group->second) {
          if (std::find(to.begin(), to.end(), t) == to.end()) to.push_back(t);
        }
      }
    }
  }
  check_tables();  // tables (issue 14): `hit priority` adds exceptions between rows
  if (has_errors(diags_)) return;
  // overriders[t] = every rule that reaches t through `exception to` links.
  for (uint32_t r = 0; r < n; ++r) {
    std::vector<uint32_t> stack = p_->rules[r].exception_to;
    std::vector<bool> seen(n, false);
    while (!stack.empty()) {
      const uint32_t t = stack.back();
      stack.pop_back();
      if (seen[t]) continue;
      seen[t] = true;
      if (t == r) {
        error("exception-cycle", p_->rules[r].pos,
              "rule " + p_->rules[r].name + " is, through its exceptions, an exception to itself");
        return;
      }
      p_->rules[t].overriders.push_back(r);
      for (uint32_t next : p_->rules[t].exception_to) stack.push_back(next);
    }
  }
  for (auto& rule : p_->rules) std::sort(rule.overriders.begin(), rule.overriders.end());
  // Per output (issue 14): an exception written against a label displaces its base
  // only for the outputs it sets (Catala's rule). One that reaches the base through
  // rule names alone displaces the whole rule, as before labels: the shipped policies
  // rely on a refusal displacing every output of the approval it is an exception to.
  for (uint32_t b = 0; b < n; ++b) {
    std::vector<bool> whole(n, false);
    std::vector<uint32_t> stack = named[b];
    while (!stack.empty()) {
      const uint32_t x = stack.back();
      stack.pop_back();
      if (whole[x]) continue;
      whole[x] = true;
      for (uint32_t next : named[x]) stack.push_back(next);
    }
    auto& rule = p_->rules[b];
    for (auto& a : rule.assignments) {
      for (uint32_t over : rule.overriders) {
        if (whole[over] || assignment_of(*p_, over, a.output)) a.displaced_by.push_back(over);
      }
    }
  }
}

}  // namespace rulebook::checking

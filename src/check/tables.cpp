// Decision tables (issue 14), once their rows are rules (src/lang/tables.cpp):
// a collecting hit policy needs outputs declared `... of rules`, and `hit
// priority` orders its rows by exceptions.
#include "check/checker_impl.hpp"

#include <algorithm>

namespace rulebook::checking {

void Checker::check_tables() {
  using C = FieldInfo::Collect;
  // The rows of each table, by their table.
  std::vector<const ast::Table*> tables;
  std::vector<std::vector<uint32_t>> rows;
  for (uint32_t r = 0; r < rule_asts_.size(); ++r) {
    const ast::Table* t = rule_tables_[r];
    if (!t) continue;
    auto at = std::find(tables.begin(), tables.end(), t);
    if (at == tables.end()) {
      tables.push_back(t);
      rows.emplace_back();
      at = tables.end() - 1;
    }
    rows[static_cast<std::size_t>(at - tables.begin())].push_back(r);
  }
  for (std::size_t k = 0; k < tables.size(); ++k) {
    const ast::Table& t = *tables[k];
    const C wanted = t.hit == "sum" ? C::sum : t.hit == "min" ? C::min : t.hit == "max" ? C::max
                   : t.hit == "list" ? C::list : C::none;
    for (const auto& then : t.then) {
      auto it = names_.find(then.name);
      if (it == names_.end() || p_->slot_kind(it->second) != SlotKind::output) continue;  // reported per row
      const FieldInfo& out = p_->outputs[it->second - p_->output_slot(0)];
      if (wanted != C::none && out.collect != wanted) {
        error("table-hit", t.hit_pos.line ? t.hit_pos : t.pos,
              "'hit " + t.hit + "' adds each matching row to '" + then.name + "', so it must be declared '" +
                  then.name + " : ..., " + t.hit + " of rules'");
      } else if (wanted == C::none && out.collect != C::none) {
        error("table-hit", t.hit_pos.line ? t.hit_pos : t.pos,
              "'" + then.name + "' collects every rule's value: give table " + t.name +
                  " the matching hit policy (sum, min, max or list), not '" + t.hit + "'");
      }
    }
    if (t.hit == "priority") table_priority(t, rows[k]);
  }
}

// `hit priority`: the matching row whose first output comes first in that
// output's `one of` wins, the next output breaking ties. As static exceptions:
// a row is an exception to every row whose values come later.
void Checker::table_priority(const ast::Table& t, const std::vector<uint32_t>& rows) {
  // Each row's place in each output's order: the first output must be a `one of`;
  // the next ones break ties while they are `one of` members too.
  std::vector<std::vector<uint32_t>> places(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const RuleInfo& rule = p_->rules[rows[k]];
    for (std::size_t i = 0; i < rule.assignments.size(); ++i) {
      const AssignmentInfo& a = rule.assignments[i];
      const Node& n = p_->nodes[a.node];
      const TypeInfo& type = p_->types[p_->outputs[a.output].type];
      if (type.kind != TypeKind::enumeration || n.op != Op::constant) {
        if (i > 0) break;
        error("table-priority", rule_asts_[rows[k]]->assignments[i].pos,
              "'hit priority' orders rows by their first output's 'one of' members: '" +
                  p_->outputs[a.output].name + "' needs a 'one of' type and each row a plain member of it");
        return;
      }
      places[k].push_back(n.constant.member);
    }
  }
  for (std::size_t a = 0; a < rows.size(); ++a) {
    for (std::size_t b = 0; b < rows.size(); ++b) {
      if (a != b && places[a] < places[b]) p_->rules[rows[a]].exception_to.push_back(rows[b]);
    }
  }
  (void)t;
}

}  // namespace rulebook::checking

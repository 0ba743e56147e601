// `require CONDITION "message"` (issue 14):
//
//   require dates.agreed_end_date > dates.agreed_date_of_effect
//     "the end date must be after the date of effect"
//
// A require is a check on the facts, made before any output is resolved:
// facts for which its condition is false are invalid facts (422
// invalid_facts, CLI exit 2), reported with the message and the path of every
// fact the condition reads, through defines too. So its condition is yes/no,
// guards optional facts as any condition does, and reads no output (an output
// is what the facts decide, not what they are).
#include <algorithm>

#include "check/checker_impl.hpp"

namespace rulebook::checking {

namespace {

// Every fact and output `slot` leads to, through defines (each define once).
void reach(const Program& p, SlotId slot, std::vector<bool>& seen, std::vector<SlotId>& facts,
           std::vector<SlotId>& outputs) {
  if (slot >= p.slot_count() || seen[slot]) return;
  seen[slot] = true;
  switch (p.slot_kind(slot)) {
    case SlotKind::fact: facts.push_back(slot); break;
    case SlotKind::output: outputs.push_back(slot); break;
    case SlotKind::define:
      for (SlotId s : p.defines[slot - p.facts.size()].reads) reach(p, s, seen, facts, outputs);
      break;
  }
}

}  // namespace

void Checker::check_requirements(const std::vector<const ast::File*>& files) {
  for (const auto* f : files) {
    for (const auto& req : f->requirements) {
      Checked c = check_bool(*req.condition, Guards{});  // `not-a-condition` when not yes/no
      if (!c.ok()) continue;
      std::vector<bool> seen(p_->slot_count(), false);
      std::vector<SlotId> facts, outputs;
      for (SlotId s : reads_of(c.node)) reach(*p_, s, seen, facts, outputs);
      if (!outputs.empty()) {
        std::string names;
        for (SlotId s : outputs) names += (names.empty() ? "'" : ", '") + p_->slot_name(s) + "'";
        error("require-reads-output", req.condition->pos,
              "this require reads the output" + std::string(outputs.size() == 1 ? " " : "s ") + names +
                  "; a require checks the facts before anything is decided: test the facts themselves");
        continue;
      }
      if (req.message.empty()) {
        warning("require-without-message", req.pos,
                "this require has an empty message; say what is wrong with the facts, as the client will read it");
      }
      std::sort(facts.begin(), facts.end());
      p_->requirements.push_back(RequireInfo{c.node, req.message, req.condition->source, req.pos, std::move(facts)});
    }
  }
}

}  // namespace rulebook::checking

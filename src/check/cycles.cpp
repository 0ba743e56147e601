// What each define, condition and assignment reads, and the check that
// defines and outputs do not read each other in a circle (or too long a chain).
#include "check/checker_impl.hpp"

#include <algorithm>

namespace rulebook::checking {

void Checker::collect_reads(NodeId id, std::vector<SlotId>& out) const {
  const Node& n = p_->nodes[id];
  if (n.op == Op::load && std::find(out.begin(), out.end(), n.aux) == out.end()) out.push_back(n.aux);
  if (n.op == Op::call) {  // what the function reads, through the functions it calls
    for (SlotId s : p_->functions[p_->call_sites[n.aux].function].reads) {
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  }
  for (uint32_t k = 0; k < n.kid_count; ++k) {
    const NodeId kid = p_->kids[n.kids + k];
    if (kid != kNone) collect_reads(kid, out);
  }
}

std::vector<SlotId> Checker::reads_of(NodeId id) const {
  std::vector<SlotId> out;
  collect_reads(id, out);
  return out;
}

// Defines and outputs may read each other, but not in a circle; and the
// longest chain is bounded so lazy evaluation cannot exhaust the stack.
void Checker::check_cycles() {
  const uint32_t slots = p_->slot_count();
  std::vector<std::vector<SlotId>> deps(slots);
  for (const auto& d : p_->defines) deps[d.slot] = d.reads;
  for (const auto& o : p_->outputs) {
    auto& out = deps[o.slot];
    for (uint32_t r : o.rules) {
      auto add_reads = [&](uint32_t rule) {
        for (const auto& c : p_->rules[rule].conditions) out = merged(out, c.reads);
      };
      add_reads(r);
      for (uint32_t over : p_->rules[r].overriders) add_reads(over);
      for (const auto& a : p_->rules[r].assignments) {
        if (a.output == o.slot - p_->output_slot(0)) out = merged(out, a.reads);
      }
    }
  }
  // Iterative depth-first search: 0 new, 1 on the path, 2 done; depth = longest chain below.
  std::vector<uint8_t> state(slots, 0);
  std::vector<uint32_t> depth(slots, 0);
  for (SlotId start = static_cast<SlotId>(p_->facts.size()); start < slots; ++start) {
    if (state[start]) continue;
    std::vector<std::pair<SlotId, std::size_t>> stack{{start, 0}};
    state[start] = 1;
    while (!stack.empty()) {
      auto& [s, next] = stack.back();
      if (next < deps[s].size()) {
        const SlotId d = deps[s][next++];
        if (d < p_->facts.size()) continue;
        if (state[d] == 1) {
          std::string path;
          bool on = false;
          for (const auto& [x, _] : stack) {
            if (x == d) on = true;
            if (on) path += p_->slot_name(x) + " -> ";
          }
          path += p_->slot_name(d);
          error("cycle", slot_pos(d), "'" + p_->slot_name(d) + "' depends on itself: " + path);
          return;
        }
        if (state[d] == 0) {
          state[d] = 1;
          stack.push_back({d, 0});
        }
        continue;
      }
      uint32_t deepest = 0;
      for (SlotId d : deps[s]) {
        if (d >= p_->facts.size()) deepest = std::max(deepest, depth[d] + 1);
      }
      depth[s] = deepest;
      state[s] = 2;
      if (deepest > limits_.max_define_chain) {
        error("chain-too-long", slot_pos(s),
              "'" + p_->slot_name(s) + "' sits on a chain of " + std::to_string(deepest) +
                  " defines and outputs reading each other; the limit is " + std::to_string(limits_.max_define_chain));
        return;
      }
      stack.pop_back();
    }
  }
}

}  // namespace rulebook::checking

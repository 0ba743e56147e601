// Sub-decisions (issue 14): orders policies so that each comes after the
// policies it decides with `decision of` (Kahn's algorithm over policy ids,
// iterative, so no input can exhaust the stack). What is left over sits on a
// circle or depends on one; each circle is reported at every `decision of` on it.
#include "policy/call_order.hpp"

#include <algorithm>
#include <deque>
#include <map>

#include "check/checker.hpp"

namespace rulebook {

namespace {

struct CallRef {
  std::string callee;
  SourcePos pos;
  const ast::File* file;
};

struct CallOrderDiagnostic {
  static Diagnostic error(const char* code, const CallRef& ref, std::string message) {
    Diagnostic d;
    d.severity = Severity::error;
    d.code = code;
    d.pos = ref.pos;
    d.message = std::move(message);
    if (d.pos.line > 0) d.source_line = line_at(ref.file->text, d.pos.byte);
    return d;
  }
};

// The shortest way from `from` back to `to` over `calls`, as ids (empty: none).
std::vector<std::string> call_path(const std::string& from, const std::string& to,
                                      const std::map<std::string, std::vector<CallRef>>& calls,
                                      const std::set<std::string>& within) {
  std::map<std::string, std::string> parent;
  std::deque<std::string> queue{from};
  parent[from] = "";
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    for (const CallRef& r : calls.at(at)) {
      if (!within.count(r.callee)) continue;
      if (r.callee == to) {
        std::vector<std::string> path{to};
        for (std::string p = at; !p.empty(); p = parent[p]) path.push_back(p);
        std::reverse(path.begin(), path.end());  // from ... to
        return path;
      }
      if (parent.emplace(r.callee, at).second) queue.push_back(r.callee);
    }
  }
  return {};
}

}  // namespace

CallOrder order_by_calls(const std::vector<const ast::File*>& policies, const Limits& limits) {
  CallOrder out;
  std::map<std::string, std::vector<CallRef>> calls;  // by caller id: every `decision of` in any version
  for (const ast::File* f : policies) {
    auto& mine = calls[f->header->id];
    for (auto& ref : sub_decision_refs(*f)) mine.push_back(CallRef{ref.name, ref.pos, f});
  }
  // Kahn: an id is ready once every known id it decides is placed.
  std::map<std::string, std::size_t> waiting;
  std::map<std::string, std::vector<std::string>> callers;  // callee -> callers (one entry per distinct pair)
  for (const auto& [id, refs] : calls) {
    std::set<std::string> distinct;
    for (const CallRef& r : refs) {
      if (calls.count(r.callee)) distinct.insert(r.callee);
    }
    waiting[id] = distinct.size();
    for (const auto& c : distinct) callers[c].push_back(id);
  }
  std::deque<std::string> ready;
  for (const auto& [id, n] : waiting) {
    if (n == 0) ready.push_back(id);
  }
  std::map<std::string, std::size_t> depth;  // policies on the longest chain it starts
  while (!ready.empty()) {
    const std::string id = ready.front();
    ready.pop_front();
    out.ids.push_back(id);
    std::size_t d = 1;
    const CallRef* deepest = nullptr;
    for (const CallRef& r : calls[id]) {
      auto it = depth.find(r.callee);
      if (it != depth.end() && it->second + 1 > d) {
        d = it->second + 1;
        deepest = &r;
      }
      if (out.blocked.count(r.callee)) out.blocked.insert(id);
    }
    depth[id] = d;
    if (d > limits.max_use_depth && deepest && !out.blocked.count(id)) {
      out.diagnostics.push_back(CallOrderDiagnostic::error("decision-too-deep", *deepest,
                                           id + " decides " + deepest->callee + " on a chain of " + std::to_string(d) +
                                               " policies deciding each other; the limit is " +
                                               std::to_string(limits.max_use_depth)));
      out.blocked.insert(id);
    }
    for (const auto& c : callers[id]) {
      if (--waiting[c] == 0) ready.push_back(c);
    }
  }
  // Left over: on a circle, or deciding a policy that is.
  std::set<std::string> left;
  for (const auto& [id, n] : waiting) {
    if (std::find(out.ids.begin(), out.ids.end(), id) == out.ids.end()) left.insert(id);
  }
  for (const auto& id : left) {
    out.blocked.insert(id);
    out.ids.push_back(id);  // checked after all others (its callers find it blocked)
    for (const CallRef& r : calls[id]) {
      if (!left.count(r.callee)) continue;
      // `id` decides r.callee: on a circle when r.callee leads back to id.
      const std::vector<std::string> back = call_path(r.callee, id, calls, left);
      if (back.empty() && r.callee != id) continue;
      std::string circle = id;
      if (r.callee == id) {
        circle += " -> " + id;
      } else {
        for (const auto& step : back) circle += " -> " + step;
      }
      out.diagnostics.push_back(CallOrderDiagnostic::error("decision-cycle", r,
                                           "policies decide each other in a circle: " + circle +
                                               "; one of them must stop deciding the next"));
    }
  }
  return out;
}

}  // namespace rulebook

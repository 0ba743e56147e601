#include "impact/rules_diff.hpp"

#include <algorithm>

namespace rulebook::impact {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

namespace {

std::string relative(const std::string& file, const std::string& root) {
  if (!root.empty() && file.compare(0, root.size(), root) == 0) {
    std::size_t k = root.size();
    while (k < file.size() && file[k] == '/') ++k;
    return file.substr(k);
  }
  return file;
}

std::string where(const SourcePos& pos, const std::string& root) {
  return relative(pos.file, root) + ":" + std::to_string(pos.line);
}

const Program* find_version(const PolicySet& set, const std::string& id, const std::string& version) {
  for (const Program* p : set.versions_of(id)) {
    if (p->header.version == version) return p;
  }
  return nullptr;
}

std::vector<std::string> exception_names(const Program& p, const RuleInfo& r) {
  std::vector<std::string> out;
  for (uint32_t k : r.exception_to) out.push_back(p.rules[k].name);
  return out;
}

std::string assignment_text(const Program& p, const AssignmentInfo& a) {
  return p.outputs[a.output].name + " = " + a.source;
}

void compare_rule(const Program& b, const RuleInfo& rb, const Program& n, const RuleInfo& rn,
                  std::vector<std::string>& details) {
  auto changed = [&](const std::string& what, const std::string& was, const std::string& now) {
    if (was != now) details.push_back(what + ": " + was + " → " + now);
  };
  changed("title", "\"" + rb.title + "\"", "\"" + rn.title + "\"");
  changed("cite", "\"" + rb.cite + "\"", "\"" + rn.cite + "\"");
  changed("exception to", join(exception_names(b, rb)), join(exception_names(n, rn)));
  const std::size_t conds = std::max(rb.conditions.size(), rn.conditions.size());
  for (std::size_t k = 0; k < conds; ++k) {
    const std::string was = k < rb.conditions.size() ? rb.conditions[k].source : "(none)";
    const std::string now = k < rn.conditions.size() ? rn.conditions[k].source : "(none)";
    changed("condition " + std::to_string(k + 1), was, now);
  }
  const std::size_t sets = std::max(rb.assignments.size(), rn.assignments.size());
  for (std::size_t k = 0; k < sets; ++k) {
    const std::string was = k < rb.assignments.size() ? assignment_text(b, rb.assignments[k]) : "(none)";
    const std::string now = k < rn.assignments.size() ? assignment_text(n, rn.assignments[k]) : "(none)";
    changed("then", was, now);
  }
}

// A dated parameter's entries as written: "from 2022-02-01: 4 weeks".
std::vector<std::string> entry_texts(const ParameterInfo& p) {
  std::vector<std::string> out;
  for (const auto& e : p.entries) out.push_back("from " + format_iso_date(e.from) + ": " + e.source);
  return out;
}

void compare_parameters(const Program& b, const Program& n, const RuleChange& version, const std::string& base_root,
                        const std::string& new_root, std::vector<RuleChange>& out) {
  auto find = [](const Program& p, const std::string& name) -> const ParameterInfo* {
    for (const auto& x : p.parameters) {
      if (x.name == name) return &x;
    }
    return nullptr;
  };
  auto change = [&](const ParameterInfo& x, const char* kind, const std::string& root) {
    RuleChange c{version.policy, version.version, x.name, kind, where(x.pos, root), {}};
    c.item = "parameter";
    return c;
  };
  for (const auto& pn : n.parameters) {
    const ParameterInfo* pb = find(b, pn.name);
    if (pb == nullptr) {
      out.push_back(change(pn, "added", new_root));
      continue;
    }
    RuleChange c = change(pn, "edited", new_root);
    auto changed = [&](const std::string& what, const std::string& was, const std::string& now) {
      if (was != now) c.details.push_back(what + ": " + was + " → " + now);
    };
    changed("title", "\"" + pb->title + "\"", "\"" + pn.title + "\"");
    changed("cite", "\"" + pb->cite + "\"", "\"" + pn.cite + "\"");
    const auto was = entry_texts(*pb), now = entry_texts(pn);
    for (std::size_t k = 0; k < std::max(was.size(), now.size()); ++k) {
      changed("entry " + std::to_string(k + 1), k < was.size() ? was[k] : "(none)", k < now.size() ? now[k] : "(none)");
    }
    if (!c.details.empty()) out.push_back(std::move(c));
  }
  for (const auto& pb : b.parameters) {
    if (find(n, pb.name) == nullptr) out.push_back(change(pb, "removed", base_root));
  }
}

}  // namespace

std::vector<RuleChange> diff_rules(const PolicySet& base, const PolicySet& next, const std::string& base_root,
                                   const std::string& new_root) {
  std::vector<RuleChange> out;
  // Every (policy, version) of either side, in order.
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto* set : {&base, &next}) {
    for (const auto& v : set->versions()) keys.emplace_back(v->header.id, v->header.version);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  for (const auto& [id, version] : keys) {
    const Program* b = find_version(base, id, version);
    const Program* n = find_version(next, id, version);
    if (!b || !n) {
      const Program* p = b ? b : n;
      out.push_back({id, version, "", b ? "removed" : "added", where(p->header.pos, b ? base_root : new_root), {}});
      continue;
    }
    for (const auto& rn : n->rules) {
      auto it = std::find_if(b->rules.begin(), b->rules.end(), [&](const RuleInfo& r) { return r.name == rn.name; });
      if (it == b->rules.end()) {
        out.push_back({id, version, rn.name, "added", where(rn.pos, new_root), {}});
        continue;
      }
      RuleChange c{id, version, rn.name, "edited", where(rn.pos, new_root), {}};
      compare_rule(*b, *it, *n, rn, c.details);
      if (!c.details.empty()) out.push_back(std::move(c));
    }
    for (const auto& rb : b->rules) {
      auto it = std::find_if(n->rules.begin(), n->rules.end(), [&](const RuleInfo& r) { return r.name == rb.name; });
      if (it == n->rules.end()) out.push_back({id, version, rb.name, "removed", where(rb.pos, base_root), {}});
    }
    compare_parameters(*b, *n, RuleChange{id, version, "", "", "", {}}, base_root, new_root, out);
  }
  return out;
}

}  // namespace rulebook::impact

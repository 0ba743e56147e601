// The checker. Reads like a list of the language's static rules:
//  - every name is declared once and used with its type;
//  - an optional value without a default is read only under a presence guard
//    (`x is given`), so an absent value is never silently false;
//  - exceptions name existing rules and form no cycle;
//  - defines and outputs do not depend on themselves.
//
// This file is the facade: the entry points, diagnostics and the file's
// header. The checks themselves live by concern (see check/checker_impl.hpp).
#include "check/checker.hpp"

#include "check/checker_impl.hpp"

#include <algorithm>

namespace rulebook {

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    if (c.size() > name.size() + best_distance || name.size() > c.size() + best_distance) continue;
    const std::size_t d = distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

namespace checking {

Checker::Checker(const Limits& limits) : limits_(limits) {
  p_ = std::make_unique<Program>();
  const char* names[] = {"yes/no", "number", "decimal", "text", "date", "duration"};
  const TypeKind kinds[] = {TypeKind::boolean, TypeKind::integer, TypeKind::decimal,
                            TypeKind::text,    TypeKind::date,    TypeKind::duration};
  for (int k = 0; k < 6; ++k) {
    TypeInfo t;
    t.kind = kinds[k];
    t.name = names[k];
    p_->types.push_back(std::move(t));
  }
}

CheckResult Checker::run_policy(const ast::File& policy, const std::vector<const ast::File*>& modules) {
  for (const auto* m : modules) texts_[m->path] = &m->text;
  texts_[policy.path] = &policy.text;
  policy_path_ = policy.path;
  header(policy);
  for (const auto* m : modules) module_rules(*m);
  std::vector<const ast::File*> all = modules;
  all.push_back(&policy);
  declare(all);
  if (!has_errors(diags_)) compile(all);
  CheckResult r;
  r.diagnostics = std::move(diags_);
  if (!has_errors(r.diagnostics)) r.program = std::move(p_);
  return r;
}

std::vector<Diagnostic> Checker::run_module(const ast::File& module, const std::vector<const ast::File*>& modules) {
  for (const auto* m : modules) texts_[m->path] = &m->text;
  texts_[module.path] = &module.text;
  std::vector<const ast::File*> all = modules;
  all.push_back(&module);
  for (const auto* m : all) module_rules(*m);
  declare(all);
  if (!has_errors(diags_)) compile(all);
  return std::move(diags_);
}

void Checker::report(Severity sev, const char* code, const SourcePos& pos, std::string message) {
  // At most max_diagnostics are kept, then one more counts the rest (an
  // error if any of them is): a mangled file cannot flood the report, or
  // memory with copies of its longest line.
  if (quiet()) {
    if (diags_.size() == limits_.max_diagnostics) {
      Diagnostic more;
      more.severity = Severity::warning;
      more.code = "too-many-diagnostics";
      more.pos = SourcePos{pos.file, 0, 0, 0};
      diags_.push_back(std::move(more));
    }
    Diagnostic& more = diags_.back();
    if (sev == Severity::error) more.severity = Severity::error;
    more.message = std::to_string(++dropped_) + " more problems are not listed; fix the ones above first";
    return;
  }
  Diagnostic d;
  d.severity = sev;
  d.code = code;
  d.pos = pos;
  d.message = std::move(message);
  auto it = texts_.find(pos.file);
  if (it != texts_.end() && pos.line > 0) d.source_line = line_at(*it->second, pos.byte);
  diags_.push_back(std::move(d));
}

void Checker::error(const char* code, const SourcePos& pos, std::string message) {
  report(Severity::error, code, pos, std::move(message));
}

void Checker::warning(const char* code, const SourcePos& pos, std::string message) {
  report(Severity::warning, code, pos, std::move(message));
}

std::string Checker::suggestion(const std::string& name, const std::vector<std::string>& candidates) const {
  if (quiet()) return "";  // not shown anyway
  const std::string s = did_you_mean(name, candidates);
  return s.empty() ? "" : "; did you mean '" + s + "'?";
}

void Checker::header(const ast::File& f) {
  const auto& h = *f.header;
  auto& out = p_->header;
  out.id = h.id;
  out.title = h.title;
  out.source = h.source;
  out.pos = h.pos;
  if (!h.version) {
    error("missing-version", h.pos, "policy " + h.id + " has no 'version' line; add one, like 'version 2022'");
  } else {
    out.version = *h.version;
  }
  if (!h.in_force_from) {
    error("missing-in-force", h.pos,
          "policy " + h.id + " has no 'in force from <date>' line; every version says when it starts");
  } else {
    out.in_force_from = *h.in_force_from;
    out.in_force_until = h.in_force_until;
    if (h.in_force_until && *h.in_force_until < *h.in_force_from) {
      error("inverted-range", h.in_force_pos,
            "this version ends (" + format_iso_date(*h.in_force_until) + ") before it starts (" +
                format_iso_date(*h.in_force_from) + ")");
    }
  }
}

void Checker::module_rules(const ast::File& m) {
  if (!m.header || !m.header->is_module) return;
  const auto& h = *m.header;
  if (h.version || h.in_force_from) {
    error("module-version", h.version ? h.version_pos : h.in_force_pos,
          "a module has no version or dates of its own; it is in force with the policy that uses it");
  }
  for (const auto& o : m.outputs) {
    error("module-output", o.pos, "outputs belong in a policy, not in module " + h.id);
  }
  for (const auto& r : m.rules) {
    error("module-rule", r.pos, "rules belong in a policy, not in module " + h.id);
  }
}

}  // namespace checking

CheckResult check_policy(const ast::File& policy, const std::vector<const ast::File*>& modules,
                         const Limits& limits) {
  if (!policy.header || policy.header->is_module) {
    CheckResult r;
    Diagnostic d;
    d.code = "no-header";
    d.pos = SourcePos{policy.path, 1, 1, 0};
    d.message = "this file has no 'policy <id>' line; start it with one";
    r.diagnostics.push_back(std::move(d));
    return r;
  }
  checking::Checker c(limits);
  return c.run_policy(policy, modules);
}

std::vector<Diagnostic> check_module(const ast::File& module, const std::vector<const ast::File*>& modules,
                                     const Limits& limits) {
  checking::Checker c(limits);
  return c.run_module(module, modules);
}

}  // namespace rulebook


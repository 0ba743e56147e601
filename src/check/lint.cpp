// Lint (see lint.hpp): mentions are collected from the syntax tree, so a
// member is "mentioned" when any expression names it, wherever it is declared.
#include "check/lint.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace rulebook {
namespace {

void collect_mentions(const ast::Expr* e, std::set<std::string>& out) {
  if (e == nullptr) return;
  if (e->kind == ast::ExprKind::name || e->kind == ast::ExprKind::text) out.insert(e->text);
  for (const auto& c : e->children) collect_mentions(c.get(), out);
}

void mentions_of(const ast::File& f, std::set<std::string>& out) {
  for (const auto& d : f.defines) collect_mentions(d.value.get(), out);
  for (const auto& r : f.rules) {
    for (const auto& c : r.conditions) collect_mentions(c.get(), out);
    for (const auto& a : r.assignments) collect_mentions(a.value.get(), out);
  }
  for (const auto* fields : {&f.facts, &f.outputs}) {
    for (const auto& fd : *fields) collect_mentions(fd.default_value.get(), out);
  }
}

Diagnostic warn(const ast::File& f, const char* code, const SourcePos& pos, std::string message) {
  Diagnostic d;
  d.severity = Severity::warning;
  d.code = code;
  d.pos = pos;
  d.message = std::move(message);
  if (pos.line > 0) d.source_line = line_at(f.text, pos.byte);
  return d;
}

// Members of a one-of type, unordered only: members of an ordered type are
// compared by rank (`classification >= APS6`), so naming each is not expected.
void check_members(const ast::File& f, const ast::TypeSpec& t, const std::string& owner,
                   const std::set<std::string>& mentioned, std::vector<Diagnostic>& out) {
  if (t.kind == ast::TypeSpec::Kind::list && t.element) {
    check_members(f, *t.element, owner, mentioned, out);
    return;
  }
  if (t.kind != ast::TypeSpec::Kind::one_of || t.ordered) return;
  for (const auto& m : t.members) {
    if (!mentioned.count(m)) {
      out.push_back(warn(f, "unused-member", t.pos,
                         "'" + m + "' (a value of " + owner +
                             ") is never mentioned: no define, rule or default names it; remove it or add the rule "
                             "that handles it"));
    }
  }
}

// The words only, lower case, one space apart: a cite may join the source's
// bullet points with ';' or ':' and straighten its quotes, so punctuation, layout
// and any other character than a letter or digit do not count.
std::string normalized(const std::string& s) {
  std::string out;
  bool gap = false;
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80 && std::isalnum(c)) {
      if (gap && !out.empty()) out += ' ';
      gap = false;
      out += static_cast<char>(std::tolower(c));
    } else {
      gap = true;
    }
  }
  return out;
}

std::string trimmed_passage(std::string s) {
  const std::string strip = " \t.,;:";
  const auto b = s.find_first_not_of(strip);
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(strip);
  return s.substr(b, e - b + 1);
}

}  // namespace

std::vector<std::string> quoted_passages(const std::string& cite) {
  std::vector<std::string> out;
  auto opens = [&](std::size_t i) { return i == 0 || std::isspace(static_cast<unsigned char>(cite[i - 1])) || cite[i - 1] == '('; };
  auto closes = [&](std::size_t i) {
    return i + 1 == cite.size() || std::isspace(static_cast<unsigned char>(cite[i + 1])) ||
           std::string_view(";,.)").find(cite[i + 1]) != std::string_view::npos;
  };
  for (std::size_t i = 0; i < cite.size(); ++i) {
    if (cite[i] != '\'' || !opens(i)) continue;
    std::size_t j = i + 1;
    while (j < cite.size() && !(cite[j] == '\'' && closes(j) && j > i + 1)) ++j;
    if (j >= cite.size()) break;  // never closed: not a quotation
    const std::string passage = cite.substr(i + 1, j - i - 1);
    std::size_t at = 0;
    while (at <= passage.size()) {
      std::size_t gap = passage.find("...", at);
      if (gap == std::string::npos) gap = passage.size();
      std::string piece = trimmed_passage(passage.substr(at, gap - at));
      if (!piece.empty()) out.push_back(std::move(piece));
      at = gap + 3;
    }
    i = j;
  }
  return out;
}

std::vector<Diagnostic> lint_policy(const ast::File& policy, const std::vector<const ast::File*>& modules,
                                    const std::vector<std::string>& source_texts) {
  std::vector<Diagnostic> out;
  std::set<std::string> mentioned;
  mentions_of(policy, mentioned);
  for (const auto* m : modules) mentions_of(*m, mentioned);

  for (const auto& t : policy.types) check_members(policy, t.type, "type " + t.name, mentioned, out);
  // ---- sub-decisions (issue 14) ----
  // A fact passed whole to another policy (`decision of P with region = household.region`)
  // has its members handled there; so has an output set from that policy's output (`zone = wage.zone`).
  std::set<std::string> handed_on, sub_decided;
  for (const auto& d : policy.defines) {
    if (!d.value || d.value->kind != ast::ExprKind::decision_of) continue;
    sub_decided.insert(d.name);
    for (const auto& b : d.value->children) {
      if (b->children.size() == 1 && b->children[0]->kind == ast::ExprKind::name) handed_on.insert(b->children[0]->text);
    }
  }
  for (const auto& r : policy.rules) {
    for (const auto& a : r.assignments) {
      if (a.value && a.value->kind == ast::ExprKind::name &&
          sub_decided.count(a.value->text.substr(0, a.value->text.find('.')))) {
        handed_on.insert(a.target);
      }
    }
  }
  // ---- end of sub-decisions ----
  for (const auto& f : policy.facts) {
    if (!handed_on.count(f.name)) check_members(policy, f.type, "fact " + f.name, mentioned, out);
  }
  for (const auto& o : policy.outputs) {
    if (!handed_on.count(o.name)) check_members(policy, o.type, "output " + o.name, mentioned, out);
  }

  std::set<std::string> assigned;
  for (const auto& r : policy.rules) {
    for (const auto& a : r.assignments) assigned.insert(a.target);
  }
  for (const auto& o : policy.outputs) {
    if (o.optional && !o.default_value && !assigned.count(o.name)) {
      out.push_back(warn(policy, "output-never-set", o.pos,
                         "no rule sets '" + o.name + "', so it is always null; add the rule that sets it or remove it"));
    }
  }

  if (!source_texts.empty()) {
    std::string sources;
    for (const auto& s : source_texts) sources += normalized(s) + "\n";
    for (const auto& r : policy.rules) {
      for (const auto& passage : quoted_passages(r.cite)) {
        if (sources.find(normalized(passage)) == std::string::npos) {
          out.push_back(warn(policy, "cite-not-in-source", r.pos,
                             "rule " + r.name + " quotes '" + passage +
                                 "', which is not in the policy's source texts; quote the source word for word"));
        }
      }
    }
  }
  return out;
}

}  // namespace rulebook

// Finding where each part of a rule is in the text: the syntax tree keeps each
// expression's text with whitespace folded, and its start; a comparison's
// position is its operator. A part is found by matching its folded text
// against the file from a cursor that moves forward through the rule.
#include "impact/mutators.hpp"

#include <algorithm>

namespace rulebook::impact {

namespace {

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The end of `folded` matched at `at` in `text` (whitespace runs match one space), or npos.
std::size_t match_end(const std::string& text, std::size_t at, const std::string& folded) {
  std::size_t i = at;
  for (std::size_t j = 0; j < folded.size(); ++j) {
    if (folded[j] == ' ') {
      if (i >= text.size() || !space(text[i])) return std::string::npos;
      while (i < text.size() && space(text[i])) ++i;
    } else {
      if (i >= text.size() || text[i] != folded[j]) return std::string::npos;
      ++i;
    }
  }
  return i;
}

// The first place at or after `from` (and before `limit`) where `folded` is written.
bool find_folded(const std::string& text, std::size_t from, std::size_t limit, const std::string& folded,
                 std::size_t& begin, std::size_t& end) {
  if (folded.empty()) return false;
  for (std::size_t at = text.find(folded[0], from); at != std::string::npos && at < limit;
       at = text.find(folded[0], at + 1)) {
    const std::size_t e = match_end(text, at, folded);
    if (e != std::string::npos && e <= limit) {
      begin = at;
      end = e;
      return true;
    }
  }
  return false;
}

std::size_t line_of(const std::string& text, std::size_t byte) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(
                                                                                  std::min(byte, text.size())),
                                                 '\n'));
}

void comparisons(const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  if (e.kind == ast::ExprKind::binary &&
      (e.op == ast::BinOp::lt || e.op == ast::BinOp::le || e.op == ast::BinOp::gt || e.op == ast::BinOp::ge)) {
    out.push_back(&e);
  }
  for (const auto& c : e.children) comparisons(*c, out);
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// Another value of the assigned value's type, as the rule language writes it; empty when there is none to give.
std::string another_value(const Program& p, const RuleInfo* rule, std::size_t k, const ast::Expr& v) {
  switch (v.kind) {
    case ast::ExprKind::boolean: return v.literal.b ? "no" : "yes";
    case ast::ExprKind::integer: return std::to_string(v.literal.i + 1);
    case ast::ExprKind::decimal: {
      auto up = decimal_add(v.literal.decimal_value(), Decimal{1, 0});
      return up ? format_decimal(*up) : "";
    }
    case ast::ExprKind::duration: {
      const Duration d = v.literal.dur;
      if (d.months) return std::to_string(d.months) + " months " + std::to_string(d.days + 1) + " days";
      return std::to_string(d.days + 1) + " days";
    }
    case ast::ExprKind::name: {
      if (!rule || k >= rule->assignments.size()) return "";
      const TypeInfo& t = p.types[p.outputs[rule->assignments[k].output].type];
      if (t.kind != TypeKind::enumeration || t.members.size() < 2) return "";
      auto it = std::find(t.members.begin(), t.members.end(), v.text);
      if (it == t.members.end()) return "";
      const std::size_t next = (static_cast<std::size_t>(it - t.members.begin()) + 1) % t.members.size();
      return display_member(t.members[next]);
    }
    default: return "";
  }
}

}  // namespace

std::string apply_mutant(const std::string& text, const Mutant& m) {
  return text.substr(0, m.begin) + m.replacement + text.substr(m.end);
}

std::vector<Mutant> mutants_of(const ast::File& file, const Program& program) {
  std::vector<Mutant> out;
  const std::string& text = file.text;
  for (std::size_t r = 0; r < file.rules.size(); ++r) {
    const ast::Rule& rule = file.rules[r];
    const std::size_t limit = r + 1 < file.rules.size() ? file.rules[r + 1].pos.byte : text.size();
    auto info_it = std::find_if(program.rules.begin(), program.rules.end(),
                                [&](const RuleInfo& ri) { return ri.name == rule.name; });
    const RuleInfo* info = info_it == program.rules.end() ? nullptr : &*info_it;
    auto add = [&](std::size_t begin, std::size_t end, std::string replacement, std::string change) {
      out.push_back({rule.name, line_of(text, begin), std::move(change), begin, end, std::move(replacement)});
    };

    if (!rule.exception_to.empty()) {
      const std::size_t first = rule.exception_to.front().pos.byte;
      const std::size_t kw = text.rfind("exception", first);
      const auto& last = rule.exception_to.back();
      if (kw != std::string::npos && kw >= rule.pos.byte) {
        std::string names;
        for (const auto& n : rule.exception_to) names += (names.empty() ? "" : ", ") + n.name;
        add(kw, last.pos.byte + last.name.size(), "", "'exception to " + names + "' removed");
      }
    }

    std::size_t cursor = rule.pos.byte;
    for (std::size_t c = 0; c < rule.conditions.size(); ++c) {
      const ast::Expr& cond = *rule.conditions[c];
      std::size_t b = 0, e = 0;
      if (!find_folded(text, cursor, limit, cond.source, b, e)) continue;
      cursor = e;
      std::vector<const ast::Expr*> cmps;
      comparisons(cond, cmps);
      for (const ast::Expr* cmp : cmps) {
        const std::size_t at = cmp->pos.byte;
        if (at < b || at >= e) continue;
        const bool equal = at + 1 < text.size() && text[at + 1] == '=';
        const char op = text[at];
        if (op != '<' && op != '>') continue;
        const std::string was = std::string(1, op) + (equal ? "=" : "");
        const std::string now = equal ? std::string(1, op) : was + "=";
        add(at, at + was.size(), now, "condition " + std::to_string(c + 1) + " " + quoted(cond.source) + ": '" + was +
                                          "' → '" + now + "'");
      }
      add(b, e, "yes", "condition " + std::to_string(c + 1) + " " + quoted(cond.source) + " dropped");
      add(b, e, "not (" + text.substr(b, e - b) + ")",
          "condition " + std::to_string(c + 1) + " " + quoted(cond.source) + " negated");
    }

    for (std::size_t k = 0; k < rule.assignments.size(); ++k) {
      const ast::Assignment& a = rule.assignments[k];
      const ast::Expr& v = *a.value;
      std::size_t b = 0, e = 0;
      if (!find_folded(text, std::max(cursor, a.pos.byte), limit, v.source, b, e)) continue;
      cursor = e;
      const std::string now = another_value(program, info, k, v);
      if (now.empty()) continue;
      add(b, e, now, "then " + a.target + " = " + v.source + " → " + now);
    }
  }
  return out;
}

}  // namespace rulebook::impact

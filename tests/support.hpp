// Helpers shared by the core tests: compile a policy from text, decide on
// JSON facts, and read outputs back as text.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "check/checker.hpp"
#include "check/overlap.hpp"
#include "lang/parser.hpp"
#include "rulebook/api.hpp"
#include "rulebook/evaluator.hpp"
#include "rulebook/facts.hpp"
#include "rulebook/policy_set.hpp"

namespace test {

using nlohmann::json;
using namespace rulebook;

inline std::string source_dir() { return RULEBOOK_SOURCE_DIR; }

// A policy header to put in front of test rules.
inline const char* kHeader =
    "policy t \"Test\"\n  version 1\n  in force from 2020-01-01\n";

struct Compiled {
  std::unique_ptr<ast::File> file;
  std::unique_ptr<Program> program;
  std::vector<Diagnostic> diagnostics;

  bool has(const std::string& code) const {
    for (const auto& d : diagnostics) {
      if (d.code == code) return true;
    }
    return false;
  }
  const Diagnostic* find(const std::string& code) const {
    for (const auto& d : diagnostics) {
      if (d.code == code) return &d;
    }
    return nullptr;
  }
};

// Parses, checks and (when clean) runs the conflict analysis on one file.
inline Compiled compile(const std::string& text, bool with_header = true) {
  Compiled c;
  ParseResult parsed = parse_rules("t.rules", with_header ? std::string(kHeader) + text : text);
  c.file = std::make_unique<ast::File>(std::move(parsed.file));
  c.diagnostics = std::move(parsed.diagnostics);
  if (has_errors(c.diagnostics) || !c.file->header) return c;
  CheckResult checked = check_policy(*c.file, {});
  c.diagnostics.insert(c.diagnostics.end(), checked.diagnostics.begin(), checked.diagnostics.end());
  if (!checked.program) return c;
  const std::string& src = c.file->text;
  auto conflicts = find_conflicts(*checked.program, ConflictOptions{},
                                  [&](const SourcePos& p) { return line_at(src, p.byte); });
  c.diagnostics.insert(c.diagnostics.end(), conflicts.begin(), conflicts.end());
  if (!has_errors(conflicts)) c.program = std::move(checked.program);
  return c;
}

inline std::string all_messages(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += format_headline(d) + "\n";
  return out;
}

struct Run {
  const Program* program = nullptr;
  Facts facts;
  Decision decision;
  std::vector<FactProblem> problems;

  // An output as it reads in the rule language ("approved", "2026-03-30", "[employee]", "missing").
  std::string out(const std::string& name) const {
    for (uint32_t o = 0; o < program->outputs.size(); ++o) {
      if (program->outputs[o].name == name) {
        return display_value(*program, program->outputs[o].type, decision.slots[program->outputs[o].slot],
                             &decision.arena);
      }
    }
    return "<no output " + name + ">";
  }
  bool fired(const std::string& rule) const {
    for (uint32_t r : decision.fired) {
      if (program->rules[r].name == rule) return true;
    }
    return false;
  }
  const RuleOutcome& rule(const std::string& name) const {
    for (uint32_t r = 0; r < program->rules.size(); ++r) {
      if (program->rules[r].name == name) return decision.rules[r];
    }
    static RuleOutcome none;
    return none;
  }
};

inline Run run(const Program& p, const json& facts) {
  Run r;
  r.program = &p;
  r.problems = read_facts(p, facts, Limits{}, r.facts);
  if (r.problems.empty()) r.decision = evaluate(p, r.facts);
  return r;
}

// The checker reported `code` at `line`:`column` with a message containing
// `message_part`; returns that diagnostic (null, after a failed REQUIRE, when absent).
inline const Diagnostic* expect_diagnostic(const Compiled& c, const std::string& code, std::size_t line,
                                           std::size_t column, const std::string& message_part) {
  INFO(all_messages(c.diagnostics));
  const auto* d = c.find(code);
  REQUIRE(d != nullptr);
  CHECK(d->pos.line == line);
  CHECK(d->pos.column == column);
  CHECK_THAT(d->message, Catch::Contains(message_part));
  return d;
}

// One expression under test: the declarations `decls` (types, facts, and a
// last line `outputs`), then an output `v : TYPE` that one rule sets to the
// expression.
struct ExpressionProbe {
  std::string decls;

  std::string policy(const std::string& type, const std::string& expr) const {
    return decls + "  v : " + type + "\nrule r \"t\"\n  cite \"c\"\n  then v = " + expr + "\n";
  }
  // The line of `then v = EXPR`: the 3 header lines, the declarations, then
  // `v`, `rule`, `cite`. EXPR starts at column 12.
  std::size_t expr_line() const { return 3 + std::count(decls.begin(), decls.end(), '\n') + 4; }

  // The value of `v` as it reads in the rule language, or "error: MESSAGE"
  // when the decision fails.
  std::string value_of(const std::string& type, const std::string& expr, const json& facts = json::object()) const {
    auto c = compile(policy(type, expr));
    INFO(expr);
    INFO(all_messages(c.diagnostics));
    REQUIRE(c.program);
    auto r = run(*c.program, facts);
    REQUIRE(r.problems.empty());
    if (r.decision.error) return "error: " + r.decision.error->message;
    return r.out("v");
  }

  // The checker reports `code` at the expression's line and `column`, with a
  // message containing `message_part`.
  void expect_error(const std::string& type, const std::string& expr, const std::string& code, std::size_t column,
                    const std::string& message_part) const {
    auto c = compile(policy(type, expr));
    INFO(expr);
    expect_diagnostic(c, code, expr_line(), column, message_part);
  }
};

// The shipped policies, loaded once.
inline std::shared_ptr<const PolicySet> shipped() {
  static std::shared_ptr<const PolicySet> set = [] {
    LoadResult r = load_policies({source_dir() + "/policies"});
    if (!r.set) throw std::runtime_error("policies do not load:\n" + all_messages(r.diagnostics));
    return r.set;
  }();
  return set;
}

}  // namespace test

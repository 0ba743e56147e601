// The proofs of proofs.hpp. Each question is one solver query under a time
// budget: unsatisfiable is a proof (the translation only ever allows more
// behaviour than the evaluator has, see translate.hpp); satisfiable gives an
// example, which is replayed through the evaluator before it is reported, so
// an example that only the approximations allow is never reported as a fact.
#include "analysis/proofs.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>

#include "analysis/translate.hpp"
#include "eval/machine.hpp"
#include "scenario/suggest.hpp"

namespace rulebook::analysis {

namespace {

// A decision set up over the example's facts, for the machine to replay.
struct Replay {
  Decision d;
  Replay(const Program& p, const Facts& facts) {
    d.slots.assign(p.slot_count(), Value::missing_value());
    std::copy(facts.values.begin(), facts.values.end(), d.slots.begin());
    d.evaluated.assign(p.slot_count(), 0);
    std::fill_n(d.evaluated.begin(), p.facts.size(), uint8_t{2});
    d.arena = facts.arena;
    d.rules.assign(p.rules.size(), RuleOutcome{});
    d.output_rule.assign(p.outputs.size(), kNone);
    d.as_of = facts.as_of;
  }
};

// ---- require (issue 14, law-require) ----
// Whether an example keeps every require: one that breaks a require is
// rejected as invalid facts, so it shows no conflict and no gap.
bool keeps_requirements(const Program& p, eval::Machine& m) {
  for (const auto& req : p.requirements) {
    if (!m.truth(req.condition)) return false;
  }
  return true;
}

// The time Z3 is given for one question. Z3 4.8 can lose a cancellation that
// arrives while it is still setting a nonlinear problem up, and then never
// returns: measured on a rule it cannot settle, 3 runs in 100 hung with 1 ms,
// none in 105 with 100 ms. So no question gets less than 50 ms.
unsigned solver_timeout(unsigned timeout_ms) { return std::max(timeout_ms, 50u); }

class Prover {
 public:
  Prover(const Program& p, const ProofOptions& options, const LineOf& line_of, std::vector<Witness>* witnesses)
      : p_(p), options_(options), line_of_(line_of), witnesses_(witnesses), tr_(c_, p), solver_(c_) {
    z3::params params(c_);
    params.set("timeout", solver_timeout(options.timeout_ms));
    solver_.set(params);
    for (const auto& n : p.nodes) reads_as_of_ |= n.op == Op::as_of;
  }

  void run() {
    for (uint32_t r = 0; r < p_.rules.size() && !stopped(); ++r) never_applies(r);
    for (uint32_t o = 0; o < p_.outputs.size() && !stopped(); ++o) conflicts(o);
    for (uint32_t o = 0; o < p_.outputs.size() && !stopped(); ++o) gap(o);
    for (uint32_t r = 0; r < p_.rules.size() && !stopped(); ++r) always_overridden(r);
    if (full()) {
      make(Severity::warning, "analysis-budget", p_.header.pos,
          "the proofs stopped after " + std::to_string(options_.max_findings) + " findings; fix these first");
    } else if (out_of_budget_) {
      make(Severity::warning, "analysis-budget", p_.header.pos,
           "the proofs stopped after " + std::to_string(queries_) + " questions (at most " +
               std::to_string(options_.max_queries) + " or " + std::to_string(options_.total_ms) +
               " ms a policy version); the rest are checked when each decision is made");
    }
  }

  // Conflicts only, as "a/b" pairs.
  std::vector<std::string> conflict_pairs() {
    for (uint32_t o = 0; o < p_.outputs.size(); ++o) conflicts(o);
    return pairs_;
  }

  std::vector<Diagnostic> take() { return std::move(out_); }

 private:
  bool full() const { return out_.size() >= options_.max_findings; }
  bool stopped() const { return full() || out_of_budget_; }

  void make(Severity severity, const char* code, const SourcePos& pos, std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.code = code;
    d.pos = pos;
    d.message = std::move(message);
    d.source_line = line_of_ ? line_of_(pos) : "";
    out_.push_back(std::move(d));
  }

  // One query; on sat, the example's facts in `example`.
  z3::check_result ask(const z3::expr& goal, Facts* example = nullptr) {
    const auto spent = std::chrono::steady_clock::now() - started_;
    if (queries_ >= options_.max_queries || spent > std::chrono::milliseconds(options_.total_ms)) {
      out_of_budget_ = true;  // callers see unknown; run() reports the budget once, not each question
      return z3::unknown;
    }
    ++queries_;
    solver_.push();
    solver_.add(goal);
    // ---- require (issue 14, law-require): requires are assumptions; facts that
    // break one are rejected before any rule, so they are no gap and no conflict ----
    for (const auto& req : p_.requirements) solver_.add(tr_.node(req.condition).value);
    solver_.add(tr_.axioms());  // after the goal: translating it may have added some
    z3::check_result r = solver_.check();
    if (r == z3::sat && example) *example = tr_.facts_from(solver_.get_model());
    solver_.pop();
    return r;
  }

  // "could not decide" for a query the solver gave up on (its budget, or a
  // nonlinear formula): a warning naming what was asked, never silence.
  void undecided(const SourcePos& pos, const std::string& what) {
    if (out_of_budget_) return;  // not a timeout of this question: the budget, reported once by run()
    make(Severity::warning, "proof-timeout", pos,
        "could not decide within " + std::to_string(solver_timeout(options_.timeout_ms)) + " ms whether " + what +
            " (raise --proof-timeout, or simplify the conditions)");
  }

  void inconclusive(const SourcePos& pos, const std::string& what, const std::string& example) {
    make(Severity::warning, "proof-inconclusive", pos,
         "could not decide whether " + what + ": the solver's example (" + example +
             ") depends on something the proofs do not model (a list, a function, text functions, rounding or "
             "month lengths) and did not hold when replayed");
  }

  // "a is 3, b is yes, on 2026-01-01": the facts the rules read, as the example gives them.
  std::string describe(const Facts& facts, const std::vector<uint32_t>& rules) {
    std::vector<bool> seen(p_.slot_count(), false);
    std::vector<SlotId> read;
    std::function<void(SlotId)> visit = [&](SlotId s) {
      if (seen[s]) return;
      seen[s] = true;
      switch (p_.slot_kind(s)) {
        case SlotKind::fact: read.push_back(s); break;
        case SlotKind::define:
          for (SlotId x : p_.defines[s - p_.facts.size()].reads) visit(x);
          break;
        case SlotKind::output:
          for (uint32_t r : p_.outputs[s - p_.output_slot(0)].rules) visit_rule(r, visit);
          break;
      }
    };
    for (uint32_t r : rules) visit_rule(r, visit);
    std::sort(read.begin(), read.end());
    std::string text;
    for (SlotId s : read) {
      const FieldInfo& f = p_.facts[s];
      if (!text.empty()) text += ", ";
      const Value& v = facts.values[s];
      text += f.name + (v.is_missing() ? " not given" : " is " + display_value(p_, f.type, v, &facts.arena));
    }
    if (reads_as_of_) text += (text.empty() ? "" : ", ") + std::string("on ") + format_iso_date(facts.as_of);
    return text;
  }

  void visit_rule(uint32_t r, const std::function<void(SlotId)>& visit) {
    for (const auto& c : p_.rules[r].conditions) {
      for (SlotId s : c.reads) visit(s);
    }
    for (const auto& a : p_.rules[r].assignments) {
      for (SlotId s : a.reads) visit(s);
    }
    for (uint32_t x : p_.rules[r].overriders) {
      for (const auto& c : p_.rules[x].conditions) {
        for (SlotId s : c.reads) visit(s);
      }
    }
  }

  void witness(const char* code, std::vector<std::string> names, const Facts& facts) {
    if (witnesses_) witnesses_->push_back(Witness{code, std::move(names), facts});
  }

  void never_applies(uint32_t r) {
    const RuleInfo& rule = p_.rules[r];
    if (rule.conditions.empty()) return;
    switch (ask(tr_.applies(r))) {
      case z3::unsat:
        make(Severity::warning, "never-applies", rule.pos,
            "rule " + rule.name + " can never apply: its conditions contradict each other for every set of facts");
        return;
      case z3::unknown: undecided(rule.pos, "rule " + rule.name + " can ever apply"); return;
      case z3::sat: return;
    }
  }

  void conflicts(uint32_t o) {
    const FieldInfo& out = p_.outputs[o];
    if (out.collect != FieldInfo::Collect::none) return;  // its rules all contribute (issue 14)
    for (std::size_t i = 0; i < out.rules.size() && !stopped(); ++i) {
      for (std::size_t j = i + 1; j < out.rules.size() && !stopped(); ++j) {
        const uint32_t a = out.rules[i], b = out.rules[j];
        // Per output (issue 14): only an exception that sets this output too displaces.
        if (displaces(p_, b, a, o) || displaces(p_, a, b, o)) continue;
        const Node& va = p_.nodes[out.rule_values[i]];
        const Node& vb = p_.nodes[out.rule_values[j]];
        if (va.op == Op::constant && vb.op == Op::constant && values_equal(va.constant, vb.constant, {}, {})) {
          continue;
        }
        const RuleInfo& ra = p_.rules[a];
        const RuleInfo& rb = p_.rules[b];
        const std::string pair = "rules " + ra.name + " and " + rb.name + " conflict over '" + out.name + "'";
        const z3::expr goal = tr_.decides(a, o) && tr_.decides(b, o) &&
                              !tr_.equal(out.type, tr_.node(out.rule_values[i]), tr_.node(out.rule_values[j]));
        Facts example;
        const z3::check_result r = ask(goal, &example);
        if (r == z3::unsat) continue;
        if (r == z3::unknown) {
          undecided(rb.pos, pair);
          continue;
        }
        // Replay: both apply, neither is overridden, and the values differ.
        Replay replay(p_, example);
        eval::Machine m(p_, replay.d, /*analysis=*/false);
        Value x, y;
        bool holds = false;
        try {
          holds = keeps_requirements(p_, m) &&  // require (issue 14)
                  m.rule_applies(a) == eval::Tri::yes && m.rule_applies(b) == eval::Tri::yes &&
                  m.displaced_by(a, out.rule_assignments[i]) == kNone &&
                  m.displaced_by(b, out.rule_assignments[j]) == kNone;
          if (holds) {
            x = m.eval(out.rule_values[i]);
            y = m.eval(out.rule_values[j]);
            holds = !values_equal(x, y, replay.d.arena, replay.d.arena);
          }
        } catch (const eval::Failure&) {
          holds = false;
        }
        if (!holds) {
          inconclusive(rb.pos, pair, describe(example, {a, b}));
          continue;
        }
        pairs_.push_back(ra.name + "/" + rb.name);
        make(Severity::error, "conflict", rb.pos,
            "rules " + ra.name + " and " + rb.name + " can both apply and give '" + out.name +
                "' different values (" + display_value(p_, out.type, x, &replay.d.arena) + " and " +
                display_value(p_, out.type, y, &replay.d.arena) + "), for example when " +
                describe(example, {a, b}) + "; write 'exception to " + ra.name +
                "' in the rule that should win (or the reverse)");
        witness("conflict", {ra.name, rb.name}, example);
      }
    }
  }

  void gap(uint32_t o) {
    const FieldInfo& out = p_.outputs[o];
    if (out.default_value || out.optional || out.rules.empty()) return;
    if (out.collect != FieldInfo::Collect::none) return;  // 0 or [] when no rule applies (issue 14)
    z3::expr_vector decided(c_);
    for (uint32_t r : out.rules) decided.push_back(tr_.decides(r, o));
    Facts example;
    const std::string what = "some facts leave '" + out.name + "' undecided";
    switch (ask(!z3::mk_or(decided), &example)) {
      case z3::unsat: return;
      case z3::unknown: undecided(out.pos, what); return;
      case z3::sat: break;
    }
    Replay replay(p_, example);
    eval::Machine m(p_, replay.d, /*analysis=*/false);
    bool holds = false;
    try {
      if (!keeps_requirements(p_, m)) throw eval::Failure{"invalid_facts", "the example breaks a require", {}};
      m.resolve_output(o);
    } catch (const eval::Failure& f) {
      holds = f.code == "undecided" && f.message.find("'" + out.name + "'") != std::string::npos;
    }
    if (!holds) {
      inconclusive(out.pos, what, describe(example, out.rules));
      return;
    }
    make(Severity::warning, "gap", out.pos,
        "no rule decides '" + out.name + "' and it has no default, for example when " +
            describe(example, out.rules) + "; add a rule for these facts, a default, or make it optional");
    witness("gap", {out.name}, example);
  }

  void always_overridden(uint32_t b) {
    const RuleInfo& base = p_.rules[b];
    for (uint32_t e : base.overriders) {
      const RuleInfo& ex = p_.rules[e];
      const bool covers = std::all_of(base.assignments.begin(), base.assignments.end(), [&](const AssignmentInfo& a) {
        return std::any_of(ex.assignments.begin(), ex.assignments.end(),
                           [&](const AssignmentInfo& x) { return x.output == a.output; });
      });
      if (!covers) continue;
      // Only for a base that can apply: one that never does is `never-applies`.
      if (ask(tr_.applies(b)) != z3::sat) return;
      switch (ask(tr_.applies(b) && !tr_.applies(e))) {
        case z3::unsat:
          make(Severity::warning, "always-overridden", base.pos,
              "rule " + base.name + " never decides anything: its exception " + ex.name +
                  " applies whenever it does and sets every output it sets");
          return;
        case z3::unknown: undecided(base.pos, "exception " + ex.name + " always displaces rule " + base.name); return;
        case z3::sat: break;
      }
    }
  }

  const Program& p_;
  const ProofOptions& options_;
  LineOf line_of_;
  std::vector<Witness>* witnesses_;
  z3::context c_;
  Translator tr_;
  z3::solver solver_;
  bool reads_as_of_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::size_t queries_ = 0;
  bool out_of_budget_ = false;
  std::vector<Diagnostic> out_;
  std::vector<std::string> pairs_;
};

// The source line at pos, read again from its file (the proofs run after loading).
std::string source_line(const SourcePos& pos) {
  std::ifstream in(pos.file, std::ios::binary);
  std::string line;
  std::size_t read = 0;
  while (read < pos.line && std::getline(in, line)) ++read;
  if (read != pos.line || pos.line == 0) return "";
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::vector<Diagnostic> prove(const Program& p, const ProofOptions& options, const LineOf& line_of,
                              std::vector<Witness>* witnesses) {
  try {
    Prover prover(p, options, line_of, witnesses);
    prover.run();
    return prover.take();
  } catch (const z3::exception& e) {  // the solver's own errors are values here too
    Diagnostic d;
    d.severity = Severity::warning;
    d.code = "proof-inconclusive";
    d.pos = p.header.pos;
    d.message = std::string("the proofs stopped: the solver failed (") + e.msg() + ")";
    d.source_line = line_of ? line_of(d.pos) : "";
    return {d};
  }
}

LoadResult check_policies(const std::vector<std::string>& paths, const LoadOptions& load,
                          const ProofOptions& options, std::vector<WitnessSuite>* suites) {
  LoadResult r = load_policies(paths, load);
  if (!r.set) return r;
  const LineOf line_of = [](const SourcePos& pos) { return source_line(pos); };
  for (const auto& version : r.set->versions()) {
    std::vector<Witness> witnesses;
    auto found = prove(*version, options, line_of, suites ? &witnesses : nullptr);
    r.diagnostics.insert(r.diagnostics.end(), found.begin(), found.end());
    for (const auto& w : witnesses) suites->push_back(witness_suite(*version, w));
  }
  return r;
}

WitnessSuite witness_suite(const Program& p, const Witness& w) {
  std::string names;
  for (const auto& n : w.names) names += (names.empty() ? "" : ", ") + n;
  WitnessSuite out;
  out.file_name = p.header.id + "-" + p.header.version + "-" + w.code;
  for (const auto& n : w.names) out.file_name += "-" + n;
  out.file_name = scenario::file_safe(out.file_name) + ".scenarios";
  const bool conflict = w.code == "conflict";
  const std::string what = conflict ? "rules " + w.names.at(0) + " and " + w.names.at(1) + " conflict"
                                    : "no rule decides '" + w.names.at(0) + "'";
  std::string& t = out.text;
  t += "# Written by `rulebook check --witnesses`: " + what + " on these facts.\n";
  t += "# Keep it as a regression test once the policy is fixed, with the outcome it should then have.\n";
  t += "suite \"Witness: " + what + "\" for " + p.header.id + "\n";
  t += "  as of " + format_iso_date(w.facts.as_of) + "\n\n";
  t += "scenario \"" + what + "\"\n  given\n" + scenario::given_lines(p, w.facts);
  t += conflict ? "  expect error conflict between " + names + "\n" : "  expect error undecided\n";
  return out;
}

scenario::SuggestedFacts suggest_facts(const Program& p, uint32_t rule, unsigned timeout_ms) {
  using Outcome = scenario::SuggestedFacts::Outcome;
  scenario::SuggestedFacts out;
  try {
    z3::context c;
    Translator tr(c, p);
    z3::solver solver(c);
    z3::params params(c);
    params.set("timeout", solver_timeout(timeout_ms));
    solver.set(params);
    solver.add(tr.decides(rule));
    solver.add(tr.axioms());  // after the goal: translating it may have added some
    switch (solver.check()) {
      case z3::sat:
        out.outcome = Outcome::found;
        out.facts = tr.facts_from(solver.get_model());
        // Any date would do: the first day in force reads better than the solver's pick.
        if (std::none_of(p.nodes.begin(), p.nodes.end(), [](const Node& n) { return n.op == Op::as_of; })) {
          out.facts.as_of = p.header.in_force_from;
        }
        return out;
      case z3::unsat: out.outcome = Outcome::impossible; return out;
      case z3::unknown: out.why = solver.reason_unknown(); return out;
    }
  } catch (const z3::exception& e) {  // the solver's own errors are values here too
    out.outcome = Outcome::undecided;
    out.why = std::string("the solver failed: ") + e.msg();
  }
  return out;
}

std::vector<std::string> proven_conflict_pairs(const Program& p, const ProofOptions& options) {
  Prover prover(p, options, {}, nullptr);
  return prover.conflict_pairs();
}

}  // namespace rulebook::analysis

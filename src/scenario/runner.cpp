// Runs scenarios against a PolicySet the way the decision API would decide
// them (find the version in force, read the facts, evaluate), compares the
// decision with the expectations, and keeps rule coverage.
#include <algorithm>
#include <chrono>
#include <cctype>

#include "check/checker.hpp"  // did_you_mean
#include "eval/fixed.hpp"
#include "rulebook/api.hpp"
#include "rulebook/facts.hpp"
#include "scenario/scenario.hpp"

namespace rulebook::scenario {

using json = nlohmann::json;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const TypeInfo* type_of(const Program* p, TypeId type) {
  return p && type != kNone && type < p->types.size() ? &p->types[type] : nullptr;
}

// A JSON value as the rule language writes it: yes/no, 2026-03-30, APS6, "text", [a, b], null.
std::string display(const Program* p, TypeId type, const json& v) {
  const TypeInfo* t = type_of(p, type);
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "yes" : "no";
    case json::value_t::string: {
      const auto& s = v.get_ref<const std::string&>();
      if (!t || t->kind == TypeKind::text) return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
      return s;
    }
    case json::value_t::object:
      if (t && t->kind == TypeKind::record) {  // as the rule language builds it: child(birth_date: 2010-01-01)
        std::string out = t->name + "(";
        bool first = true;
        for (const auto& f : t->fields) {
          auto it = v.find(f.name);
          if (it == v.end() || it->is_null()) continue;
          out += (first ? "" : ", ") + f.name + ": " + display(p, f.type, *it);
          first = false;
        }
        for (auto it = v.begin(); it != v.end(); ++it) {  // fields the type does not have, as written
          if (t->field_index(it.key()) < 0) out += (first ? "" : ", ") + it.key() + ": " + display(p, kNone, *it), first = false;
        }
        return out + ")";
      }
      return v.dump(-1, ' ', false, json::error_handler_t::replace);
    case json::value_t::array: {
      std::string out = "[";
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (k) out += ", ";
        out += display(p, t && t->kind == TypeKind::list ? t->element : kNone, v[k]);
      }
      return out + "]";
    }
    default: return v.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

std::optional<Decimal> to_decimal(const json& j) {
  if (j.is_number_integer() || j.is_number_float()) return parse_decimal(j.dump());
  if (j.is_string()) return parse_decimal(j.get_ref<const std::string&>());
  return std::nullopt;
}

// A record field's expected value: as written, else its default, else null (absent).
json expected_field(const Program& p, const FieldInfo& f, const json& expected) {
  auto it = expected.find(f.name);
  if (it != expected.end()) return *it;
  if (!f.default_value) return json();
  const std::vector<Value> no_items;  // a default is a plain value, or []
  return json::parse(value_json(p, f.type, *f.default_value, no_items), nullptr, false);
}

// Whether an expected value (as JSON) is the actual one, as value_json wrote it.
bool same(const Program& p, TypeId type, const json& expected, const json& actual) {
  const TypeInfo* t = type_of(&p, type);
  if (t && !expected.is_null() && !actual.is_null()) {
    switch (t->kind) {
      case TypeKind::duration:
        if (expected.is_string() && actual.is_string()) {
          auto a = parse_iso_duration(expected.get_ref<const std::string&>());
          auto b = parse_iso_duration(actual.get_ref<const std::string&>());
          return a && b && *a == *b;
        }
        break;
      case TypeKind::decimal:
      case TypeKind::integer: {
        auto a = to_decimal(expected), b = to_decimal(actual);
        if (a && b && (t->kind == TypeKind::decimal || expected.is_number())) return decimal_compare(*a, *b) == 0;
        break;
      }
      case TypeKind::list:
        if (expected.is_array() && actual.is_array()) {
          if (expected.size() != actual.size()) return false;
          for (std::size_t k = 0; k < expected.size(); ++k) {
            if (!same(p, t->element, expected[k], actual[k])) return false;
          }
          return true;
        }
        break;
      case TypeKind::record:
        // A field the expectation leaves out takes its default, or is absent when optional,
        // as in a record built with the type's name.
        if (expected.is_object() && actual.is_object()) {
          for (auto it = expected.begin(); it != expected.end(); ++it) {
            if (t->field_index(it.key()) < 0) return false;
          }
          for (const auto& f : t->fields) {
            const json want = expected_field(p, f, expected);
            auto got = actual.find(f.name);
            if (!same(p, f.type, want, got == actual.end() ? json() : *got)) return false;
          }
          return true;
        }
        break;
      default: break;
    }
  }
  return expected == actual;
}

// Where an expected value differs from the actual one, by path below `path`
// (`periods[1].use`), with both values there; empty when they are the same.
std::string difference(const Program& p, TypeId type, const json& expected, const json& actual, const std::string& path) {
  const TypeInfo* t = type_of(&p, type);
  if (same(p, type, expected, actual)) return "";
  if (t && t->kind == TypeKind::list && expected.is_array() && actual.is_array()) {
    if (expected.size() != actual.size()) {
      return path + " has " + std::to_string(actual.size()) + " item" + (actual.size() == 1 ? "" : "s") + ", not " +
             std::to_string(expected.size());
    }
    for (std::size_t k = 0; k < expected.size(); ++k) {
      std::string d = difference(p, t->element, expected[k], actual[k], path + "[" + std::to_string(k) + "]");
      if (!d.empty()) return d;
    }
  }
  if (t && t->kind == TypeKind::record && expected.is_object() && actual.is_object()) {
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      if (t->field_index(it.key()) < 0) return path + "." + it.key() + ": a " + t->name + " has no such field";
    }
    for (const auto& f : t->fields) {
      auto got = actual.find(f.name);
      std::string d = difference(p, f.type, expected_field(p, f, expected), got == actual.end() ? json() : *got,
                                 path + "." + f.name);
      if (!d.empty()) return d;
    }
  }
  return path + ": expected " + display(&p, type, expected) + ", got " + display(&p, type, actual);
}

// An output's value as the decision JSON writes it (value_json), read back.
json actual_json(const Program& p, TypeId type, const Value& v, const std::vector<Value>& arena) {
  const std::string text = value_json(p, type, v, arena);
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;  // e.g. text that is not valid UTF-8
}

}  // namespace

std::vector<std::pair<std::string, std::string>> actual_outputs(const Program& p, const Decision& d) {
  std::vector<std::pair<std::string, std::string>> out;
  for (uint32_t o = 0; o < p.outputs.size(); ++o) {
    const auto& f = p.outputs[o];
    if (f.internal) continue;  // not in the decision (issue 14)
    out.emplace_back(f.name, display(&p, f.type, actual_json(p, f.type, d.output(p, o), d.arena)));
  }
  return out;
}

namespace {

std::string where(const Suite& suite, const Scenario& sc, const SourcePos& pos) {
  return suite.path + ":" + std::to_string(pos.line ? pos.line : sc.pos.line) + ": scenario \"" + sc.name + "\": ";
}

std::string indent(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += "    " + text.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (std::size_t k = 0; k < items.size(); ++k) out += (k ? sep : "") + items[k];
  return out;
}

std::string version_label(const Program& p) { return p.header.id + " " + p.header.version; }

// What happened to one scenario's request.
struct Answer {
  const Program* program = nullptr;
  Date as_of;
  Facts facts;                       // the decision's text values point into these
  std::optional<Decision> decision;  // when there is no error
  std::string error_code, error_message;
  std::vector<std::string> error_paths;  // invalid_facts
  std::vector<std::string> error_rules;  // conflict
  std::string error_detail;              // lines explaining the error
  std::vector<std::pair<SlotId, Value>> fixed;  // given define
};

// A define's value from a scenario's JSON, in the define's type; nullopt when it is not one.
std::optional<Value> define_value(const Program& p, TypeId type, const json& v, Facts& storage) {
  const TypeInfo& t = p.types[type];
  switch (t.kind) {
    case TypeKind::boolean:
      if (v.is_boolean()) return Value::boolean(v.get<bool>());
      break;
    case TypeKind::integer:
      if (v.is_number_integer()) return Value::integer(v.get<int64_t>());
      break;
    case TypeKind::decimal:
      if (auto d = to_decimal(v)) return Value::decimal(*d);
      break;
    case TypeKind::text:
      if (v.is_string()) return Value::of_text(storage.texts.emplace_back(v.get<std::string>()));
      break;
    case TypeKind::date:
      if (v.is_string()) {
        if (auto d = parse_iso_date(v.get_ref<const std::string&>())) return Value::of_date(*d);
      }
      break;
    case TypeKind::duration:
      if (v.is_string()) {
        if (auto d = parse_iso_duration(v.get_ref<const std::string&>())) return Value::duration(*d);
      }
      break;
    case TypeKind::enumeration:
      if (v.is_string()) {
        auto it = std::find(t.members.begin(), t.members.end(), v.get_ref<const std::string&>());
        if (it != t.members.end()) return Value::enumeration(static_cast<uint32_t>(it - t.members.begin()));
      }
      break;
    case TypeKind::list:    // not supported: a list or record define is fixed through its facts
    case TypeKind::record: break;
  }
  return std::nullopt;
}

// `given define NAME = VALUE`: false (with the error set) when a name or value is wrong.
bool fix_defines(const Program& p, const Scenario& sc, Answer& a) {
  for (const auto& item : sc.defines.items()) {
    // Not a structured binding: clang 14 cannot capture one in the lambda below.
    const std::string& name = item.key();
    const json& v = item.value();
    auto it = std::find_if(p.defines.begin(), p.defines.end(), [&](const DefineInfo& d) { return d.name == name; });
    if (it == p.defines.end()) {
      std::vector<std::string> names;
      for (const auto& d : p.defines) names.push_back(d.name);
      a.error_code = "invalid_define";
      a.error_message = version_label(p) + " has no define called " + name + " (its defines: " +
                        (names.empty() ? std::string("none") : join(names)) + ")";
      return false;
    }
    const SlotId slot = p.define_slot(static_cast<uint32_t>(it - p.defines.begin()));
    const TypeId type = p.slot_type(slot);
    auto value = define_value(p, type, v, a.facts);
    if (!value) {
      a.error_code = "invalid_define";
      a.error_message = "define " + name + " is " + p.types[type].name + "; " + display(&p, type, v) + " is not one";
      return false;
    }
    a.fixed.emplace_back(slot, *value);
  }
  return true;
}

void answer(const PolicySet& set, const Scenario& sc, const RunOptions& options, Answer& a) {
  a.as_of = sc.as_of.value_or(options.today);
  const auto found = set.find(sc.policy, a.as_of);
  if (found.status == PolicySet::Status::unknown_policy) {
    a.error_code = "unknown_policy";
    a.error_message = "there is no policy called " + sc.policy;
    auto ids = set.ids();
    a.error_detail = "the policies loaded are: " + (ids.empty() ? std::string("none") : join(ids));
    return;
  }
  if (found.status == PolicySet::Status::not_in_force) {
    std::string ranges;
    for (const Program* v : set.versions_of(sc.policy)) {
      ranges += (ranges.empty() ? "" : ", ") + v->header.version + " from " + format_iso_date(v->header.in_force_from) +
                (v->header.in_force_until ? " to " + format_iso_date(*v->header.in_force_until) : "");
    }
    a.error_code = "not_in_force";
    a.error_message = "no version of " + sc.policy + " is in force on " + format_iso_date(a.as_of) + " (versions: " +
                      ranges + ")";
    return;
  }
  const Program& p = *found.program;
  a.program = &p;
  a.facts.as_of = a.as_of;
  auto problems = read_facts(p, sc.facts, options.limits, a.facts);
  if (!problems.empty()) add_require_problems(p, a.facts, problems);  // require (issue 14, law-require)
  if (!problems.empty()) {
    a.error_code = "invalid_facts";
    a.error_message = std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
                      " with the facts for " + p.header.id;
    for (const auto& pr : problems) {
      if (pr.require != kNone) {  // a broken require: every fact it read, then its message
        a.error_paths.insert(a.error_paths.end(), pr.paths.begin(), pr.paths.end());
        a.error_detail += "require (" + join(pr.paths) + "): " + pr.problem + "\n";
        continue;
      }
      a.error_paths.push_back(pr.path);
      a.error_detail += pr.path + ": " + pr.problem + "\n";
    }
    return;
  }
  if (!fix_defines(p, sc, a)) return;
  a.facts.as_of = a.as_of;
  Decision d;
  evaluate_fixed(p, a.facts, a.fixed, d);
  if (!d.failed_requires.empty()) {  // ---- require (issue 14, law-require): invalid facts ----
    a.error_code = "invalid_facts";
    a.error_message = d.error->message;
    for (uint32_t k : d.failed_requires) {
      const FactProblem pr = require_problem(p, k);
      a.error_paths.insert(a.error_paths.end(), pr.paths.begin(), pr.paths.end());
      a.error_detail += "require (" + join(pr.paths) + "): " + pr.problem + "\n";
    }
    return;
  }
  if (d.error) {
    a.error_code = d.error->code;
    a.error_message = d.error->message;
    a.error_rules = d.error->rules;
    if (!a.error_rules.empty()) a.error_detail = "rules: " + join(a.error_rules) + "\n";
    a.error_detail += explanation_text(p, d);
    return;
  }
  a.decision = std::move(d);
}

std::string expected_error_text(const ErrorExpectation& e) {
  std::string out = e.code;
  if (e.paths) out += " at " + join(*e.paths);
  if (e.rules) out += " between " + join(*e.rules);
  return out;
}

std::string actual_error_text(const Answer& a, const ErrorExpectation* like) {
  std::string out = a.error_code;
  if (!a.error_paths.empty() && (!like || like->paths || like->code != a.error_code)) out += " at " + join(a.error_paths);
  if (!a.error_rules.empty() && (!like || like->rules || like->code != a.error_code)) out += " between " + join(a.error_rules);
  return out;
}

// A JSON suite writes dotted outputs nested, as the decision does
// ({"approval": {"status": "approved"}}): an expectation that names no output
// but a group of dotted ones is read as one expectation per output in it.
std::vector<OutputExpectation> dotted_expectations(const Program& p, const std::vector<OutputExpectation>& given) {
  if (p.output_tree.empty()) return given;
  std::vector<OutputExpectation> out;
  std::vector<OutputExpectation> todo(given.rbegin(), given.rend());
  while (!todo.empty()) {
    OutputExpectation e = std::move(todo.back());
    todo.pop_back();
    const bool is_output = std::any_of(p.outputs.begin(), p.outputs.end(), [&](const FieldInfo& f) { return f.name == e.output; });
    const bool is_group = std::any_of(p.outputs.begin(), p.outputs.end(),
                                      [&](const FieldInfo& f) { return f.name.rfind(e.output + ".", 0) == 0; });
    if (is_output || !is_group || !e.value.is_object()) {
      out.push_back(std::move(e));
      continue;
    }
    std::vector<OutputExpectation> inner;
    for (auto it = e.value.begin(); it != e.value.end(); ++it) {
      inner.push_back(OutputExpectation{e.output + "." + it.key(), *it, e.pos, 0, 0});
    }
    todo.insert(todo.end(), inner.rbegin(), inner.rend());
  }
  return out;
}

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  a.erase(std::unique(a.begin(), a.end()), a.end());
  b.erase(std::unique(b.begin(), b.end()), b.end());
  return a == b;
}

std::string rule_status_text(const Program& p, const Decision& d, uint32_t r) {
  const RuleOutcome& o = d.rules[r];
  switch (o.status) {
    case RuleStatus::applied: return "it fired";
    case RuleStatus::not_applied:
      if (o.failed_condition < p.rules[r].conditions.size()) {
        return "it did not apply: " + p.rules[r].conditions[o.failed_condition].source + " does not hold";
      }
      if (o.failed_condition == kNotInForce) return "it did not apply: not in force on " + format_iso_date(d.as_of);
      return "it did not apply";
    case RuleStatus::overridden:
      return "it held but was overridden by the exception " +
             (o.overridden_by < p.rules.size() ? p.rules[o.overridden_by].name : std::string("?"));
    default: return "it was not evaluated";
  }
}

// Failed expectations, each with the line it is about.
using Found = std::vector<std::pair<std::size_t, std::string>>;

// Compares the answer with the scenario's expectations; sets r.detail when any failed.
void compare(const Suite& suite, const Scenario& sc, const Answer& a, Found& found, ScenarioResult& r) {
  auto fail = [&](const SourcePos& pos, const std::string& text) {
    found.emplace_back(pos.line ? pos.line : sc.pos.line, where(suite, sc, pos) + text);
  };
  if (a.program && sc.version && a.program->header.version != *sc.version) {
    fail(sc.version_pos, "version: expected " + *sc.version + ", got " + a.program->header.version);
  }
  if (a.program && sc.hash && a.program->hash != *sc.hash) {
    fail(sc.hash_pos, "hash: expected " + *sc.hash + ", got " + a.program->hash);
  }

  if (!a.decision) {
    if (sc.error) {
      const ErrorExpectation& e = *sc.error;
      const bool ok = e.code == a.error_code && (!e.paths || same_set(*e.paths, a.error_paths)) &&
                      (!e.rules || same_set(*e.rules, a.error_rules));
      if (ok) return;
      fail(e.pos, "error: expected " + expected_error_text(e) + ", got " + actual_error_text(a, &e));
    } else {
      fail(sc.pos, "expected a decision, got error " + actual_error_text(a, nullptr) + ": " + a.error_message);
    }
    r.detail = indent(a.error_detail.empty() ? a.error_message : a.error_message + "\n" + a.error_detail);
    return;
  }

  const Program& p = *a.program;
  const Decision& d = *a.decision;
  if (sc.error) fail(sc.error->pos, "error: expected " + expected_error_text(*sc.error) + ", got a decision");

  std::vector<bool> listed(p.outputs.size(), false);
  for (const auto& e : dotted_expectations(p, sc.outputs)) {
    auto it = std::find_if(p.outputs.begin(), p.outputs.end(), [&](const FieldInfo& f) { return f.name == e.output; });
    if (it != p.outputs.end() && it->internal) {  // issue 14: not in the decision, so not expected
      fail(e.pos, e.output + ": " + e.output + " is an internal value of " + version_label(p) +
                      ": it is not in the decision, so a suite cannot expect it (the explanation shows it)");
      continue;
    }
    if (it == p.outputs.end()) {
      std::vector<std::string> names;
      for (const auto& f : p.outputs) names.push_back(f.name);
      const std::string hint = did_you_mean(e.output, names);
      fail(e.pos, e.output + ": " + version_label(p) + " has no output called " + e.output +
                      (hint.empty() ? "" : "; did you mean " + hint + "?") + " (its outputs: " + join(names) + ")");
      continue;
    }
    const uint32_t o = static_cast<uint32_t>(it - p.outputs.begin());
    listed[o] = true;
    const json actual = actual_json(p, it->type, d.output(p, o), d.arena);
    if (!same(p, it->type, e.value, actual)) {
      std::string where = difference(p, it->type, e.value, actual, e.output);
      const std::string whole = e.output + ": expected " + display(&p, it->type, e.value) + ", got " + display(&p, it->type, actual);
      // Inside a list or record, also say where they first differ.
      fail(e.pos, where.rfind(e.output + ": ", 0) == 0 ? whole : whole + "; first difference: " + where);
    }
  }
  if (sc.expect_all) {
    for (uint32_t o = 0; o < p.outputs.size(); ++o) {
      if (listed[o] || p.outputs[o].internal) continue;  // internal values are not in the decision (issue 14)
      const auto& f = p.outputs[o];
      const json actual = actual_json(p, f.type, d.output(p, o), d.arena);
      fail(*sc.expect_all, f.name + ": not listed, though 'all' outputs are expected; it is " + display(&p, f.type, actual));
    }
  }
  for (const auto& e : sc.rules) {
    auto it = std::find_if(p.rules.begin(), p.rules.end(), [&](const RuleInfo& ri) { return ri.name == e.rule; });
    const std::string what = (e.fired ? "fired " : "not fired ") + e.rule;
    if (it == p.rules.end()) {
      std::vector<std::string> names;
      for (const auto& ri : p.rules) names.push_back(ri.name);
      const std::string hint = did_you_mean(e.rule, names);
      fail(e.pos, what + ": " + version_label(p) + " has no rule called " + e.rule +
                      (hint.empty() ? "" : "; did you mean " + hint + "?"));
      continue;
    }
    const uint32_t ri = static_cast<uint32_t>(it - p.rules.begin());
    const bool fired = d.rules[ri].status == RuleStatus::applied;
    if (e.fired && !fired) fail(e.pos, what + ": expected it to fire, but " + rule_status_text(p, d, ri));
    if (!e.fired && fired) fail(e.pos, what + ": expected it not to fire, but it fired");
  }
  if (!found.empty()) {
    r.detail = indent(p.header.id + " version " + p.header.version + " as of " + format_iso_date(a.as_of) + "\n" +
                      explanation_text(p, d));
  }
}

void check(const Suite& suite, const Scenario& sc, const Answer& a, ScenarioResult& r) {
  Found found;
  compare(suite, sc, a, found, r);
  // In the order of the lines they are about, as a reader goes through the file.
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& f : found) r.failures.push_back(std::move(f.second));
}

}  // namespace

std::string ScenarioResult::report() const {
  std::string out;
  for (const auto& f : failures) out += f + "\n";
  return out + detail;
}

SuiteResult run_suite(const PolicySet& set, const Suite& suite, const RunOptions& options, Coverage* coverage) {
  SuiteResult out;
  out.suite = &suite;
  out.started = std::chrono::system_clock::now();
  const auto suite_start = std::chrono::steady_clock::now();
  const std::string filter = lower(options.filter);
  for (const auto& sc : suite.scenarios) {
    ScenarioResult r;
    r.scenario = &sc;
    if (!filter.empty() && lower(sc.name).find(filter) == std::string::npos) {
      r.status = Status::skipped;
      out.results.push_back(std::move(r));
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    Answer a;
    answer(set, sc, options, a);
    check(suite, sc, a, r);
    if (coverage && a.decision) coverage->record(*a.program, *a.decision);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.status = r.failures.empty() ? Status::passed : Status::failed;
    if (r.status == Status::failed && a.decision) r.actual = actual_outputs(*a.program, *a.decision);
    out.results.push_back(std::move(r));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - suite_start).count();
  return out;
}

// ---- coverage -------------------------------------------------------------------

void Coverage::record(const Program& p, const Decision& d) {
  VersionCoverage& c = by_version_[&p];
  if (c.fired.empty()) {
    c.fired.assign(p.rules.size(), false);
    c.values.resize(p.outputs.size());
    c.elements.resize(p.outputs.size());
    c.condition_false.resize(p.rules.size());
    for (uint32_t r = 0; r < p.rules.size(); ++r) c.condition_false[r].assign(p.rules[r].conditions.size(), false);
  }
  ++c.decisions;
  for (uint32_t r = 0; r < p.rules.size() && r < d.rules.size(); ++r) {
    if (d.rules[r].status == RuleStatus::applied) c.fired[r] = true;
    const RuleOutcome& o = d.rules[r];
    if (o.status == RuleStatus::not_applied && o.failed_condition < c.condition_false[r].size()) {
      c.condition_false[r][o.failed_condition] = true;
    }
  }
  for (uint32_t o = 0; o < p.outputs.size(); ++o) {
    const auto& f = p.outputs[o];
    const Value& v = d.output(p, o);
    if (v.kind == ValueKind::missing || v.kind == ValueKind::unknown) {
      c.values[o].insert("null");
    } else if (v.kind == ValueKind::list) {
      if (v.list.size == 0) c.values[o].insert("[]");
      const TypeId element = p.types[f.type].element;
      for (uint32_t k = 0; k < v.list.size; ++k) {
        c.elements[o].insert(display_value(p, element, d.arena[v.list.offset + k], &d.arena));
      }
    } else {
      c.values[o].insert(display_value(p, f.type, v, &d.arena));
    }
  }
}

bool Coverage::fired(const Program& p, uint32_t rule) const {
  const auto it = by_version_.find(&p);
  return it != by_version_.end() && rule < it->second.fired.size() && it->second.fired[rule];
}

std::string Coverage::report(const PolicySet& set) const {
  std::string out;
  for (const auto& version : set.versions()) {
    const Program& p = *version;
    const std::string label = version_label(p);
    auto it = by_version_.find(&p);
    if (it == by_version_.end()) {
      out += label + ": no scenario was decided by this version (" + std::to_string(p.rules.size()) +
             " rules never fired)\n";
      continue;
    }
    const VersionCoverage& c = it->second;
    std::size_t rules_fired = 0, values_total = 0, values_seen = 0;
    for (uint32_t r = 0; r < p.rules.size(); ++r) {
      if (c.fired[r]) {
        ++rules_fired;
        continue;
      }
      const RuleInfo& rule = p.rules[r];
      out += label + ": " + (rule.exception_to.empty() ? "rule " : "exception ") + rule.name + " (" + rule.pos.file +
             ":" + std::to_string(rule.pos.line) + ":" + std::to_string(rule.pos.column) + ") never fired\n";
    }
    for (uint32_t o = 0; o < p.outputs.size(); ++o) {
      const FieldInfo& f = p.outputs[o];
      const TypeInfo& t = p.types[f.type];
      std::vector<std::string> values;  // the values this output can take that are worth seeing
      std::vector<std::string> elements;
      if (t.kind == TypeKind::enumeration) values = t.members;
      if (t.kind == TypeKind::boolean) values = {"yes", "no"};
      if (t.kind == TypeKind::list) {
        values.push_back("[]");
        if (p.types[t.element].kind == TypeKind::enumeration) elements = p.types[t.element].members;
      }
      if (f.optional) values.push_back("null");
      for (const auto& v : values) {
        ++values_total;
        if (c.values[o].count(v)) ++values_seen;
        else out += label + ": output " + f.name + " never was " + v + "\n";
      }
      for (const auto& e : elements) {
        ++values_total;
        if (c.elements[o].count(e)) ++values_seen;
        else out += label + ": output " + f.name + " never contained " + e + "\n";
      }
    }
    out += label + ": " + std::to_string(rules_fired) + " of " + std::to_string(p.rules.size()) +
           " rules fired, " + std::to_string(values_seen) + " of " + std::to_string(values_total) +
           " output values seen, in " + std::to_string(c.decisions) + " decision" + (c.decisions == 1 ? "" : "s") +
           "\n";
  }
  return out;
}

std::string Coverage::condition_report(const PolicySet& set) const {
  std::string out;
  for (const auto& version : set.versions()) {
    const Program& p = *version;
    auto it = by_version_.find(&p);
    if (it == by_version_.end()) continue;
    const VersionCoverage& c = it->second;
    std::size_t total = 0, seen = 0;
    for (uint32_t r = 0; r < p.rules.size(); ++r) {
      const RuleInfo& rule = p.rules[r];
      for (std::size_t k = 0; k < rule.conditions.size(); ++k) {
        ++total;
        if (c.condition_false[r][k]) {
          ++seen;
          continue;
        }
        out += version_label(p) + ": rule " + rule.name + " (" + rule.pos.file + ":" +
               std::to_string(rule.conditions[k].pos.line) + "): condition " + std::to_string(k + 1) + " '" +
               rule.conditions[k].source + "' was never the one false\n";
      }
    }
    out += version_label(p) + ": " + std::to_string(seen) + " of " + std::to_string(total) +
           " conditions seen deciding a rule did not apply\n";
  }
  return out;
}

}  // namespace rulebook::scenario

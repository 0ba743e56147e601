// Runs scenarios against a PolicySet the way the decision API would decide
// them (find the version in force, read the facts, evaluate), compares the
// decision with the expectations, and keeps rule coverage.
#include <algorithm>
#include <chrono>
#include <cctype>

#include "check/checker.hpp"  // did_you_mean
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
      default: break;
    }
  }
  return expected == actual;
}

// An output's value as the decision JSON writes it (value_json), read back.
json actual_json(const Program& p, TypeId type, const Value& v, const std::vector<Value>& arena) {
  const std::string text = value_json(p, type, v, arena);
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json(text) : j;  // e.g. text that is not valid UTF-8
}

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
};

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
  auto problems = read_facts(p, sc.facts, options.limits, a.facts);
  if (!problems.empty()) {
    a.error_code = "invalid_facts";
    a.error_message = std::to_string(problems.size()) + " problem" + (problems.size() == 1 ? "" : "s") +
                      " with the facts for " + p.header.id;
    for (const auto& pr : problems) {
      a.error_paths.push_back(pr.path);
      a.error_detail += pr.path + ": " + pr.problem + "\n";
    }
    return;
  }
  a.facts.as_of = a.as_of;
  Decision d = evaluate(p, a.facts);
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
  for (const auto& e : sc.outputs) {
    auto it = std::find_if(p.outputs.begin(), p.outputs.end(), [&](const FieldInfo& f) { return f.name == e.output; });
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
      fail(e.pos, e.output + ": expected " + display(&p, it->type, e.value) + ", got " + display(&p, it->type, actual));
    }
  }
  if (sc.expect_all) {
    for (uint32_t o = 0; o < p.outputs.size(); ++o) {
      if (listed[o]) continue;
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
    out.results.push_back(std::move(r));
  }
  return out;
}

// ---- coverage -------------------------------------------------------------------

void Coverage::record(const Program& p, const Decision& d) {
  VersionCoverage& c = by_version_[&p];
  if (c.fired.empty()) {
    c.fired.assign(p.rules.size(), false);
    c.values.resize(p.outputs.size());
    c.elements.resize(p.outputs.size());
  }
  ++c.decisions;
  for (uint32_t r = 0; r < p.rules.size() && r < d.rules.size(); ++r) {
    if (d.rules[r].status == RuleStatus::applied) c.fired[r] = true;
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

// ---- JUnit XML -------------------------------------------------------------------

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t k = 0; k < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[k]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        case '\n': out += "&#10;"; break;
        case '\r': out += "&#13;"; break;
        case '\t': out += "&#9;"; break;
        default: out += c < 0x20 || c == 0x7F ? '?' : static_cast<char>(c);
      }
      ++k;
      continue;
    }
    // A UTF-8 sequence: copy it when it is well formed, else U+FFFD.
    std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len > 0 && k + len <= s.size();
    uint32_t cp = ok ? (c & (0x7F >> len)) : 0;
    for (std::size_t j = 1; ok && j < len; ++j) {
      const unsigned char cc = static_cast<unsigned char>(s[k + j]);
      if ((cc & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (ok) {
      const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
      ok = cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF) && cp != 0xFFFE && cp != 0xFFFF;
    }
    if (ok) {
      out.append(s.substr(k, len));
      k += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++k;
    }
  }
  return out;
}

namespace {

// Element text: like attributes, but line breaks stay line breaks.
std::string xml_text(std::string_view s) {
  std::string out = xml_escape(s);
  std::string fixed;
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (out.compare(k, 5, "&#10;") == 0) {
      fixed += '\n';
      k += 4;
    } else {
      fixed += out[k];
    }
  }
  return fixed;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

}  // namespace

std::string junit_xml(const std::vector<SuiteResult>& results, const std::vector<const Suite*>& unreadable) {
  std::size_t tests = 0, failures = 0, skipped = 0, errors = 0;
  double total = 0;
  std::string body;
  for (const auto& sr : results) {
    std::size_t f = 0, sk = 0;
    double t = 0;
    std::string cases;
    for (const auto& r : sr.results) {
      t += r.seconds;
      const Scenario& sc = *r.scenario;
      cases += "    <testcase name=\"" + xml_escape(sc.name) + "\" classname=\"" +
               xml_escape(sc.policy.empty() ? sr.suite->title : sc.policy) + "\" file=\"" +
               xml_escape(sr.suite->path) + "\" line=\"" + std::to_string(sc.pos.line) + "\" time=\"" +
               seconds(r.seconds) + "\"";
      if (r.status == Status::passed) {
        cases += "/>\n";
        continue;
      }
      cases += ">\n";
      if (r.status == Status::skipped) {
        ++sk;
        cases += "      <skipped message=\"not selected by --filter\"/>\n";
      } else {
        ++f;
        const std::string& first = r.failures.empty() ? std::string("failed") : r.failures.front();
        cases += "      <failure message=\"" + xml_escape(first) + "\" type=\"ScenarioFailure\">" +
                 xml_text(r.report()) + "</failure>\n";
      }
      cases += "    </testcase>\n";
    }
    tests += sr.results.size();
    failures += f;
    skipped += sk;
    total += t;
    body += "  <testsuite name=\"" + xml_escape(sr.suite->path) + "\" tests=\"" + std::to_string(sr.results.size()) +
            "\" failures=\"" + std::to_string(f) + "\" errors=\"0\" skipped=\"" + std::to_string(sk) +
            "\" time=\"" + seconds(t) + "\">\n" + cases + "  </testsuite>\n";
  }
  for (const Suite* s : unreadable) {
    std::string text;
    for (const auto& d : s->diagnostics) text += format_diagnostic(d);
    const std::string first = s->diagnostics.empty() ? "cannot read this suite" : format_headline(s->diagnostics.front());
    ++tests;
    ++errors;
    body += "  <testsuite name=\"" + xml_escape(s->path) + "\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0.000\">\n" +
            "    <testcase name=\"read suite\" classname=\"" + xml_escape(s->path) + "\" file=\"" + xml_escape(s->path) +
            "\" time=\"0.000\">\n      <error message=\"" + xml_escape(first) + "\" type=\"SuiteError\">" +
            xml_text(text) + "</error>\n    </testcase>\n  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rulebook test\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
         "\" skipped=\"" + std::to_string(skipped) + "\" time=\"" + seconds(total) + "\">\n" + body +
         "</testsuites>\n";
}

}  // namespace rulebook::scenario

// JSON suites (docs/scenarios.md#json-suites): a list of
// {name, policy, as_of, facts, expect}, for cases exported from HR systems.
// Every problem is a diagnostic at the line and column of the case it is in.
#include <filesystem>

#include "scenario/scenario.hpp"

namespace rulebook::scenario {

using json = nlohmann::json;

namespace {

SourcePos pos_at(const std::string& path, const std::string& text, std::size_t byte) {
  SourcePos p{path, 1, 1, std::min(byte, text.size())};
  std::size_t line_start = 0;
  for (std::size_t k = 0; k < p.byte; ++k) {
    if (text[k] == '\n') {
      ++p.line;
      line_start = k + 1;
    }
  }
  p.column = p.byte - line_start + 1;
  return p;
}

// Scans the JSON text once: the deepest nesting, and where each element of the
// top-level array starts (so a case's problems point at its line).
struct Layout {
  std::size_t max_depth = 0;
  std::vector<std::size_t> element_starts;
};

Layout scan(const std::string& text) {
  Layout out;
  std::size_t depth = 0;
  bool in_string = false, escaped = false, want_element = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (want_element && c != ']') {
      out.element_starts.push_back(k);
    }
    want_element = false;
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
      out.max_depth = std::max(out.max_depth, depth);
      if (depth == 1 && c == '[') want_element = true;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    } else if (c == ',' && depth == 1) {
      want_element = true;
    }
  }
  return out;
}

std::string kind_of(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "true or false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "text";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    default: return "something else";
  }
}

class Reader {
 public:
  Reader(Suite& suite, const std::string& text) : suite_(suite), text_(text) {}

  void problem(const SourcePos& pos, const std::string& what, std::string message) {
    Diagnostic d;
    d.code = "json-suite";
    d.pos = pos;
    d.message = what + ": " + message;
    d.source_line = line_at(text_, pos.byte);
    suite_.diagnostics.push_back(std::move(d));
  }

  std::optional<std::vector<std::string>> strings(const json& j, const SourcePos& pos, const std::string& what,
                                                  const std::string& field) {
    if (!j.is_array()) {
      problem(pos, what, field + " must be a list of names, not " + kind_of(j));
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& e : j) {
      if (!e.is_string()) {
        problem(pos, what, field + " must hold only names in quotes, not " + kind_of(e));
        return std::nullopt;
      }
      out.push_back(e.get<std::string>());
    }
    return out;
  }

  void read_case(const json& c, std::size_t index, const SourcePos& pos) {
    std::string what = "case " + std::to_string(index + 1);
    if (!c.is_object()) {
      problem(pos, what, "each case must be an object {name, policy, as_of, facts, expect}, not " + kind_of(c));
      return;
    }
    if (auto it = c.find("name"); it != c.end() && it->is_string()) what += " (\"" + it->get<std::string>() + "\")";
    const std::size_t before = suite_.diagnostics.size();
    Scenario s;
    s.pos = pos;
    bool have_facts = false, have_expect = false;
    for (const auto& [key, v] : c.items()) {
      if (key == "name") {
        if (v.is_string() && !v.get<std::string>().empty()) s.name = v.get<std::string>();
        else problem(pos, what, "name must be a non-empty text");
      } else if (key == "policy") {
        if (v.is_string() && !v.get<std::string>().empty()) s.policy = v.get<std::string>();
        else problem(pos, what, "policy must be a policy id in quotes, like \"aps.s26\"");
      } else if (key == "as_of") {
        if (v.is_null()) continue;
        auto d = v.is_string() ? parse_iso_date(v.get_ref<const std::string&>()) : std::nullopt;
        if (d) s.as_of = d;
        else problem(pos, what, "as_of must be a real date as \"YYYY-MM-DD\"");
      } else if (key == "facts") {
        have_facts = true;
        if (v.is_object()) s.facts = v;
        else problem(pos, what, "facts must be an object, as in a decision request, not " + kind_of(v));
      } else if (key == "expect") {
        have_expect = true;
        read_expect(v, s, pos, what);
      } else {
        problem(pos, what, "unknown field \"" + key + "\"; a case has name, policy, as_of, facts and expect");
      }
    }
    if (!c.contains("name")) problem(pos, what, "name is missing");
    if (!c.contains("policy")) problem(pos, what, "policy is missing");
    if (!have_facts) problem(pos, what, "facts is missing (use {} for none)");
    if (!have_expect) problem(pos, what, "expect is missing");
    if (!s.name.empty()) {
      const auto [it, fresh] = names_.emplace(s.name, index + 1);
      if (!fresh) problem(pos, what, "another case has this name (case " + std::to_string(it->second) + ")");
    }
    if (suite_.diagnostics.size() == before) suite_.scenarios.push_back(std::move(s));
  }

  void read_expect(const json& e, Scenario& s, const SourcePos& pos, const std::string& what) {
    if (!e.is_object()) {
      problem(pos, what, "expect must be an object {decision, fired, not_fired, error}, not " + kind_of(e));
      return;
    }
    bool any = false;
    for (const auto& [key, v] : e.items()) {
      any = true;
      if (key == "decision") {
        if (!v.is_object()) {
          problem(pos, what, "expect.decision must be an object of output names and values");
          continue;
        }
        for (const auto& [output, value] : v.items()) s.outputs.push_back(OutputExpectation{output, value, pos});
      } else if (key == "fired" || key == "not_fired") {
        if (auto names = strings(v, pos, what, "expect." + key)) {
          for (auto& n : *names) s.rules.push_back(RuleExpectation{std::move(n), key == "fired", pos});
        }
      } else if (key == "error") {
        if (!v.is_object() || !v.contains("code") || !v["code"].is_string()) {
          problem(pos, what, "expect.error must be an object like {\"code\": \"invalid_facts\", \"paths\": [...]}");
          continue;
        }
        ErrorExpectation err;
        err.pos = pos;
        for (const auto& [k, x] : v.items()) {
          if (k == "code") err.code = x.get<std::string>();
          else if (k == "paths") err.paths = strings(x, pos, what, "expect.error.paths");
          else if (k == "rules") err.rules = strings(x, pos, what, "expect.error.rules");
          else problem(pos, what, "unknown field \"" + k + "\" in expect.error; it has code, paths and rules");
        }
        s.error = std::move(err);
      } else {
        problem(pos, what, "unknown field \"" + key + "\" in expect; it has decision, fired, not_fired and error");
      }
    }
    if (!any) problem(pos, what, "expect is empty: give decision, fired, not_fired or error");
    if (s.error && (!s.outputs.empty() || !s.rules.empty())) {
      problem(pos, what, "expect.error cannot go with decision, fired or not_fired: the error means there is no decision");
    }
  }

 private:
  Suite& suite_;
  const std::string& text_;
  std::map<std::string, std::size_t> names_;
};

}  // namespace

namespace {

struct Located {
  std::size_t byte = 0;
  std::string token;
};

// Where nlohmann's parser stops on `text`, and the token it stopped at.
Located locate_json_error(const std::string& text) {
  struct Stop final : nlohmann::json_sax<json> {
    Located at;
    bool null() override { return true; }
    bool boolean(bool) override { return true; }
    bool number_integer(number_integer_t) override { return true; }
    bool number_unsigned(number_unsigned_t) override { return true; }
    bool number_float(number_float_t, const string_t&) override { return true; }
    bool string(string_t&) override { return true; }
    bool binary(binary_t&) override { return true; }
    bool start_object(std::size_t) override { return true; }
    bool key(string_t&) override { return true; }
    bool end_object() override { return true; }
    bool start_array(std::size_t) override { return true; }
    bool end_array() override { return true; }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception&) override {
      // The position is just past the token.
      at.byte = position >= token.size() ? position - token.size() : 0;
      at.token = token;
      return false;
    }
  } stop;
  json::sax_parse(text, &stop, json::input_format_t::json, true);
  return stop.at;
}

}  // namespace

Suite parse_json_suite(std::string path, const std::string& text, const Limits& limits) {
  Suite suite;
  suite.path = path;
  suite.title = std::filesystem::path(path).filename().string();
  auto fail = [&](std::size_t byte, std::string message) {
    Diagnostic d;
    d.code = "json-suite";
    d.pos = pos_at(path, text, byte);
    d.message = std::move(message);
    d.source_line = line_at(text, d.pos.byte);
    suite.diagnostics.push_back(std::move(d));
  };
  if (text.size() > limits.max_rule_file_bytes * 16) {
    fail(0, "this file is " + std::to_string(text.size()) + " bytes; JSON suites are limited to " +
                std::to_string(limits.max_rule_file_bytes * 16) + " bytes");
    return suite;
  }
  const Layout layout = scan(text);
  if (layout.max_depth > limits.max_json_depth) {
    fail(0, "this JSON is nested " + std::to_string(layout.max_depth) + " levels deep; at most " +
                std::to_string(limits.max_json_depth) + " are allowed");
    return suite;
  }
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's byte is 1-based and points just past the offending character.
    std::string what = e.what();
    const std::size_t col = what.find("column ");
    std::size_t colon = col == std::string::npos ? std::string::npos : what.find(": ", col);
    if (colon != std::string::npos) what = what.substr(colon + 2);
    fail(e.byte > 0 ? e.byte - 1 : 0, "this is not valid JSON: " + what);
    return suite;
  } catch (const json::exception& e) {
    // A number too large for a double (1e400) is out_of_range, without a
    // position; a second pass that stops at the first error finds it.
    const Located at = locate_json_error(text);
    fail(at.byte, "this is not valid JSON: " + (at.token.empty() ? std::string("a number is out of range")
                                                                  : "the number " + at.token +
                                                                        " is too large for a number here"));
    return suite;
  }
  if (!root.is_array()) {
    fail(0, "a JSON suite is a list of cases: [{\"name\": ..., \"policy\": ..., \"facts\": ..., \"expect\": ...}, ...]");
    return suite;
  }
  Reader reader(suite, text);
  for (std::size_t k = 0; k < root.size(); ++k) {
    const std::size_t byte = k < layout.element_starts.size() ? layout.element_starts[k] : 0;
    reader.read_case(root[k], k, pos_at(path, text, byte));
  }
  if (root.empty()) fail(0, "this suite has no cases");
  return suite;
}

}  // namespace rulebook::scenario

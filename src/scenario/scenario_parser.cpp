// Parses readable scenario suites (docs/scenarios.md) with the PEGTL grammar
// of scenario_grammar.hpp into Suite values. Like the rule language's parser:
// a parse tree, must_if messages, chunked recovery so one run reports the
// errors of every broken scenario, and literal checks at their own line:col.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "lang/depth_guard.hpp"
#include "lang/source_text.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scenario_grammar.hpp"

namespace rulebook::scenario {

namespace pegtl = tao::pegtl;
namespace sg = rulebook::scenario_grammar;
using json = nlohmann::json;

namespace {

// clang-format off
template <typename Rule>
using selector = pegtl::parse_tree::selector<Rule,
  pegtl::parse_tree::store_content::on<
    sg::suite_header, sg::suite_title, sg::policy_ref, sg::as_of, sg::as_of_date, sg::given_block,
    sg::fact_assign, sg::fact_name, sg::define_assign, sg::define_name,
    sg::e_version, sg::e_hash, sg::version_text,
    sg::table_block, sg::table_header, sg::table_header_expected, sg::column_fact, sg::column_output, sg::table_row,
    sg::v_null, sg::v_true, sg::v_false, sg::v_date, sg::v_duration, sg::v_decimal, sg::v_int, sg::v_text,
    sg::v_word, sg::v_list, sg::v_record, sg::v_record_type, sg::v_field, sg::v_field_expected, sg::v_field_name,
    sg::scenario, sg::scenario_name, sg::scenario_policy,
    sg::e_output, sg::output_name, sg::e_not_fired, sg::e_fired, sg::e_all, sg::e_error, sg::error_code,
    sg::e_error_at, sg::e_error_between, sg::fact_path_expected, sg::rule_ref>>;
// clang-format on

// Lists and records nest no deeper than a request's JSON may.
struct value_too_deep {
  static std::string message(std::size_t max_depth) {
    return "this value nests lists and records more than " + std::to_string(max_depth) + " levels deep";
  }
};
template <typename Rule>
struct value_depth : pegtl::nothing<Rule> {};
template <> struct value_depth<sg::nested> : source::depth_guard_for<value_too_deep> {};

using source::is;
using source::Node;
using source::pos_of;

// A fact or output value as read: the JSON it becomes, or "not given".
struct ReadValue {
  json value;
  bool absent = false;  // null / missing
};

class Converter {
 public:
  Converter(Suite& suite, const std::string& text, const Limits& limits)
      : suite_(suite), text_(text), max_json_depth_(limits.max_json_depth) {}

  void error(const SourcePos& pos, std::string message, const char* code = "scenario") {
    Diagnostic d;
    d.code = code;
    d.pos = pos;
    d.message = std::move(message);
    d.source_line = line_at(text_, pos.byte);
    suite_.diagnostics.push_back(std::move(d));
  }
  void error(const Node& n, std::string message, const char* code = "syntax") { error(pos_of(n), std::move(message), code); }

  std::string text_value(const Node& n) { return source::unquoted(n.string_view()); }

  std::optional<Date> date_value(const Node& n, bool quoted_hint) {
    const auto s = n.string_view();
    auto d = parse_iso_date(s);
    if (d) return d;
    std::string why = source::not_a_date(s);
    if (quoted_hint) why += " (to send it anyway, write it in quotes: \"" + std::string(s) + "\")";
    error(n, why);
    return std::nullopt;
  }

  json scalar(const Node& n) {
    const std::string_view s = n.string_view();
    if (is<sg::v_true>(n)) return true;
    if (is<sg::v_false>(n)) return false;
    if (is<sg::v_null>(n)) return nullptr;
    if (is<sg::v_text>(n)) return text_value(n);
    if (is<sg::v_word>(n)) return std::string(s);
    if (is<sg::v_date>(n)) {
      date_value(n, true);
      return std::string(s);
    }
    if (is<sg::v_int>(n)) {
      int64_t v = 0;
      if (std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc()) {
        error(n, "this number is too large (the largest whole number is 9223372036854775807)");
      }
      return v;
    }
    if (is<sg::v_decimal>(n)) {
      const double v = std::strtod(std::string(s).c_str(), nullptr);
      if (!std::isfinite(v)) error(n, "this number is too large");
      return v;
    }
    if (is<sg::v_duration>(n)) {
      int64_t count = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), count);
      std::size_t u = static_cast<std::size_t>(end - s.data());
      while (u < s.size() && (s[u] == ' ' || s[u] == '\t')) ++u;
      const char unit = u < s.size() ? s[u] : 'd';
      const int64_t factor = unit == 'w' ? 7 : unit == 'y' ? 12 : 1;
      if (ec != std::errc() || count * factor > 1'000'000) {
        error(n, "this duration is too long (at most 1000000 days or months)");
        count = 0;
      }
      Duration d;
      if (unit == 'm' || unit == 'y') {
        d.months = static_cast<int32_t>(count * factor);
      } else {
        d.days = static_cast<int32_t>(count * factor);
      }
      // Weeks stay weeks (P4W), as a tester wrote them; the facts reader reads both.
      if (unit == 'w') return "P" + std::to_string(count) + "W";
      if (unit == 'y') return "P" + std::to_string(count) + "Y";
      return format_duration(d);
    }
    return nullptr;
  }

  // A list's items and a record's fields, as JSON: a record is an object of its
  // fields (the type's name only reads well; the policy checks the fields).
  json nested(const Node& n) {
    if (is<sg::v_list>(n)) {
      json out = json::array();
      for (const auto& item : n.children) out.push_back(nested(*item));
      return out;
    }
    if (is<sg::v_record>(n)) {
      json out = json::object();
      for (std::size_t k = 1; k < n.children.size(); ++k) {
        const Node& field = *n.children[k];
        const std::string name = field.children[0]->string();
        if (out.contains(name)) error(*field.children[0], "the field '" + name + "' is given twice in this record");
        out[name] = nested(*field.children[1]);
      }
      return out;
    }
    return scalar(n);
  }

  ReadValue value(const Node& n) {
    ReadValue r;
    if (is<sg::v_list>(n) || is<sg::v_record>(n)) {
      r.value = nested(n);
      return r;
    }
    if (is<sg::v_null>(n)) {
      r.absent = true;
      r.value = nullptr;
      return r;
    }
    r.value = scalar(n);
    return r;
  }

  // A `given` block, applied to `facts` in order.
  void given(const Node& block, json& facts, json& defines, SourcePos* defines_pos = nullptr) {
    std::map<std::string, std::size_t> seen;  // path -> line
    for (const auto& a : block.children) {
      if (a->children.size() < 2) continue;
      if (is<sg::define_assign>(*a)) {
        const std::string name = a->children[0]->string();
        const auto [it, fresh] = seen.emplace("define " + name, pos_of(*a).line);
        if (!fresh) {
          error(*a, "the define " + name + " is already fixed in this block, at line " + std::to_string(it->second),
                "duplicate-fact");
          continue;
        }
        if (defines_pos && defines.empty()) *defines_pos = pos_of(*a);
        ReadValue v = value(*a->children[1]);
        if (v.absent) defines.erase(name);
        else defines[name] = v.value;
        continue;
      }
      const Node& name = *a->children[0];
      const std::string path = name.string();
      // `a.b.c` becomes {"a": {"b": {"c": ...}}} in the request: refuse what a
      // request could not hold (and what would nest the JSON too deep to copy).
      const std::size_t parts = static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) + 1;
      if (parts + 2 > max_json_depth_) {
        error(name,
              "this fact's name has " + std::to_string(parts) + " parts; a request nests at most " +
                  std::to_string(max_json_depth_) + " levels, so at most " +
                  std::to_string(max_json_depth_ > 2 ? max_json_depth_ - 2 : 0) + " parts",
              "fact-too-deep");
        continue;
      }
      const auto [it, fresh] = seen.emplace(path, pos_of(name).line);
      if (!fresh) {
        error(name, "the fact " + path + " is already given in this block, at line " + std::to_string(it->second),
              "duplicate-fact");
        continue;
      }
      ReadValue v = value(*a->children[1]);
      set_path(facts, path, v);
    }
  }

  static void set_path(json& facts, const std::string& path, const ReadValue& v) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = path.find('.', start);
      parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    json* at = &facts;
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
      if (v.absent && !(at->contains(parts[k]) && (*at)[parts[k]].is_object())) return;  // nothing to remove
      json& next = (*at)[parts[k]];
      if (!next.is_object()) next = json::object();
      at = &next;
    }
    if (v.absent) {
      at->erase(parts.back());
      // Drop objects left empty, so removing the only fact of a group removes the group.
      json* cursor = &facts;
      std::vector<std::pair<json*, std::string>> trail;
      for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
        trail.emplace_back(cursor, parts[k]);
        cursor = &(*cursor)[parts[k]];
      }
      for (auto r = trail.rbegin(); r != trail.rend(); ++r) {
        json& child = (*r->first)[r->second];
        if (child.is_object() && child.empty()) r->first->erase(r->second);
      }
    } else {
      (*at)[parts.back()] = v.value;
    }
  }

  std::optional<Date> as_of(const Node& n) {
    for (const auto& c : n.children) {
      if (is<sg::as_of_date>(*c)) return date_value(*c, false);
    }
    return std::nullopt;
  }

  // The file's first chunk did not parse: it may have held the header, so do
  // not also complain that there is none.
  void header_unreadable() {
    header_unreadable_ = true;
  }
  bool has_header() const { return have_header_; }

  void header(const Node& n) {
    if (have_header_) {
      error(n, "a file holds one suite; this is a second 'suite' header (the first is at line " +
                   std::to_string(header_line_) + ")",
            "duplicate-suite");
      return;
    }
    if (!suite_.scenarios.empty() || saw_scenario_) {
      error(n, "the 'suite' header must come before the first scenario", "suite-order");
    }
    have_header_ = true;
    header_line_ = pos_of(n).line;
    bool dated = false;
    for (const auto& c : n.children) {
      if (is<sg::suite_title>(*c)) {
        suite_.title = text_value(*c);
      } else if (is<sg::policy_ref>(*c)) {
        policy_ = c->string();
      } else if (is<sg::as_of>(*c)) {
        if (dated) error(*c, "the suite's date is already set by an earlier 'as of'", "duplicate-as-of");
        dated = true;
        as_of_ = as_of(*c);
      } else if (is<sg::given_block>(*c)) {
        given(*c, shared_, shared_defines_);
      }
    }
  }

  void scenario(const Node& n) {
    saw_scenario_ = true;
    if (!have_header_ && !header_unreadable_ && !reported_no_header_) {
      reported_no_header_ = true;
      error(n, "a suite starts with a header naming its policy, like: suite \"Section 26 moves\" for aps.s26",
            "no-suite");
    }
    Scenario s;
    s.pos = pos_of(n);
    s.policy = policy_;
    s.as_of = as_of_;
    s.facts = shared_;
    s.defines = shared_defines_;
    if (!shared_defines_.empty()) s.defines_pos = s.pos;
    bool dated = false;
    const Node* table = nullptr;
    const Node* error_node = nullptr;
    const Node* other_node = nullptr;
    for (const auto& c : n.children) {
      if (is<sg::scenario_name>(*c)) {
        s.name = text_value(*c);
        const auto [it, fresh] = names_.emplace(s.name, s.pos.line);
        if (!fresh) {
          error(*c, "another scenario in this file has this name, at line " + std::to_string(it->second),
                "duplicate-scenario");
        }
        if (s.name.empty()) error(*c, "a scenario needs a name", "empty-name");
      } else if (is<sg::scenario_policy>(*c)) {
        for (const auto& p : c->children) s.policy = p->string();
      } else if (is<sg::as_of>(*c)) {
        if (dated) error(*c, "this scenario's date is already set by an earlier 'as of'", "duplicate-as-of");
        dated = true;
        s.as_of = as_of(*c);
      } else if (is<sg::given_block>(*c)) {
        given(*c, s.facts, s.defines, &s.defines_pos);
      } else if (is<sg::e_output>(*c)) {
        other_node = other_node ? other_node : c.get();
        OutputExpectation e;
        e.output = c->children.at(0)->string();
        e.value = value(*c->children.at(1)).value;
        e.pos = pos_of(*c);
        e.value_begin = c->children.at(1)->m_begin.byte;
        e.value_end = c->children.at(1)->m_end.byte;
        s.outputs.push_back(std::move(e));
      } else if (is<sg::e_fired>(*c) || is<sg::e_not_fired>(*c)) {
        other_node = other_node ? other_node : c.get();
        for (const auto& r : c->children) {
          s.rules.push_back(RuleExpectation{r->string(), is<sg::e_fired>(*c), pos_of(*c)});
        }
      } else if (is<sg::e_version>(*c) || is<sg::e_hash>(*c)) {
        other_node = other_node ? other_node : c.get();
        const bool version = is<sg::e_version>(*c);
        auto& into = version ? s.version : s.hash;
        if (into) {
          error(*c, std::string("this scenario already expects a ") + (version ? "version" : "hash"), "duplicate-error");
          continue;
        }
        into = c->children.at(0)->string();
        (version ? s.version_pos : s.hash_pos) = pos_of(*c);
      } else if (is<sg::table_block>(*c)) {
        table = c.get();
      } else if (is<sg::e_all>(*c)) {
        other_node = other_node ? other_node : c.get();
        s.expect_all = pos_of(*c);
      } else if (is<sg::e_error>(*c)) {
        if (error_node) {
          error(*c, "a scenario expects one error; another 'error' is at line " +
                        std::to_string(pos_of(*error_node).line),
                "duplicate-error");
          continue;
        }
        error_node = c.get();
        ErrorExpectation e;
        e.pos = pos_of(*c);
        for (const auto& part : c->children) {
          if (is<sg::error_code>(*part)) {
            e.code = part->string();
          } else if (is<sg::e_error_at>(*part)) {
            e.paths.emplace();
            for (const auto& p : part->children) e.paths->push_back(p->string());
          } else if (is<sg::e_error_between>(*part)) {
            e.rules.emplace();
            for (const auto& r : part->children) e.rules->push_back(r->string());
          }
        }
        s.error = std::move(e);
      }
    }
    if (error_node && other_node) {
      const Node& later = pos_of(*error_node).byte > pos_of(*other_node).byte ? *error_node : *other_node;
      error(later, "a scenario that expects an error cannot also expect outputs or rules: the error means there is no decision",
            "error-and-decision");
    }
    if (s.policy.empty() && have_header_ && !header_unreadable_) {
      error(n, "this scenario names no policy", "no-policy");
    }
    if (table) {
      rows(*table, s, error_node != nullptr);
      return;
    }
    suite_.scenarios.push_back(std::move(s));
  }

  // A table: one scenario per row, named "NAME [row K]", each the scenario's
  // own givens and expectations plus the row's facts and expected outputs.
  void rows(const Node& table, const Scenario& base, bool expects_error) {
    const Node* header = nullptr;
    std::vector<const Node*> body;
    for (const auto& c : table.children) {
      if (is<sg::table_header>(*c) || is<sg::table_header_expected>(*c)) header = c.get();
      else if (is<sg::table_row>(*c)) body.push_back(c.get());
    }
    if (!header) return;
    bool expects_output = !base.outputs.empty() || !base.rules.empty() || base.expect_all || base.version || base.hash;
    std::map<std::string, std::size_t> columns;
    for (const auto& col : header->children) {
      const std::string name = (is<sg::column_output>(*col) ? "expect " : "") + col->string();
      if (is<sg::column_output>(*col)) expects_output = true;
      if (!columns.emplace(name, pos_of(*col).column).second) error(*col, "this column is already in the table", "duplicate-fact");
    }
    if (!expects_output && !expects_error) {
      error(table, "a table needs an 'expect OUTPUT' column, or an 'expect' block after it", "no-expectation");
    }
    if (body.empty()) error(table, "this table has no rows; write one row of values per case, like | ongoing | approved |", "empty-table");
    for (std::size_t k = 0; k < body.size(); ++k) {
      const Node& row = *body[k];
      if (row.children.size() != header->children.size()) {
        error(row, "this row has " + std::to_string(row.children.size()) + " value" +
                       (row.children.size() == 1 ? "" : "s") + " but the table has " +
                       std::to_string(header->children.size()) + " columns", "table-row");
        continue;
      }
      Scenario s = base;
      s.name = base.name + " [row " + std::to_string(k + 1) + "]";
      s.pos = pos_of(row);
      for (std::size_t j = 0; j < row.children.size(); ++j) {
        const Node& col = *header->children[j];
        const Node& cell = *row.children[j];
        ReadValue v = value(cell);
        if (is<sg::column_output>(col)) {
          OutputExpectation e;
          e.output = col.string();
          e.value = v.value;
          e.pos = pos_of(cell);
          e.value_begin = cell.m_begin.byte;
          e.value_end = cell.m_end.byte;
          s.outputs.push_back(std::move(e));
        } else {
          set_path(s.facts, col.string(), v);
        }
      }
      suite_.scenarios.push_back(std::move(s));
    }
  }

 private:
  Suite& suite_;
  const std::string& text_;
  std::size_t max_json_depth_;
  bool have_header_ = false;
  bool saw_scenario_ = false;
  bool reported_no_header_ = false;
  bool header_unreadable_ = false;
  std::size_t header_line_ = 0;
  std::string policy_;
  std::optional<Date> as_of_;
  json shared_ = json::object();
  json shared_defines_ = json::object();
  std::map<std::string, std::size_t> names_;
};

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

bool is_suite_file(const std::string& name) {
  return ends_with(name, ".scenarios") || ends_with(name, ".scenarios.json");
}

Suite parse_scenarios(std::string path, const std::string& src, const Limits& limits) {
  Suite suite;
  suite.path = path;
  if (src.size() > limits.max_rule_file_bytes) {
    Diagnostic d;
    d.code = "too-large";
    d.pos = SourcePos{path, 1, 1, 0};
    d.message = "this file is " + std::to_string(src.size()) + " bytes; suite files are limited to " +
                std::to_string(limits.max_rule_file_bytes) + " bytes";
    suite.diagnostics.push_back(std::move(d));
    return suite;
  }

  // A UTF-8 byte order mark, as some editors write, is not part of the text.
  const std::size_t start = src.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  const auto chunks = source::chunks(src, start, {"scenario", "suite"});

  Converter convert(suite, src, limits);
  for (std::size_t c = 0; c < chunks.size(); ++c) {
    const std::size_t begin = chunks[c].begin;
    const std::size_t end = c + 1 < chunks.size() ? chunks[c + 1].begin : src.size();
    pegtl::memory_input<> in(src.data() + begin, src.data() + end, path, begin, chunks[c].line, begin == start ? start + 1 : 1);
    try {
      std::size_t depth = 0;
      auto root = pegtl::parse_tree::parse<sg::chunk, Node, selector, value_depth,
                                           pegtl::must_if<sg::errors>::control>(in, depth, limits.max_json_depth);
      if (root) {
        for (const auto& item : root->children) {
          if (is<sg::suite_header>(*item)) convert.header(*item);
          else if (is<sg::scenario>(*item)) convert.scenario(*item);
        }
      }
    } catch (const pegtl::parse_error& e) {
      Diagnostic d = source::syntax_error(e, path);
      d.source_line = line_at(src, d.pos.byte);
      suite.diagnostics.push_back(std::move(d));
      // Any chunk that fails before a header was read may have held the header.
      if (c == 0 || src.compare(begin, 5, "suite") == 0 || !convert.has_header()) convert.header_unreadable();
    }
  }
  if (suite.scenarios.empty() && !has_errors(suite.diagnostics)) {
    Diagnostic d;
    d.code = "empty-suite";
    d.pos = SourcePos{path, 1, 1, 0};
    d.message = "this suite has no scenarios; a suite is 'suite \"TITLE\" for POLICY' and then 'scenario \"NAME\"' blocks";
    d.source_line = line_at(src, 0);
    suite.diagnostics.push_back(std::move(d));
  }
  return suite;
}

Suite load_suite(const std::string& path, const Limits& limits) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    Suite s;
    s.path = path;
    Diagnostic d;
    d.code = "unreadable";
    d.pos = SourcePos{path, 0, 0, 0};
    d.message = "cannot read this file";
    s.diagnostics.push_back(std::move(d));
    return s;
  }
  std::ostringstream text;
  text << f.rdbuf();
  if (ends_with(path, ".json")) return parse_json_suite(path, text.str(), limits);
  return parse_scenarios(path, text.str(), limits);
}

}  // namespace rulebook::scenario

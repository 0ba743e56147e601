// Walks the facts object alongside the policy's fact tree (Program::fact_tree),
// converting each leaf by its declared type and collecting every problem.
#include <algorithm>

#include <charconv>

#include "check/checker.hpp"
#include "facts/json_reader.hpp"
#include "facts/json_writer.hpp"
#include "rulebook/facts.hpp"

namespace rulebook {

using nlohmann::json;

std::optional<Duration> parse_iso_duration(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') return std::nullopt;
  Duration d;
  int64_t months = 0, days = 0;
  std::size_t k = 1;
  while (k < s.size()) {
    int64_t n = 0;
    std::size_t digits = 0;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9' && digits < 7) {
      n = n * 10 + (s[k++] - '0');
      ++digits;
    }
    if (digits == 0 || k >= s.size()) return std::nullopt;
    switch (s[k++]) {
      case 'Y': months += 12 * n; break;
      case 'M': months += n; break;
      case 'W': days += 7 * n; break;
      case 'D': days += n; break;
      default: return std::nullopt;
    }
  }
  if (months > 1'000'000 || days > 10'000'000) return std::nullopt;
  d.months = static_cast<int32_t>(months);
  d.days = static_cast<int32_t>(days);
  return d;
}

namespace {

const char* json_kind(const JsonValue& j) {
  switch (j.type) {
    case JsonValue::Type::null: return "null";
    case JsonValue::Type::object: return "an object";
    case JsonValue::Type::array: return "a list";
    case JsonValue::Type::string: return "text";
    case JsonValue::Type::boolean: return "true/false";
    case JsonValue::Type::number: return j.is_integer ? "a whole number" : "a decimal number";
  }
  return "something else";
}

// A JSON value as it was written, for messages (shortened, valid UTF-8).
std::string shown(const JsonDocument& doc, const JsonValue& j) {
  std::string raw;
  if (j.is_string()) {
    append_json_string(raw, j.text.size() > 40 ? std::string(j.text.substr(0, 40)) + "..." : std::string(j.text));
  } else if (j.is_number()) {
    raw = std::string(j.text.substr(0, 40));
  } else {
    doc.write(j, raw);
    if (raw.size() > 40) raw = raw.substr(0, 40) + "...";
  }
  return raw;
}

// Where a value sits in the request ("move.kind", "agreements[2]"). Built as
// a chain on the stack while walking and turned into text only for a problem:
// a valid request never allocates a path.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;                          // an object member, or
  std::size_t index = std::string_view::npos;  // an array element
  std::string text() const {
    std::string out = parent ? parent->text() : std::string();
    if (index != std::string_view::npos) return out + "[" + std::to_string(index) + "]";
    return out.empty() ? std::string(key) : out + "." + std::string(key);
  }
};

class Reader {
 public:
  Reader(const Program& p, const JsonDocument& doc, const Limits& limits, Facts& out)
      : p_(p), doc_(doc), limits_(limits), out_(out) {}

  void object(const JsonValue& j, uint32_t tree_node, const Path* parent) {
    for (const JsonValue& value : doc_.children(j)) {
      const std::string_view key = value.key;
      const Path here{parent, key};
      uint32_t child = kNone;
      for (uint32_t c : p_.fact_tree[tree_node].children) {
        if (p_.fact_tree[c].key == key) child = c;
      }
      if (child == kNone) {
        const std::string path = here.text(), prefix = parent ? parent->text() : std::string();
        std::vector<std::string> known;
        for (uint32_t c : p_.fact_tree[tree_node].children) {
          known.push_back(prefix.empty() ? p_.fact_tree[c].key : prefix + "." + p_.fact_tree[c].key);
        }
        const std::string hint = did_you_mean(path, known);
        problem(path, "unknown fact: policy " + p_.header.id + " declares no fact '" + path + "'" +
                          (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        continue;
      }
      const FactTreeNode& node = p_.fact_tree[child];
      if (node.fact != kNone) {
        if (set_[node.fact]) {
          problem(here, "duplicate key: this fact is given twice");
          continue;
        }
        leaf(value, node.fact, here);
      } else if (value.is_object()) {
        object(value, child, &here);
      } else if (!value.is_null()) {
        problem(here, "expected an object holding " + here.text() + ".*, not " + json_kind(value));
      }
    }
  }

  void finish() {
    for (uint32_t f = 0; f < p_.facts.size(); ++f) {
      if (set_[f]) continue;
      const FieldInfo& info = p_.facts[f];
      if (info.default_value) {
        out_.values[f] = *info.default_value;
      } else if (!info.optional) {
        problem(info.name, "required fact is missing");
      }
    }
  }

  void start() {
    out_.values.assign(p_.facts.size(), Value());
    out_.arena.clear();
    out_.texts.clear();
    set_.assign(p_.facts.size(), false);
  }

  std::vector<FactProblem> problems;

 private:
  void problem(std::string path, std::string what) {
    if (problems.size() < 1000) problems.push_back(FactProblem{std::move(path), std::move(what)});
  }
  void problem(const Path& path, std::string what) { problem(path.text(), std::move(what)); }

  void leaf(const JsonValue& value, uint32_t fact, const Path& path) {
    if (value.is_null()) return;  // null is absent: the default applies
    if (++leaves_ > limits_.max_facts) {
      if (leaves_ == limits_.max_facts + 1) {
        problem(path, "more than " + std::to_string(limits_.max_facts) + " fact values in one request");
      }
      return;
    }
    Value v;
    if (convert(value, p_.facts[fact].type, path, v)) {
      out_.values[fact] = v;
      set_[fact] = true;
    } else {
      set_[fact] = true;  // reported already; not "missing" too
    }
  }

  bool convert(const JsonValue& j, TypeId type, const Path& path, Value& v) {
    const TypeInfo& t = p_.types[type];
    switch (t.kind) {
      case TypeKind::boolean:
        if (!j.is_boolean()) return wrong(path, "true or false", j);
        v = Value::boolean(j.boolean);
        return true;
      case TypeKind::integer: {
        int64_t i = 0;
        if (!j.is_number() || !j.is_integer) return wrong(path, "a whole number", j);
        const auto r = std::from_chars(j.text.data(), j.text.data() + j.text.size(), i);
        if (r.ec != std::errc() || r.ptr != j.text.data() + j.text.size()) {
          problem(path, "number out of range: " + shown(doc_, j) + " is not between -9223372036854775808 and 9223372036854775807");
          return false;
        }
        v = Value::integer(i);
        return true;
      }
      case TypeKind::decimal: {
        if (!j.is_number() && !j.is_string()) return wrong(path, "a decimal number such as 1234.50", j);
        auto d = parse_decimal(j.text);  // the digits as written: exact, never through a double
        if (!d) {
          problem(path, "not a decimal this policy can hold exactly (at most 18 digits after the point, no exponent, "
                        "and under 9 trillion): " + shown(doc_, j));
          return false;
        }
        v = Value::decimal(*d);
        return true;
      }
      case TypeKind::text: {
        if (!j.is_string()) return wrong(path, "text", j);
        if (j.text.size() > limits_.max_string_bytes) {
          problem(path, "text of " + std::to_string(j.text.size()) + " bytes; the limit is " +
                            std::to_string(limits_.max_string_bytes));
          return false;
        }
        out_.texts.emplace_back(j.text);
        v = Value::of_text(out_.texts.back());
        return true;
      }
      case TypeKind::date: {
        if (!j.is_string()) return wrong(path, "a date as \"YYYY-MM-DD\"", j);
        auto d = parse_iso_date(j.text);
        if (!d) {
          problem(path, describe_bad_date(doc_, j));
          return false;
        }
        v = Value::of_date(*d);
        return true;
      }
      case TypeKind::duration: {
        if (!j.is_string()) return wrong(path, "a duration such as \"P4W\" or \"P1M\"", j);
        auto d = parse_iso_duration(j.text);
        if (!d) return wrong(path, "a duration such as \"P4W\" or \"P1M\"", j);
        v = Value::duration(*d);
        return true;
      }
      case TypeKind::enumeration: {
        if (!j.is_string()) return wrong(path, "one of " + members(t), j);
        auto it = std::find(t.members.begin(), t.members.end(), j.text);
        if (it == t.members.end()) {
          const std::string hint = did_you_mean(std::string(j.text), t.members);
          problem(path, "value not allowed: " + shown(doc_, j) + " is not one of " + members(t) +
                            (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
          return false;
        }
        v = Value::enumeration(static_cast<uint32_t>(it - t.members.begin()));
        return true;
      }
      case TypeKind::list: {
        if (!j.is_array()) return wrong(path, "a list", j);
        if (j.child_count > limits_.max_list_length) {
          problem(path, "a list of " + std::to_string(j.child_count) + " items; the limit is " +
                            std::to_string(limits_.max_list_length));
          return false;
        }
        if (!count_items(path, j.child_count)) return false;
        std::vector<Value> items;
        items.reserve(j.child_count);
        bool ok = true;
        std::size_t k = 0;
        for (const JsonValue& item : doc_.children(j)) {
          Value x;
          const Path element{&path, {}, k++};
          ok &= convert(item, t.element, element, x);
          items.push_back(x);
        }
        if (!ok) return false;
        v = Value::list_of(static_cast<uint32_t>(out_.arena.size()), static_cast<uint32_t>(items.size()));
        out_.arena.insert(out_.arena.end(), items.begin(), items.end());
        return true;
      }
      case TypeKind::record: return record(j, t, path, v);
    }
    return false;
  }

  // A record: an object with the record's fields. Every problem is reported,
  // each at its own path: a missing field, a wrong one, an unknown one.
  bool record(const JsonValue& j, const TypeInfo& t, const Path& path, Value& v) {
    if (!j.is_object()) return wrong(path, "an object (a " + t.name + ")", j);
    if (!count_items(path, 1)) return false;
    std::vector<Value> fields(t.fields.size());
    std::vector<bool> seen(t.fields.size(), false);
    bool ok = true;
    for (const JsonValue& value : doc_.children(j)) {
      const Path here{&path, value.key};
      const int index = t.field_index(value.key);
      if (index < 0) {
        std::vector<std::string> known;
        for (const auto& f : t.fields) known.push_back(f.name);
        const std::string hint = did_you_mean(std::string(value.key), known);
        problem(here, "unknown field: a " + t.name + " has no field '" + std::string(value.key) + "'" +
                          (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
        ok = false;
        continue;
      }
      const auto k = static_cast<std::size_t>(index);
      if (seen[k]) {
        problem(here, "duplicate key: this field is given twice");
        ok = false;
        continue;
      }
      seen[k] = true;
      if (value.is_null()) {  // null is absent: the default applies
        seen[k] = false;
        continue;
      }
      if (++leaves_ > limits_.max_facts) {
        if (leaves_ == limits_.max_facts + 1) {
          problem(here, "more than " + std::to_string(limits_.max_facts) + " fact values in one request");
        }
        ok = false;
        continue;
      }
      ok &= convert(value, t.fields[k].type, here, fields[k]);
    }
    for (std::size_t k = 0; k < t.fields.size(); ++k) {
      if (seen[k]) continue;
      const FieldInfo& f = t.fields[k];
      if (f.default_value) {
        fields[k] = *f.default_value;
      } else if (!f.optional) {
        problem(Path{&path, f.name}, "required field is missing");
        ok = false;
      }
    }
    if (!ok) return false;
    v = Value::record_of(static_cast<uint32_t>(out_.arena.size()), static_cast<uint32_t>(fields.size()));
    out_.arena.insert(out_.arena.end(), fields.begin(), fields.end());
    return true;
  }

  // List items and records count against one limit per request.
  bool count_items(const Path& path, std::size_t n) {
    items_ += n;
    if (items_ <= limits_.max_items) return true;
    if (!items_reported_) {
      problem(path, "more than " + std::to_string(limits_.max_items) +
                        " list items and records in one request; the limit is " + std::to_string(limits_.max_items));
      items_reported_ = true;
    }
    return false;
  }

  static std::string members(const TypeInfo& t) {
    std::string out;
    for (std::size_t k = 0; k < t.members.size(); ++k) out += (k ? ", \"" : "\"") + t.members[k] + "\"";
    return out;
  }

  bool wrong(const Path& path, const std::string& expected, const JsonValue& j) {
    problem(path, "wrong type: expected " + expected + ", got " + json_kind(j));
    return false;
  }

  static std::string describe_bad_date(const JsonDocument& doc, const JsonValue& j) {
    const std::string s(j.text);
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
      int y = 0, m = 0, d = 0;
      if (std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3) {
        if (m < 1 || m > 12) return "impossible date: \"" + s + "\" has no month " + std::to_string(m);
        if (y >= 1) {
          return "impossible date: \"" + s + "\" does not exist (that month has " +
                 std::to_string(days_in_month(y, static_cast<unsigned>(m))) + " days)";
        }
      }
    }
    return "not a date: expected \"YYYY-MM-DD\", got " + shown(doc, j);
  }

  const Program& p_;
  const JsonDocument& doc_;
  const Limits& limits_;
  Facts& out_;
  std::vector<bool> set_;
  std::size_t leaves_ = 0;
  std::size_t items_ = 0;
  bool items_reported_ = false;
};

}  // namespace

std::vector<FactProblem> read_facts(const Program& program, const JsonDocument& doc, const JsonValue& facts,
                                    const Limits& limits, Facts& out) {
  Reader r(program, doc, limits, out);
  r.start();
  r.object(facts, 0, nullptr);
  r.finish();
  return std::move(r.problems);
}

std::vector<FactProblem> read_facts(const Program& program, const json& facts, const Limits& limits, Facts& out) {
  // One implementation: the DOM is written out and read the way requests are.
  JsonDocument doc;
  if (!doc.parse(facts.dump(-1, ' ', false, json::error_handler_t::replace), limits.max_json_depth + 1) ||
      !doc.root().is_object()) {
    return {FactProblem{"", doc.ok() ? "the facts must be an object" : doc.error_message}};
  }
  return read_facts(program, doc, doc.root(), limits, out);
}

// ---- require (issue 14, law-require) ----
FactProblem require_problem(const Program& program, uint32_t k) {
  const RequireInfo& req = program.requirements[k];
  FactProblem pr;
  for (SlotId f : req.facts) pr.paths.push_back(program.facts[f].name);
  if (!pr.paths.empty()) pr.path = pr.paths.front();
  pr.problem = req.message;
  pr.require = k;
  return pr;
}

void add_require_problems(const Program& program, const Facts& facts, std::vector<FactProblem>& problems) {
  if (program.requirements.empty()) return;
  // A fact is usable when no problem is at its path or below it (`x.items[2]`, `x.y` of a record).
  std::vector<bool> usable(program.facts.size(), true);
  for (const FactProblem& pr : problems) {
    for (uint32_t f = 0; f < program.facts.size(); ++f) {
      const std::string& name = program.facts[f].name;
      if (pr.path.size() >= name.size() && pr.path.compare(0, name.size(), name) == 0 &&
          (pr.path.size() == name.size() || pr.path[name.size()] == '.' || pr.path[name.size()] == '[')) {
        usable[f] = false;
      }
    }
  }
  for (uint32_t k : broken_requirements(program, facts, &usable)) problems.push_back(require_problem(program, k));
}

}  // namespace rulebook

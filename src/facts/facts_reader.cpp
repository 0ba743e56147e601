// Walks the facts object alongside the policy's fact tree (Program::fact_tree),
// converting each leaf by its declared type and collecting every problem.
#include <algorithm>

#include "check/checker.hpp"
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

const char* json_kind(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "a list";
    case json::value_t::string: return "text";
    case json::value_t::boolean: return "true/false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "a whole number";
    case json::value_t::number_float: return "a decimal number";
    default: return "something else";
  }
}

class Reader {
 public:
  Reader(const Program& p, const Limits& limits, Facts& out) : p_(p), limits_(limits), out_(out) {}

  void object(const json& j, uint32_t tree_node, const std::string& prefix) {
    for (const auto& [key, value] : j.items()) {
      const std::string path = prefix.empty() ? key : prefix + "." + key;
      uint32_t child = kNone;
      for (uint32_t c : p_.fact_tree[tree_node].children) {
        if (p_.fact_tree[c].key == key) child = c;
      }
      if (child == kNone) {
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
        leaf(value, node.fact, path);
      } else if (value.is_object()) {
        object(value, child, path);
      } else if (!value.is_null()) {
        problem(path, std::string("expected an object holding ") + path + ".*, not " + json_kind(value));
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

  void leaf(const json& value, uint32_t fact, const std::string& path) {
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

  bool convert(const json& j, TypeId type, const std::string& path, Value& v) {
    const TypeInfo& t = p_.types[type];
    switch (t.kind) {
      case TypeKind::boolean:
        if (!j.is_boolean()) return wrong(path, "true or false", j);
        v = Value::boolean(j.get<bool>());
        return true;
      case TypeKind::integer:
        if (j.is_number_integer() && !(j.is_number_unsigned() && j.get<uint64_t>() > INT64_MAX)) {
          v = Value::integer(j.get<int64_t>());
          return true;
        }
        return wrong(path, "a whole number", j);
      case TypeKind::decimal: {
        std::optional<Decimal> d;
        if (j.is_number_integer()) {
          if (!(j.is_number_unsigned() && j.get<uint64_t>() > INT64_MAX)) d = decimal_from_int(j.get<int64_t>());
        } else if (j.is_number_float()) {
          d = parse_decimal(j.dump());
        } else if (j.is_string()) {
          d = parse_decimal(j.get_ref<const std::string&>());
        } else {
          return wrong(path, "a decimal number such as 1234.50", j);
        }
        if (!d) {
          problem(path, "not a decimal this policy can hold exactly (at most 6 digits after the point, and under 9 trillion): " +
                            j.dump(-1, ' ', false, json::error_handler_t::replace));
          return false;
        }
        v = Value::decimal(*d);
        return true;
      }
      case TypeKind::text: {
        if (!j.is_string()) return wrong(path, "text", j);
        const auto& s = j.get_ref<const std::string&>();
        if (s.size() > limits_.max_string_bytes) {
          problem(path, "text of " + std::to_string(s.size()) + " bytes; the limit is " +
                            std::to_string(limits_.max_string_bytes));
          return false;
        }
        out_.texts.push_back(s);
        v = Value::of_text(out_.texts.back());
        return true;
      }
      case TypeKind::date: {
        if (!j.is_string()) return wrong(path, "a date as \"YYYY-MM-DD\"", j);
        const auto& s = j.get_ref<const std::string&>();
        auto d = parse_iso_date(s);
        if (!d) {
          problem(path, describe_bad_date(s));
          return false;
        }
        v = Value::of_date(*d);
        return true;
      }
      case TypeKind::duration: {
        if (!j.is_string()) return wrong(path, "a duration such as \"P4W\" or \"P1M\"", j);
        auto d = parse_iso_duration(j.get_ref<const std::string&>());
        if (!d) return wrong(path, "a duration such as \"P4W\" or \"P1M\"", j);
        v = Value::duration(*d);
        return true;
      }
      case TypeKind::enumeration: {
        if (!j.is_string()) return wrong(path, "one of " + members(t), j);
        const auto& s = j.get_ref<const std::string&>();
        auto it = std::find(t.members.begin(), t.members.end(), s);
        if (it == t.members.end()) {
          const std::string hint = did_you_mean(s, t.members);
          problem(path, "value not allowed: " + j.dump(-1, ' ', false, json::error_handler_t::replace) +
                            " is not one of " + members(t) + (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
          return false;
        }
        v = Value::enumeration(static_cast<uint32_t>(it - t.members.begin()));
        return true;
      }
      case TypeKind::list: {
        if (!j.is_array()) return wrong(path, "a list", j);
        if (j.size() > limits_.max_list_length) {
          problem(path, "a list of " + std::to_string(j.size()) + " items; the limit is " +
                            std::to_string(limits_.max_list_length));
          return false;
        }
        std::vector<Value> items;
        bool ok = true;
        for (std::size_t k = 0; k < j.size(); ++k) {
          Value item;
          ok &= convert(j[k], t.element, path + "[" + std::to_string(k) + "]", item);
          items.push_back(item);
        }
        if (!ok) return false;
        v = Value::list_of(static_cast<uint32_t>(out_.arena.size()), static_cast<uint32_t>(items.size()));
        out_.arena.insert(out_.arena.end(), items.begin(), items.end());
        return true;
      }
    }
    return false;
  }

  static std::string members(const TypeInfo& t) {
    std::string out;
    for (std::size_t k = 0; k < t.members.size(); ++k) out += (k ? ", \"" : "\"") + t.members[k] + "\"";
    return out;
  }

  bool wrong(const std::string& path, const std::string& expected, const json& j) {
    problem(path, "wrong type: expected " + expected + ", got " + json_kind(j));
    return false;
  }

  static std::string describe_bad_date(const std::string& s) {
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
    std::string shown = s.size() > 40 ? s.substr(0, 40) + "..." : s;
    std::string safe;
    append_safe(safe, shown);
    return "not a date: expected \"YYYY-MM-DD\", got \"" + safe + "\"";
  }

  static void append_safe(std::string& out, const std::string& s) {
    out = json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    out = out.substr(1, out.size() - 2);
  }

  const Program& p_;
  const Limits& limits_;
  Facts& out_;
  std::vector<bool> set_;
  std::size_t leaves_ = 0;
};

}  // namespace

std::vector<FactProblem> read_facts(const Program& program, const json& facts, const Limits& limits, Facts& out) {
  Reader r(program, limits, out);
  r.start();
  r.object(facts, 0, "");
  r.finish();
  return std::move(r.problems);
}

}  // namespace rulebook

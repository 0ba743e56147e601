// The checker. Reads like a list of the language's static rules:
//  - every name is declared once and used with its type;
//  - an optional value without a default is read only under a presence guard
//    (`x is given`), so an absent value is never silently false;
//  - exceptions name existing rules and form no cycle;
//  - defines and outputs do not depend on themselves.
#include "check/checker.hpp"

#include "check/specialize.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <unordered_map>

namespace rulebook {

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  auto distance = [](const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, name.size() / 3) + 1;
  for (const auto& c : candidates) {
    if (c.size() > name.size() + best_distance || name.size() > c.size() + best_distance) continue;
    const std::size_t d = distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

namespace {

using Guards = std::vector<SlotId>;  // slots known to be present here

struct Checked {
  NodeId node = kNone;
  TypeId type = kNone;
  Guards when_true, when_false;  // presence known when the expression is true / false
  bool ok() const { return node != kNone; }
};

class Checker {
 public:
  Checker(const Limits& limits) : limits_(limits) {
    p_ = std::make_unique<Program>();
    const char* names[] = {"yes/no", "number", "decimal", "text", "date", "duration"};
    const TypeKind kinds[] = {TypeKind::boolean, TypeKind::integer, TypeKind::decimal,
                              TypeKind::text,    TypeKind::date,    TypeKind::duration};
    for (int k = 0; k < 6; ++k) p_->types.push_back(TypeInfo{kinds[k], names[k], {}, false, kNone});
  }

  CheckResult run_policy(const ast::File& policy, const std::vector<const ast::File*>& modules) {
    for (const auto* m : modules) texts_[m->path] = &m->text;
    texts_[policy.path] = &policy.text;
    policy_path_ = policy.path;
    header(policy);
    for (const auto* m : modules) module_rules(*m);
    std::vector<const ast::File*> all = modules;
    all.push_back(&policy);
    declare(all);
    if (!has_errors(diags_)) compile(all);
    CheckResult r;
    r.diagnostics = std::move(diags_);
    if (!has_errors(r.diagnostics)) r.program = std::move(p_);
    return r;
  }

  std::vector<Diagnostic> run_module(const ast::File& module, const std::vector<const ast::File*>& modules) {
    for (const auto* m : modules) texts_[m->path] = &m->text;
    texts_[module.path] = &module.text;
    std::vector<const ast::File*> all = modules;
    all.push_back(&module);
    for (const auto* m : all) module_rules(*m);
    declare(all);
    if (!has_errors(diags_)) compile(all);
    return std::move(diags_);
  }

 private:
  // ---- diagnostics ---------------------------------------------------------

  void report(Severity sev, const char* code, const SourcePos& pos, std::string message) {
    // At most max_diagnostics are kept, then one more counts the rest (an
    // error if any of them is): a mangled file cannot flood the report, or
    // memory with copies of its longest line.
    if (quiet()) {
      if (diags_.size() == limits_.max_diagnostics) {
        Diagnostic more;
        more.severity = Severity::warning;
        more.code = "too-many-diagnostics";
        more.pos = SourcePos{pos.file, 0, 0, 0};
        diags_.push_back(std::move(more));
      }
      Diagnostic& more = diags_.back();
      if (sev == Severity::error) more.severity = Severity::error;
      more.message = std::to_string(++dropped_) + " more problems are not listed; fix the ones above first";
      return;
    }
    Diagnostic d;
    d.severity = sev;
    d.code = code;
    d.pos = pos;
    d.message = std::move(message);
    auto it = texts_.find(pos.file);
    if (it != texts_.end() && pos.line > 0) d.source_line = line_at(*it->second, pos.byte);
    diags_.push_back(std::move(d));
  }
  void error(const char* code, const SourcePos& pos, std::string message) {
    report(Severity::error, code, pos, std::move(message));
  }
  void warning(const char* code, const SourcePos& pos, std::string message) {
    report(Severity::warning, code, pos, std::move(message));
  }
  bool quiet() const { return diags_.size() >= limits_.max_diagnostics; }
  std::string suggestion(const std::string& name, const std::vector<std::string>& candidates) const {
    if (quiet()) return "";  // not shown anyway
    const std::string s = did_you_mean(name, candidates);
    return s.empty() ? "" : "; did you mean '" + s + "'?";
  }

  // ---- header and file shape -------------------------------------------------

  void header(const ast::File& f) {
    const auto& h = *f.header;
    auto& out = p_->header;
    out.id = h.id;
    out.title = h.title;
    out.source = h.source;
    out.pos = h.pos;
    if (!h.version) {
      error("missing-version", h.pos, "policy " + h.id + " has no 'version' line; add one, like 'version 2022'");
    } else {
      out.version = *h.version;
    }
    if (!h.in_force_from) {
      error("missing-in-force", h.pos,
            "policy " + h.id + " has no 'in force from <date>' line; every version says when it starts");
    } else {
      out.in_force_from = *h.in_force_from;
      out.in_force_until = h.in_force_until;
      if (h.in_force_until && *h.in_force_until < *h.in_force_from) {
        error("inverted-range", h.in_force_pos,
              "this version ends (" + format_iso_date(*h.in_force_until) + ") before it starts (" +
                  format_iso_date(*h.in_force_from) + ")");
      }
    }
  }

  void module_rules(const ast::File& m) {
    if (!m.header || !m.header->is_module) return;
    const auto& h = *m.header;
    if (h.version || h.in_force_from) {
      error("module-version", h.version ? h.version_pos : h.in_force_pos,
            "a module has no version or dates of its own; it is in force with the policy that uses it");
    }
    for (const auto& o : m.outputs) {
      error("module-output", o.pos, "outputs belong in a policy, not in module " + h.id);
    }
    for (const auto& r : m.rules) {
      error("module-rule", r.pos, "rules belong in a policy, not in module " + h.id);
    }
  }

  // ---- types ---------------------------------------------------------------

  TypeId intern_enum(std::vector<std::string> members, bool ordered, const std::string& name) {
    auto key = std::make_pair(members, ordered);
    auto it = enum_ids_.find(key);
    if (it != enum_ids_.end()) return it->second;
    TypeInfo t;
    t.kind = TypeKind::enumeration;
    t.members = std::move(members);
    t.ordered = ordered;
    t.name = name;
    if (t.name.empty()) {
      t.name = "one of ";
      for (std::size_t k = 0; k < t.members.size(); ++k) {
        if (k) t.name += ordered ? " < " : ", ";
        t.name += t.members[k];
      }
    }
    p_->types.push_back(std::move(t));
    const TypeId id = static_cast<TypeId>(p_->types.size() - 1);
    enum_ids_.emplace(std::move(key), id);
    return id;
  }

  TypeId intern_list(TypeId element) {
    auto it = list_ids_.find(element);
    if (it != list_ids_.end()) return it->second;
    TypeInfo t;
    t.kind = TypeKind::list;
    t.element = element;
    t.name = "list of " + p_->types[element].name;
    p_->types.push_back(std::move(t));
    const TypeId id = static_cast<TypeId>(p_->types.size() - 1);
    list_ids_.emplace(element, id);
    return id;
  }

  TypeId resolve_type(const ast::TypeSpec& t, const std::string& name_for_enum = "") {
    using K = ast::TypeSpec::Kind;
    switch (t.kind) {
      case K::yes_no: return types::boolean;
      case K::number: return types::integer;
      case K::decimal: return types::decimal;
      case K::text: return types::text;
      case K::date: return types::date;
      case K::duration: return types::duration;
      case K::list: {
        const TypeId e = resolve_type(*t.element);
        return e == kNone ? kNone : intern_list(e);
      }
      case K::one_of: {
        std::set<std::string> seen;
        for (const auto& m : t.members) {
          if (!seen.insert(m).second) error("duplicate-value", t.pos, "'" + m + "' is listed twice");
        }
        return intern_enum(t.members, t.ordered, name_for_enum);
      }
      case K::named: {
        auto it = named_types_.find(t.name);
        if (it != named_types_.end()) return it->second;
        std::vector<std::string> known{"yes/no", "number", "decimal", "money", "text", "date", "duration"};
        for (const auto& [n, _] : named_types_) known.push_back(n);
        error("unknown-type", t.pos, "there is no type called '" + t.name + "'" + suggestion(t.name, known));
        return kNone;
      }
    }
    return kNone;
  }

  bool is_finite(TypeId t) const {
    return t != kNone && (p_->types[t].kind == TypeKind::boolean || p_->types[t].kind == TypeKind::enumeration);
  }

  // ---- declarations ----------------------------------------------------------

  void declare_name(const std::string& name, const SourcePos& pos, SlotId slot) {
    auto [it, inserted] = names_.emplace(name, slot);
    if (!inserted) {
      const auto& first = slot_pos(it->second);
      error("duplicate-name", pos,
            "'" + name + "' is already declared at " + first.file + ":" + std::to_string(first.line));
    }
  }

  const SourcePos& slot_pos(SlotId s) const {
    if (s < p_->facts.size()) return p_->facts[s].pos;
    s -= static_cast<SlotId>(p_->facts.size());
    if (s < p_->defines.size()) return p_->defines[s].pos;
    return p_->outputs[s - p_->defines.size()].pos;
  }

  void declare(const std::vector<const ast::File*>& files) {
    for (const auto* f : files) {
      for (const auto& t : f->types) {
        const TypeId id = resolve_type(t.type, t.name);
        if (id == kNone) continue;
        if (!named_types_.emplace(t.name, id).second) {
          error("duplicate-type", t.pos, "type '" + t.name + "' is declared twice");
        }
      }
    }
    // Facts, then defines, then outputs get slots in that order (see Program).
    for (const auto* f : files) {
      for (const auto& d : f->facts) {
        FieldInfo info = field(d, /*is_output=*/false);
        info.slot = static_cast<SlotId>(p_->facts.size());
        p_->facts.push_back(std::move(info));
      }
    }
    for (const auto* f : files) {
      for (const auto& d : f->defines) {
        DefineInfo info;
        info.name = d.name;
        info.pos = d.pos;
        p_->defines.push_back(std::move(info));
        define_asts_.push_back(&d);
      }
    }
    for (const auto* f : files) {
      for (const auto& d : f->outputs) p_->outputs.push_back(field(d, /*is_output=*/true));
    }
    const auto nf = p_->facts.size(), nd = p_->defines.size();
    for (std::size_t k = 0; k < nd; ++k) p_->defines[k].slot = static_cast<SlotId>(nf + k);
    for (std::size_t k = 0; k < p_->outputs.size(); ++k) p_->outputs[k].slot = static_cast<SlotId>(nf + nd + k);
    for (const auto& f : p_->facts) declare_name(f.name, f.pos, f.slot);
    for (const auto& d : p_->defines) declare_name(d.name, d.pos, d.slot);
    for (const auto& o : p_->outputs) declare_name(o.name, o.pos, o.slot);
    build_fact_tree();

    for (const auto* f : files) {
      for (const auto& r : f->rules) {
        if (rule_ids_.count(r.name)) {
          error("duplicate-rule", r.pos, "there is already a rule called " + r.name);
          continue;
        }
        rule_ids_[r.name] = static_cast<uint32_t>(rule_asts_.size());
        rule_asts_.push_back(&r);
      }
    }
    if (rule_asts_.size() > limits_.max_rules_per_policy) {
      error("too-many-rules", p_->header.pos,
            "this policy has " + std::to_string(rule_asts_.size()) + " rules; the limit is " +
                std::to_string(limits_.max_rules_per_policy));
    }
  }

  FieldInfo field(const ast::FieldDecl& d, bool is_output) {
    FieldInfo info;
    info.name = d.name;
    info.pos = d.pos;
    info.description = d.description;
    info.type = resolve_type(d.type);
    if (is_output && d.name.find('.') != std::string::npos) {
      error("dotted-output", d.pos, "output names are single words, like date_of_effect; '" + d.name + "' has a dot");
    }
    if (d.default_value && info.type != kNone) {
      if (d.optional) {
        error("optional-with-default", d.pos,
              "'" + d.name + "' has a default, so it is never missing: drop 'optional'");
      }
      Guards none;
      Checked c = coerce(check(*d.default_value, info.type, none), info.type, *d.default_value);
      if (c.ok()) {
        const Node& n = p_->nodes[c.node];
        if (n.op == Op::constant) {
          info.default_value = n.constant;
        } else if (n.op == Op::list && n.kid_count == 0) {
          info.default_value = Value::list_of(0, 0);
        } else {
          error("default-not-constant", d.default_value->pos,
                "a default must be a plain value, like no, 0, met or []");
        }
      }
    }
    info.optional = d.optional && !info.default_value;
    return info;
  }

  void build_fact_tree() {
    p_->fact_tree.push_back(FactTreeNode{});
    for (uint32_t f = 0; f < p_->facts.size(); ++f) {
      const std::string& path = p_->facts[f].name;
      // A request sends `a.b.c` as {"facts": {"a": {"b": {"c": ...}}}}: a fact
      // deeper than the JSON nesting limit could never be sent (and the facts
      // schema, built recursively, stays shallow).
      const std::size_t parts = static_cast<std::size_t>(std::count(path.begin(), path.end(), '.')) + 1;
      if (parts + 2 > limits_.max_json_depth) {
        error("fact-too-deep", p_->facts[f].pos,
              "this fact's name has " + std::to_string(parts) + " parts; a request could not send it within the " +
                  std::to_string(limits_.max_json_depth) + " levels of JSON nesting allowed, so at most " +
                  std::to_string(limits_.max_json_depth > 2 ? limits_.max_json_depth - 2 : 0) + " parts");
        continue;
      }
      uint32_t at = 0;
      std::size_t start = 0;
      bool clash = false;
      while (!clash) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        const bool leaf = dot == std::string::npos;
        uint32_t next = kNone;
        for (uint32_t c : p_->fact_tree[at].children) {
          if (p_->fact_tree[c].key == key) next = c;
        }
        if (next == kNone) {
          next = static_cast<uint32_t>(p_->fact_tree.size());
          p_->fact_tree.push_back(FactTreeNode{key, leaf ? f : kNone, {}});
          p_->fact_tree[at].children.push_back(next);
        } else if (leaf || p_->fact_tree[next].fact != kNone) {
          // Duplicates are reported by declare_name; here only a value that is also a group.
          if (!(leaf && p_->fact_tree[next].fact != kNone)) {
            error("fact-path-clash", p_->facts[f].pos,
                  "fact '" + path + "' and another fact both use '" + path.substr(0, dot) +
                      "': in JSON it cannot be both a value and an object");
          }
          clash = true;
        }
        if (leaf) break;
        at = next;
        start = dot + 1;
      }
    }
  }

  // ---- expressions ---------------------------------------------------------

  NodeId add(Node n, std::initializer_list<NodeId> kids = {}) {
    n.kids = static_cast<uint32_t>(p_->kids.size());
    n.kid_count = static_cast<uint32_t>(kids.size());
    for (NodeId k : kids) p_->kids.push_back(k);
    p_->nodes.push_back(n);
    return static_cast<NodeId>(p_->nodes.size() - 1);
  }
  NodeId add_n(Node n, const std::vector<NodeId>& kids) {
    n.kids = static_cast<uint32_t>(p_->kids.size());
    n.kid_count = static_cast<uint32_t>(kids.size());
    p_->kids.insert(p_->kids.end(), kids.begin(), kids.end());
    p_->nodes.push_back(n);
    return static_cast<NodeId>(p_->nodes.size() - 1);
  }
  Checked constant(Value v, TypeId type) {
    Node n;
    n.op = Op::constant;
    n.type = type;
    n.constant = v;
    return Checked{add(n), type, {}, {}};
  }

  const std::string& tname(TypeId t) const {
    static const std::string unknown = "unknown";
    return t == kNone ? unknown : p_->types[t].name;
  }

  // Converts a whole number to a decimal where a decimal is wanted; otherwise
  // the types must match exactly.
  Checked coerce(Checked c, TypeId want, const ast::Expr& e) {
    if (!c.ok() || want == kNone || c.type == want) return c;
    if (c.type == types::integer && want == types::decimal) {
      Node n;
      n.op = Op::to_dec;
      n.type = types::decimal;
      if (p_->nodes[c.node].op == Op::constant) {
        auto d = decimal_from_int(p_->nodes[c.node].constant.i);
        if (d) return constant(Value::decimal(*d), types::decimal);
      }
      c.node = add(n, {c.node});
      c.type = types::decimal;
      return c;
    }
    error("type-mismatch", e.pos, "expected " + article(want) + " here, but '" + e.source + "' is " + article(c.type));
    return Checked{};
  }

  std::string article(TypeId t) const {
    const std::string& n = tname(t);
    if (t != kNone && p_->types[t].kind == TypeKind::enumeration) return "a value of type '" + n + "'";
    if (t == types::boolean) return "a yes/no value";
    const bool vowel = !n.empty() && std::string("aeiou").find(n[0]) != std::string::npos;
    return (vowel ? "an " : "a ") + n;
  }

  bool unresolved_word(const ast::Expr& e) const {
    return e.kind == ast::ExprKind::name && e.text.find('.') == std::string::npos && !names_.count(e.text);
  }

  std::vector<std::string> all_names() const {
    std::vector<std::string> out;
    for (const auto& [n, _] : names_) out.push_back(n);
    return out;
  }

  bool guarded(const Guards& g, SlotId s) const { return std::find(g.begin(), g.end(), s) != g.end(); }

  bool slot_optional(SlotId s) const {
    if (s < p_->facts.size()) return p_->facts[s].optional;
    s -= static_cast<SlotId>(p_->facts.size());
    if (s < p_->defines.size()) return false;
    return p_->outputs[s - p_->defines.size()].optional;
  }

  Checked check_name(const ast::Expr& e, TypeId expected, const Guards& g, bool presence_test) {
    if (expected != kNone && p_->types[expected].kind == TypeKind::enumeration &&
        e.text.find('.') == std::string::npos) {
      const auto& ms = p_->types[expected].members;
      auto it = std::find(ms.begin(), ms.end(), e.text);
      if (it != ms.end()) return constant(Value::enumeration(static_cast<uint32_t>(it - ms.begin())), expected);
    }
    auto it = names_.find(e.text);
    if (it == names_.end() && expected == kNone && e.text.find('.') == std::string::npos) {
      // No context: a word that is a value of exactly one enumeration is that value.
      std::vector<TypeId> owners;
      for (TypeId t = 0; t < p_->types.size(); ++t) {
        const auto& ms = p_->types[t].members;
        if (p_->types[t].kind == TypeKind::enumeration && std::find(ms.begin(), ms.end(), e.text) != ms.end()) {
          owners.push_back(t);
        }
      }
      if (owners.size() == 1) {
        const auto& ms = p_->types[owners[0]].members;
        const auto m = static_cast<uint32_t>(std::find(ms.begin(), ms.end(), e.text) - ms.begin());
        return constant(Value::enumeration(m), owners[0]);
      }
      if (owners.size() > 1) {
        std::string list;
        for (TypeId t : owners) list += (list.empty() ? "" : "; ") + tname(t);
        error("ambiguous-value", e.pos,
              "'" + e.text + "' is a value of several types (" + list +
                  "), and nothing here says which; compare it with a fact or output of the type you mean");
        return Checked{};
      }
    }
    if (it == names_.end()) {
      if (expected != kNone && p_->types[expected].kind == TypeKind::enumeration) {
        const auto& ms = p_->types[expected].members;
        std::string list;
        for (std::size_t k = 0; k < ms.size(); ++k) list += (k ? ", " : "") + ms[k];
        std::vector<std::string> candidates = ms;
        if (!quiet()) {
          for (const auto& [n, _] : names_) candidates.push_back(n);
        }
        error("unknown-value", e.pos,
              "'" + e.text + "' is not one of the values of " + tname(expected) + " (" + list + ")" +
                  suggestion(e.text, candidates));
      } else {
        error("unknown-name", e.pos, "nothing called '" + e.text + "' is declared" + suggestion(e.text, quiet() ? std::vector<std::string>{} : all_names()));
      }
      return Checked{};
    }
    const SlotId slot = it->second;
    if (slot_optional(slot) && !presence_test && !guarded(g, slot)) {
      error("unguarded-optional", e.pos,
            "'" + e.text + "' is optional and may be missing: test '" + e.text +
                " is given' first (for example 'when " + e.text + " is given and ...'), or give it a default");
    }
    if (slot >= p_->facts.size() && slot < p_->facts.size() + p_->defines.size()) {
      if (define_state_.empty()) {
        error("default-not-constant", e.pos, "a default must be a plain value, like no, 0, met or []");
        return Checked{};
      }
      // A define read before its own expression was checked: check it now.
      check_define(slot - static_cast<SlotId>(p_->facts.size()));
      if (define_types_[slot - p_->facts.size()] == kNone) return Checked{};
    }
    Node n;
    n.op = Op::load;
    n.aux = slot;
    n.type = slot_type(slot);
    if (n.type == kNone) return Checked{};
    return Checked{add(n), n.type, {}, {}};
  }

  TypeId slot_type(SlotId s) const {
    if (s < p_->facts.size()) return p_->facts[s].type;
    s -= static_cast<SlotId>(p_->facts.size());
    if (s < p_->defines.size()) return define_types_.size() > s ? define_types_[s] : kNone;
    return p_->outputs[s - p_->defines.size()].type;
  }

  static Guards merged(Guards a, const Guards& b) {
    for (SlotId s : b) {
      if (std::find(a.begin(), a.end(), s) == a.end()) a.push_back(s);
    }
    return a;
  }

  Checked check(const ast::Expr& e, TypeId expected, const Guards& g) {
    using K = ast::ExprKind;
    switch (e.kind) {
      case K::boolean: return constant(e.literal, types::boolean);
      case K::integer: return constant(e.literal, types::integer);
      case K::decimal: return constant(e.literal, types::decimal);
      case K::date: return constant(e.literal, types::date);
      case K::duration: return constant(e.literal, types::duration);
      case K::text: {
        p_->text_constants.push_back(std::make_unique<std::string>(e.text));
        return constant(Value::of_text(*p_->text_constants.back()), types::text);
      }
      case K::name: return check_name(e, expected, g, false);
      case K::is_given:
      case K::is_missing: {
        const ast::Expr& operand = *e.children[0];
        if (operand.kind != K::name) {
          error("presence-test", e.pos, "'is given' and 'is missing' test a fact or an output by name");
          return Checked{};
        }
        Checked c = check_name(operand, kNone, g, true);
        if (!c.ok()) return c;
        const SlotId slot = p_->nodes[c.node].aux;
        if (!slot_optional(slot)) {
          warning("always-given", e.pos, "'" + operand.text + "' always has a value (it is required or has a default)");
        }
        Node n;
        n.op = e.kind == K::is_given ? Op::is_given : Op::is_missing;
        n.type = types::boolean;
        Checked out{add(n, {c.node}), types::boolean, {}, {}};
        (e.kind == K::is_given ? out.when_true : out.when_false).push_back(slot);
        return out;
      }
      case K::not_: {
        Checked c = check_bool(*e.children[0], g);
        if (!c.ok()) return c;
        Node n;
        n.op = Op::not_;
        n.type = types::boolean;
        return Checked{add(n, {c.node}), types::boolean, c.when_false, c.when_true};
      }
      case K::and_:
      case K::or_: {
        // Guards flow left to right: in `x is given and x > 3` the second part may read x.
        const bool is_and = e.kind == K::and_;
        Guards flowing = g;
        Guards collected;
        std::vector<NodeId> kids;
        bool ok = true;
        for (const auto& child : e.children) {
          Checked c = check_bool(*child, flowing);
          if (!c.ok()) {
            ok = false;
            continue;
          }
          kids.push_back(c.node);
          const Guards& carry = is_and ? c.when_true : c.when_false;
          flowing = merged(flowing, carry);
          collected = merged(collected, carry);
        }
        if (!ok) return Checked{};
        Node n;
        n.op = is_and ? Op::and_ : Op::or_;
        n.type = types::boolean;
        Checked out{add_n(n, kids), types::boolean, {}, {}};
        (is_and ? out.when_true : out.when_false) = collected;
        return out;
      }
      case K::if_: {
        Checked c = check_bool(*e.children[0], g);
        Checked a = check(*e.children[1], expected, merged(g, c.when_true));
        Checked b = check(*e.children[2], expected != kNone ? expected : a.type, merged(g, c.when_false));
        if (!c.ok() || !a.ok() || !b.ok()) return Checked{};
        TypeId t = unify(a, b, *e.children[1], *e.children[2]);
        if (t == kNone) return Checked{};
        Node n;
        n.op = Op::if_;
        n.type = t;
        return Checked{add(n, {c.node, a.node, b.node}), t, {}, {}};
      }
      case K::negate: {
        Checked c = check(*e.children[0], expected, g);
        if (!c.ok()) return c;
        Node n;
        n.type = c.type;
        const Node& inner = p_->nodes[c.node];
        if (c.type == types::integer) {
          if (inner.op == Op::constant && inner.constant.i != INT64_MIN) return constant(Value::integer(-inner.constant.i), c.type);
          n.op = Op::neg_int;
        } else if (c.type == types::decimal) {
          if (inner.op == Op::constant) return constant(Value::decimal(Decimal{-inner.constant.dec.units}), c.type);
          n.op = Op::neg_dec;
        } else if (c.type == types::duration) {
          n.op = Op::neg_dur;
        } else {
          error("type-mismatch", e.pos, "'-' needs a number, a decimal or a duration, but '" + e.children[0]->source + "' is " + article(c.type));
          return Checked{};
        }
        return Checked{add(n, {c.node}), c.type, {}, {}};
      }
      case K::binary: return check_binary(e, g);
      case K::list: return check_list(e, expected, g);
      case K::call: return check_call(e, g);
      case K::list_item: break;
    }
    error("internal", e.pos, "unexpected expression");
    return Checked{};
  }

  Checked check_bool(const ast::Expr& e, const Guards& g) {
    Checked c = check(e, types::boolean, g);
    if (c.ok() && c.type != types::boolean) {
      error("not-a-condition", e.pos, "'" + e.source + "' is " + article(c.type) + ", not a yes/no condition");
      return Checked{};
    }
    return c;
  }

  TypeId unify(Checked& a, Checked& b, const ast::Expr& ea, const ast::Expr& eb) {
    if (a.type == b.type) return a.type;
    if (a.type == types::integer && b.type == types::decimal) {
      a = coerce(a, types::decimal, ea);
      return types::decimal;
    }
    if (a.type == types::decimal && b.type == types::integer) {
      b = coerce(b, types::decimal, eb);
      return types::decimal;
    }
    error("type-mismatch", eb.pos,
          "'" + ea.source + "' is " + article(a.type) + " but '" + eb.source + "' is " + article(b.type) +
              "; both must be of the same type");
    return kNone;
  }

  Checked check_binary(const ast::Expr& e, const Guards& g) {
    using B = ast::BinOp;
    const ast::Expr& le = *e.children[0];
    const ast::Expr& re = *e.children[1];
    const bool membership = e.op == B::in || e.op == B::not_in;
    const bool comparison = e.op == B::eq || e.op == B::ne || e.op == B::lt || e.op == B::le || e.op == B::gt ||
                            e.op == B::ge;
    Checked l, r;
    if ((comparison || membership) && unresolved_word(le) && !unresolved_word(re)) {
      // `approved is outcome`: read the right side first to learn the enum.
      r = check(re, kNone, g);
      TypeId want = r.type;
      if (membership && r.ok()) want = p_->types[r.type].kind == TypeKind::list ? p_->types[r.type].element : kNone;
      l = check(le, want, g);
    } else {
      l = check(le, kNone, g);
      TypeId want = kNone;
      if (l.ok() && comparison) want = l.type;
      if (l.ok() && membership) want = intern_list(l.type);
      r = check(re, want, g);
    }
    if (!l.ok() || !r.ok()) return Checked{};
    Node n;
    const auto& lt = p_->types[l.type];
    if (membership) {
      if (p_->types[r.type].kind != TypeKind::list) {
        error("type-mismatch", re.pos, "'" + std::string(ast::binop_symbol(e.op)) + "' needs a list on its right, but '" + re.source + "' is " + article(r.type));
        return Checked{};
      }
      Checked elem_l = coerce(l, p_->types[r.type].element, le);
      if (!elem_l.ok()) return elem_l;
      n.op = e.op == B::in ? Op::in : Op::not_in;
      n.type = types::boolean;
      return Checked{add(n, {elem_l.node, r.node}), types::boolean, {}, {}};
    }
    if (comparison) {
      TypeId t = unify(l, r, le, re);
      if (t == kNone) return Checked{};
      const auto& tt = p_->types[t];
      const bool ordered = tt.kind == TypeKind::integer || tt.kind == TypeKind::decimal || tt.kind == TypeKind::date ||
                           (tt.kind == TypeKind::enumeration && tt.ordered);
      if (e.op != B::eq && e.op != B::ne && !ordered) {
        std::string why = tt.kind == TypeKind::enumeration
                              ? "the values of " + tt.name + " have no order (declare the type with '<' to order them)"
                              : tname(t) + " values have no order";
        error("not-ordered", e.pos, "'" + e.source + "' compares with " + ast::binop_symbol(e.op) + ", but " + why);
        return Checked{};
      }
      static const Op ops[] = {Op::eq, Op::ne, Op::lt, Op::le, Op::gt, Op::ge};
      n.op = ops[static_cast<int>(e.op) - static_cast<int>(B::eq)];
      n.type = types::boolean;
      return Checked{add(n, {l.node, r.node}), types::boolean, {}, {}};
    }
    // Arithmetic.
    const TypeKind a = lt.kind, b = p_->types[r.type].kind;
    auto numeric = [](TypeKind k) { return k == TypeKind::integer || k == TypeKind::decimal; };
    auto make = [&](Op op, TypeId type, NodeId x, NodeId y) {
      Node m;
      m.op = op;
      m.type = type;
      return Checked{add(m, {x, y}), type, {}, {}};
    };
    if (numeric(a) && numeric(b)) {
      if (a == TypeKind::integer && b == TypeKind::integer && e.op != B::div) {
        const Op op = e.op == B::add ? Op::add_int : e.op == B::sub ? Op::sub_int : Op::mul_int;
        return make(op, types::integer, l.node, r.node);
      }
      l = coerce(l, types::decimal, le);
      r = coerce(r, types::decimal, re);
      const Op op = e.op == B::add ? Op::add_dec : e.op == B::sub ? Op::sub_dec : e.op == B::mul ? Op::mul_dec : Op::div_dec;
      return make(op, types::decimal, l.node, r.node);
    }
    if (a == TypeKind::date && b == TypeKind::duration && (e.op == B::add || e.op == B::sub)) {
      return make(e.op == B::add ? Op::date_plus : Op::date_minus, types::date, l.node, r.node);
    }
    if (a == TypeKind::duration && b == TypeKind::date && e.op == B::add) {
      return make(Op::date_plus, types::date, r.node, l.node);
    }
    if (a == TypeKind::date && b == TypeKind::date && e.op == B::sub) {
      return make(Op::date_diff, types::integer, l.node, r.node);
    }
    if (a == TypeKind::duration && b == TypeKind::duration && (e.op == B::add || e.op == B::sub)) {
      return make(e.op == B::add ? Op::dur_add : Op::dur_sub, types::duration, l.node, r.node);
    }
    if (e.op == B::mul && a == TypeKind::integer && b == TypeKind::duration) {
      return make(Op::dur_scale, types::duration, l.node, r.node);
    }
    if (e.op == B::mul && a == TypeKind::duration && b == TypeKind::integer) {
      return make(Op::dur_scale, types::duration, r.node, l.node);
    }
    error("type-mismatch", e.pos,
          "cannot use '" + std::string(ast::binop_symbol(e.op)) + "' on " + article(l.type) + " ('" + le.source +
              "') and " + article(r.type) + " ('" + re.source + "')");
    return Checked{};
  }

  Checked check_list(const ast::Expr& e, TypeId expected, const Guards& g) {
    TypeId element = kNone;
    if (expected != kNone && p_->types[expected].kind == TypeKind::list) element = p_->types[expected].element;
    std::vector<NodeId> kids;
    bool ok = true;
    for (const auto& item : e.children) {
      NodeId guard = kNone;
      Guards inner = g;
      if (item->children.size() > 1) {
        Checked c = check_bool(*item->children[1], g);
        if (!c.ok()) {
          ok = false;
          continue;
        }
        guard = c.node;
        inner = merged(inner, c.when_true);
      }
      Checked v = check(*item->children[0], element, inner);
      if (v.ok() && element == kNone) element = v.type;
      v = coerce(v, element, *item->children[0]);
      if (!v.ok()) {
        ok = false;
        continue;
      }
      kids.push_back(v.node);
      kids.push_back(guard);
    }
    if (!ok) return Checked{};
    if (element == kNone) {
      error("untyped-list", e.pos, "the type of this empty list is not known here");
      return Checked{};
    }
    Node n;
    n.op = Op::list;
    n.type = intern_list(element);
    return Checked{add_n(n, kids), n.type, {}, {}};
  }

  Checked check_call(const ast::Expr& e, const Guards& g) {
    static const std::vector<std::string> kFunctions{"count", "min", "max", "abs", "days_between"};
    std::vector<Checked> args;
    for (const auto& a : e.children) {
      args.push_back(check(*a, args.empty() ? kNone : args.front().type, g));
      if (!args.back().ok()) return Checked{};
    }
    auto arity = [&](std::size_t lo, std::size_t hi) {
      if (args.size() < lo || args.size() > hi) {
        error("arity", e.pos, e.text + "() takes " + (lo == hi ? std::to_string(lo) : std::to_string(lo) + " or more") +
                                  " argument" + (hi == 1 ? "" : "s") + ", not " + std::to_string(args.size()));
        return false;
      }
      return true;
    };
    Node n;
    if (e.text == "count") {
      if (!arity(1, 1)) return Checked{};
      if (p_->types[args[0].type].kind != TypeKind::list) {
        error("type-mismatch", e.children[0]->pos, "count() counts the items of a list");
        return Checked{};
      }
      n.op = Op::fn_count;
      n.type = types::integer;
    } else if (e.text == "min" || e.text == "max") {
      if (!arity(2, 64)) return Checked{};
      TypeId t = args[0].type;
      for (std::size_t k = 1; k < args.size(); ++k) {
        t = unify(args[0], args[k], *e.children[0], *e.children[k]);
        if (t == kNone) return Checked{};
      }
      for (auto& a : args) a = coerce(a, t, *e.children[0]);
      const auto& tt = p_->types[t];
      if (!(tt.kind == TypeKind::integer || tt.kind == TypeKind::decimal || tt.kind == TypeKind::date ||
            (tt.kind == TypeKind::enumeration && tt.ordered))) {
        error("not-ordered", e.pos, e.text + "() needs values with an order: numbers, decimals, dates or an ordered type");
        return Checked{};
      }
      n.op = e.text == "min" ? Op::fn_min : Op::fn_max;
      n.type = t;
    } else if (e.text == "abs") {
      if (!arity(1, 1)) return Checked{};
      if (args[0].type != types::integer && args[0].type != types::decimal) {
        error("type-mismatch", e.children[0]->pos, "abs() needs a number or a decimal");
        return Checked{};
      }
      n.op = Op::fn_abs;
      n.type = args[0].type;
    } else if (e.text == "days_between") {
      if (!arity(2, 2)) return Checked{};
      if (args[0].type != types::date || args[1].type != types::date) {
        error("type-mismatch", e.pos, "days_between(a, b) needs two dates; it gives the days from a to b");
        return Checked{};
      }
      n.op = Op::fn_days_between;
      n.type = types::integer;
    } else {
      error("unknown-function", e.pos, "there is no function called " + e.text + suggestion(e.text, kFunctions) +
                                           " (functions: count, min, max, abs, days_between)");
      return Checked{};
    }
    std::vector<NodeId> kids;
    for (const auto& a : args) kids.push_back(a.node);
    return Checked{add_n(n, kids), n.type, {}, {}};
  }

  // ---- reads ----------------------------------------------------------------

  void collect_reads(NodeId id, std::vector<SlotId>& out) const {
    const Node& n = p_->nodes[id];
    if (n.op == Op::load && std::find(out.begin(), out.end(), n.aux) == out.end()) out.push_back(n.aux);
    for (uint32_t k = 0; k < n.kid_count; ++k) {
      const NodeId kid = p_->kids[n.kids + k];
      if (kid != kNone) collect_reads(kid, out);
    }
  }
  std::vector<SlotId> reads_of(NodeId id) const {
    std::vector<SlotId> out;
    collect_reads(id, out);
    return out;
  }

  // ---- compile -------------------------------------------------------------

  void check_define(uint32_t k) {
    if (define_state_[k] == 2) return;
    if (define_state_[k] == 1) {
      error("cycle", p_->defines[k].pos, "define '" + p_->defines[k].name + "' depends on itself");
      define_state_[k] = 3;
      return;
    }
    if (define_state_[k] == 3) return;
    // A define read before its own expression was checked is checked there,
    // recursively: bound that recursion as check_cycles bounds evaluation's.
    if (define_nesting_ >= limits_.max_define_chain) {
      error("chain-too-long", p_->defines[k].pos,
            "'" + p_->defines[k].name + "' sits on a chain of more than " + std::to_string(limits_.max_define_chain) +
                " defines reading each other; the limit is " + std::to_string(limits_.max_define_chain));
      define_state_[k] = 3;
      define_types_[k] = kNone;
      define_failed_ = true;
      return;
    }
    define_state_[k] = 1;
    Guards none;
    ++define_nesting_;
    Checked c = check(*define_asts_[k]->value, kNone, none);
    --define_nesting_;
    auto& d = p_->defines[k];
    if (c.ok()) {
      d.node = c.node;
      d.source = define_asts_[k]->value->source;
      d.reads = reads_of(c.node);
      define_types_[k] = c.type;
    } else {
      define_types_[k] = kNone;
      define_failed_ = true;
    }
    if (define_state_[k] == 1) define_state_[k] = 2;
  }

  void compile(const std::vector<const ast::File*>& files) {
    (void)files;
    define_state_.assign(p_->defines.size(), 0);
    define_types_.assign(p_->defines.size(), kNone);
    for (uint32_t k = 0; k < p_->defines.size(); ++k) check_define(k);

    // Rules.
    for (uint32_t r = 0; r < rule_asts_.size(); ++r) p_->rules.push_back(compile_rule(*rule_asts_[r], r));
    if (has_errors(diags_)) return;
    order_exceptions();
    for (uint32_t o = 0; o < p_->outputs.size(); ++o) {
      const auto& out = p_->outputs[o];
      if (out.rules.empty() && !out.default_value && !out.optional) {
        error("undecidable-output", out.pos,
              "no rule assigns '" + out.name + "' and it has no default: add a rule, 'default <value>' or 'optional'");
      }
    }
    if (has_errors(diags_)) return;
    check_cycles();
    specialize(*p_);
    std::vector<bool> read(p_->facts.size(), false);
    auto mark = [&](const std::vector<SlotId>& reads) {
      for (SlotId s : reads) {
        if (s < read.size()) read[s] = true;
      }
    };
    for (const auto& d : p_->defines) mark(d.reads);
    for (const auto& r : p_->rules) {
      for (const auto& c : r.conditions) mark(c.reads);
      for (const auto& a : r.assignments) mark(a.reads);
    }
    for (std::size_t f = 0; f < read.size(); ++f) {
      // Facts from a shared module may serve other policies; only the policy's own are flagged.
      if (!read[f] && !p_->rules.empty() && p_->facts[f].pos.file == policy_path_) {
        warning("unused-fact", p_->facts[f].pos, "fact '" + p_->facts[f].name + "' is declared but nothing reads it");
      }
    }
  }

  RuleInfo compile_rule(const ast::Rule& r, uint32_t index) {
    RuleInfo info;
    info.name = r.name;
    info.title = r.title;
    info.cite = r.cite;
    info.pos = r.pos;
    if (r.cite.empty()) {
      warning("missing-cite", r.pos,
              "rule " + r.name + " has no citation; add 'cite \"...\"' naming the legislation or guidance it applies");
    }
    Guards g;
    for (const auto& c : r.conditions) {
      Checked k = check_bool(*c, g);
      if (!k.ok()) continue;
      g = merged(g, k.when_true);
      info.conditions.push_back(Condition{k.node, c->source, reads_of(k.node), c->pos});
    }
    if (r.assignments.empty()) {
      error("no-assignment", r.pos, "rule " + r.name + " assigns no output; add 'then <output> = <value>'");
    }
    std::set<uint32_t> assigned;
    for (const auto& a : r.assignments) {
      auto it = names_.find(a.target);
      if (it == names_.end() || p_->slot_kind(it->second) != SlotKind::output) {
        std::vector<std::string> outs;
        for (const auto& o : p_->outputs) outs.push_back(o.name);
        std::string what = it == names_.end() ? "there is no output called '" + a.target + "'"
                           : p_->slot_kind(it->second) == SlotKind::fact
                               ? "'" + a.target + "' is a fact, an input: rules assign outputs only"
                               : "'" + a.target + "' is a define, computed by its own expression: rules assign outputs only";
        error("not-an-output", a.pos, what + suggestion(a.target, outs));
        continue;
      }
      const uint32_t o = it->second - p_->output_slot(0);
      if (!assigned.insert(o).second) {
        error("double-assignment", a.pos, "rule " + r.name + " assigns '" + a.target + "' twice");
        continue;
      }
      const TypeId want = p_->outputs[o].type;
      Checked v = coerce(check(*a.value, want, g), want, *a.value);
      if (!v.ok()) continue;
      info.assignments.push_back(AssignmentInfo{o, v.node, a.value->source, reads_of(v.node)});
      p_->outputs[o].rules.push_back(index);
      p_->outputs[o].rule_values.push_back(v.node);
    }
    return info;
  }

  void order_exceptions() {
    const auto n = static_cast<uint32_t>(p_->rules.size());
    for (uint32_t r = 0; r < n; ++r) {
      for (const auto& target : rule_asts_[r]->exception_to) {
        auto it = rule_ids_.find(target.name);
        if (it == rule_ids_.end()) {
          std::vector<std::string> rules;
          for (const auto& [name, _] : rule_ids_) rules.push_back(name);
          error("unknown-rule", target.pos, "there is no rule called " + target.name + suggestion(target.name, rules));
        } else if (it->second == r) {
          error("self-exception", target.pos, "rule " + target.name + " cannot be an exception to itself");
        } else {
          p_->rules[r].exception_to.push_back(it->second);
        }
      }
    }
    if (has_errors(diags_)) return;
    // overriders[t] = every rule that reaches t through `exception to` links.
    for (uint32_t r = 0; r < n; ++r) {
      std::vector<uint32_t> stack = p_->rules[r].exception_to;
      std::vector<bool> seen(n, false);
      while (!stack.empty()) {
        const uint32_t t = stack.back();
        stack.pop_back();
        if (seen[t]) continue;
        seen[t] = true;
        if (t == r) {
          error("exception-cycle", p_->rules[r].pos,
                "rule " + p_->rules[r].name + " is, through its exceptions, an exception to itself");
          return;
        }
        p_->rules[t].overriders.push_back(r);
        for (uint32_t next : p_->rules[t].exception_to) stack.push_back(next);
      }
    }
    for (auto& rule : p_->rules) std::sort(rule.overriders.begin(), rule.overriders.end());
  }

  // Defines and outputs may read each other, but not in a circle; and the
  // longest chain is bounded so lazy evaluation cannot exhaust the stack.
  void check_cycles() {
    const uint32_t slots = p_->slot_count();
    std::vector<std::vector<SlotId>> deps(slots);
    for (const auto& d : p_->defines) deps[d.slot] = d.reads;
    for (const auto& o : p_->outputs) {
      auto& out = deps[o.slot];
      for (uint32_t r : o.rules) {
        auto add_reads = [&](uint32_t rule) {
          for (const auto& c : p_->rules[rule].conditions) out = merged(out, c.reads);
        };
        add_reads(r);
        for (uint32_t over : p_->rules[r].overriders) add_reads(over);
        for (const auto& a : p_->rules[r].assignments) {
          if (a.output == o.slot - p_->output_slot(0)) out = merged(out, a.reads);
        }
      }
    }
    // Iterative depth-first search: 0 new, 1 on the path, 2 done; depth = longest chain below.
    std::vector<uint8_t> state(slots, 0);
    std::vector<uint32_t> depth(slots, 0);
    for (SlotId start = static_cast<SlotId>(p_->facts.size()); start < slots; ++start) {
      if (state[start]) continue;
      std::vector<std::pair<SlotId, std::size_t>> stack{{start, 0}};
      state[start] = 1;
      while (!stack.empty()) {
        auto& [s, next] = stack.back();
        if (next < deps[s].size()) {
          const SlotId d = deps[s][next++];
          if (d < p_->facts.size()) continue;
          if (state[d] == 1) {
            std::string path;
            bool on = false;
            for (const auto& [x, _] : stack) {
              if (x == d) on = true;
              if (on) path += p_->slot_name(x) + " -> ";
            }
            path += p_->slot_name(d);
            error("cycle", slot_pos(d), "'" + p_->slot_name(d) + "' depends on itself: " + path);
            return;
          }
          if (state[d] == 0) {
            state[d] = 1;
            stack.push_back({d, 0});
          }
          continue;
        }
        uint32_t deepest = 0;
        for (SlotId d : deps[s]) {
          if (d >= p_->facts.size()) deepest = std::max(deepest, depth[d] + 1);
        }
        depth[s] = deepest;
        state[s] = 2;
        if (deepest > limits_.max_define_chain) {
          error("chain-too-long", slot_pos(s),
                "'" + p_->slot_name(s) + "' sits on a chain of " + std::to_string(deepest) +
                    " defines and outputs reading each other; the limit is " + std::to_string(limits_.max_define_chain));
          return;
        }
        stack.pop_back();
      }
    }
  }

  const Limits& limits_;
  std::unique_ptr<Program> p_;
  std::vector<Diagnostic> diags_;
  std::unordered_map<std::string, const std::string*> texts_;
  std::map<std::pair<std::vector<std::string>, bool>, TypeId> enum_ids_;
  std::map<TypeId, TypeId> list_ids_;
  std::map<std::string, TypeId> named_types_;
  std::unordered_map<std::string, SlotId> names_;
  std::unordered_map<std::string, uint32_t> rule_ids_;
  std::vector<const ast::Rule*> rule_asts_;
  std::vector<const ast::Define*> define_asts_;
  std::vector<uint8_t> define_state_;
  std::size_t define_nesting_ = 0;  // check_define calls in progress
  std::size_t dropped_ = 0;         // diagnostics past max_diagnostics
  std::vector<TypeId> define_types_;
  bool define_failed_ = false;
  std::string policy_path_;
};

}  // namespace

CheckResult check_policy(const ast::File& policy, const std::vector<const ast::File*>& modules,
                         const Limits& limits) {
  if (!policy.header || policy.header->is_module) {
    CheckResult r;
    Diagnostic d;
    d.code = "no-header";
    d.pos = SourcePos{policy.path, 1, 1, 0};
    d.message = "this file has no 'policy <id>' line; start it with one";
    r.diagnostics.push_back(std::move(d));
    return r;
  }
  Checker c(limits);
  return c.run_policy(policy, modules);
}

std::vector<Diagnostic> check_module(const ast::File& module, const std::vector<const ast::File*>& modules,
                                     const Limits& limits) {
  Checker c(limits);
  return c.run_module(module, modules);
}

}  // namespace rulebook

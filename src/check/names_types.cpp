// Types and names: interning the types, declaring facts, defines and outputs,
// the JSON tree of facts, and resolving a name (or a `one of` word) in an expression.
#include "check/checker_impl.hpp"

#include <algorithm>
#include <set>

namespace rulebook::checking {

TypeId Checker::intern_enum(std::vector<std::string> members, bool ordered, const std::string& name) {
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
      t.name += display_member(t.members[k]);
    }
  }
  p_->types.push_back(std::move(t));
  const TypeId id = static_cast<TypeId>(p_->types.size() - 1);
  enum_ids_.emplace(std::move(key), id);
  return id;
}

TypeId Checker::intern_list(TypeId element) {
  auto it = list_ids_.find(element);
  if (it != list_ids_.end()) return it->second;
  TypeInfo t;
  t.kind = TypeKind::list;
  t.element = element;
  t.name = "list of " + p_->types[element].name;
  t.depth = p_->types[element].depth + 1;
  p_->types.push_back(std::move(t));
  const TypeId id = static_cast<TypeId>(p_->types.size() - 1);
  list_ids_.emplace(element, id);
  return id;
}

TypeId Checker::resolve_type(const ast::TypeSpec& t, const std::string& name_for_enum) {
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
      if (e == kNone) return kNone;
      if (p_->types[e].depth + 1 > limits_.max_type_depth) {
        error("type-too-deep", t.pos,
              "this type nests lists and records " + std::to_string(p_->types[e].depth + 1) + " deep; the limit is " +
                  std::to_string(limits_.max_type_depth));
        return kNone;
      }
      return intern_list(e);
    }
    case K::record: return resolve_record(t, name_for_enum);
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

bool Checker::is_finite(TypeId t) const {
  return t != kNone && (p_->types[t].kind == TypeKind::boolean || p_->types[t].kind == TypeKind::enumeration);
}

void Checker::declare_name(const std::string& name, const SourcePos& pos, SlotId slot) {
  if (name == "as_of") {
    error("reserved-name", pos, "'as_of' is the decision's date, readable anywhere; choose another name");
    return;
  }
  auto [it, inserted] = names_.emplace(name, slot);
  if (!inserted) {
    const auto& first = slot_pos(it->second);
    error("duplicate-name", pos,
          "'" + name + "' is already declared at " + first.file + ":" + std::to_string(first.line));
  }
}

const SourcePos& Checker::slot_pos(SlotId s) const {
  if (s < p_->facts.size()) return p_->facts[s].pos;
  s -= static_cast<SlotId>(p_->facts.size());
  if (s < p_->defines.size()) return p_->defines[s].pos;
  return p_->outputs[s - p_->defines.size()].pos;
}

void Checker::declare(const std::vector<const ast::File*>& files) {
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
      if (d.is_function) continue;  // functions.cpp
      DefineInfo info;
      info.name = d.name;
      info.pos = d.pos;
      p_->defines.push_back(std::move(info));
      define_asts_.push_back(&d);
    }
  }
  declare_parameters(files);  // ---- dated parameters (issue 14, law-values): defines, after the others ----
  for (const auto* f : files) {
    for (const auto& d : f->outputs) p_->outputs.push_back(field(d, /*is_output=*/true));
  }
  const auto nf = p_->facts.size(), nd = p_->defines.size();
  for (std::size_t k = 0; k < nd; ++k) p_->defines[k].slot = static_cast<SlotId>(nf + k);
  for (std::size_t k = 0; k < p_->outputs.size(); ++k) p_->outputs[k].slot = static_cast<SlotId>(nf + nd + k);
  for (const auto& f : p_->facts) declare_name(f.name, f.pos, f.slot);
  for (const auto& d : p_->defines) declare_name(d.name, d.pos, d.slot);
  for (const auto& o : p_->outputs) declare_name(o.name, o.pos, o.slot);
  declare_functions(files);
  build_fact_tree();
  build_output_tree();

  for (const auto* f : files) {
    for (const auto& r : f->rules) {
      if (rule_ids_.count(r.name)) {
        error("duplicate-rule", r.pos, "there is already a rule called " + r.name);
        continue;
      }
      rule_ids_[r.name] = static_cast<uint32_t>(rule_asts_.size());
      rule_asts_.push_back(&r);
      rule_tables_.push_back(r.table >= 0 ? &f->tables[static_cast<std::size_t>(r.table)] : nullptr);  // issue 14
    }
  }
  if (rule_asts_.size() > limits_.max_rules_per_policy) {
    error("too-many-rules", p_->header.pos,
          "this policy has " + std::to_string(rule_asts_.size()) + " rules; the limit is " +
              std::to_string(limits_.max_rules_per_policy));
  }
}

FieldInfo Checker::field(const ast::FieldDecl& d, bool is_output) {
  FieldInfo info;
  info.name = d.name;
  info.pos = d.pos;
  info.description = d.description;
  info.internal = d.internal;  // internal values (issue 14)
  info.type = resolve_type(d.type);
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
  collect_option(d, info, is_output);  // collect outputs (issue 14)
  return info;
}

void Checker::build_fact_tree() {
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

// Dotted outputs nest in the decision JSON as dotted facts do in the request:
// `approval.status` and `approval.rate` are {"approval": {"status": .., "rate": ..}}.
// An output may not be both a value and a group (`approval` and `approval.rate`).
void Checker::build_output_tree() {
  bool dotted = false;
  for (const auto& o : p_->outputs) dotted = dotted || (!o.internal && o.name.find('.') != std::string::npos);
  if (!dotted) return;  // the flat decision JSON needs no tree
  auto& tree = p_->output_tree;
  tree.push_back(FactTreeNode{});
  for (uint32_t o = 0; o < p_->outputs.size(); ++o) {
    if (p_->outputs[o].internal) continue;  // not in the decision (issue 14)
    const std::string& path = p_->outputs[o].name;
    uint32_t at = 0;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = path.find('.', start);
      const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      const bool leaf = dot == std::string::npos;
      uint32_t next = kNone;
      for (uint32_t c : tree[at].children) {
        if (tree[c].key == key) next = c;
      }
      if (next == kNone) {
        next = static_cast<uint32_t>(tree.size());
        tree.push_back(FactTreeNode{key, leaf ? o : kNone, {}});
        tree[at].children.push_back(next);
      } else if (leaf || tree[next].fact != kNone) {
        // The same name twice is reported by declare_name; here only a value that is also a group.
        if (!(leaf && tree[next].fact != kNone)) {
          error("output-path-clash", p_->outputs[o].pos,
                "output '" + path + "' and another output both use '" + path.substr(0, dot) +
                    "': in the decision JSON it cannot be both a value and an object");
        }
        break;
      }
      if (leaf) break;
      at = next;
      start = dot + 1;
    }
  }
}

bool Checker::unresolved_word(const ast::Expr& e) const {
  return e.kind == ast::ExprKind::name && e.text.find('.') == std::string::npos && !names_.count(e.text);
}

std::vector<std::string> Checker::all_names() const {
  std::vector<std::string> out;
  for (const auto& [n, _] : names_) out.push_back(n);
  for (const auto& [n, _] : scope_) out.push_back(n);
  return out;
}

Checked Checker::check_name(const ast::Expr& e, TypeId expected, const Guards& g, bool presence_test) {
  if (!scope_.empty()) {
    Checked local = check_local(e);
    if (local.ok()) return local;
  }
  if (e.text.find('.') != std::string::npos && !names_.count(e.text)) {
    bool handled = false;
    Checked c = check_field_access(e, g, presence_test, &handled);
    if (handled) return c;
  }
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
  if (it == names_.end() && e.text == "as_of") {
    Node n;
    n.op = Op::as_of;
    n.type = types::date;
    return Checked{add(n), types::date, {}, {}};
  }
  if (it != names_.end() && expected == kNone && e.text.find('.') == std::string::npos) {
    // A word that is both a declared name and a `one of` value, where no type
    // says which is meant, is an error naming both readings (never silently the name).
    std::string values;
    for (TypeId t = 0; t < p_->types.size(); ++t) {
      const auto& ms = p_->types[t].members;
      if (p_->types[t].kind == TypeKind::enumeration && std::find(ms.begin(), ms.end(), e.text) != ms.end()) {
        values += (values.empty() ? "" : ", ") + tname(t);
      }
    }
    if (!values.empty()) {
      const SourcePos& at = slot_pos(it->second);
      const SlotKind kind = p_->slot_kind(it->second);
      const char* what = kind == SlotKind::fact ? "the fact" : kind == SlotKind::define ? "the define" : "the output";
      error("ambiguous-word", e.pos,
            "'" + e.text + "' could be " + what + " declared at " + at.file + ":" + std::to_string(at.line) +
                " or a value of " + values + ", and nothing here says which; compare it with a value of the type " +
                "you mean, or rename one of them");
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
    } else if (function_ids_.count(e.text)) {
      error("function-without-call", e.pos,
            "'" + e.text + "' is a function: call it with its arguments, as in " + e.text + "(...)");
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
  Checked out{add(n), n.type, {}, {}};
  if (p_->slot_kind(slot) == SlotKind::define) {
    // Presence flows through a define as through the test it holds.
    const auto& guards = define_guards_[slot - p_->facts.size()];
    out.when_true = guards.first;
    out.when_false = guards.second;
  }
  return out;
}

TypeId Checker::slot_type(SlotId s) const {
  if (s < p_->facts.size()) return p_->facts[s].type;
  s -= static_cast<SlotId>(p_->facts.size());
  if (s < p_->defines.size()) return define_types_.size() > s ? define_types_[s] : kNone;
  return p_->outputs[s - p_->defines.size()].type;
}

}  // namespace rulebook::checking

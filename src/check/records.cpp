// Records: `type child = record` with fields declared like facts, and reading
// a field with a dot (`c.birth_date`, `employee.current.start`). An optional
// record, or an optional field, is read only where `is given` has guarded it,
// as an optional fact is; a guarded field is keyed by its path as written.
#include "check/checker_impl.hpp"

#include <algorithm>
#include <set>

namespace rulebook::checking {

TypeId Checker::resolve_record(const ast::TypeSpec& t, const std::string& name) {
  TypeInfo info;
  info.kind = TypeKind::record;
  info.name = name.empty() ? "record" : name;
  std::set<std::string> seen;
  uint32_t depth = 0;
  bool ok = true;
  for (const ast::FieldDecl& f : t.fields) {
    if (!seen.insert(f.name).second) {
      error("duplicate-name", f.pos, "the record '" + info.name + "' has two fields called '" + f.name + "'");
      ok = false;
      continue;
    }
    if (f.name.find('.') != std::string::npos) {
      error("dotted-field", f.pos, "a record's field is one word; '" + f.name + "' has a dot");
      ok = false;
      continue;
    }
    FieldInfo field_info = field(f, /*is_output=*/false);
    if (field_info.type == kNone) {
      ok = false;
      continue;
    }
    depth = std::max(depth, p_->types[field_info.type].depth);
    info.fields.push_back(std::move(field_info));
  }
  if (!ok) return kNone;
  if (info.fields.empty()) {
    error("empty-record", t.pos, "the record '" + info.name + "' has no fields; declare one per line, like 'start : date'");
    return kNone;
  }
  info.depth = depth + 1;
  if (info.depth > limits_.max_type_depth) {
    error("type-too-deep", t.pos,
          "this type nests lists and records " + std::to_string(info.depth) + " deep; the limit is " +
              std::to_string(limits_.max_type_depth));
    return kNone;
  }
  p_->types.push_back(std::move(info));
  return static_cast<TypeId>(p_->types.size() - 1);
}

SlotId Checker::path_key(const std::string& path) {
  auto [it, inserted] = path_keys_.emplace(path, static_cast<SlotId>(kPathKeyBase + path_keys_.size()));
  return it->second;
}

// The longest leading part of the name that is a variable or a declared name,
// then one field per remaining part. `handled` is false when no leading part
// names anything (the caller reports the unknown name).
Checked Checker::check_field_access(const ast::Expr& e, const Guards& g, bool presence_test, bool* handled) {
  *handled = false;
  std::vector<std::size_t> dots;
  for (std::size_t k = 0; k < e.text.size(); ++k) {
    if (e.text[k] == '.') dots.push_back(k);
  }
  for (std::size_t d = dots.size(); d-- > 0;) {
    const std::string base = e.text.substr(0, dots[d]);
    bool is_local = false;
    for (const auto& [n, _] : scope_) is_local = is_local || n == base;
    if (!is_local && !names_.count(base)) continue;
    *handled = true;
    ast::Expr base_expr;
    base_expr.kind = ast::ExprKind::name;
    base_expr.pos = e.pos;
    base_expr.text = base;
    base_expr.source = base;
    Checked c = check_name(base_expr, kNone, g, false);
    if (!c.ok()) return c;
    std::size_t start = dots[d] + 1;
    while (start <= e.text.size()) {
      const std::size_t next = e.text.find('.', start);
      const std::string field = e.text.substr(start, next == std::string::npos ? std::string::npos : next - start);
      const std::string upto = e.text.substr(0, next);
      const TypeInfo& t = p_->types[c.type];
      if (t.kind != TypeKind::record) {
        const std::string so_far = e.text.substr(0, start - 1);
        error(t.kind == TypeKind::list ? "list-as-value" : "not-a-record", e.pos,
              "'" + so_far + "' is " + article(c.type) + ", which has no field '" + field + "'" +
                  (t.kind == TypeKind::list ? "; read its items with 'for each', 'count of', 'sum of' or 'every'" : ""));
        return Checked{};
      }
      const int index = t.field_index(field);
      if (index < 0) {
        std::vector<std::string> names;
        for (const auto& f : t.fields) names.push_back(f.name);
        error("unknown-field", e.pos,
              "a " + t.name + " has no field '" + field + "'" + suggestion(field, names));
        return Checked{};
      }
      const FieldInfo& f = t.fields[static_cast<std::size_t>(index)];
      const bool last = next == std::string::npos;
      if (f.optional && !(last && presence_test) && !guarded(g, path_key(upto))) {
        error("unguarded-optional", e.pos,
              "'" + upto + "' is optional and may be missing: test '" + upto + " is given' first (for example 'when " +
                  upto + " is given and ...'), or give the field a default");
      }
      Node n;
      n.op = Op::field;
      n.aux = static_cast<uint32_t>(index);
      n.type = f.type;
      c = Checked{add(n, {c.node}), f.type, {}, {}};
      if (last) break;
      start = next + 1;
    }
    return c;
  }
  return Checked{};
}

}  // namespace rulebook::checking

namespace rulebook::checking {

TypeId Checker::record_type_named(const std::string& name) const {
  auto it = named_types_.find(name);
  return it != named_types_.end() && p_->types[it->second].kind == TypeKind::record ? it->second : kNone;
}

// Each field given at most once, by name; a field left out takes its default,
// or is absent when optional; a required field left out is an error.
Checked Checker::check_record_value(const ast::Expr& e, TypeId type, const Guards& g) {
  const TypeInfo& t = p_->types[type];
  const std::size_t count = t.fields.size();
  std::vector<NodeId> kids(count, kNone);
  std::vector<const ast::Expr*> given(count, nullptr);
  bool ok = true;
  bool unnamed = false;  // then which fields are missing is beside the point
  for (const auto& arg : e.children) {
    if (arg->kind != ast::ExprKind::named_arg) {
      unnamed = true;
      error("unnamed-field", arg->pos,
            "a " + t.name + " is built with its fields named, as in " + t.name + "(" + t.fields[0].name +
                ": ...); '" + arg->source + "' has no field name");
      ok = false;
      continue;
    }
    const int index = t.field_index(arg->text);
    if (index < 0) {
      std::vector<std::string> names;
      for (const auto& f : t.fields) names.push_back(f.name);
      error("unknown-field", arg->pos, "a " + t.name + " has no field '" + arg->text + "'" + suggestion(arg->text, names));
      ok = false;
      continue;
    }
    const auto k = static_cast<std::size_t>(index);
    if (given[k]) {
      error("duplicate-field", arg->pos,
            "the field '" + arg->text + "' is given twice in this " + t.name + " (first at line " +
                std::to_string(given[k]->pos.line) + ")");
      ok = false;
      continue;
    }
    given[k] = arg.get();
    const FieldInfo& f = t.fields[k];
    const ast::Expr& value = *arg->children[0];
    Checked c = check(value, f.type, g);
    if (!c.ok()) {
      ok = false;
      continue;
    }
    if (c.type != f.type && !(c.type == types::integer && f.type == types::decimal)) {
      error("type-mismatch", value.pos,
            "the field '" + f.name + "' of a " + t.name + " is " + article(f.type) + ", but '" + value.source + "' is " +
                article(c.type));
      ok = false;
      continue;
    }
    kids[k] = coerce(c, f.type, value).node;
  }
  std::string missing;
  for (std::size_t k = 0; k < count; ++k) {
    if (given[k]) continue;
    const FieldInfo& f = t.fields[k];
    if (f.default_value) {
      kids[k] = constant(*f.default_value, f.type).node;
    } else if (f.optional) {
      kids[k] = constant(Value::missing_value(), f.type).node;
    } else {
      missing += (missing.empty() ? "'" : ", '") + f.name + "'";
    }
  }
  if (!missing.empty() && !unnamed) {
    error("missing-field", e.pos,
          "this " + t.name + " leaves out " + missing + ", which " +
              (missing.find(',') == std::string::npos ? "has" : "have") +
              " no default and " + (missing.find(',') == std::string::npos ? "is" : "are") +
              " not optional; give each as 'name: value'");
    ok = false;
  }
  if (!ok) return Checked{};
  Node n;
  n.op = Op::record;
  n.type = type;
  return Checked{add_n(n, kids), type, {}, {}};
}

}  // namespace rulebook::checking

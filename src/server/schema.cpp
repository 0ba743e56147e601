#include "server/schema.hpp"

#include "rulebook/api.hpp"

namespace rulebook::server {

using nlohmann::ordered_json;

namespace {

const char* kind_name(TypeKind k) {
  switch (k) {
    case TypeKind::boolean: return "boolean";
    case TypeKind::integer: return "integer";
    case TypeKind::decimal: return "decimal";
    case TypeKind::text: return "text";
    case TypeKind::date: return "date";
    case TypeKind::duration: return "duration";
    case TypeKind::enumeration: return "enumeration";
    case TypeKind::list: return "list";
    case TypeKind::record: return "record";
  }
  return "unknown";
}

ordered_json value(const Program& p, TypeId type, const Value& v);
void allow_null(ordered_json& s);

ordered_json type_schema(const Program& p, TypeId type) {
  const TypeInfo& t = p.types[type];
  ordered_json s = ordered_json::object();
  switch (t.kind) {
    case TypeKind::boolean: s["type"] = "boolean"; break;
    case TypeKind::integer: s["type"] = "integer"; break;
    case TypeKind::decimal:
      // A JSON number, or text for exact amounts: at most 18 digits after the point.
      s["type"] = ordered_json::array({"number", "string"});
      s["pattern"] = "^-?[0-9]+(\\.[0-9]{1,18})?$";
      break;
    case TypeKind::text: s["type"] = "string"; break;
    case TypeKind::date:
      s["type"] = "string";
      s["format"] = "date";
      break;
    case TypeKind::duration:
      s["type"] = "string";
      s["pattern"] = "^P([0-9]+[YMWD])+$";
      break;
    case TypeKind::enumeration:
      s["type"] = "string";
      s["enum"] = t.members;
      break;
    case TypeKind::list:
      s["type"] = "array";
      s["items"] = type_schema(p, t.element);
      s["maxItems"] = Limits{}.max_list_length;
      break;
    case TypeKind::record: {
      // An object with the record's fields; optional fields and fields with a default may be left out or null.
      s["type"] = "object";
      ordered_json properties = ordered_json::object();
      ordered_json required = ordered_json::array();
      for (const FieldInfo& f : t.fields) {
        ordered_json fs = type_schema(p, f.type);
        if (!f.description.empty()) fs["description"] = f.description;
        if (f.default_value) fs["default"] = value(p, f.type, *f.default_value);
        if (f.optional || f.default_value) {
          allow_null(fs);
        } else {
          required.push_back(f.name);
        }
        properties[f.name] = std::move(fs);
      }
      s["properties"] = std::move(properties);
      s["required"] = std::move(required);
      s["additionalProperties"] = false;
      break;
    }
  }
  if (!t.name.empty()) s["x-rulebook-type"] = t.name;
  return s;
}

// A value the policy holds (a default), as JSON.
ordered_json value(const Program& p, TypeId type, const Value& v) {
  static const std::vector<Value> no_arena;
  return ordered_json::parse(value_json(p, type, v, no_arena), nullptr, false);
}

// Optional facts may be sent as null (the default applies).
void allow_null(ordered_json& s) {
  auto& type = s["type"];
  if (type.is_string()) type = ordered_json::array({type.get<std::string>(), "null"});
  else if (type.is_array()) type.push_back("null");
  if (s.contains("enum")) s["enum"].push_back(nullptr);
}

bool is_required(const Program& p, uint32_t node) {
  const FactTreeNode& n = p.fact_tree[node];
  if (n.fact != kNone) {
    const FieldInfo& f = p.facts[n.fact];
    return !f.optional && !f.default_value;
  }
  for (uint32_t c : n.children) {
    if (is_required(p, c)) return true;
  }
  return false;
}

ordered_json node_schema(const Program& p, uint32_t node) {
  const FactTreeNode& n = p.fact_tree[node];
  if (n.fact != kNone) {
    const FieldInfo& f = p.facts[n.fact];
    ordered_json s = type_schema(p, f.type);
    if (!f.description.empty()) s["description"] = f.description;
    if (f.default_value) s["default"] = value(p, f.type, *f.default_value);
    if (!is_required(p, node)) allow_null(s);
    return s;
  }
  ordered_json s = ordered_json::object();
  s["type"] = "object";
  ordered_json properties = ordered_json::object();
  ordered_json required = ordered_json::array();
  for (uint32_t c : n.children) {
    properties[p.fact_tree[c].key] = node_schema(p, c);
    if (is_required(p, c)) required.push_back(p.fact_tree[c].key);
  }
  s["properties"] = std::move(properties);
  s["required"] = std::move(required);
  s["additionalProperties"] = false;
  if (node != 0 && !is_required(p, node)) allow_null(s);
  return s;
}

}  // namespace

ordered_json facts_schema(const Program& p) {
  ordered_json s = ordered_json::object();
  s["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  s["title"] = "Facts for " + p.header.id + " version " + p.header.version;
  if (p.fact_tree.empty()) {
    s["type"] = "object";
    s["properties"] = ordered_json::object();
    s["additionalProperties"] = false;
    return s;
  }
  ordered_json root = node_schema(p, 0);
  for (auto& [k, v] : root.items()) s[k] = std::move(v);
  return s;
}

ordered_json policy_summary(const Program& p, const PathShown& shown) {
  ordered_json j = ordered_json::object();
  j["id"] = p.header.id;
  j["title"] = p.header.title;
  j["version"] = p.header.version;
  j["in_force_from"] = format_iso_date(p.header.in_force_from);
  j["in_force_to"] = p.header.in_force_until ? ordered_json(format_iso_date(*p.header.in_force_until)) : ordered_json();
  j["hash"] = p.hash;
  ordered_json files = ordered_json::array();
  for (const auto& f : p.files) files.push_back(shown(f));
  j["files"] = std::move(files);
  j["source"] = p.header.source;
  return j;
}

ordered_json policy_detail(const Program& p, const PathShown& shown) {
  ordered_json j = policy_summary(p, shown);
  j["facts_schema"] = facts_schema(p);

  ordered_json outputs = ordered_json::array();
  for (const FieldInfo& o : p.outputs) {
    if (o.internal) continue;  // internal values are not returned (issue 14)
    const TypeInfo& t = p.types[o.type];
    ordered_json out = ordered_json::object();
    out["name"] = o.name;
    out["type"] = kind_name(t.kind);
    out["type_name"] = t.name;
    const TypeInfo* members = t.kind == TypeKind::enumeration ? &t
                              : t.kind == TypeKind::list && p.types[t.element].kind == TypeKind::enumeration
                                  ? &p.types[t.element]
                                  : nullptr;
    out["allowed"] = members ? ordered_json(members->members) : ordered_json();
    out["nullable"] = o.optional;
    out["default"] = o.default_value ? value(p, o.type, *o.default_value) : ordered_json();
    out["description"] = o.description;
    out["schema"] = type_schema(p, o.type);
    if (o.optional) allow_null(out["schema"]);
    outputs.push_back(std::move(out));
  }
  j["outputs"] = std::move(outputs);

  ordered_json rules = ordered_json::array();
  for (const RuleInfo& r : p.rules) {
    ordered_json rule = ordered_json::object();
    rule["name"] = r.name;
    rule["title"] = r.title;
    rule["cite"] = r.cite;
    ordered_json exceptions = ordered_json::array();
    for (uint32_t e : r.exception_to) exceptions.push_back(p.rules[e].name);
    rule["exception_to"] = std::move(exceptions);
    rule["file"] = shown(r.pos.file);
    rule["line"] = r.pos.line;
    rules.push_back(std::move(rule));
  }
  j["rules"] = std::move(rules);
  return j;
}

}  // namespace rulebook::server

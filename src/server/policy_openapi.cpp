#include "server/policy_openapi.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "server/schema.hpp"

namespace rulebook::server {

using nlohmann::ordered_json;

namespace {

constexpr std::string_view kSchemas = "#/components/schemas/";
constexpr std::string_view kResponses = "#/components/responses/";
constexpr std::string_view kHeaders = "#/components/headers/";

// Every "$ref" under `j`, added to `refs`.
void collect_refs(const ordered_json& j, std::set<std::string>& refs) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (k == "$ref" && v.is_string()) refs.insert(v.get<std::string>());
      else collect_refs(v, refs);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect_refs(v, refs);
  }
}

// The components the paths reach, following references between components.
ordered_json reachable_components(const ordered_json& paths, const ordered_json& all) {
  std::set<std::string> seen;
  std::set<std::string> pending;
  collect_refs(paths, pending);
  ordered_json out = ordered_json::object();
  while (!pending.empty()) {
    const std::string ref = *pending.begin();
    pending.erase(pending.begin());
    if (!seen.insert(ref).second) continue;
    for (const auto& [prefix, section] : {std::pair{kSchemas, "schemas"}, {kResponses, "responses"}, {kHeaders, "headers"}}) {
      if (ref.rfind(prefix, 0) != 0) continue;
      const std::string name = ref.substr(prefix.size());
      const auto& from = all[section];
      if (!from.contains(name)) continue;
      out[section][name] = from[name];
      std::set<std::string> more;
      collect_refs(from[name], more);
      for (const auto& m : more) {
        if (!seen.count(m)) pending.insert(m);
      }
    }
  }
  return out;
}

// A decide operation of the service's document, for this policy's own path:
// no policy_id parameter, and unknown_policy cannot happen at a path the
// policy names (it can if a reload removes the policy: the 404 stays).
ordered_json policy_operation(ordered_json op, const std::string& id, const char* operation_id) {
  op.erase("parameters");
  // The service's examples are aps.s26's; another policy's facts would not match them.
  for (auto& [type, media] : op["requestBody"]["content"].items()) media.erase("example");
  for (auto& [code, response] : op["responses"].items()) {
    if (!response.contains("content")) continue;
    for (auto& [type, media] : response["content"].items()) media.erase("example");
  }
  op["operationId"] = std::string(operation_id);
  op["summary"] = std::string(op.value("summary", "")) + " (" + id + ")";
  return op;
}

}  // namespace

ordered_json decision_schema(const Program& p) {
  ordered_json s = ordered_json::object();
  s["type"] = "object";
  s["description"] = "Every output of " + p.header.id + ", in declaration order, each with its value (null where none applies).";
  // The outputs' schemas as GET /v1/policies/{policy_id} gives them.
  const ordered_json detail = policy_detail(p, [](const std::string& f) { return f; });
  ordered_json properties = ordered_json::object();
  ordered_json required = ordered_json::array();
  for (const auto& o : detail["outputs"]) {
    ordered_json schema = o["schema"];
    auto& type = schema["type"];
    // An output no rule gave a value and with no default is null in the answer.
    if (type.is_string()) type = ordered_json::array({type.get<std::string>(), "null"});
    else if (type.is_array() && std::find(type.begin(), type.end(), "null") == type.end()) type.push_back("null");
    if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), nullptr) == schema["enum"].end()) {
      schema["enum"].push_back(nullptr);
    }
    if (o["description"].is_string() && !o["description"].get<std::string>().empty()) schema["description"] = o["description"];
    // A dotted output (`approval.status`) nests as it does in the decision: one object per group.
    const std::string name = o["name"];
    ordered_json* props = &properties;
    ordered_json* req = &required;
    std::size_t start = 0;
    for (std::size_t dot = name.find('.'); dot != std::string::npos; start = dot + 1, dot = name.find('.', start)) {
      const std::string group = name.substr(start, dot - start);
      if (!props->contains(group)) {
        (*props)[group] = ordered_json{{"type", "object"}, {"properties", ordered_json::object()},
                                       {"required", ordered_json::array()}, {"additionalProperties", false}};
        req->push_back(group);
      }
      ordered_json& g = (*props)[group];
      props = &g["properties"];
      req = &g["required"];
    }
    (*props)[name.substr(start)] = std::move(schema);
    req->push_back(name.substr(start));
  }
  s["properties"] = std::move(properties);
  s["required"] = std::move(required);
  s["additionalProperties"] = false;
  return s;
}

ordered_json policy_openapi(const Program& p, std::string_view service) {
  const ordered_json doc = ordered_json::parse(service);
  const std::string& id = p.header.id;

  ordered_json out = ordered_json::object();
  out["openapi"] = doc["openapi"];
  out["jsonSchemaDialect"] = doc["jsonSchemaDialect"];
  ordered_json info = ordered_json::object();
  info["title"] = "Rulebook: " + p.header.title + " (" + id + ")";
  info["version"] = p.header.version;
  info["description"] = "Decisions under " + id + " version " + p.header.version + " (" + p.hash +
                        "), with its facts and outputs as types. The service's whole API is GET /openapi.json.";
  info["license"] = doc["info"]["license"];
  out["info"] = std::move(info);
  out["servers"] = doc["servers"];
  out["security"] = doc["security"];
  out["tags"] = ordered_json::array({{{"name", "decisions"}, {"description", "Decide cases under " + id + "."}}});

  ordered_json paths = ordered_json::object();
  paths["/v1/decide/" + id]["post"] = policy_operation(doc["paths"]["/v1/decide/{policy_id}"]["post"], id, "decide");
  paths["/v1/decide/" + id + "/batch"]["post"] =
      policy_operation(doc["paths"]["/v1/decide/{policy_id}/batch"]["post"], id, "decideBatch");
  out["paths"] = paths;

  ordered_json components = reachable_components(paths, doc["components"]);
  // The security schemes the document's requirements name, and no other.
  std::set<std::string> schemes;
  const auto requirements = [&](const ordered_json& security) {
    for (const auto& requirement : security) {
      for (const auto& [name, scopes] : requirement.items()) schemes.insert(name);
    }
  };
  requirements(out["security"]);
  for (const auto& [path, item] : paths.items()) {
    for (const auto& [method, op] : item.items()) {
      if (op.contains("security")) requirements(op["security"]);
    }
  }
  for (const auto& name : schemes) {
    components["securitySchemes"][name] = doc["components"]["securitySchemes"][name];
  }
  ordered_json facts = facts_schema(p);
  facts.erase("$schema");  // the document's jsonSchemaDialect says it
  components["schemas"]["Facts"] = std::move(facts);
  components["schemas"]["DecideRequest"]["properties"]["facts"] = {{"$ref", std::string(kSchemas) + "Facts"}};
  components["schemas"]["Decision"] = decision_schema(p);
  out["components"] = std::move(components);
  return out;
}

}  // namespace rulebook::server

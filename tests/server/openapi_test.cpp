// docs/openapi.json against the server: every route the server registers is
// documented, every documented route answers as documented, and the document
// served at /openapi.json is the one in the repo.
#include <catch2/catch.hpp>
#include <set>

#include "server/routes.hpp"
#include "server_process.hpp"

using namespace rulebook::test;
using nlohmann::json;

namespace {

json repo_document() {
  const json doc = json::parse(read_file(std::filesystem::path(RULEBOOK_SOURCE_DIR) / "docs" / "openapi.json"), nullptr, false);
  REQUIRE(!doc.is_discarded());
  return doc;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Follows "$ref": "#/components/..." within the document.
const json& resolve(const json& doc, const json& node) {
  if (!node.is_object() || !node.contains("$ref")) return node;
  const std::string ref = node["$ref"];
  REQUIRE(ref.rfind("#/", 0) == 0);
  return resolve(doc, doc.at(json::json_pointer(ref.substr(1))));
}

// The fields a schema requires at its top level (through $ref and allOf).
std::set<std::string> required_fields(const json& doc, const json& schema_node) {
  const json& schema = resolve(doc, schema_node);
  std::set<std::string> out;
  if (schema.contains("required")) {
    for (const auto& r : schema["required"]) out.insert(r.get<std::string>());
  }
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) {
      const auto more = required_fields(doc, part);
      out.insert(more.begin(), more.end());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("openapi: every route the server registers is documented, and nothing else is", "[openapi]") {
  const json doc = repo_document();
  CHECK(doc["openapi"].get<std::string>().rfind("3.", 0) == 0);
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& r : rulebook::server::routes()) {
    INFO(r.method << " " << r.path);
    const std::string path(r.path);
    REQUIRE(doc["paths"].contains(path));
    CHECK(doc["paths"][path].contains(lower(r.method)));
    registered.emplace(lower(r.method), path);
  }
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      INFO(method << " " << path);
      CHECK(registered.count({method, path}) == 1);
      CHECK(op.contains("responses"));
    }
  }
}

TEST_CASE("openapi: the served document is the repo's docs/openapi.json", "[openapi]") {
  TempDir dir;
  copy_aps_s26(dir / "policies");
  ServerProcess server({{"--policies", (dir / "policies").string()}, {}});
  const auto r = server.client()->Get("/openapi.json");
  CHECK(r->status == 200);
  CHECK(body_json(r) == repo_document());
}

TEST_CASE("openapi: every documented route answers as documented", "[openapi]") {
  const json doc = repo_document();
  TempDir dir;
  copy_aps_s26(dir / "policies");
  ServerProcess server({{"--policies", (dir / "policies").string()}, {{"RULEBOOK_ADMIN_TOKEN", "doc-token"}}});
  auto http = server.client();
  const httplib::Headers auth{{"Authorization", "Bearer doc-token"}};

  int checked = 0;
  for (const auto& [path_template, item] : doc["paths"].items()) {
    std::string path = path_template;
    if (const auto at = path.find("{policy_id}"); at != std::string::npos) path.replace(at, 11, "aps.s26");
    for (const auto& [method, op] : item.items()) {
      INFO(method << " " << path);
      REQUIRE((method == "get" || method == "post"));
      std::string body;
      if (op.contains("requestBody")) {
        const json& example = op["requestBody"]["content"]["application/json"]["example"];
        REQUIRE(!example.is_null());
        body = example.dump();
      }
      const Answer r = method == "get" ? http->Get(path, auth) : http->Post(path, auth, body, "application/json");
      INFO(r->body.substr(0, 500));
      // With the documented example, each route answers its success response.
      REQUIRE(r->status == 200);
      const json& ok = resolve(doc, op["responses"]["200"]);
      REQUIRE(ok.contains("content"));
      const std::string documented_type = ok["content"].begin().key();
      CHECK(r->get_header_value("Content-Type").rfind(documented_type, 0) == 0);
      CHECK(!r->get_header_value("X-Request-Id").empty());
      if (documented_type == "application/json") {
        const json body = json::parse(r->body, nullptr, false);
        REQUIRE(!body.is_discarded());
        for (const auto& field : required_fields(doc, ok["content"]["application/json"]["schema"])) {
          INFO(field);
          CHECK(body.contains(field));
        }
      }
      ++checked;
    }
  }
  CHECK(checked == static_cast<int>(rulebook::server::routes().size()));
}

TEST_CASE("routes: the matcher finds routes, their parameters, and what a path allows", "[openapi]") {
  using rulebook::server::match_route;
  using Kind = rulebook::server::RouteMatch::Kind;
  auto m = match_route("POST", "/v1/decide/aps.s26");
  REQUIRE(m.kind == Kind::found);
  CHECK(m.route->id == rulebook::server::RouteId::decide);
  CHECK(m.params == std::vector<std::string>{"aps.s26"});
  m = match_route("POST", "/v1/decide/aps.s26/batch");
  REQUIRE(m.kind == Kind::found);
  CHECK(m.route->id == rulebook::server::RouteId::decide_batch);
  CHECK(match_route("HEAD", "/healthz").kind == Kind::found);
  m = match_route("GET", "/v1/decide/aps.s26");
  CHECK(m.kind == Kind::wrong_method);
  CHECK(m.allow == "POST");
  CHECK(match_route("GET", "/v1/decide/").kind == Kind::no_such_path);
  CHECK(match_route("GET", "/v1/decide//batch").kind == Kind::no_such_path);
  CHECK(match_route("GET", "/healthz/").kind == Kind::no_such_path);
  CHECK(match_route("POST", "/v1/decide/..").kind == Kind::no_such_path);
  CHECK(match_route("GET", "/v1/policies/.").kind == Kind::no_such_path);
  CHECK(match_route("POST", "/v1/decide/../batch").kind == Kind::no_such_path);
  CHECK(match_route("GET", "").kind == Kind::no_such_path);
  CHECK(rulebook::server::route_label("/v1/policies/x") == "/v1/policies/{policy_id}");
  CHECK(rulebook::server::route_label("/x") == "unmatched");
}

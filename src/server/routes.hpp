// The decision service's routes: one table, the only place a route is named.
// The server dispatches through it, /metrics labels requests with its
// templates, and a test checks it against docs/openapi.json.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook::server {

enum class RouteId {
  healthz,
  readyz,
  status,
  metrics,
  openapi,
  policies,
  policy,
  policy_source,  // for the workbench (src/server/workbench_api.hpp)
  policy_suites,
  policy_openapi,  // the policy's own OpenAPI document (src/server/policy_openapi.hpp)
  decide,
  decide_batch,
  reload,
};

struct Route {
  RouteId id;
  std::string_view method;  // GET routes answer HEAD too
  std::string_view path;    // a template: "{name}" matches one segment, not empty, "." or ".."
};

// Every route the server answers, in the order of the contract.
std::span<const Route> routes();

struct RouteMatch {
  enum class Kind { found, no_such_path, wrong_method } kind = Kind::no_such_path;
  const Route* route = nullptr;       // found
  std::vector<std::string> params;    // found: the {name} segments, in order
  std::string allow;                  // wrong_method: "GET, HEAD" or "POST"
};

RouteMatch match_route(std::string_view method, std::string_view path);

// The label /metrics counts a request under: the route's template, or
// "unmatched" for a path no route has (so labels stay a small, fixed set).
std::string_view route_label(std::string_view path);

}  // namespace rulebook::server

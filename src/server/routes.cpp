#include "server/routes.hpp"

#include <array>

namespace rulebook::server {

namespace {

constexpr std::array kRoutes{
    Route{RouteId::decide, "POST", "/v1/decide/{policy_id}"},
    Route{RouteId::decide_batch, "POST", "/v1/decide/{policy_id}/batch"},
    Route{RouteId::policies, "GET", "/v1/policies"},
    Route{RouteId::policy, "GET", "/v1/policies/{policy_id}"},
    Route{RouteId::policy_source, "GET", "/v1/policies/{policy_id}/source"},
    Route{RouteId::policy_suites, "GET", "/v1/policies/{policy_id}/suites"},
    Route{RouteId::policy_openapi, "GET", "/v1/policies/{policy_id}/openapi.json"},
    Route{RouteId::healthz, "GET", "/healthz"},
    Route{RouteId::readyz, "GET", "/readyz"},
    Route{RouteId::status, "GET", "/v1/status"},
    Route{RouteId::metrics, "GET", "/metrics"},
    Route{RouteId::reload, "POST", "/v1/reload"},
    Route{RouteId::openapi, "GET", "/openapi.json"},
};

// Matches `path` against a template segment by segment; fills `params`.
bool path_matches(std::string_view pattern, std::string_view path, std::vector<std::string>* params) {
  while (!pattern.empty() && !path.empty()) {
    if (pattern[0] != '/' || path[0] != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    const auto pe = pattern.find('/');
    const auto se = path.find('/');
    const std::string_view want = pattern.substr(0, pe);
    const std::string_view got = path.substr(0, se);
    if (want.size() >= 2 && want.front() == '{' && want.back() == '}') {
      if (got.empty() || got == "." || got == "..") return false;  // never a name, always a path trick
      if (params) params->emplace_back(got);
    } else if (want != got) {
      return false;
    }
    pattern = pe == std::string_view::npos ? std::string_view{} : pattern.substr(pe);
    path = se == std::string_view::npos ? std::string_view{} : path.substr(se);
  }
  return pattern.empty() && path.empty();
}

bool method_fits(const Route& r, std::string_view method) {
  return r.method == method || (method == "HEAD" && r.method == "GET");
}

}  // namespace

std::span<const Route> routes() { return kRoutes; }

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch m;
  for (const Route& r : kRoutes) {
    std::vector<std::string> params;
    if (!path_matches(r.path, path, &params)) continue;
    if (method_fits(r, method)) {
      m.kind = RouteMatch::Kind::found;
      m.route = &r;
      m.params = std::move(params);
      m.allow.clear();
      return m;
    }
    m.kind = RouteMatch::Kind::wrong_method;
    if (!m.allow.empty()) m.allow += ", ";
    m.allow += r.method;
    if (r.method == "GET") m.allow += ", HEAD";
  }
  return m;
}

std::string_view route_label(std::string_view path) {
  for (const Route& r : kRoutes) {
    if (path_matches(r.path, path, nullptr)) return r.path;
  }
  return "unmatched";
}

}  // namespace rulebook::server

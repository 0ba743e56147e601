#include "server/access.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rulebook::server {

bool token_matches(std::string_view given, std::string_view expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t k = 0; k < given.size(); ++k) {
    diff |= static_cast<unsigned char>(given[k] ^ (k < expected.size() ? expected[k] : 0));
  }
  return diff == 0;
}

bool bearer_matches(const httplib::Request& req, std::string_view expected) {
  const std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view scheme = "Bearer ";
  const bool has_scheme =
      auth.size() >= scheme.size() && std::equal(scheme.begin(), scheme.end(), auth.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
      });
  return has_scheme && token_matches(std::string_view(auth).substr(scheme.size()), expected);
}

std::optional<std::string> read_token_file(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read the token file " + path + " (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = "cannot read the token file " + path;
    return std::nullopt;
  }
  std::string token = text.str();
  if (!token.empty() && token.back() == '\n') token.pop_back();
  if (!token.empty() && token.back() == '\r') token.pop_back();
  if (token.empty()) {
    error = "the token file " + path + " is empty; put the token on its first line";
    return std::nullopt;
  }
  // A header value cannot carry these, so no client could ever send the token.
  if (std::any_of(token.begin(), token.end(),
                  [](char c) { return c == '\n' || c == '\r' || c == '\0' || c == ' ' || c == '\t'; })) {
    error = "the token file " + path + " must hold one token: no spaces, tabs or further lines";
    return std::nullopt;
  }
  return token;
}

bool needs_api_token(RouteId route) {
  switch (route) {
    case RouteId::decide:
    case RouteId::decide_batch:
    case RouteId::policies:
    case RouteId::policy:
    case RouteId::policy_openapi:  // describes the policy's facts, as GET /v1/policies/{id} does
    case RouteId::policy_source:
    case RouteId::policy_suites:
    case RouteId::status: return true;
    case RouteId::healthz:
    case RouteId::readyz:
    case RouteId::metrics:
    case RouteId::openapi:
    case RouteId::reload: return false;
  }
  return true;
}

std::optional<std::string> CorsPolicy::allowed_origin(const httplib::Request& req) const {
  if (origins_.empty() || !req.has_header("Origin")) return std::nullopt;
  const std::string origin = req.get_header_value("Origin");
  for (const auto& o : origins_) {
    if (o == "*" || o == origin) return origin;
  }
  return std::nullopt;
}

bool CorsPolicy::is_preflight(const httplib::Request& req) {
  return req.method == "OPTIONS" && req.has_header("Origin") && req.has_header("Access-Control-Request-Method");
}

void CorsPolicy::add_headers(const httplib::Request& req, httplib::Response& res) const {
  if (origins_.empty()) return;
  res.set_header("Vary", "Origin");  // the answer depends on it, for any cache in between
  const auto origin = allowed_origin(req);
  if (!origin) return;
  res.set_header("Access-Control-Allow-Origin", *origin);
  res.set_header("Access-Control-Expose-Headers", "X-Request-Id, traceparent");
}

void CorsPolicy::answer_preflight(const httplib::Request& req, std::string_view methods,
                                  httplib::Response& res) const {
  res.status = 204;
  if (!allowed_origin(req)) return;
  res.set_header("Access-Control-Allow-Methods", std::string(methods));
  res.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Request-Id, traceparent");
  res.set_header("Access-Control-Max-Age", "600");
}

bool valid_cors_origin(std::string_view origin) {
  if (origin == "*") return true;
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos || sep == 0) return false;
  const std::string_view scheme = origin.substr(0, sep);
  const std::string_view rest = origin.substr(sep + 3);
  if (rest.empty() || rest.find('/') != std::string_view::npos) return false;
  const auto ok = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']'; };
  return std::all_of(scheme.begin(), scheme.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }) &&
         std::all_of(rest.begin(), rest.end(), ok);
}

}  // namespace rulebook::server

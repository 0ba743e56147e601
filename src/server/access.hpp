// Who may call the decision service: bearer tokens (the API token of
// --auth-token-file, the admin token of POST /v1/reload) and the browser
// origins --cors-origin allows. Pure functions over a request; the server
// decides when each applies (server.cpp).
#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/routes.hpp"

namespace rulebook::server {

// Compares every byte whatever the first difference, so timing tells nothing
// of where a guess goes wrong.
bool token_matches(std::string_view given, std::string_view expected);

// Whether the request carries "Authorization: Bearer <expected>" (the scheme
// in any case), compared in constant time.
bool bearer_matches(const httplib::Request& req, std::string_view expected);

// Reads a token file once: its contents with one trailing newline (LF or
// CRLF) trimmed. nullopt with `error` naming the file when it cannot be read
// or holds no token.
std::optional<std::string> read_token_file(const std::string& path, std::string& error);

// The routes --auth-token-file guards: every route that answers decisions or
// policy data. /healthz, /readyz, /metrics and /openapi.json stay open;
// POST /v1/reload has its own admin token.
bool needs_api_token(RouteId route);

// --cors-origin: the browser origins allowed to call the API. Empty: none (no
// CORS header is ever sent).
class CorsPolicy {
 public:
  CorsPolicy() = default;
  explicit CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {}
  bool enabled() const { return !origins_.empty(); }
  // The request's Origin when it is one of the allowed ones.
  std::optional<std::string> allowed_origin(const httplib::Request& req) const;
  // A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method.
  static bool is_preflight(const httplib::Request& req);
  // Adds Access-Control-Allow-Origin (and Vary, Expose-Headers) for an allowed origin.
  void add_headers(const httplib::Request& req, httplib::Response& res) const;
  // Answers a preflight 204: with the allowed methods, headers and max-age
  // when its origin is allowed, with no allow header otherwise.
  void answer_preflight(const httplib::Request& req, std::string_view methods, httplib::Response& res) const;

 private:
  std::vector<std::string> origins_;
};

// What --cors-origin accepts: "*" or scheme://host[:port], nothing after.
bool valid_cors_origin(std::string_view origin);

}  // namespace rulebook::server

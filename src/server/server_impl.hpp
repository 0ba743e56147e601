// The decision server's state (DecisionServer::Impl) and the answer helpers
// its parts share. server.cpp routes and answers requests; operations.cpp has
// the operator's routes and logs (status, reload, readiness, the watcher's
// reloads, the access log and masking). Included by those two files only.
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/build_info.hpp"
#include "facts/log_mask.hpp"
#include "rulebook/api.hpp"
#include "server/access.hpp"
#include "server/access_log.hpp"
#include "server/connections.hpp"
#include "server/decision_log.hpp"
#include "server/metrics.hpp"
#include "server/policy_store.hpp"
#include "server/request_ids.hpp"
#include "server/routes.hpp"
#include "server/server.hpp"
#include "server/tls.hpp"
#include "server/tracing.hpp"
#include "server/watcher.hpp"

namespace rulebook::server {

using nlohmann::ordered_json;

namespace answers {

constexpr const char* kJson = "application/json";

inline std::string dump(const ordered_json& j) { return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

inline void send_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_content(std::move(body), kJson);
}

inline void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message,
                std::string_view details = "[]") {
  send_json(res, status, error_body(code, message, details));
}


// The diagnostics as headlines: ["aps/x.rules:3:5: error: ..."].
inline ordered_json diagnostics_json(const std::vector<Diagnostic>& ds) {
  ordered_json out = ordered_json::array();
  for (const auto& d : ds) out.push_back(format_headline(d));
  return out;
}

// details of a reload_failed error: [{"path": "aps/x.rules:3:5", "problem": "..."}]
inline std::string reload_details(const std::vector<Diagnostic>& ds) {
  ordered_json out = ordered_json::array();
  for (const auto& d : ds) {
    std::string where = d.pos.file;
    if (d.pos.line > 0) where += ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column);
    out.push_back({{"path", where}, {"problem", d.message}});
  }
  return dump(out);
}

}  // namespace answers

struct DecisionServer::Impl {
  ServerOptions options;
  Limits limits;
  PolicyStore store;
  Metrics metrics{BuildLabels{cli::kBuildInfo.version, cli::kBuildInfo.revision}};
  RequestIds ids;
  std::unique_ptr<DecisionLog> log;
  std::unique_ptr<AccessLog> access_log;
  std::optional<LogMask> log_mask;
  std::unique_ptr<Watcher> watcher;
  std::string watch_baseline;
  std::string started_at = now_iso_utc();
  GuardedServer http;
  std::shared_ptr<const TlsContext> tls;   // --tls-cert/--tls-key, null: plain HTTP
  std::optional<std::string> api_token;    // --auth-token-file
  CorsPolicy cors;                         // --cors-origin
  int listen_fd = -1;
  int port = -1;
  std::atomic<bool> run_started{false};
  std::atomic<bool> run_finished{false};
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> stop_sent{false};

  explicit Impl(ServerOptions o)
      : options(std::move(o)), store(options.policies_dir, LoadOptions{}), cors(options.cors_origins) {
    limits.max_body_bytes = options.max_body;
    if (options.threads == 0) options.threads = default_threads();
  }

  std::string shown(const std::string& path) const { return store.display_path(path); }

  // The caller's X-Request-Id when it is valid (tracing.hpp), else a new one.
  std::string request_id_for(const httplib::Request& req) {
    if (req.get_header_value_count("X-Request-Id") == 1) {
      std::string given = req.get_header_value("X-Request-Id");
      if (valid_request_id(given)) return given;
    }
    return ids.next();
  }
  static std::optional<TraceParent> trace_of(const httplib::Request& req) {
    if (req.get_header_value_count("traceparent") != 1) return std::nullopt;
    return parse_traceparent(req.get_header_value("traceparent"));
  }
  void log_access(const httplib::Request& req, const httplib::Response& res);
  bool open_observability(std::string& error);

  void configure();
  void handle(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader);
  void respond(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* reader,
               bool& whole);
  void on_error(const httplib::Request& req, httplib::Response& res);
  void answer_whole(const httplib::Request& req, httplib::Response& res);
  void after_routing(const httplib::Request& req, httplib::Response& res);

  enum class Body { ok, too_large, unreadable };
  // `whole`: false when bytes of the body may be left unread on the connection.
  Body read_body(httplib::Response& res, const httplib::ContentReader& reader, std::string& body, bool& whole) const;

  void decide(const std::string& policy_id, std::string_view body, bool batch, const std::string& id,
              const std::string& trace_id, httplib::Response& res);
  void list_policies(httplib::Response& res) const;
  // The version of policy_id in force on ?as_of= (default today); nullptr once an error is sent.
  const Program* policy_version(const httplib::Request& req, const std::string& policy_id, const Snapshot& snapshot,
                                Date& as_of, httplib::Response& res) const;
  void describe_policy(const httplib::Request& req, const std::string& policy_id, httplib::Response& res) const;
  void describe_policy_api(const httplib::Request& req, const std::string& policy_id, httplib::Response& res) const;
  void status(httplib::Response& res) const;
  void workbench_route(const httplib::Request& req, const RouteMatch& m, httplib::Response& res) const;
  void reload(const httplib::Request& req, httplib::Response& res);
  void reload_from_watcher();
  void readiness(httplib::Response& res) const;
};

}  // namespace rulebook::server

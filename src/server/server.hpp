// The decision service: docs/contract/http-api.md over cpp-httplib.
// One DecisionServer owns everything a running service has (the policy
// snapshot, metrics, decision log, request ids, watcher); nothing is global.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rulebook/limits.hpp"
#include "server/observability_options.hpp"

namespace rulebook::server {

struct ServerOptions {
  std::string policies_dir = "policies";
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  bool watch = false;
  std::chrono::milliseconds watch_interval{500};
  std::size_t threads = 0;           // 0: default_threads()
  std::string decision_log;          // empty: no decision log
  std::size_t max_body = 1 << 20;    // bytes (about 3,000 batch cases the size of the worked example)
  std::optional<std::string> admin_token;  // RULEBOOK_ADMIN_TOKEN; unset: POST /v1/reload is refused
  std::chrono::milliseconds shutdown_timeout{10000};  // drain at most this long on stop, then close
  std::chrono::seconds removal_grace{30};  // --watch: a removal of served versions waits this long
  bool ui = true;                    // serve the workbench at "/" (--no-ui: off)
  std::string tls_cert;              // --tls-cert and --tls-key: serve HTTPS (both or neither)
  std::string tls_key;
  std::string auth_token_file;       // --auth-token-file: decide and policy routes need this bearer token
  std::vector<std::string> cors_origins;  // --cors-origin: browser origins allowed (none by default)
  ObservabilityOptions observability;  // request ids, access log, masking (observability_options.hpp)
};

// The worker pool size when --threads is not given: 32 per core, at least 64.
// cpp-httplib gives each keep-alive connection a thread for its whole life, so
// this is also how many clients are served at once; see docs/http-api.md.
std::size_t default_threads();

class DecisionServer {
 public:
  explicit DecisionServer(ServerOptions options);
  ~DecisionServer();
  DecisionServer(const DecisionServer&) = delete;
  DecisionServer& operator=(const DecisionServer&) = delete;

  // Reads the TLS files and the token file, opens the decision log and loads
  // the policies. False with `error` when the service cannot start (a file
  // it cannot use, a policies folder that does not exist). Policies that do
  // not compile are not such an error: the server starts not ready (/readyz
  // 503, decisions 503) and serves once a reload succeeds.
  bool prepare(std::string& error);
  // Binds the listening socket; the port bound, or -1 with `error`.
  int bind(std::string& error);
  // "http://127.0.0.1:8080", once bound.
  std::string address() const;
  // Serves until stop(); finishes the requests in flight before returning.
  // False when the server could not serve.
  bool run();
  // Stops accepting and makes run() return once requests in flight finish,
  // or once --shutdown-timeout has passed, whichever comes first (then the
  // connections still open are closed). Safe from any thread, at any time,
  // more than once.
  void stop();
  // Closes and reopens the decision log and the access log (SIGHUP, for logrotate). Safe from any thread.
  void reopen_log();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rulebook::server

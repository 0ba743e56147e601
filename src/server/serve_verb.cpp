// `rulebook serve`: the decision service (docs/contract/http-api.md).
// Parses the command line, starts a DecisionServer, prints the one line with
// its address, and on SIGINT or SIGTERM drains the requests in flight and
// exits 0.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <ostream>
#include <thread>

#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "server/access.hpp"
#include "server/server.hpp"

namespace rulebook::cli {

namespace {

// Fills `o` from the command line, with CLI11 (src/cli/options.hpp): --help
// prints the options; a bad command line is one line and exit 2.
std::optional<int> parse_args(const Args& args, server::ServerOptions& o, std::ostream& out, std::ostream& err) {
  CLI::App app{"Serve decisions over HTTP (docs/http-api.md).", "rulebook serve"};
  app.footer(
      "The workbench is served at / (--no-ui: not served). SIGHUP reopens the decision log and the access log\n"
      "(for logrotate).\n"
      "POST /v1/reload needs RULEBOOK_ADMIN_TOKEN set in the environment (then Authorization: Bearer <token>).\n"
      "Policies that do not compile at start leave the server running but not ready (/readyz 503) until a\n"
      "reload succeeds.");
  const auto not_empty = CLI::Validator(
      [](std::string& v) { return v.empty() ? std::string("needs a value") : std::string(); }, "NOT EMPTY");
  double shutdown_seconds = static_cast<double>(o.shutdown_timeout.count()) / 1000;
  long long grace_seconds = o.removal_grace.count();
  bool no_ui = false;
  app.add_option("--policies", o.policies_dir, "the policies folder")->capture_default_str()->check(not_empty);
  app.add_option("--host", o.host, "the address to listen on")->capture_default_str()->check(not_empty);
  app.add_option("--port", o.port, "the port (0: any free port, printed at start)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  app.add_flag("--watch", o.watch, "reload when a file under the policies folder changes");
  app.add_option("--threads", o.threads, "worker threads, one per connection being served (default: 32 per core, at least 64)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}));
  app.add_option("--decision-log", o.decision_log, "append one JSON line per decision to FILE")->check(not_empty);
  app.add_option("--max-body", o.max_body, "the largest request body in bytes")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32));
  app.add_option("--shutdown-timeout", shutdown_seconds,
                 "on SIGTERM, finish the requests in flight for at most this many seconds")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--removal-grace", grace_seconds,
                 "with --watch, a reload that removes served policy versions waits until the removal has lasted "
                 "this many seconds")
      ->capture_default_str()
      ->check(CLI::Range(0LL, 86400LL));
  app.add_flag("--no-ui", no_ui, "do not serve the workbench at /");
  auto* cert = app.add_option("--tls-cert", o.tls_cert, "serve HTTPS with this PEM certificate (and chain)")
                   ->check(not_empty);
  auto* key = app.add_option("--tls-key", o.tls_key, "the PEM private key of --tls-cert")->check(not_empty);
  cert->needs(key);
  key->needs(cert);
  app.add_option("--auth-token-file", o.auth_token_file,
                 "decide and policy routes need Authorization: Bearer <the token in FILE>")
      ->check(not_empty);
  app.add_option("--cors-origin", o.cors_origins,
                 "let browser pages from ORIGIN (scheme://host[:port], or *) call the API; repeatable")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->check(CLI::Validator(
          [](std::string& v) {
            return server::valid_cors_origin(v) ? std::string()
                                                : "is not an origin: write scheme://host[:port] (or *)";
          },
          "ORIGIN"));
  auto& obs = o.observability;
  app.add_option("--access-log", obs.access_log, "one JSON line per request answered to FILE (-: standard output)")
      ->check(not_empty);
  auto* mask = app.add_option("--log-mask", obs.log_mask,
                              "facts (employee.name ...) written to the decision log as sha256:<hex> of the salt "
                              "file's bytes and the value; takes every path up to the next option; repeatable")
                   ->expected(1, CLI::detail::expected_max_vector_size)
                   ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  app.add_option("--log-mask-salt-file", obs.log_mask_salt_file, "the salt of --log-mask's hashes (at least 16 bytes)")
      ->check(not_empty);
  double reclaim_seconds = static_cast<double>(obs.reclaim_idle_after.count()) / 1000;
  app.add_option("--reclaim-idle-after", reclaim_seconds,
                 "a keep-alive connection idle this many seconds may be closed when a client waits for a worker "
                 "(behind nginx: above its upstream keepalive_timeout)")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](std::string& v) {
            double x = -1;
            try {
              std::size_t used = 0;
              x = std::stod(v, &used);
              if (used != v.size()) x = -1;
            } catch (const std::exception&) {
            }
            return x >= 0 && x <= 60 ? std::string() : std::string("needs a number of seconds from 0 to 60");
          },
          "SECONDS"));
  if (const auto done = parse_options(app, args, out, err)) return done;
  obs.reclaim_idle_after = std::chrono::milliseconds(static_cast<long long>(reclaim_seconds * 1000));
  if (mask->count() > 0 && obs.log_mask_salt_file.empty()) {
    err << "rulebook serve: --log-mask needs --log-mask-salt-file FILE (the salt of the hashes; keep it secret)\n";
    return kBadInput;
  }
  if (mask->count() > 0 && o.decision_log.empty()) {
    err << "rulebook serve: --log-mask masks facts in the decision log: give --decision-log FILE too\n";
    return kBadInput;
  }
  o.shutdown_timeout = std::chrono::milliseconds(static_cast<long long>(shutdown_seconds * 1000));
  o.removal_grace = std::chrono::seconds(grace_seconds);
  o.ui = !no_ui;
  return std::nullopt;
}

}  // namespace

int serve(const Args& args, std::ostream& out, std::ostream& err) {
  server::ServerOptions options;
  if (const auto done = parse_args(args, options, out, err)) return *done;
  if (const char* token = std::getenv("RULEBOOK_ADMIN_TOKEN"); token && *token) options.admin_token = token;

  // SIGINT, SIGTERM and SIGHUP are taken by one thread with sigwait: blocked
  // here, before any thread starts, so every thread inherits the mask.
  // SIGPIPE (a client gone mid-response) must not end the process, nor
  // SIGXFSZ (a file size limit reached by the decision log: the write fails
  // with EFBIG instead, and is handled as a failed write).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
  // Buffers of 256 KiB and more (big request bodies, batch answers, their
  // JSON documents) are mapped on their own and returned to the system when
  // freed. glibc's default raises this threshold after each such free, so they
  // then stay in per-thread arenas: 20 batches of 10,000 cases left 311 MB
  // resident, 13 MB with this (docs/security.md).
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);

  server::DecisionServer server(options);
  std::string problem;
  if (!server.prepare(problem)) {
    err << "rulebook serve: " << problem;
    if (!problem.empty() && problem.back() != '\n') err << "\n";
    return kFailed;
  }
  if (server.bind(problem) < 0) {
    err << "rulebook serve: " << problem << "\n";
    return kFailed;
  }
  out << "rulebook listening on " << server.address() << std::endl;

  std::atomic<bool> serving_done{false};
  std::thread signal_waiter([&] {
    int signo = 0;
    while (sigwait(&stop_signals, &signo) == 0 && signo == SIGHUP && !serving_done) server.reopen_log();
    if (serving_done) return;  // woken by main below, not by a signal
    err << "rulebook serve: " << (signo == SIGINT ? "SIGINT" : "SIGTERM")
        << ": finishing the requests in flight, then exiting" << std::endl;
    server.stop();
  });

  const bool ok = server.run();
  serving_done = true;
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // wakes it if no signal came
  signal_waiter.join();
  if (!ok) {
    err << "rulebook serve: the server stopped with an error\n";
    return kFailed;
  }
  return kOk;
}

}  // namespace rulebook::cli

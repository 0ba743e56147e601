// `rulebook serve`: the decision service (docs/contract/http-api.md).
// Parses the command line, starts a DecisionServer, prints the one line with
// its address, and on SIGINT or SIGTERM drains the requests in flight and
// exits 0.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <ostream>
#include <thread>

#include "cli/cli.hpp"
#include "server/server.hpp"

namespace rulebook::cli {

namespace {

constexpr const char* kServeUsage =
    "usage: rulebook serve [--policies DIR] [--host H] [--port N] [--watch] [--threads N]\n"
    "                      [--decision-log FILE] [--max-body BYTES] [--shutdown-timeout SECONDS]\n"
    "                      [--removal-grace SECONDS] [--no-ui] [--access-log FILE|-]\n"
    "                      [--log-mask PATH... --log-mask-salt-file FILE] [--reclaim-idle-after SECONDS]\n"
    "  defaults: --policies ./policies --host 127.0.0.1 --port 8080 (0: any free port) --max-body 1048576\n"
    "            --shutdown-timeout 10 (SIGTERM drains for at most this long) --removal-grace 30 (with --watch,\n"
    "            a reload that removes served policy versions waits until the removal has lasted this long)\n"
    "  the workbench is served at / (--no-ui: not served)\n"
    "  --access-log: one JSON line per request (-: standard output); --log-mask employee.name ...: those facts\n"
    "            are written to the decision log as sha256:<hex> of the salt file's bytes and the value\n"
    "  --reclaim-idle-after 0.25: a keep-alive connection idle this long may be closed when a client waits\n"
    "            for a worker (behind nginx: above its upstream keepalive_timeout)\n"
    "  SIGHUP reopens the decision log and the access log (for logrotate)\n"
    "  POST /v1/reload needs RULEBOOK_ADMIN_TOKEN set in the environment (then Authorization: Bearer <token>)\n";

template <typename T>
bool parse_number(const std::string& text, T min, T max, T& out) {
  T v{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) return false;
  out = v;
  return true;
}

// Fills `o` from the arguments; an error message, or empty.
std::string parse_args(const Args& args, server::ServerOptions& o) {
  for (std::size_t k = 0; k < args.size(); ++k) {
    const std::string& a = args[k];
    auto value = [&]() -> const std::string* { return k + 1 < args.size() ? &args[++k] : nullptr; };
    const std::string* v = nullptr;
    if (a == "--watch") {
      o.watch = true;
    } else if (a == "--no-ui") {
      o.ui = false;
    } else if (a == "--access-log" || a == "--log-mask-salt-file") {
      if (!(v = value()) || v->empty()) return a + " needs a value";
      (a == "--access-log" ? o.observability.access_log : o.observability.log_mask_salt_file) = *v;
    } else if (a == "--log-mask") {  // one or more fact paths, up to the next option
      if (k + 1 >= args.size() || args[k + 1].rfind("--", 0) == 0) return "--log-mask needs a fact path, e.g. employee.name";
      while (k + 1 < args.size() && args[k + 1].rfind("--", 0) != 0) o.observability.log_mask.push_back(args[++k]);
    } else if (a == "--reclaim-idle-after") {
      double seconds = 0;
      if (!(v = value()) || !parse_number(*v, 0.0, 60.0, seconds)) {
        return "--reclaim-idle-after needs a number of seconds from 0 to 60";
      }
      o.observability.reclaim_idle_after = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    } else if (a == "--policies" || a == "--host" || a == "--decision-log") {
      if (!(v = value()) || v->empty()) return a + " needs a value";
      (a == "--policies" ? o.policies_dir : a == "--host" ? o.host : o.decision_log) = *v;
    } else if (a == "--port") {
      if (!(v = value()) || !parse_number(*v, 0, 65535, o.port)) return "--port needs a number from 0 to 65535";
    } else if (a == "--threads") {
      if (!(v = value()) || !parse_number<std::size_t>(*v, 1, 4096, o.threads)) {
        return "--threads needs a number from 1 to 4096";
      }
    } else if (a == "--max-body") {
      if (!(v = value()) || !parse_number<std::size_t>(*v, 1, std::size_t{1} << 32, o.max_body)) {
        return "--max-body needs a number of bytes from 1 to 4294967296";
      }
    } else if (a == "--shutdown-timeout") {
      double seconds = 0;
      if (!(v = value()) || !parse_number(*v, 0.0, 3600.0, seconds)) {
        return "--shutdown-timeout needs a number of seconds from 0 to 3600";
      }
      o.shutdown_timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
    } else if (a == "--removal-grace") {
      long long seconds = 0;
      if (!(v = value()) || !parse_number<long long>(*v, 0, 86400, seconds)) {
        return "--removal-grace needs a number of seconds from 0 to 86400";
      }
      o.removal_grace = std::chrono::seconds(seconds);
    } else {
      return "unknown argument " + a;
    }
  }
  if (!o.observability.log_mask.empty() && o.observability.log_mask_salt_file.empty()) {
    return "--log-mask needs --log-mask-salt-file FILE (the salt of the hashes; keep it secret)";
  }
  if (!o.observability.log_mask.empty() && o.decision_log.empty()) {
    return "--log-mask masks facts in the decision log: give --decision-log FILE too";
  }
  return {};
}

}  // namespace

int serve(const Args& args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    out << kServeUsage;
    return kOk;
  }
  server::ServerOptions options;
  if (const std::string problem = parse_args(args, options); !problem.empty()) {
    err << "rulebook serve: " << problem << "\n" << kServeUsage;
    return kBadInput;
  }
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

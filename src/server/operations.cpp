// The operator's side of the decision server: GET /v1/status, POST /v1/reload,
// GET /readyz, reloads started by the watcher, and the logs beside the
// decision log (the access log, and the facts masked in the decision log).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "server/server_impl.hpp"

namespace rulebook::server {

using namespace answers;

void DecisionServer::Impl::status(httplib::Response& res) const {
  const StoreStatus s = store.status();
  ordered_json j = ordered_json::object();
  j["status"] = s.last_error ? "reload_failed" : s.pending_removal ? "removal_pending" : "ok";
  j["policies_dir"] = store.dir();
  // No snapshot: the first load failed, and no reload has succeeded since.
  j["policies_loaded"] = s.snapshot ? s.snapshot->set->versions().size() : 0;
  ordered_json policies = ordered_json::array();
  if (s.snapshot) {
    for (const auto& p : s.snapshot->set->versions()) {
      policies.push_back({{"id", p->header.id}, {"version", p->header.version}, {"hash", p->hash}});
    }
  }
  j["policies"] = std::move(policies);
  j["loaded_at"] = s.snapshot ? ordered_json(s.snapshot->loaded_at) : ordered_json();
  j["generation"] = s.snapshot ? s.snapshot->generation : 0;
  j["last_reload_at"] = s.last_attempt_at;
  if (s.last_error) {
    j["last_reload_error"] = {{"message", s.last_error->message},
                              {"errors", diagnostics_json(s.last_error->diagnostics)},
                              {"at", s.last_error->at}};
  } else {
    j["last_reload_error"] = nullptr;
  }
  j["reloads"] = s.reloads;
  j["failed_reloads"] = s.failed_reloads;
  const auto removal_json = [](const Removal& r, bool pending) {
    ordered_json versions = ordered_json::array();
    for (const auto& v : r.versions) versions.push_back({{"id", v.id}, {"version", v.version}});
    ordered_json out = {{"versions", std::move(versions)}, {pending ? "since" : "at", r.at}};
    if (pending) out["takes_effect_at"] = r.takes_effect_at;
    return out;
  };
  j["pending_removal"] = s.pending_removal ? removal_json(*s.pending_removal, true) : ordered_json();
  j["last_removal"] = s.last_removal ? removal_json(*s.last_removal, false) : ordered_json();
  j["removal_grace_seconds"] = options.watch ? options.removal_grace.count() : 0;
  j["watch"] = options.watch;
  j["decision_log"] = options.decision_log.empty() ? ordered_json() : ordered_json(options.decision_log);
  if (log) {
    const auto health = log->health();
    j["decision_log_error"] = health.ok ? ordered_json() : ordered_json(health.problem);
  }
  if (access_log) {
    const auto a = access_log->stats();
    j["access_log"] = {{"target", access_log->target()},
                       {"lines_written", a.written},
                       {"lines_dropped", a.dropped},
                       {"lines_failed", a.failed},
                       {"error", a.problem.empty() ? ordered_json() : ordered_json(a.problem)}};
  }
  j["log_mask"] = options.observability.log_mask;
  j["threads"] = options.threads;
  j["max_body"] = options.max_body;
  j["started_at"] = started_at;
  send_json(res, 200, dump(j));
}

void DecisionServer::Impl::reload(const httplib::Request& req, httplib::Response& res) {
  if (!options.admin_token) {
    return send_error(res, 403, "forbidden",
                      "reloading over HTTP is off: start the server with RULEBOOK_ADMIN_TOKEN set to enable it");
  }
  if (!bearer_matches(req, *options.admin_token)) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"rulebook\"");
    return send_error(res, 401, "unauthorized", "POST /v1/reload needs the header Authorization: Bearer <token>");
  }
  const ReloadOutcome outcome = store.reload();
  if (!outcome.ok) {
    std::cerr << "rulebook serve: reload failed, still serving the last good set: " << outcome.error->message
              << std::endl;
    return send_error(res, 422, "reload_failed",
                      "the policies did not compile; the last good set keeps serving: " + outcome.error->message,
                      reload_details(outcome.error->diagnostics));
  }
  std::cerr << "rulebook serve: reloaded " << outcome.snapshot->set->versions().size() << " policy versions from "
            << store.dir() << std::endl;
  ordered_json j = ordered_json::object();
  j["status"] = "reloaded";
  j["policies_loaded"] = outcome.snapshot->set->versions().size();
  j["loaded_at"] = outcome.snapshot->loaded_at;
  j["generation"] = outcome.snapshot->generation;
  ordered_json policies = ordered_json::array();
  for (const auto& p : outcome.snapshot->set->versions()) {
    policies.push_back({{"id", p->header.id}, {"version", p->header.version}, {"hash", p->hash}});
  }
  j["policies"] = std::move(policies);
  send_json(res, 200, dump(j));
}

// GET /readyz: 200 when this replica should get traffic (policies loaded,
// decision log writable), else 503 with what is wrong.
void DecisionServer::Impl::readiness(httplib::Response& res) const {
  ordered_json problems = ordered_json::array();
  const auto snapshot = store.current();
  if (!snapshot || !snapshot->set) {
    const StoreStatus st = store.status();
    problems.push_back({{"check", "policies"},
                        {"problem", st.last_error ? "no policy set is loaded: " + st.last_error->message
                                                  : std::string("no policy set is loaded yet")}});
  }
  if (log) {
    const auto health = log->health();
    if (!health.ok) {
      problems.push_back({{"check", "decision_log"},
                          {"problem", "writes to the decision log fail (" + health.problem +
                                          "); decisions are refused until a write succeeds"}});
    }
  }
  ordered_json j = {{"status", problems.empty() ? "ready" : "not_ready"}, {"problems", std::move(problems)}};
  send_json(res, j["problems"].empty() ? 200 : 503, dump(j));
}

void DecisionServer::Impl::reload_from_watcher() {
  const ReloadOutcome outcome = store.reload(ReloadRules{options.removal_grace});
  if (outcome.removal_pending) {
    std::string names;
    for (const auto& v : outcome.removed) names += (names.empty() ? "" : ", ") + v.id + " " + v.version;
    std::cerr << "rulebook serve: files changed and would remove " << names << "; still serving them for "
              << options.removal_grace.count() << " s (--removal-grace) in case the removal is part of a deploy"
              << std::endl;
    return;
  }
  if (outcome.ok) {
    std::cerr << "rulebook serve: files changed; reloaded " << outcome.snapshot->set->versions().size()
              << " policy versions from " << store.dir() << std::endl;
  } else {
    std::cerr << "rulebook serve: files changed but do not compile; still serving the last good set: "
              << outcome.error->message << std::endl;
  }
}

// The access log and the decision log's masking (serve --access-log, --log-mask).
bool DecisionServer::Impl::open_observability(std::string& error) {
  const ObservabilityOptions& o = options.observability;
  if (!o.log_mask.empty()) {
    std::ifstream in(o.log_mask_salt_file, std::ios::binary);
    std::string salt;
    char buf[4096];
    while (in && salt.size() <= 65536) {
      in.read(buf, sizeof buf);
      salt.append(buf, static_cast<std::size_t>(in.gcount()));
    }
    if (!in.eof() || salt.size() > 65536) {
      error = "cannot read the salt file " + o.log_mask_salt_file + " (--log-mask-salt-file): " +
              (salt.size() > 65536 ? std::string("larger than 64 KiB") : std::string(std::strerror(errno)));
      return false;
    }
    while (!salt.empty() && (salt.back() == '\n' || salt.back() == '\r')) salt.pop_back();  // an editor's newline
    std::string problem;
    log_mask = LogMask::make(o.log_mask, std::move(salt), problem);
    if (!log_mask) {
      error = "--log-mask: " + problem + " (salt file " + o.log_mask_salt_file + ")";
      return false;
    }
  }
  if (!o.access_log.empty()) {
    access_log = std::make_unique<AccessLog>(o.access_log);
    if (!access_log->is_open()) {
      error = "cannot open the access log " + access_log->error();
      return false;
    }
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) { log_access(req, res); });
  }
  return true;
}

// One access log line, once the answer has been written (cpp-httplib's logger).
void DecisionServer::Impl::log_access(const httplib::Request& req, const httplib::Response& res) {
  const auto now = std::chrono::steady_clock::now();
  const auto started = request_started_on_this_thread();
  AccessRecord r;
  r.time = std::chrono::system_clock::now() -
           std::chrono::duration_cast<std::chrono::system_clock::duration>(now - started);
  r.method = req.method;
  r.path = req.path;
  for (const auto& [name, value] : req.params) {
    if (r.query_names.empty() || r.query_names.back() != name) r.query_names.push_back(name);
  }
  r.status = res.status;
  r.bytes = req.method == "HEAD" ? 0 : res.body.empty() ? res.content_length_ : res.body.size();
  r.duration_ms = std::chrono::duration<double, std::milli>(now - started).count();
  const std::string id = res.get_header_value("X-Request-Id");
  r.request_id = id;
  const std::string trace = res.get_header_value("traceparent");  // echoed only when valid
  if (trace.size() >= 35) r.trace_id = std::string_view(trace).substr(3, 32);
  r.remote = req.remote_addr;
  std::string policy;
  if (req.path.rfind("/v1/decide/", 0) == 0) {
    const RouteMatch m = match_route(req.method, req.path);
    if (m.kind == RouteMatch::Kind::found && !m.params.empty()) policy = m.params[0];
  }
  r.policy = policy;
  access_log->write(format_access_line(r));
}

}  // namespace rulebook::server

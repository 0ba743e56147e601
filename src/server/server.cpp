#include "server/server.hpp"
#include "server/server_impl.hpp"

#include <httplib.h>
#include <malloc.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "facts/log_mask.hpp"
#include "rulebook/api.hpp"
#include "server/access.hpp"
#include "server/access_log.hpp"
#include "server/connections.hpp"
#include "server/decision_log.hpp"
#include "server/framing.hpp"
#include "cli/build_info.hpp"
#include "server/metrics.hpp"
#include "server/policy_openapi.hpp"
#include "server/openapi.hpp"
#include "server/policy_store.hpp"
#include "server/request_ids.hpp"
#include "server/routes.hpp"
#include "server/schema.hpp"
#include "server/tls.hpp"
#include "server/tracing.hpp"
#include "server/ui_routes.hpp"
#include "server/workbench_api.hpp"
#include "server/watcher.hpp"

namespace rulebook::server {

using nlohmann::ordered_json;
using namespace answers;  // send_json, send_error, dump (server_impl.hpp)

std::size_t default_threads() {
  // Measured on 2 cores (docs/http-api.md): 32 threads left some of 64
  // simultaneous keep-alive clients unanswered; 64 and 128 answered every one
  // of 100 at the same throughput, and an idle worker costs ~6 KiB resident.
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(64, 32 * cores);
}

namespace {

// A JSON string's contents, for building messages that quote client input.
std::string client_text(std::string_view s) {
  const std::string shown = s.size() > 200 ? std::string(s.substr(0, 200)) + "..." : std::string(s);
  return ordered_json(shown).dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

// Errors cpp-httplib answers itself, before any handler runs.
std::pair<const char*, const char*> library_error(int status) {
  switch (status) {
    case 400: return {"invalid_request", "the HTTP request is malformed"};
    case 404: return {"not_found", "no such route"};
    case 413: return {"payload_too_large", "the body is larger than the server accepts"};
    case 414: return {"uri_too_long", "the request target is too long"};
    case 416:
      return {"invalid_request",
              "the Range header cannot be read; this service ignores Range and answers every body whole, "
              "but it could not read this request's body past it: send the request without Range"};
    case 500: return {"internal", "internal error"};
    default: return {status < 500 ? "invalid_request" : "internal", "the request could not be served"};
  }
}

// Requests at least this large are followed by malloc_trim (see decide).
constexpr std::size_t kTrimAfterBodyBytes = 256 * 1024;

// cpp-httplib 0.11 reads any number of header lines; refuse what no client
// needs. (A flood far past these is cut off as it arrives: ConnectionLimits.)
constexpr std::size_t kMaxHeaderFields = 128;
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

bool headers_too_large(const httplib::Request& req) {
  if (req.headers.size() > kMaxHeaderFields) return true;
  std::size_t bytes = 0;
  for (const auto& [name, value] : req.headers) bytes += name.size() + value.size() + 4;
  return bytes > kMaxHeaderBytes;
}

// Whether the request says a body follows its headers.
bool announces_body(const httplib::Request& req) {
  if (req.has_header("Transfer-Encoding")) return true;
  const std::string length = req.get_header_value("Content-Length");
  return !length.empty() && length.find_first_not_of('0') != std::string::npos;
}

// Set by answer_then_close, read (and cleared) by the post-routing handler of
// the same request, which always runs on the same worker thread.
thread_local bool closing_after_answer = false;

// Set by a large decide request; the connection loop then trims the heap once
// the request and its answer are freed (see configure).
thread_local bool trim_after_request = false;

// Sends `res` (already complete) and then closes the connection. For a request
// whose body was not read, or not all of it, this must happen: the unread
// bytes would otherwise be read as the next request on the connection, which
// behind a proxy sharing connections is request smuggling. cpp-httplib 0.11
// has no call for it, and a "Connection: close" header alone does not do it;
// what does is a content provider that fails: it writes the whole body, then
// reports failure, and the library closes the connection.
// (For HEAD, see after_routing.)
void answer_then_close(const httplib::Request& req, httplib::Response& res) {
  auto body = std::make_shared<std::string>(std::move(res.body));
  res.body.clear();
  if (body->empty()) *body = error_body("internal", "internal error; the server log has the details", "[]");
  std::string type = res.get_header_value("Content-Type");
  if (type.empty()) type = kJson;
  res.headers.erase("Content-Type");  // set_content_provider sets it again
  res.set_header("Connection", "close");
  const bool head = req.method == "HEAD";
  res.set_content_provider(body->size(), type,
                           [body, head](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             if (!head && offset < body->size()) {
                               sink.write(body->data() + offset, std::min(length, body->size() - offset));
                             }
                             return false;
                           });
  closing_after_answer = true;
}


}  // namespace


void DecisionServer::Impl::configure() {
  http.new_task_queue = [this] { return http.make_pool(options.threads); };
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(100000);
  http.set_keep_alive_timeout(5);
  http.set_read_timeout(5, 0);
  http.set_write_timeout(5, 0);
  // A Content-Length over the limit is answered 413 before routing, without
  // reading the body (framing.hpp); chunked bodies are capped in read_body.
  http.set_payload_max_length(options.max_body);
  // A header flood is cut off as it arrives; the handler's exact limits (431) apply below these.
  http.set_connection_limits(ConnectionLimits{2 * kMaxHeaderBytes + 8192, 2 * kMaxHeaderFields + 2,
                                              std::chrono::milliseconds(10000)});
  // A large batch leaves memory free in this thread's malloc arena, which
  // glibc keeps (one arena per thread: it adds up over the pool; 20 batches
  // of 10,000 cases left 311 MB resident). Buffers of 256 KiB and more are
  // mapped on their own (serve_verb.cpp); this gives back the rest. It costs
  // a few ms, small beside such a request (figures in docs/security.md).
  http.set_idle_reclaim_after(options.observability.reclaim_idle_after);
  http.set_after_request([] {
    if (!trim_after_request) return;
    trim_after_request = false;
    malloc_trim(0);
  });
  http.set_socket_options([this](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    listen_fd = sock;  // the backlog is raised once bound (see bind)
  });

  // Every route goes through one handler and the route table: cpp-httplib
  // only sees ".*", so 404 and 405 are ours to answer, as JSON.
  const auto plain = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res, nullptr); };
  const auto with_body = [this](const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader) { handle(req, res, &reader); };
  http.Get(".*", plain);
  http.Options(".*", plain);
  http.Post(".*", with_body);
  http.Put(".*", with_body);
  http.Patch(".*", with_body);
  http.Delete(".*", with_body);

  // GET, HEAD and OPTIONS bodies would be read whole by the library, with no
  // limit when chunked: refuse them before that happens.
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    closing_after_answer = false;
    // Byte ranges of a JSON answer are not JSON: every answer is whole, 200
    // (cpp-httplib 0.11 slices any answer, even one a handler gave status 200,
    // to the ranges it parsed from a Range header). The library hands handlers
    // its own non-const Request as const; clearing the parsed ranges is the
    // only way to stop it. A Range header it cannot parse is answered 416
    // before this runs: see on_error.
    const_cast<httplib::Request&>(req).ranges.clear();
    if (const auto problem = framing_problem(req, options.max_body)) {
      // Read no body: a proxy in front may frame this request differently.
      res.set_header("X-Request-Id", request_id_for(req));
      send_error(res, problem->status, problem->status == 413 ? "payload_too_large" : "invalid_request",
                 problem->message);
      answer_then_close(req, res);
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool bodyless = req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS";
    if (bodyless && req.has_header("Transfer-Encoding")) {
      res.set_header("X-Request-Id", request_id_for(req));
      send_error(res, 400, "invalid_request", req.method + " requests take no body");
      answer_then_close(req, res);  // the body is left unread
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_error_handler([this](const httplib::Request& req, httplib::Response& res) { on_error(req, res); });
  http.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    std::cerr << "rulebook serve: internal error in " << req.method << " " << req.path << " ("
              << res.get_header_value("X-Request-Id") << "): " << what << std::endl;
    send_error(res, 500, "internal", "internal error; the server log has the details");
  });
  http.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) { after_routing(req, res); });
}

// Routes that read the policy set: they wait for the first successful load.
static bool needs_policies(RouteId route) {
  switch (route) {
    case RouteId::decide:
    case RouteId::decide_batch:
    case RouteId::policies:
    case RouteId::policy:
    case RouteId::policy_source:
    case RouteId::policy_suites: return true;
    default: return false;
  }
}

void DecisionServer::Impl::on_error(const httplib::Request& req, httplib::Response& res) {
  if (!res.body.empty() || res.has_header("X-Request-Id")) return;  // one of ours: already JSON
  // An error the library answers itself: the request's body has not been
  // read (one whose Content-Length is over the limit, answered 413, it tries
  // to skip, but it gives up at the read timeout and says nothing).
  closing_after_answer = false;
  const_cast<httplib::Request&>(req).ranges.clear();  // answers are whole (see the pre-routing handler)
  if (res.status == 416 && !req.method.empty() && !announces_body(req)) {
    // A Range header the library could not parse (it answers 416 before
    // routing): a JSON API ignores Range, so answer the request as if it had
    // none. With a body, it cannot: the body is unread, and is left so.
    return answer_whole(req, res);
  }
  if (head_refused_on_this_thread()) {
    // The connection's stream cut the head off at its budget (connections.hpp).
    send_error(res, 431, "headers_too_large",
               "the request head is larger than the server reads (" + std::to_string(kMaxHeaderFields) +
                   " header fields, " + std::to_string(kMaxHeaderBytes) + " bytes)");
    return answer_then_close(req, res);
  }
  const auto [code, message] = library_error(res.status);
  send_error(res, res.status, code, message);
  // A request line or headers it could not read (400), a target too long
  // (414: its headers are not kept), or a body announced and not read: what
  // follows on the connection is not a request.
  if (req.method.empty() || res.status == 400 || res.status == 414 || announces_body(req)) {
    answer_then_close(req, res);
  }
}

// Answers a request the library refused for its Range header, ignoring the header.
void DecisionServer::Impl::answer_whole(const httplib::Request& req, httplib::Response& res) {
  res.status = -1;
  res.headers.clear();
  res.body.clear();
  // The error handler runs outside the library's exception handling: nothing may escape.
  try {
    handle(req, res, nullptr);
  } catch (const std::exception& e) {
    std::cerr << "rulebook serve: internal error in " << req.method << " " << req.path << ": " << e.what()
              << std::endl;
    send_error(res, 500, "internal", "internal error; the server log has the details");
  } catch (...) {
    send_error(res, 500, "internal", "internal error; the server log has the details");
  }
  if (res.status < 0) send_error(res, 500, "internal", "internal error; the server log has the details");
}

void DecisionServer::Impl::after_routing(const httplib::Request& req, httplib::Response& res) {
  if (!res.has_header("X-Request-Id")) res.set_header("X-Request-Id", request_id_for(req));
  // A valid traceparent is echoed (this service starts no spans of its own).
  if (const auto trace = trace_of(req)) res.set_header("traceparent", trace->header);
  cors.add_headers(req, res);
  metrics.count_request(route_label(req.path), req.method, res.status);
  // The library advertises "Accept-Ranges: bytes" on HEAD answers; ranges
  // are never served, and a HEAD answer carries the headers of the GET one.
  if (req.method == "HEAD") res.headers.erase("Accept-Ranges");
  if (closing_after_answer) {
    closing_after_answer = false;
    res.headers.erase("Keep-Alive");  // added by the library, which does not know
    res.headers.erase("Connection");  // (it may have added a second "close")
    res.set_header("Connection", "close");
    // The library writes no body for HEAD, so it would never call the failing
    // content provider and never close: from here on (the status line and
    // headers are already those of the HEAD answer) it takes the request for
    // a GET, and the provider, made for a HEAD, writes nothing and fails.
    if (req.method == "HEAD") const_cast<httplib::Request&>(req).method = "GET";
  }
}

DecisionServer::Impl::Body DecisionServer::Impl::read_body(httplib::Response& res,
                                                           const httplib::ContentReader& reader,
                                                           std::string& body, bool& whole) const {
  // Past the limit, keep reading (and dropping) a while so the connection
  // stays usable for the 413; past that, give up on the connection.
  const std::size_t limit = options.max_body;
  const std::size_t drain_limit = limit * 8 + (1 << 20);
  std::size_t total = 0;
  const bool read = reader([&](const char* data, std::size_t n) {
    total += n;
    if (total <= limit) body.append(data, n);
    return total <= drain_limit;
  });
  // A failed read leaves the rest of the body unread: past the drain limit,
  // malformed chunks, a timeout, an encoding the library cannot decode, or a
  // Content-Length over the limit (413: the library tries to skip the body,
  // but gives up at the read timeout without saying so).
  whole = read;
  if (res.status == 413 || total > limit) return Body::too_large;
  return read ? Body::ok : Body::unreadable;
}

void DecisionServer::Impl::handle(const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader* reader) {
  bool whole = true;
  respond(req, res, reader, whole);
  if (!whole) answer_then_close(req, res);  // the rest of the body is not a request
}

void DecisionServer::Impl::respond(const httplib::Request& req, httplib::Response& res,
                                   const httplib::ContentReader* reader, bool& whole) {
  const std::string id = request_id_for(req);
  res.set_header("X-Request-Id", id);
  const RouteMatch m = match_route(req.method, req.path);

  // A request with neither Content-Length nor Transfer-Encoding has no body.
  std::string body;
  Body read = Body::ok;
  if (reader && (req.has_header("Content-Length") || req.has_header("Transfer-Encoding"))) {
    read = read_body(res, *reader, body, whole);
  }

  if (headers_too_large(req)) {
    return send_error(res, 431, "headers_too_large",
                      "the request has more than " + std::to_string(kMaxHeaderFields) + " header fields or " +
                          std::to_string(kMaxHeaderBytes) + " bytes of headers");
  }
  if (m.kind == RouteMatch::Kind::no_such_path) {
    if (options.ui && serve_workbench_page(req, res)) return;
    return send_error(res, 404, "not_found", "no route " + req.method + " " + client_text(req.path) +
                                                 "; GET /openapi.json lists the routes");
  }
  if (m.kind == RouteMatch::Kind::wrong_method && cors.enabled() && CorsPolicy::is_preflight(req)) {
    return cors.answer_preflight(req, m.allow, res);  // before the token: a preflight never carries one
  }
  if (m.kind == RouteMatch::Kind::wrong_method) {
    res.set_header("Allow", m.allow);
    return send_error(res, 405, "method_not_allowed",
                      client_text(req.path) + " does not answer " + req.method + "; it answers " + m.allow);
  }
  if (read == Body::too_large) {
    return send_error(res, 413, "payload_too_large",
                      "the body is larger than " + std::to_string(options.max_body) + " bytes (--max-body)");
  }
  if (read == Body::unreadable) {
    return send_error(res, 400, "invalid_request", "the body could not be read (malformed chunked encoding or timeout)");
  }
  if (api_token && needs_api_token(m.route->id) && !bearer_matches(req, *api_token)) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"rulebook\"");
    return send_error(res, 401, "unauthorized",
                      std::string(m.route->method) + " " + std::string(m.route->path) +
                          " needs the header Authorization: Bearer <token> (the server's --auth-token-file)");
  }
  if (needs_policies(m.route->id) && !store.current()) {
    res.set_header("Retry-After", "5");
    return send_error(res, 503, "not_ready",
                      "no policies are loaded: the first load failed (GET /v1/status says why); "
                      "a successful reload makes the service ready");
  }

  switch (m.route->id) {
    case RouteId::healthz: return send_json(res, 200, R"({"status":"ok"})");
    case RouteId::readyz: return readiness(res);
    case RouteId::status: return status(res);
    case RouteId::metrics: {
      res.status = 200;
      metrics.set_connections_closed_for_room(http.idle_closed_for_room());
      res.set_content(metrics.render(store.status()), "text/plain; version=0.0.4; charset=utf-8");
      return;
    }
    case RouteId::openapi: return send_json(res, 200, std::string(openapi_json()));
    case RouteId::policies: return list_policies(res);
    case RouteId::policy: return describe_policy(req, m.params[0], res);
    case RouteId::policy_openapi: return describe_policy_api(req, m.params[0], res);
    case RouteId::policy_source:
    case RouteId::policy_suites: return workbench_route(req, m, res);
    case RouteId::decide:
    case RouteId::decide_batch: {
      const auto trace = trace_of(req);
      return decide(m.params[0], body, m.route->id == RouteId::decide_batch, id, trace ? trace->trace_id : "", res);
    }
    case RouteId::reload: return reload(req, res);
  }
  send_error(res, 500, "internal", "internal error; the server log has the details");
}

void DecisionServer::Impl::decide(const std::string& policy_id, std::string_view body, bool batch,
                                  const std::string& id, const std::string& trace_id, httplib::Response& res) {
  const auto started = std::chrono::steady_clock::now();
  const auto snapshot = store.current();  // this request's set, to the end
  RequestContext ctx;
  ctx.request_id = id;
  ctx.trace_id = trace_id;
  if (log_mask) ctx.log_mask = &*log_mask;
  ctx.today = today_utc();
  ctx.want_log_line = log != nullptr;
  if (log) ctx.now_iso = now_iso_utc();
  DecideResult r = batch ? decide_batch(*snapshot->set, policy_id, body, limits, ctx)
                         : rulebook::decide(*snapshot->set, policy_id, body, limits, ctx);
  if (log && !r.log_lines.empty() && !log->append(r.log_lines)) {
    metrics.count_log_failure();
    std::cerr << "rulebook serve: cannot write the decision log " << options.decision_log << " (" << id
              << "); the decision was not sent" << std::endl;
    send_error(res, 500, "internal",
               "the decision could not be written to the decision log, so it is not given; try again later");
  } else {
    send_json(res, r.response.status, std::move(r.response.body));
  }
  metrics.observe_decision(batch, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (body.size() >= kTrimAfterBodyBytes) trim_after_request = true;
}

void DecisionServer::Impl::list_policies(httplib::Response& res) const {
  const auto snapshot = store.current();
  const PathShown path = [this](const std::string& p) { return shown(p); };
  ordered_json list = ordered_json::array();
  for (const auto& p : snapshot->set->versions()) list.push_back(policy_summary(*p, path));
  send_json(res, 200, dump(ordered_json{{"policies", std::move(list)}}));
}

const Program* DecisionServer::Impl::policy_version(const httplib::Request& req, const std::string& policy_id,
                                                   const Snapshot& snapshot, Date& as_of, httplib::Response& res) const {
  as_of = today_utc();
  if (req.has_param("as_of")) {
    const std::string text = req.get_param_value("as_of");
    const auto d = parse_iso_date(text);
    if (!d) {
      const std::string details = dump(ordered_json::array(
          {{{"path", "as_of"}, {"problem", "must be a real date as \"YYYY-MM-DD\", not " + client_text(text)}}}));
      send_error(res, 400, "invalid_request", "as_of must be a real date as YYYY-MM-DD", details);
      return nullptr;
    }
    as_of = *d;
  }
  const auto found = snapshot.set->find(policy_id, as_of);
  if (found.status == PolicySet::Status::unknown_policy) {
    send_error(res, 404, "unknown_policy", "there is no policy called " + client_text(policy_id));
    return nullptr;
  }
  if (found.status == PolicySet::Status::not_in_force) {
    send_error(res, 422, "not_in_force", "no version of " + policy_id + " is in force on " + format_iso_date(as_of));
    return nullptr;
  }
  return found.program;
}

void DecisionServer::Impl::describe_policy(const httplib::Request& req, const std::string& policy_id,
                                           httplib::Response& res) const {
  const auto snapshot = store.current();
  Date as_of;
  const Program* program = policy_version(req, policy_id, *snapshot, as_of, res);
  if (!program) return;
  ordered_json j = policy_detail(*program, [this](const std::string& p) { return shown(p); });
  j["as_of"] = format_iso_date(as_of);
  send_json(res, 200, dump(j));
}

void DecisionServer::Impl::describe_policy_api(const httplib::Request& req, const std::string& policy_id,
                                               httplib::Response& res) const {
  const auto snapshot = store.current();
  Date as_of;
  const Program* program = policy_version(req, policy_id, *snapshot, as_of, res);
  if (!program) return;
  send_json(res, 200, dump(policy_openapi(*program, openapi_json())));
}

// The read-only routes the workbench needs (src/server/workbench_api.hpp).
void DecisionServer::Impl::workbench_route(const httplib::Request& req, const RouteMatch& m,
                                           httplib::Response& res) const {
  const auto snapshot = store.current();
  const PathShown path = [this](const std::string& p) { return shown(p); };
  std::optional<std::string> version;
  if (req.has_param("version")) version = req.get_param_value("version");
  const ApiResponse r = m.route->id == RouteId::policy_source
                            ? policy_source(*snapshot->set, m.params[0], version, today_utc(), path)
                            : policy_suites(*snapshot->set, m.params[0], store.dir(), today_utc(), limits, path);
  send_json(res, r.status, r.body);
}

DecisionServer::DecisionServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->configure();
}

DecisionServer::~DecisionServer() {
  if (impl_->watcher) impl_->watcher->stop();
}

bool DecisionServer::prepare(std::string& error) {
  Impl& s = *impl_;
  if (!s.options.tls_cert.empty()) {
    s.tls = TlsContext::load(s.options.tls_cert, s.options.tls_key, error);
    if (!s.tls) return false;
    s.http.set_tls(s.tls);
  }
  if (!s.options.auth_token_file.empty()) {
    s.api_token = read_token_file(s.options.auth_token_file, error);
    if (!s.api_token) return false;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(s.store.dir(), ec)) {
    error = "the policies folder " + s.store.dir() + " does not exist: no such file or folder (--policies)";
    return false;
  }
  if (!s.options.decision_log.empty()) {
    s.log = std::make_unique<DecisionLog>(s.options.decision_log);
    if (!s.log->is_open()) {
      error = "cannot open the decision log " + s.log->error();
      return false;
    }
  }
  if (!s.open_observability(error)) return false;
  if (s.options.watch) s.watch_baseline = folder_fingerprint(s.store.dir());
  const ReloadOutcome first = s.store.reload();
  if (!first.ok) {
    // Serve anyway, not ready: a probe sees 503 on /readyz, and the fix (a
    // corrected file, then --watch, SIGHUP or POST /v1/reload) needs no restart.
    std::string text = "the policies in " + s.store.dir() + " do not compile; serving no decisions (/readyz 503) "
                       "until a reload succeeds:\n";
    for (const auto& d : first.error->diagnostics) text += format_headline(d) + "\n";
    std::cerr << "rulebook serve: " << text << std::flush;
  }
  return true;
}

int DecisionServer::bind(std::string& error) {
  Impl& s = *impl_;
  const int port = s.options.port == 0 ? s.http.bind_to_any_port(s.options.host)
                                       : (s.http.bind_to_port(s.options.host, s.options.port) ? s.options.port : -1);
  if (port < 0) {
    error = "cannot listen on " + s.options.host + ":" + std::to_string(s.options.port);
    return -1;
  }
  // cpp-httplib listens with a backlog of 5; bursts of new connections then
  // overflow the accept queue and stall on SYN retransmits. Listening again
  // on the bound socket raises it.
  // SOMAXCONN (4096 here; the kernel caps it at net.core.somaxconn): 2,000
  // connections behind a proxy arrive at once (deploy/test-scale-out).
  if (s.listen_fd >= 0) ::listen(s.listen_fd, SOMAXCONN);
  s.port = port;
  return port;
}

std::string DecisionServer::address() const {
  const std::string& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return (impl_->tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

bool DecisionServer::run() {
  Impl& s = *impl_;
  s.run_started = true;
  if (s.stop_requested) {
    s.run_finished = true;
    return true;
  }
  if (s.options.watch) {
    s.watcher = std::make_unique<Watcher>(
        s.store.dir(), s.watch_baseline, s.options.watch_interval, [&s] { s.reload_from_watcher(); },
        [&s] {
          if (s.store.promote_pending()) {
            std::cerr << "rulebook serve: the removal stayed for " << s.options.removal_grace.count()
                      << " s; now serving " << s.store.current()->set->versions().size() << " policy versions"
                      << std::endl;
          }
        });
  }
  const bool ok = s.http.listen_after_bind();  // returns once stopped and every worker has finished
  s.run_finished = true;
  if (s.watcher) s.watcher->stop();
  return ok || s.stop_requested;
}

void DecisionServer::reopen_log() {
  Impl& s = *impl_;
  if (s.access_log && !s.access_log->reopen()) {
    std::cerr << "rulebook serve: cannot reopen the access log " << s.access_log->error() << std::endl;
  }
  if (!s.log) return;
  if (s.log->reopen()) {
    std::cerr << "rulebook serve: reopened the decision log " << s.options.decision_log << std::endl;
  } else {
    std::cerr << "rulebook serve: cannot reopen the decision log " << s.log->error() << std::endl;
  }
}

void DecisionServer::stop() {
  Impl& s = *impl_;
  s.stop_requested = true;
  s.http.begin_shutdown(s.options.shutdown_timeout);
  if (!s.run_started) return;  // run() will see stop_requested and not start
  // run() may not have reached the accept loop yet: wait until it has (or gave up).
  while (!s.http.is_running() && !s.run_finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (s.http.is_running() && !s.stop_sent.exchange(true)) s.http.stop();
}

}  // namespace rulebook::server

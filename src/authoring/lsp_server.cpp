#include "authoring/lsp_server.hpp"

#include <filesystem>
#include <istream>
#include <ostream>

namespace rulebook::lsp {

namespace fs = std::filesystem;

namespace {

std::string absolute_folder(const std::string& path) {
  std::error_code ec;
  std::string out = fs::absolute(path, ec).lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool valid_id(const json& message) {
  if (!message.contains("id")) return true;
  const json& id = message["id"];
  return id.is_string() || id.is_number_integer() || id.is_null();
}

json log_message(int type, const std::string& text) {
  return notification("window/logMessage", {{"type", type}, {"message", text}});
}

}  // namespace

Server::Server(ServerOptions options) : options_(std::move(options)) {}

std::vector<json> Server::handle(const json& message, const std::string& problem) {
  std::vector<json> out;
  if (message.is_discarded()) {
    out.push_back(error_response(nullptr, error::parse_error, problem.empty() ? "the message is not valid JSON" : problem));
    return out;
  }
  if (!message.is_object()) {
    out.push_back(error_response(nullptr, error::invalid_request, "a message must be a JSON object"));
    return out;
  }
  const json id = message.contains("id") && valid_id(message) ? message["id"] : json(nullptr);
  if (!message.contains("jsonrpc") || message["jsonrpc"] != "2.0" || !valid_id(message)) {
    out.push_back(error_response(id, error::invalid_request, "a message needs \"jsonrpc\": \"2.0\" and an id that is a number or a string"));
    return out;
  }
  if (!message.contains("method")) {
    // A response to a request of ours (the server sends none that need one).
    if (message.contains("id") && (message.contains("result") || message.contains("error"))) return out;
    out.push_back(error_response(id, error::invalid_request, "a message needs a method"));
    return out;
  }
  if (!message["method"].is_string()) {
    out.push_back(error_response(id, error::invalid_request, "the method must be a string"));
    return out;
  }
  const std::string method = message["method"];
  const json params = message.contains("params") ? message["params"] : json::object();

  if (!message.contains("id")) {
    if (method == "exit") {
      exit_code_ = state_ == State::shutting_down ? 0 : 1;
      return out;
    }
    if (state_ == State::starting) return out;  // the protocol drops notifications before initialize
    try {
      notify(method, params, out);
    } catch (const RequestError& e) {
      out.push_back(log_message(1, method + ": " + e.message));
    } catch (const std::exception& e) {
      out.push_back(log_message(1, method + ": " + e.what()));
    }
    return out;
  }

  if (state_ == State::starting && method != "initialize") {
    out.push_back(error_response(id, error::server_not_initialized, "the server is not initialized yet"));
    return out;
  }
  if (state_ == State::shutting_down) {
    out.push_back(error_response(id, error::invalid_request, "the server is shutting down; only 'exit' is expected"));
    return out;
  }
  try {
    out.push_back(response(id, request(method, params)));
  } catch (const RequestError& e) {
    out.push_back(error_response(id, e.code, e.message));
  } catch (const json::exception& e) {
    out.push_back(error_response(id, error::invalid_params, std::string("the params are not as expected: ") + e.what()));
  } catch (const std::exception& e) {
    out.push_back(error_response(id, error::internal_error, e.what()));
  }
  return out;
}

json Server::initialize(const json& params) {
  if (state_ != State::starting) throw RequestError{error::invalid_request, "the server is already initialized"};
  std::string folder = options_.policies;
  if (folder.empty() && params.is_object()) {
    std::string root;
    if (params.contains("rootUri") && params["rootUri"].is_string()) root = uri_to_path(params["rootUri"].get<std::string>());
    if (root.empty() && params.contains("rootPath") && params["rootPath"].is_string()) root = params["rootPath"];
    std::error_code ec;
    if (!root.empty()) folder = fs::is_directory(fs::path(root) / "policies", ec) ? root + "/policies" : root;
  }
  if (!folder.empty()) ws_.folder = absolute_folder(folder);
  state_ = State::running;
  return json{
      {"capabilities",
       {{"positionEncoding", "utf-16"},
        {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
        {"hoverProvider", true},
        {"definitionProvider", true},
        {"referencesProvider", true},
        {"renameProvider", true},
        {"documentSymbolProvider", true},
        {"documentFormattingProvider", true},
        {"completionProvider", {{"triggerCharacters", {"."}}}}}},
      {"serverInfo", {{"name", "rulebook"}}}};
}

json Server::request(const std::string& method, const json& params) {
  if (method == "initialize") return initialize(params);
  if (method == "shutdown") {
    state_ = State::shutting_down;
    return nullptr;
  }
  if (method == "textDocument/hover") return hover(ws_, params);
  if (method == "textDocument/definition") return definition(ws_, params);
  if (method == "textDocument/references") return references(ws_, params);
  if (method == "textDocument/rename") return rename(ws_, params);
  if (method == "textDocument/documentSymbol") return document_symbols(ws_, params);
  if (method == "textDocument/completion") return completion(ws_, params);
  if (method == "textDocument/formatting") return formatting(ws_, params);
  throw RequestError{error::method_not_found, "no method called " + method};
}

void Server::notify(const std::string& method, const json& params, std::vector<json>& out) {
  if (method == "textDocument/didOpen") {
    const json& doc = params.at("textDocument");
    const std::string uri = doc.at("uri");
    ws_.documents.open(uri, doc.at("text").get<std::string>(), doc.value("version", std::int64_t{0}));
    ws_.changed();
    publish(uri, out);
  } else if (method == "textDocument/didChange") {
    const std::string uri = params.at("textDocument").at("uri");
    const auto version = params.at("textDocument").value("version", std::int64_t{0});
    std::string problem;
    if (!ws_.documents.change(uri, params.at("contentChanges"), version, problem)) throw RequestError{0, problem};
    ws_.changed();
    publish(uri, out);
  } else if (method == "textDocument/didClose") {
    const std::string uri = params.at("textDocument").at("uri");
    ws_.documents.close(uri);
    ws_.changed();
    publish(uri, out);
  } else if (method == "textDocument/didSave" || method == "workspace/didChangeWatchedFiles") {
    ws_.changed();
    publish("", out);
  }
  // Anything else ($/cancelRequest, $/setTrace, initialized, ...) needs nothing.
}

void Server::publish(const std::string& changed_uri, std::vector<json>& out) {
  std::map<std::string, json> now;
  for (auto& [path, list] : compile_diagnostics(ws_)) now[path_to_uri(path)] = std::move(list);
  std::set<std::string> uris;
  for (const auto& [uri, _] : now) uris.insert(uri);
  for (const auto& [uri, _] : published_) uris.insert(uri);
  if (!changed_uri.empty()) uris.insert(changed_uri);
  for (const auto& uri : uris) {
    auto it = now.find(uri);
    json list = it == now.end() ? json::array() : std::move(it->second);
    auto& last = published_[uri];
    if (uri != changed_uri && last == list) continue;
    json params = {{"uri", uri}, {"diagnostics", list}};
    if (const Document* doc = ws_.documents.find(uri)) params["version"] = doc->version;
    out.push_back(notification("textDocument/publishDiagnostics", std::move(params)));
    last = std::move(list);
  }
}

int run(std::istream& in, std::ostream& out, ServerOptions options) {
  Server server(std::move(options));
  for (;;) {
    Frame frame = read_frame(in);
    if (frame.status == Frame::Status::eof) return server.exit_code().value_or(1);
    if (frame.status != Frame::Status::ok) {
      const int code = frame.status == Frame::Status::too_large ? error::invalid_request : error::parse_error;
      write_frame(out, error_response(nullptr, code, frame.problem));
      continue;
    }
    std::string problem;
    const json message = parse_body(frame.body, problem);
    for (const json& reply : server.handle(message, problem)) write_frame(out, reply);
    if (server.exit_code()) return *server.exit_code();
  }
}

}  // namespace rulebook::lsp

// `rulebook lsp`: a Language Server Protocol server for .rules files over
// stdio. Server::handle takes one decoded message and returns what to send
// back (responses and notifications), so tests drive it in-process; run()
// adds the framing over streams.
#pragma once

#include <iosfwd>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "authoring/lsp_protocol.hpp"
#include "authoring/lsp_workspace.hpp"

namespace rulebook::lsp {

struct ServerOptions {
  // The policy folder; "" takes `policies/` under the client's root when it
  // has one, else the root itself.
  std::string policies;
};

class Server {
 public:
  explicit Server(ServerOptions options);

  // One message in (a decoded JSON value, or a discarded one with `problem`
  // saying why it did not decode); the messages to send out.
  std::vector<json> handle(const json& message, const std::string& problem = "");
  // After `exit`: the process's exit code (0 when `shutdown` came first).
  std::optional<int> exit_code() const { return exit_code_; }
  const Workspace& workspace() const { return ws_; }

 private:
  enum class State { starting, running, shutting_down };
  ServerOptions options_;
  State state_ = State::starting;
  std::optional<int> exit_code_;
  Workspace ws_;
  std::map<std::string, json> published_;  // by URI: the diagnostics last sent

  json request(const std::string& method, const json& params);
  void notify(const std::string& method, const json& params, std::vector<json>& out);
  json initialize(const json& params);
  void publish(const std::string& changed_uri, std::vector<json>& out);
};

// Reads framed messages from `in` and answers on `out` until `exit` or the end
// of the input; returns the exit code (1 when the input ended without `shutdown`).
int run(std::istream& in, std::ostream& out, ServerOptions options);

}  // namespace rulebook::lsp

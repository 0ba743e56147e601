// The JSON-RPC side of `rulebook lsp`: framing, the specification's error
// responses for malformed input, the lifecycle (shutdown then exit), and the
// real binary driven as a subprocess.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <sstream>

#include "authoring/lsp_documents.hpp"
#include "lsp_session.hpp"

using namespace rulebook::test;
using rulebook::lsp::json;
namespace lsp = rulebook::lsp;

namespace {

std::string frame(const std::string& body) { return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body; }
std::string frame(const json& message) { return frame(message.dump()); }

// Every message in a stream of framed messages.
std::vector<json> read_all(const std::string& stream) {
  std::istringstream in(stream);
  std::vector<json> out;
  for (;;) {
    lsp::Frame f = lsp::read_frame(in);
    if (f.status == lsp::Frame::Status::eof) break;
    REQUIRE(f.status == lsp::Frame::Status::ok);
    out.push_back(json::parse(f.body));
  }
  return out;
}

json by_id(const std::vector<json>& messages, const json& id) {
  for (const auto& m : messages) {
    if (m.contains("id") && m["id"] == id && !m.contains("method")) return m;
  }
  return nullptr;
}

const json kInit = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}, {"params", {{"capabilities", json::object()}}}};
const json kShutdown = {{"jsonrpc", "2.0"}, {"id", 99}, {"method", "shutdown"}};
const json kExit = {{"jsonrpc", "2.0"}, {"method", "exit"}};

}  // namespace

TEST_CASE("lsp framing: Content-Length bodies, in any header case, with other headers", "[lsp][protocol]") {
  std::istringstream in("content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"
                        "Content-Length: 7\r\n\r\n[1,2,3]");
  auto a = lsp::read_frame(in);
  CHECK(a.status == lsp::Frame::Status::ok);
  CHECK(a.body == "{}");
  auto b = lsp::read_frame(in);
  CHECK(b.status == lsp::Frame::Status::ok);
  CHECK(b.body == "[1,2,3]");
  CHECK(lsp::read_frame(in).status == lsp::Frame::Status::eof);

  std::istringstream none("Content-Type: x\r\n\r\n{}");
  auto c = lsp::read_frame(none);
  CHECK(c.status == lsp::Frame::Status::bad_header);
  CHECK(c.problem == "the message header has no Content-Length");

  std::istringstream bad("Content-Length: 12x\r\n\r\n");
  CHECK(lsp::read_frame(bad).problem == "the message header has an unreadable Content-Length");

  std::istringstream big("Content-Length: 100\r\n\r\n" + std::string(100, ' ') + frame(std::string("{}")));
  auto d = lsp::read_frame(big, 10);
  CHECK(d.status == lsp::Frame::Status::too_large);
  CHECK(d.problem == "the message is 100 bytes; the limit is 10");
  auto e = lsp::read_frame(big, 10);  // the oversized body was skipped, the next message is whole
  CHECK(e.status == lsp::Frame::Status::ok);
  CHECK(e.body == "{}");

  std::istringstream cut("Content-Length: 10\r\n\r\n{\"a\"");
  CHECK(lsp::read_frame(cut).problem == "the stream ended inside a message body");
}

TEST_CASE("lsp positions: UTF-16 code units both ways, file URIs", "[lsp][protocol]") {
  const std::string text = "a\xC3\xAB\xF0\x9F\x8E\x89z\r\nsecond\n";
  lsp::LineMap lines(text);
  CHECK(lines.position(0) == pos(0, 0));
  CHECK(lines.position(1) == pos(0, 1));   // before ë
  CHECK(lines.position(3) == pos(0, 2));   // before the emoji
  CHECK(lines.position(7) == pos(0, 4));   // before z: the emoji is two units
  CHECK(lines.position(10) == pos(1, 0));
  CHECK(lines.offset(0, 4) == 7);
  CHECK(lines.offset(0, 3) == 7);          // inside a surrogate pair: after the whole code point
  CHECK(lines.offset(0, 99) == 8);         // past the end of the line: before its "\r\n"
  CHECK(lines.offset(1, 2) == 12);
  CHECK(lines.offset(9, 0) == text.size());
  CHECK(lines.byte_at(1, 3) == 2);  // 1-based line 1, byte column 3
  CHECK(lsp::path_to_uri("/tmp/a b/Zo\xC3\xAB.rules") == "file:///tmp/a%20b/Zo%C3%AB.rules");
  CHECK(lsp::uri_to_path("file:///tmp/a%20b/Zo%C3%AB.rules") == "/tmp/a b/Zo\xC3\xAB.rules");
  CHECK(lsp::uri_to_path("file://localhost/x.rules") == "/x.rules");
  CHECK(lsp::uri_to_path("untitled:Untitled-1").empty());
  CHECK(lsp::uri_to_path("file:///bad%zz%4") == "/bad%zz%4");  // not percent escapes: kept
}

TEST_CASE("lsp errors: the specification's codes for malformed messages", "[lsp][protocol]") {
  Session s;
  // Before initialize: requests are refused, notifications dropped.
  json r = s.request("textDocument/hover", s.at(s.policy_uri, 0, 0));
  CHECK(r["error"]["code"] == -32002);
  CHECK(s.notify("textDocument/didOpen", {{"textDocument", {{"uri", s.policy_uri}, {"text", "x"}}}}).empty());
  s.initialize();
  CHECK(s.request("initialize", json::object())["error"]["code"] == -32600);

  auto one = [&](const json& message, const std::string& problem = "") {
    auto out = s.server.handle(message, problem);
    REQUIRE(out.size() == 1);
    return out[0];
  };
  json e = one(json(json::value_t::discarded), "the message is not valid JSON");
  CHECK(e["error"]["code"] == -32700);
  CHECK(e["id"].is_null());
  CHECK(one(json::array({1, 2}))["error"]["code"] == -32600);
  CHECK(one(json{{"id", 3}, {"method", "shutdown"}})["error"]["code"] == -32600);  // no "jsonrpc": "2.0"
  CHECK(one(json{{"jsonrpc", "2.0"}, {"id", json::array()}, {"method", "x"}})["error"]["code"] == -32600);
  CHECK(one(json{{"jsonrpc", "2.0"}, {"id", 4}, {"method", 12}})["error"]["code"] == -32600);
  e = one(json{{"jsonrpc", "2.0"}, {"id", "five"}, {"method", "workspace/nothing"}});
  CHECK(e["error"]["code"] == -32601);
  CHECK(e["id"] == "five");
  CHECK(e["error"]["message"] == "no method called workspace/nothing");
  // Params that are not as the method needs.
  CHECK(s.request("textDocument/hover", {{"position", pos(0, 0)}})["error"]["code"] == -32602);
  CHECK(s.request("textDocument/hover", {{"textDocument", {{"uri", s.policy_uri}}}, {"position", pos(-1, 0)}})["error"]["code"] ==
        -32602);
  CHECK(s.request("textDocument/hover", {{"textDocument", {{"uri", "file:///not/open.rules"}}}, {"position", pos(0, 0)}})["error"]["message"] ==
        "the document file:///not/open.rules is not open");
  CHECK(s.request("textDocument/rename", s.at(s.policy_uri, 0, 0))["error"]["code"] == -32602);
  // A malformed notification is logged, never fatal.
  auto out = s.notify("textDocument/didChange", {{"textDocument", {{"uri", s.policy_uri}}}, {"contentChanges", 5}});
  REQUIRE(out.size() == 1);
  CHECK(out[0]["method"] == "window/logMessage");
  // A response from the client (to nothing) is ignored.
  CHECK(s.server.handle(json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", nullptr}}).empty());

  // Shutdown, then every request is refused until exit, which ends with 0.
  CHECK(s.request("shutdown", nullptr)["result"].is_null());
  CHECK(s.request("textDocument/hover", s.at(s.policy_uri, 0, 0))["error"]["code"] == -32600);
  CHECK_FALSE(s.server.exit_code());
  s.notify("exit", nullptr);
  CHECK(s.server.exit_code() == 0);
}

TEST_CASE("lsp run: a framed session over streams, hostile input answered, exit code", "[lsp][protocol]") {
  std::string input = frame(kInit);
  input += "Content-Length: 5\r\n\r\n{oops";                                      // not JSON
  input += frame(std::string(100, '[') + std::string(100, ']'));                  // nested too deep
  input += "X-Nothing: here\r\n\r\n";                                             // no Content-Length
  input += frame(kShutdown) + frame(kExit) + frame(json{{"jsonrpc", "2.0"}, {"id", 100}, {"method", "shutdown"}});
  std::istringstream in(input);
  std::ostringstream out;
  CHECK(lsp::run(in, out, {}) == 0);
  const auto replies = read_all(out.str());
  REQUIRE(replies.size() == 5);  // nothing after exit
  CHECK(replies[0]["id"] == 1);
  CHECK(replies[0]["result"]["capabilities"]["positionEncoding"] == "utf-16");
  CHECK(replies[1] == json{{"jsonrpc", "2.0"}, {"id", nullptr}, {"error", {{"code", -32700}, {"message", "the message is not valid JSON"}}}});
  CHECK(replies[2]["error"] == json{{"code", -32700}, {"message", "the JSON is nested more than 64 levels deep"}});
  CHECK(replies[3]["error"] == json{{"code", -32700}, {"message", "the message header has no Content-Length"}});
  CHECK(replies[4] == json{{"jsonrpc", "2.0"}, {"id", 99}, {"result", nullptr}});

  // Exit without shutdown: 1. The end of the input without exit: 1.
  std::istringstream abrupt(frame(kInit) + frame(kExit));
  std::ostringstream ignored;
  CHECK(lsp::run(abrupt, ignored, {}) == 1);
  std::istringstream ended(frame(kInit));
  CHECK(lsp::run(ended, ignored, {}) == 1);
}

TEST_CASE("lsp binary: `rulebook lsp` over stdio as an editor starts it", "[lsp][protocol]") {
  Session s;  // for its policy folder
  const std::string in_path = (s.dir / "session.in").string(), out_path = (s.dir / "session.out").string();
  std::string input = frame(kInit);
  input += frame(json{{"jsonrpc", "2.0"},
                      {"method", "textDocument/didOpen"},
                      {"params", {{"textDocument", {{"uri", s.policy_uri}, {"languageId", "rulebook"}, {"version", 1}, {"text", kPolicy}}}}}});
  input += frame(json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "textDocument/definition"}, {"params", s.at(s.policy_uri, 16, 43)}});
  input += frame(kShutdown) + frame(kExit);
  s.write("session.in", input);
  const std::string command = std::string(RULEBOOK_BINARY) + " lsp --stdio --policies '" + s.dir.string() + "' < '" +
                              in_path + "' > '" + out_path + "'";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  std::ifstream f(out_path, std::ios::binary);
  const std::string output((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto replies = read_all(output);
  CHECK(by_id(replies, 1)["result"]["capabilities"]["hoverProvider"] == true);
  CHECK(by_id(replies, 2)["result"] == json::array({{{"uri", s.policy_uri}, {"range", range(12, 5, 12, 9)}}}));
  CHECK(by_id(replies, 99)["result"].is_null());
  bool published = false;
  for (const auto& m : replies) {
    if (m.value("method", "") == "textDocument/publishDiagnostics" && m["params"]["uri"] == s.policy_uri) {
      published = true;
      CHECK(m["params"]["diagnostics"] == json::array());
    }
  }
  CHECK(published);

  // A bad command line: exit 2 with one line.
  CHECK(WEXITSTATUS(std::system((std::string(RULEBOOK_BINARY) + " lsp --nonsense 2>/dev/null").c_str())) == 2);
}

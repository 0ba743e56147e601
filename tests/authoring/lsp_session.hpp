// A scripted LSP session for the tests: a policy folder in a temporary
// directory and a Server driven in-process, message by message.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "authoring/lsp_server.hpp"

namespace rulebook::test {

using lsp::json;

// The fixture: a module and a policy that uses it. Non-ASCII text (Zoë, an
// emoji) sits in comments and in quoted text before tokens on the same line,
// so UTF-16 columns differ from byte columns there.
inline const char* kPeople =
    "# Zo\xC3\xAB's people \xF0\x9F\x8E\x89\n"                                  // 0
    "module test.people \"People\"\n"                                            // 1
    "\n"                                                                         // 2
    "type grade = one of junior < senior < principal \"a person's grade\"\n"    // 3
    "\n"                                                                         // 4
    "facts\n"                                                                    // 5
    "  person.name  : text              \"Zo\xC3\xAB or anyone\"\n"              // 6
    "  person.grade : grade             \"the grade held today\"\n"             // 7
    "  person.age   : number, optional\n";                                       // 8

inline const char* kPolicy =
    "# Policy written by Zo\xC3\xAB \xF0\x9F\x8E\x89 for the LSP tests\n"        // 0
    "policy test.pay \"Pay\"\n"                                                  // 1
    "  version 1\n"                                                              // 2
    "  in force from 2024-01-01\n"                                               // 3
    "\n"                                                                         // 4
    "use test.people\n"                                                          // 5
    "\n"                                                                         // 6
    "outputs\n"                                                                  // 7
    "  band : one of low, high \"the pay band\"\n"                              // 8
    "\n"                                                                         // 9
    "define senior_or_above = person.grade is senior or person.grade is principal\n"  // 10
    "\n"                                                                         // 11
    "rule base \"Everyone starts low\"\n"                                        // 12
    "  cite \"Pay Act s1\"\n"                                                    // 13
    "  then band = low\n"                                                        // 14
    "\n"                                                                         // 15
    "rule promoted \"Zo\xC3\xAB \xF0\x9F\x8E\x89 pays\" exception to base\n"     // 16
    "  cite \"Pay Act s2\"\n"                                                    // 17
    "  when senior_or_above\n"                                                   // 18
    "  then band = high\n";                                                      // 19

inline json pos(int line, int character) { return json{{"line", line}, {"character", character}}; }
inline json range(int l1, int c1, int l2, int c2) { return json{{"start", pos(l1, c1)}, {"end", pos(l2, c2)}}; }

class Session {
 public:
  std::filesystem::path dir;
  std::string people_uri, policy_uri;
  lsp::Server server{lsp::ServerOptions{}};
  int next_id = 1;

  Session() {
    dir = std::filesystem::temp_directory_path() /
          ("rulebook-lsp-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    write("people.rules", kPeople);
    write("policy.rules", kPolicy);
    people_uri = lsp::path_to_uri((dir / "people.rules").string());
    policy_uri = lsp::path_to_uri((dir / "policy.rules").string());
  }
  ~Session() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
  }

  std::vector<json> send(json message) {
    message["jsonrpc"] = "2.0";
    return server.handle(message);
  }
  // A request: its one response (other messages it caused are checked to be notifications).
  json request(const std::string& method, json params) {
    const int id = next_id++;
    auto out = send(json{{"id", id}, {"method", method}, {"params", std::move(params)}});
    REQUIRE(out.size() == 1);
    REQUIRE(out[0]["id"] == id);
    return out[0];
  }
  json result(const std::string& method, json params) {
    json r = request(method, std::move(params));
    INFO(r.dump());
    REQUIRE(r.contains("result"));
    return r["result"];
  }
  std::vector<json> notify(const std::string& method, json params) {
    return send(json{{"method", method}, {"params", std::move(params)}});
  }

  json initialize() {
    json r = result("initialize", {{"processId", nullptr}, {"rootUri", lsp::path_to_uri(dir.string())}, {"capabilities", json::object()}});
    notify("initialized", json::object());
    return r;
  }
  std::vector<json> open(const std::string& uri, const std::string& text, int version = 1) {
    return notify("textDocument/didOpen",
                  {{"textDocument", {{"uri", uri}, {"languageId", "rulebook"}, {"version", version}, {"text", text}}}});
  }
  json at(const std::string& uri, int line, int character) {
    return json{{"textDocument", {{"uri", uri}}}, {"position", pos(line, character)}};
  }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
};

// The publishDiagnostics for `uri` among `messages`, or null.
inline json diagnostics_for(const std::vector<json>& messages, const std::string& uri) {
  for (const auto& m : messages) {
    if (m.value("method", "") == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri) return m["params"];
  }
  return nullptr;
}

}  // namespace rulebook::test

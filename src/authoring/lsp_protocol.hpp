// JSON-RPC 2.0 over a byte stream with LSP's framing ("Content-Length: N\r\n\r\n"
// then N bytes of JSON), for `rulebook lsp`. Reading never throws: a broken
// header, an oversized body or bad JSON comes back as a value to answer.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

namespace rulebook::lsp {

using json = nlohmann::json;

// The error codes of JSON-RPC and the LSP specification.
namespace error {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_not_initialized = -32002;
inline constexpr int request_failed = -32803;
}  // namespace error

struct Frame {
  enum class Status { ok, eof, bad_header, too_large };
  Status status = Status::eof;
  std::string body;
  std::string problem;  // why, when not ok
};

// The largest body read; a longer one is skipped and answered with an error.
inline constexpr std::size_t kMaxBody = 64u << 20;
// JSON nested deeper than this is refused before nlohmann/json sees it (its
// recursion would overflow the stack on hostile input).
inline constexpr std::size_t kMaxJsonDepth = 64;

// Reads the next message's body. `eof` when the stream ends before a header.
Frame read_frame(std::istream& in, std::size_t max_body = kMaxBody);
void write_frame(std::ostream& out, const json& message);

// The body as JSON, or a discarded value with `problem` saying why.
json parse_body(const std::string& body, std::string& problem);

json response(const json& id, json result);
json error_response(const json& id, int code, const std::string& message);
json notification(const std::string& method, json params);

}  // namespace rulebook::lsp

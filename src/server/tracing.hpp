// What a caller may send to tie a request to its own records: an
// X-Request-Id (honoured when it is safe to echo and log) and a W3C
// traceparent (https://www.w3.org/TR/trace-context/), both checked here so
// that nothing a client sends reaches a header or a log unchecked.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rulebook::server {

// A caller's X-Request-Id is used as the request's id when it is 1 to 128
// characters, each one of A-Z a-z 0-9 . _ : - (UUIDs, nginx's $request_id,
// ULIDs and most tracing ids fit). Anything else (empty, longer, spaces,
// quotes, slashes, control bytes, non-ASCII) is not refused: the server
// generates its own id instead, as if none had been sent.
constexpr std::size_t kMaxRequestIdLength = 128;
bool valid_request_id(std::string_view id);

// A parsed traceparent header: "00-<trace id>-<parent id>-<flags>".
struct TraceParent {
  std::string header;    // the value as received (55 characters for version 00)
  std::string trace_id;  // 32 lowercase hex digits, not all zero
  std::string parent_id; // 16 lowercase hex digits, not all zero
  std::string flags;     // 2 lowercase hex digits
};

// Parses a traceparent value; nullopt when it is not valid, which callers
// treat as no traceparent at all (the W3C rule). Version 00 must be exactly
// 55 characters; a later version (01 to fe) is read by its first 55
// characters when the value is that long or continues with '-'; version ff,
// uppercase hex, an all-zero trace or parent id are invalid.
std::optional<TraceParent> parse_traceparent(std::string_view value);

}  // namespace rulebook::server

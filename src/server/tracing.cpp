#include "server/tracing.hpp"

namespace rulebook::server {

namespace {

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// `n` lowercase hex digits at the start of `s`, not all '0' when `nonzero`.
bool hex_field(std::string_view s, std::size_t n, bool nonzero) {
  if (s.size() < n) return false;
  bool any = false;
  for (std::size_t k = 0; k < n; ++k) {
    if (!is_lower_hex(s[k])) return false;
    any = any || s[k] != '0';
  }
  return any || !nonzero;
}

}  // namespace

bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (const char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == ':' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::optional<TraceParent> parse_traceparent(std::string_view v) {
  constexpr std::size_t kLength = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2
  if (v.size() < kLength || !hex_field(v, 2, false) || v.substr(0, 2) == "ff") return std::nullopt;
  const bool version_00 = v.substr(0, 2) == "00";
  if (version_00 ? v.size() != kLength : (v.size() > kLength && v[kLength] != '-')) return std::nullopt;
  if (v[2] != '-' || v[35] != '-' || v[52] != '-') return std::nullopt;
  if (!hex_field(v.substr(3), 32, true) || !hex_field(v.substr(36), 16, true) || !hex_field(v.substr(53), 2, false)) {
    return std::nullopt;
  }
  TraceParent t;
  t.header = std::string(version_00 ? v : v.substr(0, kLength));
  t.trace_id = std::string(v.substr(3, 32));
  t.parent_id = std::string(v.substr(36, 16));
  t.flags = std::string(v.substr(53, 2));
  return t;
}

}  // namespace rulebook::server

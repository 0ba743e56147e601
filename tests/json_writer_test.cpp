// The response writer's string escaping: the fast path (8 bytes at a time)
// must give exactly what a plain byte-by-byte encoder gives, wherever in a
// string the byte that needs care falls.
#include <catch2/catch.hpp>

#include <string>

#include "facts/json_writer.hpp"
#include "rulebook/value.hpp"

using rulebook::append_json_string;

namespace {

// The reference: JSON escapes for '"', '\\' and controls; valid UTF-8 copied;
// any other byte becomes U+FFFD.
std::string reference(const std::string& s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c < 0x80) out += static_cast<char>(c);
    else {
      // Only the two- and three-byte forms used below need checking here.
      const bool two = (c & 0xE0) == 0xC0 && c >= 0xC2 && i + 1 < s.size() && (s[i + 1] & 0xC0) == 0x80;
      const bool three = c == 0xE2 && i + 2 < s.size() && (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80;
      if (two || three) {
        const std::size_t len = two ? 2 : 3;
        out += s.substr(i, len);
        i += len;
        continue;
      }
      out += "\xEF\xBF\xBD";
    }
    ++i;
  }
  return out + "\"";
}

}  // namespace

TEST_CASE("json strings: every special byte at every offset of short and long strings") {
  const std::string specials[] = {"\"", "\\", "\n", "\t", std::string(1, '\0'), "\x1f", "\x7f", "\xC3\xA9",
                                  "\xE2\x80\x94", "\xFF", "\xC3"};
  for (std::size_t len = 0; len <= 40; ++len) {
    const std::string plain(len, 'a');
    for (const auto& sp : specials) {
      for (std::size_t at = 0; at <= len; ++at) {
        const std::string s = plain.substr(0, at) + sp + plain.substr(at);
        std::string got;
        append_json_string(got, s);
        INFO("length " << len << ", special at " << at);
        REQUIRE(got == reference(s));
      }
    }
    std::string got;
    append_json_string(got, plain);
    REQUIRE(got == "\"" + plain + "\"");
  }
}

TEST_CASE("json strings: appends to what is there, and names and citations pass unchanged") {
  std::string out = "x:";
  append_json_string(out, "Directions 2022 s46(2)(b)(ii); PS Act s26 ~ {ok} [1]");
  CHECK(out == "x:\"Directions 2022 s46(2)(b)(ii); PS Act s26 ~ {ok} [1]\"");
}

TEST_CASE("dates format as YYYY-MM-DD at the ends of the calendar") {
  using rulebook::format_iso_date;
  using rulebook::parse_iso_date;
  for (const char* d : {"0001-01-01", "1969-12-31", "1970-01-01", "2024-02-29", "2026-11-23", "9999-12-31"}) {
    CHECK(format_iso_date(*parse_iso_date(d)) == d);
  }
}

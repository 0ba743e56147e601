// The strict JSON reader of json_reader.hpp. The input is copied once into
// the document's buffer, followed by kPadding NUL bytes, and strings are
// decoded in place there (a decoded string is never longer than its escaped
// form). The first NUL is a sentinel: every scan stops at it without a bounds
// check, and `p == end` tells the end of input from a NUL byte in it. The
// padding lets the string and whitespace scans read eight bytes at a time.
#include "facts/json_reader.hpp"

#include <bit>
#include <cstring>
#include <utility>

namespace rulebook {

namespace {

using Type = JsonValue::Type;

constexpr std::size_t kPadding = 8;  // NULs after the copied input

inline bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

inline uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Skips whitespace. p is at most `end`, and 8 bytes from p are readable.
inline char* skip_ws(char* p) {
  if (static_cast<unsigned char>(*p) > ' ') return p;  // the usual case: no whitespace
  for (;;) {
    if constexpr (std::endian::native == std::endian::little) {
      // Runs of spaces (indentation) eight at a time.
      const uint64_t x = load8(p) ^ 0x2020202020202020ULL;
      if (x == 0) {
        p += 8;
        continue;
      }
      p += std::countr_zero(x) / 8;
    }
    if (!is_ws(*p)) return p;
    ++p;
  }
}

// A mask with bit 7 of each byte set where that byte ends the fast scan of a
// string ('"', '\\', below 0x20, 0x80 and above). Bytes above the first
// flagged one may be flagged wrongly (borrows), so only the lowest counts.
inline uint64_t string_stops8(uint64_t w) {
  constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
  return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w) | w) & highs;
}

// Like string_stops8, for bytes that need an escape when written: '"',
// '\\' and below 0x20 (UTF-8 is written as it is).
inline uint64_t escape_stops8(uint64_t w) {
  constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  const uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
  return (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs;
}

// Bytes that end the fast scan of a string: '"', '\\', controls and non-ASCII.
struct StringStops {
  bool stop[256] = {};
  constexpr StringStops() {
    for (int c = 0; c < 0x20; ++c) stop[c] = true;
    for (int c = 0x80; c < 0x100; ++c) stop[c] = true;
    stop[static_cast<unsigned char>('"')] = true;
    stop[static_cast<unsigned char>('\\')] = true;
  }
};
constexpr StringStops kStops;

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at p, or -1. Reads stop at the first non-hex byte, so
// never past the sentinel.
inline int32_t read_hex4(const char* p) {
  int32_t v = 0;
  for (int k = 0; k < 4; ++k) {
    const int h = hex_value(p[k]);
    if (h < 0) return -1;
    v = (v << 4) | h;
  }
  return v;
}

// Length of the valid UTF-8 sequence starting at p (lead byte >= 0x80), or 0
// (Unicode Table 3-7: no overlongs, no surrogates, nothing above U+10FFFF).
// A truncated sequence fails on the sentinel NUL, never reading past it.
inline std::size_t utf8_length(const unsigned char* p) {
  const unsigned char c = p[0];
  auto cont = [](unsigned char b) { return b >= 0x80 && b <= 0xBF; };
  if (c >= 0xC2 && c <= 0xDF) return cont(p[1]) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
  }
  return 0;
}

inline char* put_utf8(char* w, uint32_t cp) {
  if (cp < 0x80) {
    *w++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *w++ = static_cast<char>(0xC0 | (cp >> 6));
    *w++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *w++ = static_cast<char>(0xE0 | (cp >> 12));
    *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *w++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *w++ = static_cast<char>(0xF0 | (cp >> 18));
    *w++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *w++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *w++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return w;
}

enum class StringError { none, unterminated, control, utf8, escape, unicode_escape, surrogate };

// The rest of a string from its first backslash at p: decodes escapes,
// moving what follows down over the escapes. Out of line: escapes are rare.
[[gnu::noinline]] char* scan_escaped_string(char* q, char* p, const char* end, std::string_view& text,
                                            StringError& error, char*& error_at) {
  char* const start = q + 1;
  auto failed = [&](StringError e, char* where) -> char* {
    error = e;
    error_at = where;
    return nullptr;
  };
  char* w = p;
  for (;;) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      text = std::string_view(start, static_cast<std::size_t>(w - start));
      return p + 1;
    }
    if (c == '\\') {
      if (p + 1 == end) return failed(StringError::unterminated, q);
      char out;
      switch (p[1]) {
        case '"': out = '"'; break;
        case '\\': out = '\\'; break;
        case '/': out = '/'; break;
        case 'b': out = '\b'; break;
        case 'f': out = '\f'; break;
        case 'n': out = '\n'; break;
        case 'r': out = '\r'; break;
        case 't': out = '\t'; break;
        case 'u': {
          int32_t cp = read_hex4(p + 2);
          if (cp < 0) return failed(StringError::unicode_escape, p);
          std::size_t used = 6;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // p[2..5] were hex, so p[6] is at most the sentinel; p[7] is read
            // only when p[6] was a backslash.
            const int32_t lo = p[6] == '\\' && p[7] == 'u' ? read_hex4(p + 8) : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) return failed(StringError::surrogate, p);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            used = 12;
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return failed(StringError::surrogate, p);
          }
          w = put_utf8(w, static_cast<uint32_t>(cp));
          p += used;
          continue;
        }
        default: return failed(StringError::escape, p);
      }
      *w++ = out;
      p += 2;
      continue;
    }
    if (c < 0x20) return failed(p == end ? StringError::unterminated : StringError::control, p == end ? q : p);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(reinterpret_cast<const unsigned char*>(p));
      if (n == 0) return failed(StringError::utf8, p);
      for (std::size_t k = 0; k < n; ++k) *w++ = p[k];
      p += n;
      continue;
    }
    *w++ = static_cast<char>(c);
    ++p;
  }
}

// Decodes, in place, the string whose opening quote is at q. Returns the
// byte after the closing quote and sets `text`, or returns nullptr and sets
// `error` and `error_at` (the opening quote when the string is unterminated).
// Inlined: this is the parser's hottest loop.
[[gnu::always_inline]] inline char* scan_string(char* q, const char* end, std::string_view& text, StringError& error,
                                                char*& error_at) {
  char* const start = q + 1;
  char* p = start;
  // Fast path: nothing to unescape, so nothing to move.
  for (;;) {
    if constexpr (std::endian::native == std::endian::little) {
      // Eight bytes at a time: the buffer has kPadding bytes after `end`,
      // and a block holding `end` (a NUL) stops the loop.
      uint64_t m;
      while ((m = string_stops8(load8(p))) == 0) p += 8;
      p += std::countr_zero(m) / 8;
    } else {
      while (!kStops.stop[static_cast<unsigned char>(*p)]) ++p;
    }
    const auto c = static_cast<unsigned char>(*p);
    if (c == '"') {
      text = std::string_view(start, static_cast<std::size_t>(p - start));
      return p + 1;
    }
    if (c == '\\') return scan_escaped_string(q, p, end, text, error, error_at);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(reinterpret_cast<const unsigned char*>(p));
      if (n == 0) {
        error = StringError::utf8;
        error_at = p;
        return nullptr;
      }
      p += n;
      continue;
    }
    // A control character, or the sentinel at the end of input.
    error = p == end ? StringError::unterminated : StringError::control;
    error_at = p == end ? q : p;
    return nullptr;
  }
}

const char* string_error_message(StringError e) {
  switch (e) {
    case StringError::unterminated: return "unterminated string";
    case StringError::control: return "control character in string (escape it, e.g. \\n or \\u0009)";
    case StringError::utf8: return "invalid UTF-8 in string";
    case StringError::escape: return "invalid escape";
    case StringError::unicode_escape: return "invalid \\u escape (expected four hex digits)";
    case StringError::surrogate: return "unpaired surrogate in \\u escape";
    case StringError::none: break;
  }
  return "";
}

const JsonValue kNull{};

}  // namespace

JsonDocument::JsonDocument() {
  nodes_.reserve(64);
  stack_.reserve(16);
  text_.reserve(1024);
}

void JsonDocument::release() {
  ok_ = false;
  depth_ = 0;
  std::vector<JsonValue>().swap(nodes_);
  std::vector<Frame>().swap(stack_);
  std::string().swap(text_);
}

const JsonValue& JsonDocument::root() const { return ok_ ? nodes_[0] : kNull; }

bool JsonDocument::fail(std::string_view input, std::size_t offset, std::string message, Error kind) {
  ok_ = false;
  error = kind;
  error_offset = offset;
  error_line = 1;
  std::size_t line_start = 0;
  for (std::size_t k = 0; k < offset && k < input.size(); ++k) {
    if (input[k] == '\n') {
      ++error_line;
      line_start = k + 1;
    }
  }
  error_column = offset - line_start + 1;
  error_message = std::move(message);
  return false;
}

// "unexpected character 'x'; expected <expected>", for the byte at offset.
bool JsonDocument::fail_at(std::string_view input, std::size_t offset, std::string_view expected) {
  std::string m;
  if (offset >= input.size()) {
    m = "unexpected end of input";
  } else {
    const auto c = static_cast<unsigned char>(input[offset]);
    if (c > 0x20 && c < 0x7F) {
      m = "unexpected character '";
      m += static_cast<char>(c);
      m += '\'';
    } else {
      static const char* kHex = "0123456789ABCDEF";
      m = "unexpected byte 0x";
      m += kHex[c >> 4];
      m += kHex[c & 15];
    }
  }
  m += "; expected ";
  m += expected;
  return fail(input, offset, std::move(m));
}

bool JsonDocument::parse(std::string_view input, std::size_t max_depth) {
  ok_ = false;
  depth_ = 0;
  nodes_.clear();
  stack_.clear();
  error = Error::none;
  error_line = error_column = error_offset = 0;
  error_message.clear();
  if (input.size() >= JsonValue::npos) return fail({}, 0, "the input is too large (4 GiB or more)", Error::too_large);
  // The copy to decode strings in, with its padding (no allocation once the
  // buffer has grown to the largest body seen).
  if (text_.capacity() < input.size() + kPadding) text_.reserve(input.size() + kPadding);
  text_.assign(input.data(), input.size());
  text_.append(kPadding, '\0');

  char* const base = text_.data();
  const char* const end = base + input.size();  // *end == '\0', the sentinel
  char* p = base;
  auto at = [&](const char* q) { return static_cast<std::size_t>(q - base); };

  std::string_view key;  // the pending member key, for the next value
  std::size_t depth = 0;  // the deepest nesting of non-empty containers so far
  StringError serr = StringError::none;
  char* serr_at = nullptr;
  for (;;) {
    // At a value.
    p = skip_ws(p);
    const auto index = static_cast<uint32_t>(nodes_.size());
    JsonValue& v = nodes_.emplace_back();
    v.offset = at(p);
    if (!stack_.empty()) {
      Frame& f = stack_.back();
      JsonValue& parent = nodes_[f.node];
      if (f.last == JsonValue::npos) parent.first_child = index;
      else nodes_[f.last].next_sibling = index;
      f.last = index;
      ++parent.child_count;
      if (parent.type == Type::object) v.key = key;
    }

    bool opened = false;  // a non-empty container was opened: read its first child next
    switch (*p) {
      case '{':
      case '[': {
        if (stack_.size() >= max_depth) {
          return fail(input, at(p), "nesting deeper than " + std::to_string(max_depth) + " levels", Error::too_deep);
        }
        const bool object = *p == '{';
        v.type = object ? Type::object : Type::array;
        p = skip_ws(p + 1);
        if (*p == (object ? '}' : ']')) {
          ++p;
          break;
        }
        stack_.push_back({index, JsonValue::npos});
        if (stack_.size() > depth) depth = stack_.size();
        opened = true;
        if (object) {
          if (*p != '"') return fail_at(input, at(p), "a string key or '}'");
          char* next = scan_string(p, end, key, serr, serr_at);
          if (!next) return fail(input, at(serr_at), string_error_message(serr));
          p = skip_ws(next);
          if (*p != ':') return fail_at(input, at(p), "':' after the key");
          ++p;
        }
        break;
      }
      case '"': {
        char* next = scan_string(p, end, v.text, serr, serr_at);
        if (!next) return fail(input, at(serr_at), string_error_message(serr));
        v.type = Type::string;
        p = next;
        break;
      }
      case '-':
      case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9': {
        char* const start = p;
        if (*p == '-') ++p;
        if (*p == '0') {
          ++p;
          if (is_digit(*p)) return fail(input, at(p), "invalid number: leading zero");
        } else if (is_digit(*p)) {
          while (is_digit(*p)) ++p;
        } else {
          return fail(input, at(p), "invalid number: expected a digit");
        }
        bool integer = true;
        if (*p == '.') {
          integer = false;
          ++p;
          if (!is_digit(*p)) return fail(input, at(p), "invalid number: expected a digit after '.'");
          while (is_digit(*p)) ++p;
        }
        if (*p == 'e' || *p == 'E') {
          integer = false;
          ++p;
          if (*p == '+' || *p == '-') ++p;
          if (!is_digit(*p)) return fail(input, at(p), "invalid number: expected a digit in the exponent");
          while (is_digit(*p)) ++p;
        }
        v.type = Type::number;
        v.is_integer = integer;
        v.text = std::string_view(start, static_cast<std::size_t>(p - start));
        break;
      }
      case 't':
      case 'f':
      case 'n': {
        bool bad = false;
        const std::size_t left = static_cast<std::size_t>(end - p);
        if (left >= 4 && std::memcmp(p, "true", 4) == 0) {
          v.type = Type::boolean;
          v.boolean = true;
          p += 4;
        } else if (left >= 5 && std::memcmp(p, "false", 5) == 0) {
          v.type = Type::boolean;
          p += 5;
        } else if (left >= 4 && std::memcmp(p, "null", 4) == 0) {
          p += 4;
        } else {
          bad = true;
        }
        if (!bad) break;
        [[fallthrough]];
      }
      default: {
        // A word (tru, nul, True, NaN, undefined...) is named whole.
        const char* q = p;
        auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
        while (letter(*q) && q - p < 20) ++q;
        if (q > p) {
          std::string m = "invalid literal '";
          m.append(p, static_cast<std::size_t>(q - p));
          m += letter(*q) ? "...'" : "'";
          m += "; expected a value (true, false, null, a number, a string, an array or an object)";
          return fail(input, at(p), std::move(m));
        }
        return fail_at(input, at(p), "a value");
      }
    }
    if (opened) continue;

    // After a complete value: close containers, or find the next value.
    for (;;) {
      p = skip_ws(p);
      if (stack_.empty()) {
        if (p != end) return fail_at(input, at(p), "the end of input after the top value");
        depth_ = depth;
        ok_ = true;
        return true;
      }
      Frame& f = stack_.back();
      const bool object = nodes_[f.node].type == Type::object;
      if (*p == ',') {
        p = skip_ws(p + 1);
        if (object) {
          if (*p != '"') return fail_at(input, at(p), "a string key");
          char* next = scan_string(p, end, key, serr, serr_at);
          if (!next) return fail(input, at(serr_at), string_error_message(serr));
          p = skip_ws(next);
          if (*p != ':') return fail_at(input, at(p), "':' after the key");
          ++p;
        }
        break;  // to the next value
      }
      if (*p == (object ? '}' : ']')) {
        ++p;
        stack_.pop_back();
        continue;  // the container is a complete value in its parent
      }
      return fail_at(input, at(p), object ? "',' or '}'" : "',' or ']'");
    }
  }
}

const JsonValue* JsonDocument::member(const JsonValue& object, std::string_view key) const {
  if (object.type != Type::object) return nullptr;
  for (uint32_t k = object.first_child; k != JsonValue::npos; k = nodes_[k].next_sibling) {
    if (nodes_[k].key == key) return &nodes_[k];
  }
  return nullptr;
}

namespace {

// Appends s (valid UTF-8, as every parsed string is) quoted and escaped the
// way JsonWriter does: \" \\ \n \r \t, other controls as \u00XX.
void append_escaped(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;
  for (std::size_t k = 0; k < s.size(); ++k) {
    if constexpr (std::endian::native == std::endian::little) {
      // Eight bytes at a time while they need no escape (UTF-8 passes).
      while (k + 8 <= s.size()) {
        const uint64_t m = escape_stops8(load8(s.data() + k));
        if (m != 0) {
          k += static_cast<std::size_t>(std::countr_zero(m)) / 8;
          break;
        }
        k += 8;
      }
      if (k == s.size()) break;
    }
    const auto c = static_cast<unsigned char>(s[k]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, k - run);
    run = k + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(u, 6);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace

void JsonDocument::write(const JsonValue& v, std::string& out) const {
  // Nodes are in document order, so the subtree of v is the run of nodes
  // from v on. For each open container, `open` holds its children still to
  // write and whether it is an object; it is as deep as the document, which
  // parse() bounded, and lives on the stack unless that is over 64.
  struct Open {
    uint32_t remaining;
    bool object;
  };
  Open local[64];
  std::vector<Open> heap;
  Open* open = local;
  if (depth_ > std::size(local)) {
    heap.resize(depth_);
    open = heap.data();
  }
  std::size_t depth = 0;
  const JsonValue* n = &v;
  for (;;) {
    if (depth > 0 && open[depth - 1].object) {
      append_escaped(out, n->key);
      out += ':';
    }
    switch (n->type) {
      case Type::null: out.append("null", 4); break;
      case Type::boolean: n->boolean ? out.append("true", 4) : out.append("false", 5); break;
      case Type::number: out += n->text; break;
      case Type::string: append_escaped(out, n->text); break;
      case Type::array:
      case Type::object: {
        const bool object = n->type == Type::object;
        out += object ? '{' : '[';
        if (n->child_count == 0) {
          out += object ? '}' : ']';
          break;
        }
        open[depth++] = {n->child_count, object};
        ++n;  // its first child
        continue;
      }
    }
    // n is complete: close what it completes.
    for (;;) {
      if (depth == 0) return;
      if (--open[depth - 1].remaining > 0) {
        out += ',';
        break;
      }
      out += open[depth - 1].object ? '}' : ']';
      --depth;
    }
    ++n;  // the next node in document order is the next sibling here
  }
}

}  // namespace rulebook

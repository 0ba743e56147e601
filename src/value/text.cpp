// Text functions of the rule language. Text is UTF-8; the length counts
// characters (code points), not bytes. Case mapping covers A-Z and the
// accented Latin-1 letters (À-Þ / à-þ); every other character is kept as is.
#include "rulebook/value.hpp"

namespace rulebook {

namespace {

// Latin-1 letters in UTF-8 are 0xC3 followed by 0x80..0xBF. Capitals are
// 0x80..0x9E and small letters 0xA0..0xBE, 0x20 apart; 0x97 (×) and 0xB7 (÷)
// are signs, not letters.
std::string map_case(std::string_view t, bool to_upper) {
  std::string out(t);
  for (std::size_t k = 0; k < out.size(); ++k) {
    unsigned char& c = reinterpret_cast<unsigned char&>(out[k]);
    if (to_upper ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) {
      c ^= 0x20;
    } else if (c == 0xC3 && k + 1 < out.size()) {
      unsigned char& next = reinterpret_cast<unsigned char&>(out[k + 1]);
      const bool capital = next >= 0x80 && next <= 0x9E && next != 0x97;
      const bool small = next >= 0xA0 && next <= 0xBE && next != 0xB7;
      if (to_upper ? small : capital) next ^= 0x20;
      ++k;
    }
  }
  return out;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace

std::string text_lower(std::string_view t) { return map_case(t, false); }
std::string text_upper(std::string_view t) { return map_case(t, true); }

std::string_view text_trim(std::string_view t) {
  while (!t.empty() && is_space(t.front())) t.remove_prefix(1);
  while (!t.empty() && is_space(t.back())) t.remove_suffix(1);
  return t;
}

int64_t text_length(std::string_view t) {
  int64_t n = 0;
  for (char c : t) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // continuation bytes are not characters
  return n;
}

}  // namespace rulebook

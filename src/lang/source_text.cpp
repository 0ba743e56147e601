#include "lang/source_text.hpp"

#include <cctype>
#include <charconv>

#include "rulebook/value.hpp"

namespace rulebook::source {

namespace {
bool starts_with_word(std::string_view line, std::string_view word) {
  return line.substr(0, word.size()) == word &&
         (line.size() == word.size() ||
          !(std::isalnum(static_cast<unsigned char>(line[word.size()])) || line[word.size()] == '_'));
}
}  // namespace

std::vector<Chunk> chunks(std::string_view text, std::size_t start, std::initializer_list<std::string_view> keywords) {
  std::vector<Chunk> out{{start, 1}};
  std::size_t line = 1;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] != '\n') continue;
    ++line;
    const std::string_view rest = text.substr(k + 1);
    for (std::string_view word : keywords) {
      if (starts_with_word(rest, word)) {
        out.push_back({k + 1, line});
        break;
      }
    }
  }
  return out;
}

std::string unquoted(std::string_view raw) {
  std::string out;
  for (std::size_t k = 1; k + 1 < raw.size(); ++k) {
    if (raw[k] == '\\' && k + 2 < raw.size()) {
      const char e = raw[++k];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += raw[k];
    }
  }
  return out;
}

std::string not_a_date(std::string_view s) {
  int y = 0, m = 0;
  if (s.size() >= 7) {
    std::from_chars(s.data(), s.data() + 4, y);
    std::from_chars(s.data() + 5, s.data() + 7, m);
  }
  const std::string text(s);
  if (m < 1 || m > 12) return text + " is not a date: there is no month " + std::to_string(m);
  if (y < 1) return text + " is not a date: years start at 0001";
  return text + " is not a date: that month has " + std::to_string(days_in_month(y, static_cast<unsigned>(m))) +
         " days";
}

Diagnostic syntax_error(const tao::pegtl::parse_error& e, const std::string& path) {
  Diagnostic d;
  d.code = "syntax";
  const auto& p = e.positions().front();
  d.pos = SourcePos{path, p.line, p.column, p.byte};
  d.message = std::string(e.message());
  return d;
}

}  // namespace rulebook::source

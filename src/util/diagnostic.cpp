#include "rulebook/diagnostic.hpp"

#include <algorithm>

namespace rulebook {

std::string format_headline(const Diagnostic& d) {
  std::string out = d.pos.file;
  if (d.pos.line > 0) out += ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column);
  out += d.severity == Severity::error ? ": error: " : ": warning: ";
  out += d.message;
  return out;
}

std::string format_diagnostic(const Diagnostic& d) {
  std::string out = format_headline(d) + "\n";
  if (d.source_line.empty() || d.pos.column == 0) return out;
  out += "    " + d.source_line + "\n    ";
  // The caret goes under the column's code point; tabs are kept so it lines up.
  std::size_t bytes = std::min(d.pos.column - 1, d.source_line.size());
  for (std::size_t k = 0; k < bytes; ++k) {
    const unsigned char c = static_cast<unsigned char>(d.source_line[k]);
    if ((c & 0xC0) == 0x80) continue;  // UTF-8 continuation byte
    out += c == '\t' ? '\t' : ' ';
  }
  out += "^\n";
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) {
  return std::any_of(ds.begin(), ds.end(), [](const Diagnostic& d) { return d.severity == Severity::error; });
}

std::string line_at(const std::string& text, std::size_t byte) {
  byte = std::min(byte, text.size());
  std::size_t begin = byte;
  while (begin > 0 && text[begin - 1] != '\n') --begin;
  std::size_t end = text.find('\n', byte);
  if (end == std::string::npos) end = text.size();
  std::string line = text.substr(begin, end - begin);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace rulebook

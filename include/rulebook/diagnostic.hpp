// Diagnostics: every problem the front end, the checker or the loader finds is
// a value of this type, passed up to the caller, never printed from deep inside.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rulebook {

// A place in a source file; line and column are 1-based, column counts bytes.
struct SourcePos {
  std::string file;
  std::size_t line = 0;
  std::size_t column = 0;
  std::size_t byte = 0;
};

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  std::string code;  // stable identifier, e.g. "syntax", "unknown-name", "conflict"
  SourcePos pos;
  std::string message;
  std::string source_line;  // the text of the line at pos, for the caret display
};

// "file:line:col: error: message" (no caret lines).
std::string format_headline(const Diagnostic& d);
// Headline, then the source line and a caret under the column (code points, not bytes).
std::string format_diagnostic(const Diagnostic& d);

bool has_errors(const std::vector<Diagnostic>& ds);

// The line of `text` that contains byte offset `byte`, without its newline.
std::string line_at(const std::string& text, std::size_t byte);

}  // namespace rulebook

// The formatter behind `rulebook fmt` and the language server's formatting:
// one canonical layout for .rules and .scenarios files.
//
// It is a layout over the token stream and the line structure, not a printer
// of the syntax tree, so constructs added to the grammar later format without
// changes here: line breaks stay where the author put them (runs of blank
// lines become one, a blank line comes before each block), each line is
// indented by what it starts (an item, a part of one, a continuation) and by
// the brackets still open, tokens are separated by one space (none inside
// brackets, before ',' or after a unary '-'), the ':' and the descriptions of
// consecutive field lines are aligned, and comments stay on the line they were on.
//
// Only text that parses is formatted: otherwise the result holds the text
// unchanged and the parser's diagnostics (file:line:col), and ok() is false.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rulebook/diagnostic.hpp"

namespace rulebook::authoring {

struct FormatResult {
  std::string text;                     // the formatted text; the input itself when !ok()
  std::vector<Diagnostic> diagnostics;  // why the text was not formatted (errors only)
  bool changed = false;                 // text differs from the input
  bool ok() const { return !has_errors(diagnostics); }
};

// `path` only names the file in diagnostics.
FormatResult format_rules(std::string_view text, const std::string& path = "<text>");
FormatResult format_scenarios(std::string_view text, const std::string& path = "<text>");

enum class FileKind { rules, scenarios };

// .rules or .scenarios by the file name's extension; nullopt for any other file.
std::optional<FileKind> file_kind(std::string_view path);

// format_rules or format_scenarios, by `kind`.
FormatResult format_text(FileKind kind, std::string_view text, const std::string& path = "<text>");

}  // namespace rulebook::authoring

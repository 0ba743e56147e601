// Pieces of reading source text that the rule-language parser and the
// scenario parser share: parse-tree nodes and their positions, where recovery chunks start, quoted text, why a
// date literal is not a date, and a PEGTL syntax error as a Diagnostic.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <tao/pegtl/contrib/parse_tree.hpp>
#include <tao/pegtl/parse_error.hpp>
#include <vector>

#include "rulebook/diagnostic.hpp"

namespace rulebook::source {

// Parse-tree nodes, as both parsers' converters read them.
using Node = tao::pegtl::parse_tree::node;

template <typename T>
bool is(const Node& n) {
  return n.is_type<T>();
}

inline SourcePos pos_of(const Node& n) {
  const auto p = n.begin();
  return SourcePos{p.source, p.line, p.column, p.byte};
}

// A piece of a file that parses on its own: it begins at `begin` (a byte
// offset), on line `line`.
struct Chunk {
  std::size_t begin = 0;
  std::size_t line = 1;
};

// The file from `start` (after a byte order mark, say), cut before every line
// that begins with one of `keywords` in column 1 as a whole word. After a
// syntax error the parser goes on at the next chunk, so one run reports the
// errors of every broken item.
std::vector<Chunk> chunks(std::string_view text, std::size_t start, std::initializer_list<std::string_view> keywords);

// The contents of a "quoted" literal, with \n, \t, \" and \\ undone.
std::string unquoted(std::string_view literal);

// Why YYYY-MM-DD text that parse_iso_date refused is not a date:
// "2026-02-30 is not a date: that month has 28 days".
std::string not_a_date(std::string_view text);

// A PEGTL syntax error as a diagnostic with code "syntax" at its line:col
// (the caller adds the source line, when it keeps the diagnostic).
Diagnostic syntax_error(const tao::pegtl::parse_error& e, const std::string& path);

}  // namespace rulebook::source

// The editor's open buffers for `rulebook lsp`, and the conversions between
// the protocol's positions (line and UTF-16 code unit, 0-based) and the
// project's (byte offsets; 1-based line and byte column).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook::lsp {

using json = nlohmann::json;

// Line starts of one text, for converting positions both ways.
class LineMap {
 public:
  explicit LineMap(std::string_view text);
  // {"line": L, "character": C} for a byte offset (clamped to the text).
  json position(std::size_t byte) const;
  // The byte offset of an LSP position; a character past the line's end is its end.
  std::size_t offset(std::size_t line, std::size_t character) const;
  // {"start": ..., "end": ...} for bytes [begin, end).
  json range(std::size_t begin, std::size_t end) const;
  // The byte offset of the project's 1-based line and byte column (clamped to the line).
  std::size_t byte_at(std::size_t line, std::size_t column) const;

 private:
  std::string_view text_;
  std::vector<std::size_t> starts_;
  std::size_t line_end(std::size_t line) const;
};

// file:///a%20b/c.rules <-> /a b/c.rules. Not a file URI: "".
std::string uri_to_path(std::string_view uri);
std::string path_to_uri(std::string_view path);

struct Document {
  std::string uri;
  std::string path;
  std::string text;
  std::int64_t version = 0;
};

class Documents {
 public:
  void open(const std::string& uri, std::string text, std::int64_t version);
  // Applies didChange's contentChanges (whole text, or a range and its new
  // text) in order. False, with `problem` set, when the document is not open
  // or a change is malformed; the text is then unchanged.
  bool change(const std::string& uri, const json& changes, std::int64_t version, std::string& problem);
  void close(const std::string& uri);
  const Document* find(const std::string& uri) const;
  const std::map<std::string, Document>& all() const { return docs_; }

 private:
  std::map<std::string, Document> docs_;  // by URI
};

}  // namespace rulebook::lsp

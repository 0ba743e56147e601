#include "authoring/lsp_documents.hpp"

#include <algorithm>
#include <cctype>

namespace rulebook::lsp {

namespace {

// UTF-16 code units of the UTF-8 sequence that starts with `lead`: 2 for a
// four-byte sequence (a surrogate pair), 0 for a continuation byte, else 1.
std::size_t utf16_units(unsigned char lead) {
  if ((lead & 0xC0) == 0x80) return 0;
  return lead >= 0xF0 ? 2 : 1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

LineMap::LineMap(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (text[k] == '\n') starts_.push_back(k + 1);
  }
}

std::size_t LineMap::line_end(std::size_t line) const {
  std::size_t end = line + 1 < starts_.size() ? starts_[line + 1] - 1 : text_.size();
  if (end > starts_[line] && text_[end - 1] == '\r' && line + 1 < starts_.size()) --end;
  return end;
}

json LineMap::position(std::size_t byte) const {
  byte = std::min(byte, text_.size());
  const auto line = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.end(), byte) - starts_.begin()) - 1;
  std::size_t units = 0;
  for (std::size_t k = starts_[line]; k < byte; ++k) units += utf16_units(static_cast<unsigned char>(text_[k]));
  return json{{"line", line}, {"character", units}};
}

std::size_t LineMap::offset(std::size_t line, std::size_t character) const {
  if (line >= starts_.size()) return text_.size();
  const std::size_t end = line_end(line);
  std::size_t k = starts_[line], units = 0;
  while (k < end && units < character) {
    units += utf16_units(static_cast<unsigned char>(text_[k]));
    ++k;
    while (k < end && (static_cast<unsigned char>(text_[k]) & 0xC0) == 0x80) ++k;  // the rest of the code point
  }
  return k;
}

json LineMap::range(std::size_t begin, std::size_t end) const {
  return json{{"start", position(begin)}, {"end", position(std::max(begin, end))}};
}

std::size_t LineMap::byte_at(std::size_t line, std::size_t column) const {
  if (line == 0) return 0;
  if (line > starts_.size()) return text_.size();
  const std::size_t begin = starts_[line - 1];
  return std::min(begin + (column > 0 ? column - 1 : 0), line_end(line - 1));
}

std::string uri_to_path(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.substr(0, scheme.size()) != scheme) return "";
  uri.remove_prefix(scheme.size());
  if (!uri.empty() && uri.front() != '/') {  // file://host/path: only the local host
    const auto slash = uri.find('/');
    if (uri.substr(0, slash) != "localhost") return "";
    uri.remove_prefix(slash == std::string_view::npos ? uri.size() : slash);
  }
  std::string out;
  for (std::size_t k = 0; k < uri.size(); ++k) {
    if (uri[k] == '%' && k + 2 < uri.size() && hex_value(uri[k + 1]) >= 0 &&
        hex_value(uri[k + 2]) >= 0) {
      out += static_cast<char>(hex_value(uri[k + 1]) * 16 + hex_value(uri[k + 2]));
      k += 2;
    } else {
      out += uri[k];
    }
  }
  return out;
}

std::string path_to_uri(std::string_view path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "file://";
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void Documents::open(const std::string& uri, std::string text, std::int64_t version) {
  docs_[uri] = Document{uri, uri_to_path(uri), std::move(text), version};
}

bool Documents::change(const std::string& uri, const json& changes, std::int64_t version, std::string& problem) {
  auto it = docs_.find(uri);
  if (it == docs_.end()) {
    problem = "the document " + uri + " is not open";
    return false;
  }
  if (!changes.is_array()) {
    problem = "contentChanges must be an array";
    return false;
  }
  std::string text = it->second.text;
  for (const json& c : changes) {
    if (!c.is_object() || !c.contains("text") || !c["text"].is_string()) {
      problem = "every content change needs a text";
      return false;
    }
    const std::string& replacement = c["text"].get_ref<const std::string&>();
    if (!c.contains("range")) {
      text = replacement;
      continue;
    }
    const json& r = c["range"];
    auto number = [&](const json& pos, const char* key, std::size_t& out) {
      if (!pos.is_object() || !pos.contains(key) || !pos[key].is_number_integer() || pos[key].get<std::int64_t>() < 0) {
        return false;
      }
      out = pos[key].get<std::size_t>();
      return true;
    };
    std::size_t sl, sc, el, ec;
    if (!r.is_object() || !r.contains("start") || !r.contains("end") || !number(r["start"], "line", sl) ||
        !number(r["start"], "character", sc) || !number(r["end"], "line", el) || !number(r["end"], "character", ec)) {
      problem = "a content change has a malformed range";
      return false;
    }
    const LineMap lines(text);
    const std::size_t begin = lines.offset(sl, sc);
    const std::size_t end = std::max(begin, lines.offset(el, ec));
    text.replace(begin, end - begin, replacement);
  }
  it->second.text = std::move(text);
  it->second.version = version;
  return true;
}

void Documents::close(const std::string& uri) { docs_.erase(uri); }

const Document* Documents::find(const std::string& uri) const {
  auto it = docs_.find(uri);
  return it == docs_.end() ? nullptr : &it->second;
}

}  // namespace rulebook::lsp

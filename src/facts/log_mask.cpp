#include "facts/log_mask.hpp"

#include "facts/json_reader.hpp"
#include "facts/json_writer.hpp"
#include "util/sha256.hpp"

namespace rulebook {

std::optional<LogMask> LogMask::make(const std::vector<std::string>& paths, std::string salt, std::string& error) {
  if (salt.size() < kMinSaltBytes) {
    error = "the salt must be at least " + std::to_string(kMinSaltBytes) + " bytes (it has " +
            std::to_string(salt.size()) + ")";
    return std::nullopt;
  }
  LogMask mask;
  mask.salt_ = std::move(salt);
  for (const std::string& path : paths) {
    Node* node = &mask.root_;
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = path.find('.', start);
      const std::string_view part = std::string_view(path).substr(start, dot == std::string::npos ? dot : dot - start);
      if (part.empty()) {
        error = "the fact path \"" + path + "\" has an empty part; write it as the policies do, e.g. employee.name";
        return std::nullopt;
      }
      node = &node->children[std::string(part)];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    node->masked = true;
  }
  return mask;
}

std::string LogMask::hash(std::string_view bytes) const {
  Sha256 h;
  h.update(salt_);
  h.update(bytes);
  return "sha256:" + to_hex(h.finish());
}

void LogMask::write_facts(const JsonDocument& doc, const JsonValue& facts, std::string& out) const {
  write(doc, facts, &root_, out);
}

// Recursion is bounded by the longest masked path: below a part no path
// names, JsonDocument::write (iterative) takes over.
void LogMask::write(const JsonDocument& doc, const JsonValue& v, const Node* node, std::string& out) const {
  if (node->masked) return write_hashed(doc, v, out);
  if (node->children.empty() || !(v.is_object() || v.is_array())) return doc.write(v, out);
  const bool object = v.is_object();
  out += object ? '{' : '[';
  bool first = true;
  for (const JsonValue& child : doc.children(v)) {
    if (!first) out += ',';
    first = false;
    if (!object) {  // a list of records: the same paths apply to each item
      write(doc, child, node, out);
      continue;
    }
    append_json_string(out, child.key);
    out += ':';
    const auto found = node->children.find(child.key);
    if (found == node->children.end()) {
      doc.write(child, out);
    } else {
      write(doc, child, &found->second, out);
    }
  }
  out += object ? '}' : ']';
}

void LogMask::write_hashed(const JsonDocument& doc, const JsonValue& v, std::string& out) const {
  switch (v.type) {
    case JsonValue::Type::null: out += "null"; return;
    case JsonValue::Type::boolean: return append_json_string(out, hash(v.boolean ? "true" : "false"));
    case JsonValue::Type::number:
    case JsonValue::Type::string: return append_json_string(out, hash(v.text));
    case JsonValue::Type::array:
    case JsonValue::Type::object: {
      std::string json;
      doc.write(v, json);
      return append_json_string(out, hash(json));
    }
  }
}

}  // namespace rulebook

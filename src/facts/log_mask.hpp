// `serve --log-mask PATH...`: facts written to the decision log as a salted
// hash instead of their value, so the log can be kept and analysed without
// holding names, dates of birth or other personal HR facts in clear.
//
// A masked value is "sha256:" and the lowercase hex SHA-256 of the salt's
// bytes followed by the value's bytes: for a string its text (decoded, so
// "\u0053arah" and "Sarah" hash alike), for a number its JSON text as sent,
// for true/false that word, for an object or list its compact JSON. null
// ("not given") stays null. The same salt and value always give the same
// hash, so an analyst can still group and count by it; without the salt the
// value cannot be looked up in a list of likely names.
//
// A path names a fact as the policies do (`employee.name`); a path through a
// list of records applies to each item (`history.agency` masks the agency of
// every item of `history`); a path naming a record masks the whole record.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook {

class JsonDocument;
struct JsonValue;

class LogMask {
 public:
  // From the paths and the salt; nullopt with `error` for a malformed path
  // ("employee..name", "", ".x") or a salt shorter than kMinSaltBytes.
  static constexpr std::size_t kMinSaltBytes = 16;
  static std::optional<LogMask> make(const std::vector<std::string>& paths, std::string salt, std::string& error);

  // "sha256:<64 hex>" of salt + bytes.
  std::string hash(std::string_view bytes) const;

  // Appends `facts` (an object of `doc`) as compact JSON with the masked
  // paths hashed; everything else as JsonDocument::write writes it.
  void write_facts(const JsonDocument& doc, const JsonValue& facts, std::string& out) const;

 private:
  struct Node {
    bool masked = false;  // this path is masked: hash whatever value it holds
    std::map<std::string, Node, std::less<>> children;
  };
  void write(const JsonDocument& doc, const JsonValue& v, const Node* node, std::string& out) const;
  void write_hashed(const JsonDocument& doc, const JsonValue& v, std::string& out) const;

  Node root_;
  std::string salt_;
};

}  // namespace rulebook

// A strict, allocation-light JSON reader for request bodies: one flat DOM
// (a vector of nodes in document order) over one text buffer, both reused
// across parse() calls, so a warmed-up document parses without allocating.
//
// Strict means RFC 8259 and nothing more: no comments, no trailing commas, no
// leading zeros, no NaN/Infinity, no byte-order mark, no single quotes; every
// escape valid (\uXXXX surrogates must pair up); strings valid UTF-8 (no
// overlongs, no UTF-8-encoded surrogates, nothing above U+10FFFF) with no raw
// control characters; only whitespace (space, tab, LF, CR) after the top
// value. Any value may be the top value; the caller checks it is an object.
//
// Parsing is iterative with an explicit stack bounded by max_depth, so no
// input can overflow the call stack; write() is iterative too.
//
// Duplicate keys are kept, both of them, in document order: member() finds
// the first; iterate children() to see (and reject) duplicates.
//
// Strings may contain U+0000 (from "\u0000"): `text` is a string_view with
// its exact length and is not NUL-terminated.
//
// Lifetime: every string_view (text, key) points into the document's own
// buffer, not into the parsed input: it stays valid until the next parse() or
// the document's destruction. The document is neither copyable nor movable
// (moving a std::string may move short strings and dangle the views); hold
// it in place (thread_local, a member, or behind a unique_ptr).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook {

struct JsonValue {
  enum class Type : uint8_t { null, boolean, number, string, array, object };
  static constexpr uint32_t npos = UINT32_MAX;  // no child / no next sibling

  Type type = Type::null;
  bool boolean = false;     // Type::boolean: its value
  bool is_integer = false;  // Type::number: no '.', 'e' or 'E' in the text
  // Type::string: the decoded text (valid UTF-8, may contain U+0000).
  // Type::number: the number exactly as written, e.g. "-12.50" or "1e400";
  // convert with std::from_chars (integers) or from the text (decimals).
  // Other types: empty.
  std::string_view text;
  // When this node is a member of an object: its decoded key (possibly "");
  // otherwise empty. Use the parent's type, not key.empty(), to tell.
  std::string_view key;
  uint32_t first_child = npos;   // array/object: index of the first child, or npos when empty
  uint32_t child_count = 0;      // array/object: number of direct children
  uint32_t next_sibling = npos;  // index of the next child of the same parent, or npos if last
  std::size_t offset = 0;        // byte offset of the value's first character in the input

  bool is_null() const { return type == Type::null; }
  bool is_boolean() const { return type == Type::boolean; }
  bool is_number() const { return type == Type::number; }
  bool is_string() const { return type == Type::string; }
  bool is_array() const { return type == Type::array; }
  bool is_object() const { return type == Type::object; }
};

class JsonDocument {
 public:
  // Iterates the direct children of an array or object (empty for scalars):
  //   for (const JsonValue& m : doc.children(obj)) use(m.key, m);
  class ChildIterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = JsonValue;
    using difference_type = std::ptrdiff_t;
    using pointer = const JsonValue*;
    using reference = const JsonValue&;
    ChildIterator() = default;
    ChildIterator(const JsonValue* nodes, uint32_t index) : nodes_(nodes), index_(index) {}
    const JsonValue& operator*() const { return nodes_[index_]; }
    const JsonValue* operator->() const { return &nodes_[index_]; }
    ChildIterator& operator++() {
      index_ = nodes_[index_].next_sibling;
      return *this;
    }
    ChildIterator operator++(int) {
      ChildIterator old = *this;
      ++*this;
      return old;
    }
    uint32_t index() const { return index_; }
    friend bool operator==(const ChildIterator& a, const ChildIterator& b) { return a.index_ == b.index_; }

   private:
    const JsonValue* nodes_ = nullptr;
    uint32_t index_ = JsonValue::npos;
  };
  struct Children {
    ChildIterator first;
    ChildIterator begin() const { return first; }
    ChildIterator end() const { return {}; }
  };

  JsonDocument();
  JsonDocument(const JsonDocument&) = delete;
  JsonDocument& operator=(const JsonDocument&) = delete;

  // Parses `input` strictly (see above). On success root() is the top value;
  // on failure error_line/error_column/error_offset/error_message say where
  // and why, and root() is a null value. Nesting (arrays + objects) deeper
  // than max_depth is an error reported at the bracket that goes too deep.
  bool parse(std::string_view input, std::size_t max_depth = 64);

  // The buffers keep the capacity of the largest body parsed (about 64 bytes
  // a value plus the body's size: a 1 MiB body of "[0,0,...]" holds 32 MiB).
  // Frees them, and the document; call it after an unusually large body.
  void release();
  std::size_t capacity_bytes() const {
    return nodes_.capacity() * sizeof(JsonValue) + stack_.capacity() * sizeof(Frame) + text_.capacity();
  }

  // The nodes, in document order (a node's subtree follows it). Meaningful
  // only after a successful parse(); root() is node 0 then.
  bool ok() const { return ok_; }
  const JsonValue& root() const;
  const JsonValue& node(uint32_t index) const { return nodes_[index]; }
  uint32_t index_of(const JsonValue& v) const { return static_cast<uint32_t>(&v - nodes_.data()); }
  std::size_t size() const { return nodes_.size(); }
  Children children(const JsonValue& v) const { return {ChildIterator(nodes_.data(), v.first_child)}; }

  // The first member of `object` named `key`, or nullptr (also when `object`
  // is not an object). Linear in the number of members.
  const JsonValue* member(const JsonValue& object, std::string_view key) const;

  // Appends `v` (a node of this document) as compact JSON: members in
  // document order (duplicates included), strings re-escaped, numbers as
  // their raw text. Iterative; needs no recursion however deep `v` is.
  void write(const JsonValue& v, std::string& out) const;

  // When parse() returns false: what kind of failure, 1-based line and
  // column (column counted in bytes; only '\n' ends a line), the byte offset,
  // and a message such as "unexpected character 'x'; expected a value",
  // "unterminated string", "invalid escape", "invalid UTF-8 in string",
  // "nesting deeper than 64 levels". The position is that of the offending
  // byte (the opening quote of an unterminated string, the backslash of a bad
  // escape, the lead byte of bad UTF-8, the bracket that nests too deep, the
  // end of input when it ends early). All are reset by the next parse().
  enum class Error : uint8_t {
    none,
    syntax,     // not JSON (including bad escapes and bad UTF-8)
    too_deep,   // valid so far, but nests deeper than max_depth
    too_large,  // 4 GiB or more of input
  };
  Error error = Error::none;
  std::size_t error_line = 0;
  std::size_t error_column = 0;
  std::size_t error_offset = 0;
  std::string error_message;

 private:
  struct Frame {
    uint32_t node;  // the open array/object
    uint32_t last;  // its last child so far, or npos
  };
  bool fail(std::string_view input, std::size_t offset, std::string message, Error kind = Error::syntax);
  bool fail_at(std::string_view input, std::size_t offset, std::string_view expected);

  std::vector<JsonValue> nodes_;  // document order; reused (clear(), never shrunk)
  std::vector<Frame> stack_;      // open containers while parsing; reused
  std::string text_;              // a copy of the input, strings decoded in place
  std::size_t depth_ = 0;  // nesting of non-empty containers in the parsed document, for write()
  bool ok_ = false;
};

}  // namespace rulebook

// A small streaming JSON writer for responses: faster than building a DOM,
// and it always produces valid UTF-8 (bad bytes become U+FFFD).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rulebook {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view k);
  JsonWriter& string(std::string_view s);
  JsonWriter& integer(int64_t i);
  JsonWriter& boolean(bool b);
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // an already-encoded JSON value

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void separate();
  std::string& out_;
  // One char per open container: 1 while nothing has been written in it.
  // A string, not a vector: the usual depth fits its inline buffer, so a
  // writer allocates nothing.
  std::string first_ = std::string(1, '\1');
  bool after_key_ = false;
};

void append_json_string(std::string& out, std::string_view s);

}  // namespace rulebook

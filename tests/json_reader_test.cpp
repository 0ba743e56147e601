// The strict JSON reader: every value type, the flat DOM's links, lookup,
// writing back, every error with its line and column, the JSONTestSuite-style
// edge cases, deep nesting without recursion, and mutated bodies checked
// against nlohmann::json for the same accept/reject verdict and value.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "facts/json_reader.hpp"

using rulebook::JsonDocument;
using rulebook::JsonValue;
using Type = JsonValue::Type;

namespace {

const std::string kBody = R"({
  "as_of": "2026-03-02",
  "explain": true,
  "facts": {
    "employee": {"employment": "ongoing", "classification": "APS6", "on_temporary_transfer": true, "name": "Sarah Nguyen"},
    "move": {"kind": "ongoing", "from_agency": "Finance", "to_agency": "Social Services", "to_classification": "APS6"},
    "agreement": {"employee": true, "gaining_head": false},
    "offer": {"pay_on_commencement": 98500.00, "hours": 37.5, "agency_policies": ["Flexible Work Policy", "Leave Policy"],
              "position": {"title": "Policy Officer \u2014 \"Grade 6\"", "duties": "Duty statement DSS-2026-114"}},
    "dates": {"notice_given_on": "2026-03-02", "date_of_effect": "2026-03-30", "made_on": "2026-03-02"},
    "period": "P3M", "count": -3, "note": null, "empty": {}, "none": []
  }
})";

std::string written(const JsonDocument& d, const JsonValue& v) {
  std::string out;
  d.write(v, out);
  return out;
}

// Parses s (which must be valid) and writes it back compactly.
std::string round_trip(std::string_view s) {
  JsonDocument d;
  INFO(s);
  REQUIRE(d.parse(s));
  INFO(d.error_message);
  return written(d, d.root());
}

struct Failure {
  std::size_t line, column;
  std::string message;
  JsonDocument::Error kind;
};

Failure failure(std::string_view s, std::size_t max_depth = 64) {
  JsonDocument d;
  INFO(s);
  REQUIRE_FALSE(d.parse(s, max_depth));
  CHECK_FALSE(d.ok());
  CHECK(d.root().is_null());
  return {d.error_line, d.error_column, d.error_message, d.error};
}

std::vector<std::string> keys(const JsonDocument& d, const JsonValue& v) {
  std::vector<std::string> out;
  for (const JsonValue& m : d.children(v)) out.emplace_back(m.key);
  return out;
}

}  // namespace

TEST_CASE("json reader: scalars at the top") {
  JsonDocument d;
  REQUIRE(d.parse("null"));
  CHECK(d.root().is_null());
  REQUIRE(d.parse(" true "));
  CHECK(d.root().is_boolean());
  CHECK(d.root().boolean);
  REQUIRE(d.parse("\t\r\nfalse\n"));
  CHECK(d.root().is_boolean());
  CHECK_FALSE(d.root().boolean);
  REQUIRE(d.parse("\"hi\""));
  CHECK(d.root().is_string());
  CHECK(d.root().text == "hi");
  CHECK(d.root().offset == 0);
  REQUIRE(d.parse("  42"));
  CHECK(d.root().is_number());
  CHECK(d.root().offset == 2);
  CHECK(d.size() == 1);
  CHECK(d.root().first_child == JsonValue::npos);
  CHECK(d.root().child_count == 0);
  CHECK(d.root().next_sibling == JsonValue::npos);
  CHECK(d.root().key.empty());
}

TEST_CASE("json reader: numbers keep their text and say whether they are integers") {
  struct Case {
    const char* text;
    bool integer;
  };
  const Case cases[] = {{"0", true},      {"-0", true},          {"42", true},      {"-1234567890123456789012", true},
                        {"0.5", false},   {"98500.00", false},   {"-12.50", false}, {"1e5", false},
                        {"1E+2", false},  {"2.5e-3", false},     {"0e0", false},    {"1e400", false},
                        {"-0.0", false},  {"123456789.987654321", false}};
  JsonDocument d;
  for (const auto& c : cases) {
    INFO(c.text);
    REQUIRE(d.parse(c.text));
    CHECK(d.root().is_number());
    CHECK(d.root().text == c.text);
    CHECK(d.root().is_integer == c.integer);
  }
  // Inside containers the text stops at the number's end.
  REQUIRE(d.parse("[1e400,-0.25,7]"));
  std::vector<std::string> texts;
  for (const JsonValue& v : d.children(d.root())) texts.emplace_back(v.text);
  CHECK(texts == std::vector<std::string>{"1e400", "-0.25", "7"});
}

TEST_CASE("json reader: strings are decoded") {
  JsonDocument d;
  REQUIRE(d.parse(R"("a\"b\\c\/d\be\ff\ng\rh\ti")"));
  CHECK(d.root().text == "a\"b\\c/d\be\ff\ng\rh\ti");
  REQUIRE(d.parse(R"("\u0041\u00e9\u20AC\ud83d\ude00\uD834\uDD1E")"));
  CHECK(d.root().text == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF0\x9D\x84\x9E");
  REQUIRE(d.parse(R"("x\u0000y")"));
  CHECK(d.root().text == std::string_view("x\0y", 3));
  // Raw UTF-8 of every length, including the largest code points allowed.
  REQUIRE(d.parse("\"\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF \xEE\x80\x80 \xF4\x8F\xBF\xBF \x7F\""));
  CHECK(d.root().text == "\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF \xEE\x80\x80 \xF4\x8F\xBF\xBF \x7F");
  REQUIRE(d.parse("\"\""));
  CHECK(d.root().text.empty());
  // Long strings, with escapes and multi-byte characters at every offset
  // around the eight-byte blocks of the fast scan.
  for (std::size_t at = 0; at < 20; ++at) {
    for (const char* special : {"\\n", "\\u00e9", "\xC3\xA9", "\xF0\x9F\x98\x80", "\\\""}) {
      const std::string body = std::string(at, 'a') + special + std::string(20 - at, 'b');
      const std::string json = "[\"" + body + "\",\"" + body + "\"]";
      INFO(json);
      REQUIRE(d.parse(json));
      const std::string_view s = special;
      const std::string decoded = s == "\\n"       ? "\n"
                                  : s == "\\u00e9" ? "\xC3\xA9"
                                  : s == "\\\""    ? "\""
                                                   : std::string(s);
      const std::string want = std::string(at, 'a') + decoded + std::string(20 - at, 'b');
      for (const JsonValue& v : d.children(d.root())) CHECK(v.text == want);
    }
  }
}

TEST_CASE("json reader: the flat DOM links parents, children and siblings") {
  JsonDocument d;
  REQUIRE(d.parse(R"({"a": [1, {"b": null}, []], "c": {}, "d": "x"})"));
  const JsonValue& root = d.root();
  REQUIRE(root.is_object());
  CHECK(root.child_count == 3);
  CHECK(keys(d, root) == std::vector<std::string>{"a", "c", "d"});
  CHECK(d.size() == 8);  // {} a[ 1 {b null} [] c{} d

  const JsonValue& a = d.node(root.first_child);
  REQUIRE(a.is_array());
  CHECK(a.key == "a");
  CHECK(a.offset == 6);
  CHECK(a.child_count == 3);
  std::vector<Type> types;
  for (const JsonValue& v : d.children(a)) {
    types.push_back(v.type);
    CHECK(v.key.empty());
  }
  CHECK(types == std::vector<Type>{Type::number, Type::object, Type::array});
  const JsonValue& inner = d.node(d.node(a.first_child).next_sibling);
  CHECK(inner.child_count == 1);
  CHECK(d.node(inner.first_child).key == "b");
  CHECK(d.node(inner.first_child).is_null());
  CHECK(d.node(inner.first_child).next_sibling == JsonValue::npos);

  // next_sibling skips whole subtrees.
  CHECK(d.node(a.next_sibling).key == "c");
  CHECK(d.node(a.next_sibling).is_object());
  CHECK(d.node(a.next_sibling).child_count == 0);
  CHECK(d.node(a.next_sibling).first_child == JsonValue::npos);
  CHECK(d.index_of(a) == root.first_child);
  CHECK(d.children(d.node(a.next_sibling)).begin() == d.children(d.node(a.next_sibling)).end());
  CHECK(d.children(d.node(a.first_child)).begin() == d.children(d.node(a.first_child)).end());  // a scalar
}

TEST_CASE("json reader: member lookup") {
  JsonDocument d;
  REQUIRE(d.parse(kBody));
  const JsonValue* facts = d.member(d.root(), "facts");
  REQUIRE(facts);
  REQUIRE(facts->is_object());
  const JsonValue* employee = d.member(*facts, "employee");
  REQUIRE(employee);
  REQUIRE(d.member(*employee, "classification"));
  CHECK(d.member(*employee, "classification")->text == "APS6");
  CHECK(d.member(*employee, "on_temporary_transfer")->boolean);
  CHECK(d.member(*employee, "nope") == nullptr);
  CHECK(d.member(*employee, "") == nullptr);
  CHECK(d.member(*d.member(*employee, "name"), "x") == nullptr);  // not an object
  const JsonValue* offer = d.member(*facts, "offer");
  REQUIRE(offer);
  CHECK(d.member(*offer, "pay_on_commencement")->text == "98500.00");
  CHECK_FALSE(d.member(*offer, "pay_on_commencement")->is_integer);
  CHECK(d.member(*d.member(*offer, "position"), "title")->text == "Policy Officer \xE2\x80\x94 \"Grade 6\"");
  CHECK(d.member(*facts, "count")->text == "-3");
  CHECK(d.member(*facts, "count")->is_integer);
  CHECK(d.member(*facts, "note")->is_null());
  CHECK(d.member(*d.member(*facts, "agreement"), "gaining_head")->is_boolean());
  CHECK(d.member(d.root(), "as_of")->offset == 13);
  // Arrays have no members.
  CHECK(d.member(*d.member(*offer, "agency_policies"), "0") == nullptr);
}

TEST_CASE("json reader: duplicate keys are all kept, in order; member() finds the first") {
  JsonDocument d;
  REQUIRE(d.parse(R"({"a": 1, "b": 2, "a": 3, "": 4, "": 5})"));
  CHECK(keys(d, d.root()) == std::vector<std::string>{"a", "b", "a", "", ""});
  CHECK(d.member(d.root(), "a")->text == "1");
  CHECK(d.member(d.root(), "")->text == "4");
  CHECK(written(d, d.root()) == R"({"a":1,"b":2,"a":3,"":4,"":5})");
}

TEST_CASE("json reader: keys are decoded") {
  JsonDocument d;
  REQUIRE(d.parse(R"({"a\"b": 1, "\u00e9t\u00e9": 2, "line\nbreak": 3})"));
  CHECK(keys(d, d.root()) == std::vector<std::string>{"a\"b", "\xC3\xA9t\xC3\xA9", "line\nbreak"});
  CHECK(d.member(d.root(), "\xC3\xA9t\xC3\xA9")->text == "2");
}

TEST_CASE("json reader: writes compact JSON back") {
  CHECK(round_trip(" { \"a\" : [ 1 , 2.50 , -0 , 1e400 ] , \"b\" : { } , \"c\" : [ ] , \"d\" : null } ") ==
        R"({"a":[1,2.50,-0,1e400],"b":{},"c":[],"d":null})");
  CHECK(round_trip("[true,false,null,\"\",{},[],[[]],{\"x\":{\"y\":{}}}]") ==
        "[true,false,null,\"\",{},[],[[]],{\"x\":{\"y\":{}}}]");
  CHECK(round_trip(R"("\u0001\u001f\b\f\n\r\t\"\\\/\u007f\u00e9")") ==
        "\"\\u0001\\u001f\\u0008\\u000c\\n\\r\\t\\\"\\\\/\x7F\xC3\xA9\"");
  CHECK(round_trip(R"({"k\"\n":"v"})") == R"({"k\"\n":"v"})");
  CHECK(round_trip(R"("\u0000")") == R"("\u0000")");
  CHECK(round_trip("7") == "7");
  CHECK(round_trip("\"x\"") == "\"x\"");

  // The whole body: compact, members in document order, and stable.
  JsonDocument d;
  REQUIRE(d.parse(kBody));
  const std::string once = written(d, d.root());
  CHECK(once.find('\n') == std::string::npos);
  CHECK(once.rfind(R"({"as_of":"2026-03-02","explain":true,"facts":{"employee":{"employment":"ongoing",)", 0) == 0);
  CHECK(round_trip(once) == once);
  CHECK(nlohmann::json::parse(once) == nlohmann::json::parse(kBody));

  // A sub-tree alone, and appending to what is already there.
  std::string out = "facts=";
  d.write(*d.member(*d.member(d.root(), "facts"), "agreement"), out);
  CHECK(out == R"(facts={"employee":true,"gaining_head":false})");
  out.clear();
  d.write(*d.member(*d.member(*d.member(d.root(), "facts"), "offer"), "agency_policies"), out);
  CHECK(out == R"(["Flexible Work Policy","Leave Policy"])");
}

TEST_CASE("json reader: errors say where, by line and column") {
  struct Case {
    std::string input;
    std::size_t line, column;
    const char* message;
  };
  const std::string literal = "; expected a value (true, false, null, a number, a string, an array or an object)";
  const Case cases[] = {
      {R"({"a": tru})", 1, 7, "invalid literal 'tru'"},
      {"[1,]", 1, 4, "unexpected character ']'; expected a value"},
      {"[1,,2]", 1, 4, "unexpected character ','; expected a value"},
      {"[1 2]", 1, 4, "unexpected character '2'; expected ',' or ']'"},
      {"[true false]", 1, 7, "unexpected character 'f'; expected ',' or ']'"},
      {R"({"a":1,})", 1, 8, "unexpected character '}'; expected a string key"},
      {"{,}", 1, 2, "unexpected character ','; expected a string key or '}'"},
      {"{1:2}", 1, 2, "unexpected character '1'; expected a string key or '}'"},
      {"{'a':1}", 1, 2, "unexpected character '''; expected a string key or '}'"},
      {R"({"a" 1})", 1, 6, "unexpected character '1'; expected ':' after the key"},
      {R"({"a":1,"b"})", 1, 11, "unexpected character '}'; expected ':' after the key"},
      {R"({"a":1 "b":2})", 1, 8, "unexpected character '\"'; expected ',' or '}'"},
      {R"({"a":1)", 1, 7, "unexpected end of input; expected ',' or '}'"},
      {"[", 1, 2, "unexpected end of input; expected a value"},
      {"{", 1, 2, "unexpected end of input; expected a string key or '}'"},
      {R"({"a")", 1, 5, "unexpected end of input; expected ':' after the key"},
      {R"({"a":)", 1, 6, "unexpected end of input; expected a value"},
      {"", 1, 1, "unexpected end of input; expected a value"},
      {" ", 1, 2, "unexpected end of input; expected a value"},
      {"\n\n  ", 3, 3, "unexpected end of input; expected a value"},
      {"1 2", 1, 3, "unexpected character '2'; expected the end of input after the top value"},
      {R"({"a":1}})", 1, 8, "unexpected character '}'; expected the end of input after the top value"},
      {"[]]", 1, 3, "unexpected character ']'; expected the end of input after the top value"},
      {R"({"a":1}/**/)", 1, 8, "unexpected character '/'; expected the end of input after the top value"},
      {"[1]//", 1, 4, "unexpected character '/'; expected the end of input after the top value"},
      {"truex", 1, 5, "unexpected character 'x'; expected the end of input after the top value"},
      {"nul", 1, 1, "invalid literal 'nul'"},
      {"True", 1, 1, "invalid literal 'True'"},
      {"[NaN]", 1, 2, "invalid literal 'NaN'"},
      {"[Infinity]", 1, 2, "invalid literal 'Infinity'"},
      {"undefinedundefinedundefined", 1, 1, "invalid literal 'undefinedundefinedun...'"},
      {"'a'", 1, 1, "unexpected character '''; expected a value"},
      {"[.5]", 1, 2, "unexpected character '.'; expected a value"},
      {"[+1]", 1, 2, "unexpected character '+'; expected a value"},
      {"01", 1, 2, "invalid number: leading zero"},
      {"[-01]", 1, 4, "invalid number: leading zero"},
      {"1.", 1, 3, "invalid number: expected a digit after '.'"},
      {"[1.e5]", 1, 4, "invalid number: expected a digit after '.'"},
      {"-", 1, 2, "invalid number: expected a digit"},
      {"[-]", 1, 3, "invalid number: expected a digit"},
      {"-Infinity", 1, 2, "invalid number: expected a digit"},
      {"[1e]", 1, 4, "invalid number: expected a digit in the exponent"},
      {"[1e+]", 1, 5, "invalid number: expected a digit in the exponent"},
      {"0x10", 1, 2, "unexpected character 'x'; expected the end of input after the top value"},
      {"\"ab", 1, 1, "unterminated string"},
      {"\"ab\\", 1, 1, "unterminated string"},
      {"[\"a\\u00e9", 1, 2, "unterminated string"},
      {"{\n  \"a\": \"b\n\"}", 2, 10, "control character in string (escape it, e.g. \\n or \\u0009)"},
      {"\"\t\"", 1, 2, "control character in string (escape it, e.g. \\n or \\u0009)"},
      {std::string("\"\0\"", 3), 1, 2, "control character in string (escape it, e.g. \\n or \\u0009)"},
      {R"(["\x"])", 1, 3, "invalid escape"},
      {R"("\a")", 1, 2, "invalid escape"},
      {R"("\U0041")", 1, 2, "invalid escape"},
      {R"("ab\'")", 1, 4, "invalid escape"},
      {R"("\u00")", 1, 2, "invalid \\u escape (expected four hex digits)"},
      {R"("\u12g4")", 1, 2, "invalid \\u escape (expected four hex digits)"},
      {R"("\u")", 1, 2, "invalid \\u escape (expected four hex digits)"},
      {R"("\ud800")", 1, 2, "unpaired surrogate in \\u escape"},
      {R"("x\uDBFF\n")", 1, 3, "unpaired surrogate in \\u escape"},
      {R"("\ud800\u0041")", 1, 2, "unpaired surrogate in \\u escape"},
      {R"("\ud800\ud800")", 1, 2, "unpaired surrogate in \\u escape"},
      {R"("\udc00")", 1, 2, "unpaired surrogate in \\u escape"},
      {R"("\ude00\ud83d")", 1, 2, "unpaired surrogate in \\u escape"},
      {"\"\\ud800", 1, 2, "unpaired surrogate in \\u escape"},
      {"[\x01]", 1, 2, "unexpected byte 0x01; expected a value"},
      {"\xEF\xBB\xBF{}", 1, 1, "unexpected byte 0xEF; expected a value"},  // no byte-order mark
      {"[\"a\",\xC3\xA9]", 1, 6, "unexpected byte 0xC3; expected a value"},
      {std::string("{\"a\":1}\x00", 8), 1, 8, "unexpected byte 0x00; expected the end of input after the top value"},
      {"[1,\n 2,\n 3,\n]", 4, 1, "unexpected character ']'; expected a value"},
      {"[1,\r\n 2 x]", 2, 4, "unexpected character 'x'; expected ',' or ']'"},
  };
  for (const auto& c : cases) {
    const Failure f = failure(c.input);
    INFO(c.input);
    CHECK(f.line == c.line);
    CHECK(f.column == c.column);
    std::string want = c.message;
    if (want.rfind("invalid literal", 0) == 0) want += literal;
    CHECK(f.message == want);
    CHECK(f.kind == JsonDocument::Error::syntax);
  }
  // The byte offset is kept too.
  JsonDocument d;
  REQUIRE_FALSE(d.parse("{\n  \"a\": tru\n}"));
  CHECK(d.error_offset == 9);
  CHECK(d.error_line == 2);
  CHECK(d.error_column == 8);
}

TEST_CASE("json reader: strings must be valid UTF-8") {
  struct Case {
    std::string input;
    std::size_t column;
  };
  const Case cases[] = {
      {"\"\xC0\xAF\"", 2},                  // overlong '/'
      {"\"\xC1\xBF\"", 2},                  // overlong
      {"\"\xE0\x80\xAF\"", 2},              // overlong, three bytes
      {"\"\xE0\x9F\xBF\"", 2},              // overlong, three bytes
      {"\"\xF0\x80\x80\xAF\"", 2},          // overlong, four bytes
      {"\"\xF0\x8F\xBF\xBF\"", 2},          // overlong, four bytes
      {"\"\xED\xA0\x80\"", 2},              // U+D800 encoded in UTF-8
      {"\"\xED\xBF\xBF\"", 2},              // U+DFFF encoded in UTF-8
      {"\"ab\xF4\x90\x80\x80\"", 4},        // U+110000
      {"\"\xF5\x80\x80\x80\"", 2},          // lead byte beyond U+10FFFF
      {"\"\xF8\x88\x80\x80\x80\"", 2},      // five-byte form
      {"\"\xFF\"", 2},
      {"\"\xFE\"", 2},
      {"\"\x80\"", 2},                      // lone continuation byte
      {"\"a\xBF\"", 3},
      {"\"\xC3\"", 2},                      // truncated by the quote
      {"\"\xE2\x82\"", 2},                  // truncated
      {"\"\xF0\x9F\x98\"", 2},              // truncated
      {"\"\xE2\x82", 2},                    // truncated by the end of input
      {"\"\xC3\x28\"", 2},                  // bad continuation
      {"\"\xE2\x28\xA1\"", 2},
      {"\"\xF0\x9F\x28\x80\"", 2},
      {"[\"ok\", \"\\u00e9 then \xC0\xAF\"]", 21},  // after an escape (the decoding path)
      {"{\"k\xFF\": 1}", 4},                // in a key
      {"\"abcdefghijklmnop\xC0\"", 18},     // past the first eight-byte blocks
  };
  for (const auto& c : cases) {
    const Failure f = failure(c.input);
    INFO(c.input);
    CHECK(f.line == 1);
    CHECK(f.column == c.column);
    CHECK(f.message == "invalid UTF-8 in string");
    CHECK(f.kind == JsonDocument::Error::syntax);
  }
}

TEST_CASE("json reader: JSONTestSuite-style documents accepted and refused") {
  const std::string accepted[] = {
      "[[]   ]", "[\"\"]", "[]", "[\"a\"]", "[false]", "[null, 1, \"1\", {}]", "[1\n]", " [1]", "[1,null,null,null,2]",
      "[2] ", "[0e+1]", "[0e1]", "[ 4]", "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]\n",
      "[20e1]", "[-0]", "[-123]", "[-1]", "[1E22]", "[1E-2]", "[1E+2]", "[123e45]", "[123.456e78]", "[1e-2]", "[1e+2]",
      "[123]", "[123.456789]", "[100000000000000000000]", "{\"asd\":\"sdf\", \"dfg\":\"fgh\"}", "{\"a\":[]}",
      "{\"title\":\"\\u041f\\u043e\\u043b\\u0442\\u043e\\u0440\\u0430 \\u0417\\u0435\\u043c\\u043b\\u0435\\u043a\\u043e\\u043f\\u0430\" }",
      "{\n\"a\": \"b\"\n}", "[\"\\u0060\\u012a\\u12AB\"]", "[\"\\uD801\\udc37\"]", "[\"\\\\u0000\"]",
      "[\"\\\"\"]", "[\"a/*b*/c/*d//e\"]", "[\"\\\\a\"]", "[\"\\\\n\"]", "[\"\\u0012\"]", "[\"\\uFFFF\"]",
      "[\"asd\"]", "[\"\\uDBFF\\uDFFF\"]", "[\"new\\u00A0line\"]", "[\"\xF4\x8F\xBF\xBF\"]", "[\"\xEF\xBF\xBF\"]",
      "[\"\\u0000\"]", "[\"\\u002c\"]", "[\"\xCF\x80\"]", "[\"asd \"]", "\" \"", "[\"\\uD834\\uDd1e\"]",
      "[\"\\u0821\"]", "[\"\\u0123\"]", "[\"\xE2\x80\xA8\"]", "[\"\xE2\x80\xA9\"]", "[\"\\u0061\\u30af\\u30EA\\u30b9\"]",
      "[\"new\\u000Aline\"]", "[\"\x7F\"]", "[\"\\uA66D\"]", "[\"\\u005C\"]", "[\"\\u200B\"]", "[\"\\u2064\"]",
      "[\"\\uFDD0\"]", "[\"\\uFFFE\"]", "[\"\\u0022\"]", "[\"\xE2\x82\xAC\xF0\x9D\x84\x9E\"]", "[\"aa\"]",
      "false", "42", "-0.1", "null", "\"asd\"", "true", "\"\"", "[\"a\"]\n", "[true]", " [] ", "{}", "{\"\":0}",
      "{\"a\":\"b\",\"a\":\"c\"}", "{\"a\":\"b\",\"a\":\"b\"}", "{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}], \"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
  };
  const std::string refused[] = {
      "[1 true]", "[a\xE5]", "[\"\": 1]", "[\"\"],", "[,1]", "[1,,2]", "[\"x\",,]", "[\"x\"]]", "[\"\",]", "[\"x\"", "[x",
      "[3[4]]", "[\xFF]", "[1:2]", "[,]", "[-]", "[   , \"\"]", "[\"a\",\n4\n,1,", "[1,]", "[1,,]", "[\"\x0B\"]", "[*]", "[\"\",", "[1,",
      "[1,\n1\n,1", "[{}", "[fals]", "[nul]", "[tru]", "[++1234]", "[+1]", "[+Inf]", "[-01]", "[-1.0.]", "[-2.]", "[-NaN]", "[.-1]",
      "[.2e-3]", "[0.1.2]", "[0.3e+]", "[0.3e]", "[0.e1]", "[0E+]", "[0E]", "[0e+]", "[0e]", "[1.0e+]", "[1.0e-]", "[1.0e]", "[1 000.0]",
      "[1eE2]", "[2.e+3]", "[2.e-3]", "[2.e3]", "[9.e+]", "[Inf]", "[NaN]", "[\xEF\xBC\x91]", "[1+2]", "[0x1]", "[0x42]", "[Infinity]",
      "[0e+-1]", "[-123.123foo]", "[123\xE5]", "[1e1\xE5]", "[0\xE5]", "[-Infinity]", "[-foo]", "[- 1]", "[-012]", "[-.123]", "[-1x]",
      "[1ea]", "[1e\xE5]", "[1.]", "[.123]", "[1.2a-3]", "[1.8011670033376514H-308]", "[012]", "[\"x\", truth]", "{[: \"x\"}\n",
      "{\"x\", null}", "{\"x\"::\"b\"}", "{\"a\":\"a\" 123}", "{key: 'value'}", "{\"a\" b}", "{:\"b\"}", "{\"a\" \"b\"}", "{\"a\":",
      "{\"a\"", "{1:1}", "{9999E9999:1}", "{null:null,null:null}", "{\"id\":0,,,,,}", "{'a':0}", "{\"id\":0,}", "{\"a\":\"b\"}/**/",
      "{\"a\":\"b\"}/**//", "{\"a\":\"b\"}//", "{\"a\":\"b\"}/", "{\"a\":\"b\",,\"c\":\"d\"}", "{a: \"b\"}", "{\"a\":\"a",
      "{ \"foo\" : \"bar\", \"a\" }", "{\"a\":\"b\"}#", " ", "[\"\\uD800\\\"]", "[\"\\uD800\\u\"]", "[\"\\uD800\\u1\"]",
      "[\"\\uD800\\u1x\"]", "[\xC3\xA9]", "[\"\\x00\"]", "[\"\\\\\\\"]", "[\"\\\t\"]", "[\"\\\xF0\x9F\x8C\x80\"]", "[\"\\\"]",
      "[\"\\u00A\"]", "[\"\\uD834\\uDd\"]", "[\"\\uD800\\uD800\\x\"]", "[\"\\u\xE5\"]", "[\"\\a\"]", "[\"\\uqqqq\"]",
      "[\\u0020\"asd\"]", "[\\n]", "\"", "[\"a\x00a\"]", "[\"new\nline\"]", "[\"\t\"]", "\"\\UA66D\"", "\"\"x",
      "[\xE2\x81\xA0]", "[\"\xED\xA0\x80\"]", "[\"\xC0\xAF\"]", "[\"\xFC\x80\x80\x80\x80\x80\"]", "[\"\xE0\xFF\"]",
      "[\"\x81\"]", "[\"\xE9\"]", "[\"\xF4\xBF\xBF\xBF\"]", "<.>", "[<null>]", "[1]x", "[1]]", "[\"asd]", "a\xC3\xA5", "[True]",
      "1]", "{\"x\": true,", "[][]", "]", "\xEF\xBB\xBF{}", "[", "", "[\"a\",\n4\n,1,1", "[1,\n1\n,1", "[\"\x00\"]",
      "\\u00A0", "[\"\\{[\\\"{[\\\"{[\\\"{\"]", "\xEF\xBB\xBF", "\xEF\xBB", "*", "{\"a\":\"b\"}#{}", "[\\u000A\"\"]", "[1",
      "[ false, nul", "[ true, fals", "[ false, tru", "{\"asd\":\"asd\"", "\xC3\xA5", "[\"\\", "[\"a\\\"", "{\xFF:1}",
      "[\xC3]", "{}}", "{\"a\": true} \"x\"", "['", "[\"a\" \"b\"]", "[\"\\u", "a", "[\x0C]", "[\"\\uD800\\uDBFF\"]",
      "nulll", "truee", "falsey", "[0.1e]", "[1 ]x",
  };
  JsonDocument d;
  for (const auto& s : accepted) {
    INFO(s);
    CHECK(d.parse(s));
    INFO(d.error_message);
  }
  for (const auto& s : refused) {
    INFO(s);
    CHECK_FALSE(d.parse(s));
  }
  // The same, from strings that hold NUL bytes.
  CHECK_FALSE(d.parse(std::string("[\"a\0a\"]", 6)));
  CHECK_FALSE(d.parse(std::string("[1]\0", 4)));
  CHECK_FALSE(d.parse(std::string("\0", 1)));
  CHECK(d.parse("[\"a\\u0000a\"]"));  // an escaped NUL is fine
}

TEST_CASE("json reader: nesting is limited without recursion") {
  // 100000 '[' is an error at the 65th, not a stack overflow.
  const Failure deep = failure(std::string(100000, '['));
  CHECK(deep.line == 1);
  CHECK(deep.column == 65);
  CHECK(deep.message == "nesting deeper than 64 levels");
  CHECK(deep.kind == JsonDocument::Error::too_deep);
  const Failure objects = failure([] {
    std::string s;
    for (int k = 0; k < 100000; ++k) s += "{\"a\":";
    return s;
  }());
  CHECK(objects.column == 5 * 64 + 1);
  CHECK(objects.message == "nesting deeper than 64 levels");

  // Exactly at the limit is fine; one more is not, even when empty.
  JsonDocument d;
  CHECK(d.parse(std::string(64, '[') + std::string(64, ']')));
  const Failure over = failure(std::string(65, '[') + std::string(65, ']'));
  CHECK(over.column == 65);
  CHECK(failure("[[]]", 1).message == "nesting deeper than 1 levels");
  CHECK(failure("[]", 0).message == "nesting deeper than 0 levels");
  CHECK(d.parse("7", 0));

  // A deep document (when the caller allows it) is written back without
  // recursion, and so is a deep sub-tree.
  const std::string big = std::string(100000, '[') + "\"x\"" + std::string(100000, ']');
  REQUIRE(d.parse(big, 100000));
  CHECK(written(d, d.root()) == big);
  CHECK(written(d, d.node(99999)) == "[\"x\"]");
  CHECK(written(d, d.node(100000)) == "\"x\"");
  std::string objs;
  for (int k = 0; k < 5000; ++k) objs += "{\"k\":";
  objs += "[]";
  objs += std::string(5000, '}');
  REQUIRE(d.parse(objs, 5001));  // the empty array counts too
  CHECK(written(d, d.root()) == objs);
}

TEST_CASE("json reader: a document is reused, and owns its text") {
  JsonDocument d;
  std::string body = kBody;
  REQUIRE(d.parse(body));
  // The views point into the document, not into the input.
  body.assign(body.size(), 'x');
  const JsonValue* facts = d.member(d.root(), "facts");
  REQUIRE(facts);
  CHECK(d.member(*d.member(*facts, "move"), "to_agency")->text == "Social Services");

  // After the first parse, parsing a body of the same shape moves nothing:
  // the nodes and the text stay where they were (no reallocation).
  REQUIRE(d.parse(kBody));
  const JsonValue* root = &d.root();
  const char* text = d.member(d.root(), "as_of")->text.data();
  for (int k = 0; k < 3; ++k) {
    REQUIRE(d.parse(kBody));
    CHECK(&d.root() == root);
    CHECK(d.member(d.root(), "as_of")->text.data() == text);
  }
  // release() gives the memory of a large body back.
  std::string many = "[0";
  for (int k = 0; k < 20000; ++k) many += ",0";
  many += "]";
  REQUIRE(d.parse(many));
  CHECK(d.capacity_bytes() > 20000 * sizeof(JsonValue));
  d.release();
  CHECK(d.capacity_bytes() < 1000);
  CHECK(d.root().is_null());
  REQUIRE(d.parse(kBody));
  CHECK(d.member(*d.member(d.root(), "facts"), "period")->text == "P3M");

  // A failure leaves a null root; the next parse works as usual.
  REQUIRE_FALSE(d.parse("[1,"));
  CHECK(d.root().is_null());
  REQUIRE(d.parse("[1]"));
  CHECK(d.root().child_count == 1);
  CHECK(d.error_message.empty());
  CHECK(d.error == JsonDocument::Error::none);
  CHECK(d.error_line == 0);
}

TEST_CASE("json reader: mutated bodies never crash, and agree with nlohmann::json") {
  std::mt19937 rng(20260302);
  const std::string alphabet = "{}[]\",:\\/ \n\t0123456789-+.eEtrufalsn\x01\x7F\xC0\xC3\xA9\xE2\x82\xAC\xED\xA0\xF0\xF4\xFF";
  JsonDocument d;
  int accepted = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string s = kBody;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 6) {
        case 0: s[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), alphabet[rng() % alphabet.size()]); break;
        case 2: s.erase(at, 1 + rng() % 3); break;
        case 3: s.resize(at); break;
        case 4: s[at] = static_cast<char>(rng() & 0xFF); break;
        case 5: s.insert(at, s.substr(rng() % s.size(), rng() % 16)); break;
      }
    }
    INFO(s);
    const bool ok = d.parse(s);
    bool theirs = true;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(s);
    } catch (const nlohmann::json::parse_error&) {
      theirs = false;
    } catch (const nlohmann::json::out_of_range&) {
      continue;  // nlohmann stops at a number too big for a double (1e400); we keep its text
    }
    // nlohmann takes a NUL byte for the end of input; we do not.
    if (s.find('\0') == std::string::npos) CHECK(ok == theirs);
    if (ok) {
      ++accepted;
      const std::string out = written(d, d.root());
      if (theirs) CHECK(nlohmann::json::parse(out) == j);
      CHECK(round_trip(out) == out);
    } else {
      CHECK(d.error_line >= 1);
      CHECK(d.error_column >= 1);
      CHECK(d.error_offset <= s.size());
      CHECK_FALSE(d.error_message.empty());
    }
  }
  CHECK(accepted > 100);  // the mutations do leave some valid bodies
}

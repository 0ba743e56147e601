// Text functions, text tests and quoted `one of` members: the checker's
// diagnostics by code and position, the evaluator value by value.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using test::json;
using namespace rulebook;

namespace {

// Lines 1-3 are the header; these declarations are lines 4-9, so a rule's
// `then` written right after them is on line 13 (see expect_error).
const std::string kDecls =
    "type risk = one of DECLINE, HIGH, MEDIUM, LOW, \"VERY LOW\"\n"
    "facts\n"
    "  p.name : text, default \"  Jane Doe \"\n"
    "  p.code : text, default \"APS-6 É\"\n"
    "  p.risk : risk, default \"VERY LOW\"\n"
    "outputs\n";

const test::ExpressionProbe kProbe{kDecls};

std::string value_of(const std::string& type, const std::string& expr, const json& facts = json::object()) {
  return kProbe.value_of(type, expr, facts);
}

// `expr` sits on line 13, starting at column 12 (after "  then v = ").
void expect_error(const std::string& type, const std::string& expr, const std::string& code, std::size_t column,
                  const std::string& message_part) {
  kProbe.expect_error(type, expr, code, column, message_part);
}

}  // namespace

TEST_CASE("lower, upper, trim and length") {
  CHECK(value_of("text", "lower(p.name)") == "\"  jane doe \"");
  CHECK(value_of("text", "upper(p.name)") == "\"  JANE DOE \"");
  CHECK(value_of("text", "trim(p.name)") == "\"Jane Doe\"");
  CHECK(value_of("text", "lower(trim(p.name))") == "\"jane doe\"");
  CHECK(value_of("text", "lower(p.code)") == "\"aps-6 é\"");
  CHECK(value_of("text", "upper(\"crème brûlée × 2\")") == "\"CRÈME BRÛLÉE × 2\"");
  CHECK(value_of("number", "length(p.name)") == "11");
  CHECK(value_of("number", "length(p.code)") == "7");  // É is one character, two bytes
  CHECK(value_of("number", "length(trim(\"\\t \\n\"))") == "0");
  CHECK(value_of("text", "trim(p.name)", json{{"p", {{"name", "\tSam\n"}}}}) == "\"Sam\"");
}

TEST_CASE("contains and starts with") {
  CHECK(value_of("yes/no", "p.name contains \"Doe\"") == "yes");
  CHECK(value_of("yes/no", "p.name contains \"doe\"") == "no");  // case matters
  CHECK(value_of("yes/no", "lower(p.name) contains \"doe\"") == "yes");
  CHECK(value_of("yes/no", "p.name contains \"\"") == "yes");
  CHECK(value_of("yes/no", "p.code starts with \"APS\"") == "yes");
  CHECK(value_of("yes/no", "p.code starts with \"APS-6 É and more\"") == "no");
  CHECK(value_of("yes/no", "trim(p.name) starts with \"Jane\" and not (p.code starts with \"EL\")") == "yes");
}

TEST_CASE("a word that follows a value is still an assignment target") {
  // `contains` and `starts` are not reserved: outputs may be named so.
  auto c = compile("facts\n  p.name : text\noutputs\n  contains : yes/no\n  starts : text\n"
                   "rule r \"t\"\n  cite \"c\"\n  then starts = p.name contains = p.name contains \"x\"\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"p", {{"name", "xyz"}}}});
  REQUIRE(r.problems.empty());
  CHECK(r.out("starts") == "\"xyz\"");
  CHECK(r.out("contains") == "yes");
}

TEST_CASE("text functions are checked") {
  expect_error("text", "lower(3)", "type-mismatch", 18, "lower() needs text, but '3' is a number");
  expect_error("number", "length([HIGH])", "type-mismatch", 19, "count() gives the number of items in a list");
  expect_error("text", "trim(p.name, 2)", "arity", 12, "trim() takes 1 argument, not 2");
  expect_error("yes/no", "p.name contains 4", "type-mismatch", 28, "'contains' tests text, but '4' is a number");
  expect_error("yes/no", "p.risk starts with \"V\"", "type-mismatch", 12,
               "'starts with' tests text, but 'p.risk' is a value of type 'risk'");
  expect_error("text", "lowr(p.name)", "unknown-function", 12, "did you mean 'lower'?");
}

TEST_CASE("quoted one-of members") {
  CHECK(value_of("risk", "\"VERY LOW\"") == "VERY LOW");
  CHECK(value_of("yes/no", "p.risk is \"VERY LOW\"") == "yes");
  CHECK(value_of("yes/no", "\"VERY LOW\" is p.risk") == "yes");
  CHECK(value_of("yes/no", "p.risk is one of [HIGH, \"VERY LOW\"]") == "yes");
  CHECK(value_of("yes/no", "p.risk is \"HIGH\"") == "no");  // a quoted single word is the same member
  CHECK(value_of("yes/no", "p.risk is HIGH", json{{"p", {{"risk", "HIGH"}}}}) == "yes");
  CHECK(value_of("yes/no", "p.risk is \"VERY LOW\"", json{{"p", {{"risk", "VERY LOW"}}}}) == "yes");
  expect_error("risk", "\"VERY LOWW\"", "unknown-value", 12,
               "\"VERY LOWW\" is not one of the values of risk (DECLINE, HIGH, MEDIUM, LOW, \"VERY LOW\"); did you "
               "mean 'VERY LOW'?");
}

TEST_CASE("quoted members: the JSON facts name them as plain strings, and a wrong one is refused") {
  auto c = compile(kDecls + "  v : risk\nrule r \"t\"\n  cite \"c\"\n  then v = p.risk\n");
  REQUIRE(c.program);
  auto ok = test::run(*c.program, json{{"p", {{"risk", "VERY LOW"}}}});
  REQUIRE(ok.problems.empty());
  CHECK(ok.out("v") == "VERY LOW");
  auto bad = test::run(*c.program, json{{"p", {{"risk", "very low"}}}});
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].path == "p.risk");
}

TEST_CASE("a quoted member is listed once") {
  auto c = compile("type risk = one of HIGH, \"HIGH\"\n");
  const auto* d = c.find("duplicate-value");
  REQUIRE(d != nullptr);
  CHECK(d->pos.line == 4);
  CHECK_THAT(d->message, Catch::Contains("'HIGH' is listed twice"));
}

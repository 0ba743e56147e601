// Numbers in the rule language: exact decimals, `**`, `mod` and the rounding
// functions, evaluated value by value; their diagnostics by code and position.
#include <catch2/catch.hpp>

#include "support.hpp"

using test::compile;
using test::json;
using namespace rulebook;

namespace {

// Lines 1-3 are the header, these are lines 4-8; `then v = ` puts an
// expression on line 12, column 12.
const std::string kDecls =
    "facts\n"
    "  loan.principal : money\n"
    "  loan.rate : decimal\n"
    "  loan.months : number\n"
    "outputs\n";

const test::ExpressionProbe kProbe{kDecls};
const json kLoan = json{{"loan", {{"principal", 1}, {"rate", 1}, {"months", 1}}}};

std::string value_of(const std::string& type, const std::string& expr, const json& facts = kLoan) {
  return kProbe.value_of(type, expr, facts);
}

void expect_error(const std::string& type, const std::string& expr, const std::string& code, std::size_t column,
                  const std::string& message_part) {
  kProbe.expect_error(type, expr, code, column, message_part);
}

}  // namespace

TEST_CASE("the DMN TCK annuity gives the expected payment to the cent") {
  // Monthly payment: p*r/12 / (1 - (1 + r/12) ** -n). Expected values from
  // an 80-digit decimal computation, rounded half up to cents.
  const char* expr = "round(loan.principal * loan.rate / 12 / (1 - (1 + loan.rate / 12) ** -loan.months), 2)";
  struct Case {
    const char* principal;
    const char* rate;
    int months;
    const char* payment;
  } cases[] = {
      {"600000", "0.0375", 360, "2778.69"}, {"100000", "0.05", 360, "536.82"},
      {"30000", "0.0599", 60, "579.84"},    {"250000", "0.0425", 180, "1880.7"},
      {"1000000", "0.0299", 480, "3574.08"},
  };
  for (const auto& k : cases) {
    INFO(k.principal << " at " << k.rate << " over " << k.months);
    CHECK(value_of("money", expr,
                   json{{"loan", {{"principal", k.principal}, {"rate", k.rate}, {"months", k.months}}}}) ==
          k.payment);
  }
  // Unrounded, the payment agrees with the exact value (2778.693549432766768088...) to 12 places.
  const std::string exact = value_of("money", "loan.principal * loan.rate / 12 / (1 - (1 + loan.rate / 12) ** -loan.months)",
                                     json{{"loan", {{"principal", "600000"}, {"rate", 0.0375}, {"months", 360}}}});
  CHECK(exact.substr(0, 17) == "2778.693549432766");
}

TEST_CASE("powers") {
  CHECK(value_of("decimal", "2 ** -7") == "0.0078125");
  CHECK(value_of("decimal", "2 ** 10") == "1024");
  CHECK(value_of("decimal", "-2 ** 2") == "-4");  // ** binds tighter than the minus
  CHECK(value_of("decimal", "(-2) ** 2") == "4");
  CHECK(value_of("decimal", "2 * 3 ** 2") == "18");  // ** binds tighter than *
  CHECK(value_of("decimal", "1.5 ** loan.months") == "1.5");
  CHECK(value_of("decimal", "0 ** -1") == "error: division by zero (0 to a negative power)");
  CHECK(value_of("decimal", "10 ** 40") == "error: a power's result is too large for a decimal");
}

TEST_CASE("mod takes the sign of the divisor") {
  CHECK(value_of("number", "7 mod 3") == "1");
  CHECK(value_of("number", "-7 mod 3") == "2");
  CHECK(value_of("number", "7 mod -3") == "-2");
  CHECK(value_of("number", "2 + 7 mod 3 * 2") == "4");  // mod binds like *
  CHECK(value_of("decimal", "5.5 mod 2") == "1.5");
  CHECK(value_of("number", "7 mod (loan.months - 1)") == "error: division by zero");
  CHECK(value_of("decimal", "7.5 mod (loan.months - 1)") == "error: division by zero");
}

TEST_CASE("rounding functions") {
  CHECK(value_of("decimal", "round(2.345, 2)") == "2.35");
  CHECK(value_of("decimal", "round(-2.345, 2)") == "-2.35");
  CHECK(value_of("decimal", "round(2.5)") == "3");
  CHECK(value_of("decimal", "round_half_even(2.345, 2)") == "2.34");
  CHECK(value_of("decimal", "round_half_even(2.5)") == "2");
  CHECK(value_of("decimal", "round_down(-2.349, 2)") == "-2.34");
  CHECK(value_of("decimal", "round_up(2.341, 2)") == "2.35");
  CHECK(value_of("decimal", "floor(-2.5)") == "-3");
  CHECK(value_of("decimal", "ceiling(2.1)") == "3");
  CHECK(value_of("decimal", "floor(2.567, 1)") == "2.5");
  CHECK(value_of("decimal", "round(7)") == "7");
  CHECK(value_of("decimal", "round(1 / 3, loan.months + 1)") == "0.33");
  CHECK(value_of("decimal", "round(1 / 3, loan.months - 2)") ==
        "error: rounding to -1 places: it must be between 0 and 18");
}

TEST_CASE("decimals keep 18 places") {
  CHECK(value_of("decimal", "1 / 3") == "0.333333333333333333");
  CHECK(value_of("decimal", "1 / 3 * 3") == "0.999999999999999999");
  CHECK(value_of("decimal", "0.000000000000000001 + 1") == "1.000000000000000001");
  CHECK(value_of("money", "loan.principal", json{{"loan", {{"principal", "12.123456789012345678"}, {"rate", 1}, {"months", 1}}}}) ==
        "12.123456789012345678");
}

TEST_CASE("numbers: diagnostics") {
  expect_error("decimal", "2 ** 1.5", "type-mismatch", 17, "the power after '**' must be a whole number");
  expect_error("decimal", "\"x\" ** 2", "type-mismatch", 12, "'**' raises a number or a decimal");
  expect_error("decimal", "round(2.5, 19)", "rounding-places", 23, "between 0 and 18 places");
  expect_error("decimal", "round(2.5, 1.5)", "type-mismatch", 23, "must be a whole number");
  expect_error("decimal", "round(\"x\")", "type-mismatch", 18, "round() rounds a number or a decimal");
  expect_error("decimal", "floor(1, 2, 3)", "arity", 12, "floor() takes");
  expect_error("decimal", "roundd(1)", "unknown-function", 12, "did you mean 'round'?");
  expect_error("decimal", "1.0000000000000000001", "bad-literal", 12, "more than 18 digits after the point");
}

TEST_CASE("mod and ** do not take over names") {
  auto c = compile("facts\n  a.x : number\noutputs\n  mod : number\n  w : number\n"
                   "rule r \"t\"\n  cite \"c\"\n  then w = a.x\n       mod = a.x mod 4\n");
  INFO(test::all_messages(c.diagnostics));
  REQUIRE(c.program);
  auto r = test::run(*c.program, json{{"a", {{"x", 10}}}});
  CHECK(r.out("w") == "10");
  CHECK(r.out("mod") == "2");
}

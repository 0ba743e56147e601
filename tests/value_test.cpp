// Dates, durations and exact decimals: the calendar rules the law relies on.
#include <catch2/catch.hpp>

#include "rulebook/value.hpp"

using namespace rulebook;

static std::string plus(const char* date, Duration d) {
  auto r = add_duration(*parse_iso_date(date), d);
  return r ? format_iso_date(*r) : "out of range";
}

TEST_CASE("ISO dates parse only when the day exists") {
  CHECK(parse_iso_date("2026-03-02"));
  CHECK(parse_iso_date("2024-02-29"));   // leap year
  CHECK_FALSE(parse_iso_date("2026-02-29"));
  CHECK_FALSE(parse_iso_date("2026-02-30"));
  CHECK_FALSE(parse_iso_date("1900-02-29"));  // century, not leap
  CHECK(parse_iso_date("2000-02-29"));        // 400-year leap
  CHECK_FALSE(parse_iso_date("2026-13-01"));
  CHECK_FALSE(parse_iso_date("2026-04-31"));
  CHECK_FALSE(parse_iso_date("0000-01-01"));
  CHECK_FALSE(parse_iso_date("2026-3-02"));
  CHECK_FALSE(parse_iso_date("2026-03-02T00:00"));
  CHECK_FALSE(parse_iso_date(""));
  CHECK(format_iso_date(*parse_iso_date("0001-01-01")) == "0001-01-01");
  CHECK(format_iso_date(*parse_iso_date("9999-12-31")) == "9999-12-31");
}

TEST_CASE("weeks are seven days; days cross month and year ends") {
  CHECK(plus("2026-03-02", {0, 28}) == "2026-03-30");   // the contract's four weeks
  CHECK(plus("2026-12-31", {0, 1}) == "2027-01-01");
  CHECK(plus("2024-02-28", {0, 1}) == "2024-02-29");
  CHECK(plus("2025-02-28", {0, 1}) == "2025-03-01");
  CHECK(plus("2026-03-01", {0, -1}) == "2026-02-28");
  CHECK(plus("2026-02-10", {0, 28}) == "2026-03-10");
}

TEST_CASE("month arithmetic clamps to the end of the month") {
  CHECK(plus("2026-01-31", {1, 0}) == "2026-02-28");
  CHECK(plus("2024-01-31", {1, 0}) == "2024-02-29");
  CHECK(plus("2026-03-31", {1, 0}) == "2026-04-30");
  CHECK(plus("2026-08-31", {-6, 0}) == "2026-02-28");
  CHECK(plus("2026-11-30", {2, 0}) == "2027-01-30");
  CHECK(plus("2024-02-29", {12, 0}) == "2025-02-28");   // a year after a leap day
  CHECK(plus("2024-02-29", {48, 0}) == "2028-02-29");
  CHECK(plus("2026-01-31", {1, 1}) == "2026-03-01");    // months first, then days
  CHECK(plus("9999-12-31", {0, 1}) == "out of range");
  CHECK(plus("0001-01-01", {-1, 0}) == "out of range");
}

TEST_CASE("durations print as ISO 8601") {
  CHECK(format_duration({0, 28}) == "P28D");
  CHECK(format_duration({14, 3}) == "P14M3D");
  CHECK(format_duration({0, 0}) == "P0D");
}

TEST_CASE("decimals are exact") {
  CHECK(format_decimal(*parse_decimal("1234.50")) == "1234.5");
  CHECK(format_decimal(*parse_decimal("-0.000001")) == "-0.000001");
  CHECK(format_decimal(*parse_decimal("7")) == "7");
  CHECK(format_decimal(*parse_decimal("0.000000000000000001")) == "0.000000000000000001");
  CHECK_FALSE(parse_decimal("1.0000000000000000001"));  // 19 places: more than we keep
  CHECK_FALSE(parse_decimal("1e5"));
  CHECK_FALSE(parse_decimal("."));
  CHECK_FALSE(parse_decimal("1."));
  CHECK_FALSE(parse_decimal("99999999999999"));  // beyond 9.2 trillion, the range decimals always had
  CHECK(format_decimal(*parse_decimal("-9223372036854.775808")) == "-9223372036854.775808");
  CHECK_FALSE(parse_decimal("9223372036854.775808"));
  CHECK(format_decimal(*parse_decimal("9223372036854.775806999999999999")) == "9223372036854.775806999999999999");
  CHECK_FALSE(parse_decimal("9223372036854.775807000000000001"));
  // 0.1 + 0.2 is exactly 0.3, unlike binary floating point
  auto sum = decimal_add(*parse_decimal("0.1"), *parse_decimal("0.2"));
  CHECK(format_decimal(*sum) == "0.3");
  // division keeps 18 places, rounded half to even
  CHECK(format_decimal(*decimal_div(*parse_decimal("1"), *parse_decimal("3"))) == "0.333333333333333333");
  CHECK(format_decimal(*decimal_div(*parse_decimal("2"), *parse_decimal("3"))) == "0.666666666666666667");
  CHECK(format_decimal(*decimal_div(*parse_decimal("0.000000000000000001"), *parse_decimal("2"))) == "0");
  CHECK(format_decimal(*decimal_div(*parse_decimal("0.000000000000000003"), *parse_decimal("2"))) ==
        "0.000000000000000002");
  CHECK(format_decimal(*decimal_div(*parse_decimal("1"), *parse_decimal("4"))) == "0.25");
  CHECK(format_decimal(*decimal_div(*parse_decimal("-7"), *parse_decimal("2"))) == "-3.5");
  CHECK_FALSE(decimal_div(*parse_decimal("1"), *parse_decimal("0")));
  CHECK(format_decimal(*decimal_mul(*parse_decimal("1234.56"), *parse_decimal("0.1"))) == "123.456");
  CHECK_FALSE(decimal_mul(*parse_decimal("9000000000000"), *parse_decimal("2")));
  CHECK_FALSE(decimal_add(*parse_decimal("9223372036854.775807"), *parse_decimal("0.000000000000000001")));
  // equal numbers written with different places compare equal
  CHECK(decimal_compare(*parse_decimal("2.50"), *parse_decimal("2.5")) == 0);
  CHECK(decimal_compare(*parse_decimal("-2.5"), *parse_decimal("2.4999")) < 0);
}

TEST_CASE("decimal products and quotients wider than 128 bits") {
  // two 18-place numbers: the exact product has 36 places and is rounded half to even at the 18th
  auto third = *decimal_div(*parse_decimal("1"), *parse_decimal("3"));
  CHECK(format_decimal(*decimal_mul(third, third)) == "0.111111111111111111");
  auto big = *parse_decimal("123456789.123456789123456789");
  CHECK_FALSE(parse_decimal("123456789.1234567891234567891"));
  CHECK(format_decimal(*decimal_mul(big, *parse_decimal("1000"))) == "123456789123.456789123456789");
  CHECK_FALSE(decimal_mul(big, big));  // 1.5 * 10^16: beyond the range
  auto wide = *parse_decimal("12345.123456789123456789");
  CHECK(format_decimal(*decimal_mul(wide, wide)) == "152402073.163365036928794089");
  // a divisor wider than 64 bits
  CHECK(format_decimal(*decimal_div(*parse_decimal("1"), big)) == "0.000000008100000066");
  CHECK(format_decimal(*decimal_div(*parse_decimal("1"), wide)) == "0.000081003645164039");
  CHECK(format_decimal(*decimal_div(big, big)) == "1");
}

TEST_CASE("powers, mod and rounding") {
  auto d = [](const char* s) { return *parse_decimal(s); };
  auto f = [](std::optional<Decimal> x) { return x ? format_decimal(*x) : std::string("none"); };
  CHECK(f(decimal_pow(d("2"), -7)) == "0.0078125");
  CHECK(f(decimal_pow(d("2"), 10)) == "1024");
  CHECK(f(decimal_pow(d("-1.5"), 3)) == "-3.375");
  CHECK(f(decimal_pow(d("1.5"), 0)) == "1");
  CHECK(f(decimal_pow(d("3"), -1)) == "0.333333333333333333");
  CHECK(f(decimal_pow(d("1.1"), 20)) == "6.727499949325600092");  // 1.1^20 is 6.72749994932560009201
  CHECK(f(decimal_pow(d("0"), -1)) == "none");
  CHECK(f(decimal_pow(d("10"), 40)) == "none");
  CHECK(f(decimal_pow(d("1"), 10001)) == "none");
  CHECK(f(decimal_mod(d("7"), d("3"))) == "1");
  CHECK(f(decimal_mod(d("-7"), d("3"))) == "2");
  CHECK(f(decimal_mod(d("7"), d("-3"))) == "-2");
  CHECK(f(decimal_mod(d("-7"), d("-3"))) == "-1");
  CHECK(f(decimal_mod(d("5.5"), d("2"))) == "1.5");
  CHECK(f(decimal_mod(d("6"), d("0"))) == "none");
  using R = Rounding;
  CHECK(format_decimal(decimal_round(d("2.345"), 2, R::half_up)) == "2.35");
  CHECK(format_decimal(decimal_round(d("-2.345"), 2, R::half_up)) == "-2.35");
  CHECK(format_decimal(decimal_round(d("2.345"), 2, R::half_even)) == "2.34");
  CHECK(format_decimal(decimal_round(d("2.355"), 2, R::half_even)) == "2.36");
  CHECK(format_decimal(decimal_round(d("2.349"), 2, R::down)) == "2.34");
  CHECK(format_decimal(decimal_round(d("-2.349"), 2, R::down)) == "-2.34");
  CHECK(format_decimal(decimal_round(d("2.341"), 2, R::up)) == "2.35");
  CHECK(format_decimal(decimal_round(d("-2.341"), 2, R::up)) == "-2.35");
  CHECK(format_decimal(decimal_round(d("-2.5"), 0, R::floor)) == "-3");
  CHECK(format_decimal(decimal_round(d("2.5"), 0, R::floor)) == "2");
  CHECK(format_decimal(decimal_round(d("-2.5"), 0, R::ceiling)) == "-2");
  CHECK(format_decimal(decimal_round(d("2.1"), 0, R::ceiling)) == "3");
  CHECK(format_decimal(decimal_round(d("2.5"), 0, R::half_up)) == "3");
  CHECK(format_decimal(decimal_round(d("2.5"), 0, R::half_even)) == "2");
  CHECK(format_decimal(decimal_round(d("7"), 2, R::half_up)) == "7");
}

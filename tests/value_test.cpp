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
  CHECK_FALSE(parse_decimal("1.0000001"));  // more precision than we keep
  CHECK_FALSE(parse_decimal("1e5"));
  CHECK_FALSE(parse_decimal("."));
  CHECK_FALSE(parse_decimal("99999999999999"));  // beyond 9.2 trillion
  // 0.1 + 0.2 is exactly 0.3, unlike binary floating point
  auto sum = decimal_add(*parse_decimal("0.1"), *parse_decimal("0.2"));
  CHECK(format_decimal(*sum) == "0.3");
  // division rounds half to even at the sixth place
  CHECK(format_decimal(*decimal_div(*parse_decimal("1"), *parse_decimal("3"))) == "0.333333");
  CHECK(format_decimal(*decimal_div(*parse_decimal("2"), *parse_decimal("3"))) == "0.666667");
  CHECK(format_decimal(*decimal_div(*parse_decimal("0.000001"), *parse_decimal("2"))) == "0");
  CHECK(format_decimal(*decimal_div(*parse_decimal("0.000003"), *parse_decimal("2"))) == "0.000002");
  CHECK_FALSE(decimal_div(*parse_decimal("1"), *parse_decimal("0")));
  CHECK(format_decimal(*decimal_mul(*parse_decimal("1234.56"), *parse_decimal("0.1"))) == "123.456");
  CHECK_FALSE(decimal_mul(*parse_decimal("9000000000000"), *parse_decimal("2")));
}

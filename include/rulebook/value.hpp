// Runtime values of the rule language: yes/no, whole numbers, exact decimals,
// text, dates, durations, enumeration members and lists.
//
// A Value is 16 bytes and never owns memory: text points into storage that
// outlives the evaluation (the policy's constants or the request's facts), and
// list elements live in the evaluation's arena. That keeps evaluation free of
// allocation on the common path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rulebook {

// A calendar day, counted from 1970-01-01 (proleptic Gregorian).
struct Date {
  int32_t days = 0;
  friend auto operator<=>(Date, Date) = default;
};

struct YearMonthDay {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Whole years 1..9999 only: anything else is outside the calendar we accept.
bool is_valid_ymd(int year, unsigned month, unsigned day);
Date date_from_ymd(YearMonthDay ymd);
YearMonthDay ymd_from_date(Date d);
// Parses exactly YYYY-MM-DD; nullopt for any other shape or a day that does not exist.
std::optional<Date> parse_iso_date(std::string_view text);
std::string format_iso_date(Date d);
unsigned days_in_month(int year, unsigned month);

// A calendar duration. Months and days are kept apart because a month has no
// fixed length: 2026-01-31 + 1 month is 2026-02-28 (clamped to the month's end).
// Weeks are 7 days and years are 12 months.
struct Duration {
  int32_t months = 0;
  int32_t days = 0;
  friend bool operator==(Duration, Duration) = default;
};

// Adds months first (clamping the day to the end of the resulting month), then days.
std::optional<Date> add_duration(Date d, Duration dur);
std::string format_duration(Duration d);  // ISO 8601, e.g. P1M3D, P28D, P0D

// An exact decimal: units of one millionth, so 12.50 is 12'500'000. Money is
// never binary floating point. Arithmetic is checked; division rounds half to even.
struct Decimal {
  static constexpr int64_t kScale = 1'000'000;
  static constexpr int kDigits = 6;
  int64_t units = 0;
  friend auto operator<=>(Decimal, Decimal) = default;
};

std::optional<Decimal> parse_decimal(std::string_view text);  // -12.345, 7, 0.5
std::string format_decimal(Decimal d);                         // shortest exact form: 12.5, 7
std::optional<Decimal> decimal_from_int(int64_t i);
std::optional<Decimal> decimal_add(Decimal a, Decimal b);
std::optional<Decimal> decimal_sub(Decimal a, Decimal b);
std::optional<Decimal> decimal_mul(Decimal a, Decimal b);
std::optional<Decimal> decimal_div(Decimal a, Decimal b);  // nullopt on division by zero or overflow

// Text functions (text.cpp). Text is UTF-8: length counts characters; lower and
// upper map A-Z and the accented Latin-1 letters, and keep everything else.
std::string text_lower(std::string_view t);
std::string text_upper(std::string_view t);
std::string_view text_trim(std::string_view t);  // without leading and trailing whitespace
int64_t text_length(std::string_view t);

enum class ValueKind : uint8_t {
  missing,  // an optional value that is absent
  boolean,
  integer,
  decimal,
  text,
  date,
  duration,
  enumeration,  // index into the member list of the enum type
  list,         // elements in the evaluation arena
  unknown,      // only in the checker's overlap analysis: a value not enumerated
};

struct Value {
  // 16 bytes, trivially copyable: returned in registers on the hot path.
  union {
    bool b;
    int64_t i;
    Decimal dec;
    Date date;
    Duration dur;
    uint32_t member;
    struct {
      uint32_t offset;
      uint32_t size;
    } list;
    const char* text_data;
  };
  uint32_t text_size;
  ValueKind kind;

  Value() : i(0), text_size(0), kind(ValueKind::missing) {}
  static Value missing_value() { return Value(); }
  static Value unknown_value() { Value v; v.kind = ValueKind::unknown; return v; }
  static Value boolean(bool x) { Value v; v.kind = ValueKind::boolean; v.b = x; return v; }
  static Value integer(int64_t x) { Value v; v.kind = ValueKind::integer; v.i = x; return v; }
  static Value decimal(Decimal x) { Value v; v.kind = ValueKind::decimal; v.dec = x; return v; }
  static Value of_date(Date x) { Value v; v.kind = ValueKind::date; v.date = x; return v; }
  static Value duration(Duration x) { Value v; v.kind = ValueKind::duration; v.dur = x; return v; }
  static Value enumeration(uint32_t m) { Value v; v.kind = ValueKind::enumeration; v.member = m; return v; }
  static Value list_of(uint32_t offset, uint32_t size) {
    Value v; v.kind = ValueKind::list; v.list = {offset, size}; return v;
  }
  static Value of_text(std::string_view s) {
    Value v; v.kind = ValueKind::text; v.text_data = s.data(); v.text_size = static_cast<uint32_t>(s.size()); return v;
  }

  bool is_missing() const { return kind == ValueKind::missing; }
  bool is_unknown() const { return kind == ValueKind::unknown; }
  std::string_view as_text() const { return {text_data, text_size}; }
};

static_assert(sizeof(Value) == 16, "Value should stay two registers wide");

}  // namespace rulebook

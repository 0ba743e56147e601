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

// An exact decimal: coef / 10^scale, so 12.50 is {1250, 2} (or {125, 1}: the
// same number). Money is never binary floating point. At most 18 places, in
// the range -9223372036854.775808 .. 9223372036854.775807. `+` and `-` are
// exact; `*` is exact to 18 places; division and powers keep 18 places,
// rounded half to even once. Every operation is checked: nullopt on overflow.
struct Decimal {
  static constexpr int kMaxScale = 18;
  __int128 coef = 0;
  int scale = 0;  // 0..18
};
inline constexpr int64_t kMaxPowerExponent = 10000;

enum class Rounding { half_up, half_even, down, up, floor, ceiling };  // half_up: half away from zero

std::optional<Decimal> parse_decimal(std::string_view text);  // -12.345, 7, 0.5; at most 18 places
std::string format_decimal(Decimal d);                         // shortest exact form: 12.5, 7
std::optional<Decimal> decimal_from_int(int64_t i);
int decimal_compare(Decimal a, Decimal b);  // -1, 0, 1; 2.50 and 2.5 are equal
Decimal decimal_neg(Decimal a);
Decimal decimal_abs(Decimal a);
std::optional<Decimal> decimal_add(Decimal a, Decimal b);
std::optional<Decimal> decimal_sub(Decimal a, Decimal b);
std::optional<Decimal> decimal_mul(Decimal a, Decimal b);
std::optional<Decimal> decimal_div(Decimal a, Decimal b);  // nullopt on division by zero or overflow
// x ** n for whole n, |n| <= kMaxPowerExponent; on failure `why` (if given) says why.
std::optional<Decimal> decimal_pow(Decimal x, int64_t n, const char** why = nullptr);
std::optional<Decimal> decimal_mod(Decimal x, Decimal y);  // the sign of y; nullopt when y is 0
Decimal decimal_round(Decimal x, int places, Rounding mode);  // places 0..18

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
  record,       // its field values in the evaluation arena, in declaration order (as a list's items)
};

struct Value {
  // 16 bytes, trivially copyable: returned in registers on the hot path.
  union {
    bool b;
    int64_t i;
    uint64_t dec_low;  // a decimal's coefficient, bits 0..63 (see decimal_value)
    Date date;
    Duration dur;
    uint32_t member;
    struct {
      uint32_t offset;
      uint32_t size;
    } list;
    const char* text_data;
  };
  uint32_t text_size;  // for a decimal: its coefficient's bits 64..95
  ValueKind kind;
  uint8_t dec_scale = 0;  // a decimal's places
  int16_t dec_high = 0;   // a decimal's coefficient, bits 96..111 with the sign

  Value() : i(0), text_size(0), kind(ValueKind::missing) {}
  static Value missing_value() { return Value(); }
  static Value unknown_value() { Value v; v.kind = ValueKind::unknown; return v; }
  static Value boolean(bool x) { Value v; v.kind = ValueKind::boolean; v.b = x; return v; }
  static Value integer(int64_t x) { Value v; v.kind = ValueKind::integer; v.i = x; return v; }
  // A decimal is packed into the 15 bytes the other kinds leave: the
  // coefficient (112 bits with its sign) and the places.
  static Value decimal(Decimal x) {
    Value v;
    v.kind = ValueKind::decimal;
    v.dec_low = static_cast<uint64_t>(x.coef);
    v.text_size = static_cast<uint32_t>(static_cast<uint64_t>(x.coef >> 64));
    v.dec_high = static_cast<int16_t>(x.coef >> 96);
    v.dec_scale = static_cast<uint8_t>(x.scale);
    return v;
  }
  Decimal decimal_value() const {
    const __int128 high = (static_cast<__int128>(dec_high) << 96) |
                          (static_cast<__int128>(text_size) << 64);
    return Decimal{high | static_cast<__int128>(dec_low), dec_scale};
  }
  static Value of_date(Date x) { Value v; v.kind = ValueKind::date; v.date = x; return v; }
  static Value duration(Duration x) { Value v; v.kind = ValueKind::duration; v.dur = x; return v; }
  static Value enumeration(uint32_t m) { Value v; v.kind = ValueKind::enumeration; v.member = m; return v; }
  static Value list_of(uint32_t offset, uint32_t size) {
    Value v; v.kind = ValueKind::list; v.list = {offset, size}; return v;
  }
  static Value record_of(uint32_t offset, uint32_t fields) {
    Value v; v.kind = ValueKind::record; v.list = {offset, fields}; return v;
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

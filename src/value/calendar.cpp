// Calendar arithmetic for the rule language. Dates are days since 1970-01-01
// in the proleptic Gregorian calendar (Howard Hinnant's civil-from-days algorithm).
#include <charconv>
#include <cstdio>

#include "rulebook/value.hpp"

namespace rulebook {

namespace {
bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

unsigned days_in_month(int year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && is_leap(year)) return 29;
  return kDays[month - 1];
}

bool is_valid_ymd(int year, unsigned month, unsigned day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= days_in_month(year, month);
}

Date date_from_ymd(YearMonthDay ymd) {
  int y = ymd.year - (ymd.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = (ymd.month + 9) % 12;
  const unsigned doy = (153 * mp + 2) / 5 + ymd.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return Date{static_cast<int32_t>(era * 146097 + static_cast<int>(doe) - 719468)};
}

YearMonthDay ymd_from_date(Date d) {
  const int z = d.days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {y + (month <= 2 ? 1 : 0), month, day};
}

std::optional<Date> parse_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t n, int& out) {
    out = 0;
    for (size_t k = from; k < from + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  if (!is_valid_ymd(y, static_cast<unsigned>(m), static_cast<unsigned>(d))) return std::nullopt;
  return date_from_ymd({y, static_cast<unsigned>(m), static_cast<unsigned>(d)});
}

std::string format_iso_date(Date d) {
  // By hand, not snprintf: responses write several dates each.
  const auto ymd = ymd_from_date(d);
  if (ymd.year < 1 || ymd.year > 9999) {  // not from a valid calendar operation; shown, not hidden
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", ymd.year, ymd.month, ymd.day);
    return buf;
  }
  const auto y = static_cast<unsigned>(ymd.year);
  const char out[10] = {static_cast<char>('0' + y / 1000 % 10), static_cast<char>('0' + y / 100 % 10),
                        static_cast<char>('0' + y / 10 % 10),   static_cast<char>('0' + y % 10),
                        '-',
                        static_cast<char>('0' + ymd.month / 10), static_cast<char>('0' + ymd.month % 10),
                        '-',
                        static_cast<char>('0' + ymd.day / 10),   static_cast<char>('0' + ymd.day % 10)};
  return std::string(out, sizeof out);
}

std::optional<Date> add_duration(Date d, Duration dur) {
  auto ymd = ymd_from_date(d);
  // Months first, clamping to the end of the month: 31 January + 1 month = 28 (or 29) February.
  const int64_t month_index = int64_t{ymd.year} * 12 + (ymd.month - 1) + dur.months;
  const int64_t year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  if (year < 1 || year > 9999) return std::nullopt;
  const unsigned month = static_cast<unsigned>(month_index - year * 12) + 1;
  const unsigned day = std::min(ymd.day, days_in_month(static_cast<int>(year), month));
  const Date shifted = date_from_ymd({static_cast<int>(year), month, day});
  const int64_t days = int64_t{shifted.days} + dur.days;
  static const int32_t kFirst = date_from_ymd({1, 1, 1}).days;
  static const int32_t kLast = date_from_ymd({9999, 12, 31}).days;
  if (days < kFirst || days > kLast) return std::nullopt;
  return Date{static_cast<int32_t>(days)};
}

std::string format_duration(Duration d) {
  if (d.months == 0 && d.days == 0) return "P0D";
  std::string out = "P";
  if (d.months != 0) out += std::to_string(d.months) + "M";
  if (d.days != 0) out += std::to_string(d.days) + "D";
  return out;
}

}  // namespace rulebook

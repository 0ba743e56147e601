// Exact decimal arithmetic in millionths, with overflow checks. Products and
// quotients are computed in 128 bits and rounded half to even.
#include <cstdlib>

#include "rulebook/value.hpp"

namespace rulebook {

namespace {
using i128 = __int128;

std::optional<Decimal> narrow(i128 v) {
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return Decimal{static_cast<int64_t>(v)};
}

// num / den rounded half to even; den > 0.
i128 divide_rounded(i128 num, i128 den) {
  i128 q = num / den;
  i128 r = num % den;
  if (r < 0) r = -r;
  const i128 twice = r * 2;
  if (twice > den || (twice == den && (q % 2 != 0))) q += (num < 0) ? -1 : 1;
  return q;
}
}  // namespace

std::optional<Decimal> parse_decimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  size_t k = 0;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    k = 1;
  }
  i128 whole = 0;
  size_t int_digits = 0;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
    whole = whole * 10 + (s[k] - '0');
    if (whole > INT64_MAX) return std::nullopt;
    ++k;
    ++int_digits;
  }
  i128 frac = 0;
  int frac_digits = 0;
  if (k < s.size() && s[k] == '.') {
    ++k;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
      if (frac_digits == Decimal::kDigits) return std::nullopt;  // more precision than we keep
      frac = frac * 10 + (s[k] - '0');
      ++frac_digits;
      ++k;
    }
    if (frac_digits == 0) return std::nullopt;
  }
  if (int_digits == 0 || k != s.size()) return std::nullopt;
  for (int d = frac_digits; d < Decimal::kDigits; ++d) frac *= 10;
  i128 units = whole * Decimal::kScale + frac;
  return narrow(negative ? -units : units);
}

std::string format_decimal(Decimal d) {
  const bool negative = d.units < 0;
  const unsigned __int128 mag = negative ? -static_cast<i128>(d.units) : static_cast<i128>(d.units);
  uint64_t whole = static_cast<uint64_t>(mag / Decimal::kScale);
  uint64_t frac = static_cast<uint64_t>(mag % Decimal::kScale);
  std::string out = negative ? "-" : "";
  out += std::to_string(whole);
  if (frac != 0) {
    std::string f = std::to_string(frac);
    f.insert(0, Decimal::kDigits - f.size(), '0');
    while (!f.empty() && f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::optional<Decimal> decimal_from_int(int64_t i) { return narrow(static_cast<i128>(i) * Decimal::kScale); }
std::optional<Decimal> decimal_add(Decimal a, Decimal b) { return narrow(static_cast<i128>(a.units) + b.units); }
std::optional<Decimal> decimal_sub(Decimal a, Decimal b) { return narrow(static_cast<i128>(a.units) - b.units); }
std::optional<Decimal> decimal_mul(Decimal a, Decimal b) {
  return narrow(divide_rounded(static_cast<i128>(a.units) * b.units, Decimal::kScale));
}
std::optional<Decimal> decimal_div(Decimal a, Decimal b) {
  if (b.units == 0) return std::nullopt;
  i128 num = static_cast<i128>(a.units) * Decimal::kScale;
  i128 den = b.units;
  if (den < 0) {
    num = -num;
    den = -den;
  }
  return narrow(divide_rounded(num, den));
}

}  // namespace rulebook

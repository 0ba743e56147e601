// Exact decimals: a coefficient and a count of places, value = coef / 10^scale,
// with at most 18 places. The range is the one decimals always had, from
// -9223372036854.775808 to 9223372036854.775807 (2^63 millionths): every
// result outside it is an overflow. Within it a coefficient at 18 places is
// below 2^103, so 128-bit arithmetic never wraps on the way.
//
// `+` and `-` are exact. `*` is exact up to 18 places (beyond, the product is
// rounded half to even at the 18th). Division and powers keep 18 places,
// rounded half to even once, from the exact quotient or power: never from a
// rounded intermediate. The common cases stay in 128-bit integers; a product
// wider than 128 bits goes through a 256-bit multiply and one 64-bit
// division per word; a quotient or power that does not fit is computed with
// GMP's integers.
#include <gmp.h>

#include <algorithm>
#include <array>

#include "rulebook/value.hpp"

namespace rulebook {

namespace {
using i128 = __int128;
using u128 = unsigned __int128;

constexpr i128 kCoefLimit = static_cast<i128>(1) << 111;  // |coef| < kCoefLimit

constexpr std::array<u128, 39> make_pow10() {
  std::array<u128, 39> p{};
  p[0] = 1;
  for (std::size_t k = 1; k < p.size(); ++k) p[k] = p[k - 1] * 10;
  return p;
}
constexpr std::array<u128, 39> kPow10 = make_pow10();

bool fits(i128 c) { return c < kCoefLimit && c > -kCoefLimit; }

// The range at each scale: coef / 10^s within [-2^63, 2^63 - 1] / 10^6.
struct Bounds {
  i128 lo[19], hi[19];
};
constexpr Bounds make_bounds() {
  Bounds b{};
  const i128 max_micro = static_cast<i128>(INT64_MAX), min_micro = static_cast<i128>(INT64_MIN);
  for (int s = 0; s <= 18; ++s) {
    if (s >= 6) {
      i128 p = 1;
      for (int k = 6; k < s; ++k) p *= 10;
      b.hi[s] = max_micro * p;
      b.lo[s] = min_micro * p;
    } else {
      i128 p = 1;
      for (int k = s; k < 6; ++k) p *= 10;
      b.hi[s] = max_micro / p;  // floor for positives
      b.lo[s] = min_micro / p;  // truncation toward zero is the ceiling for negatives
    }
  }
  return b;
}
constexpr Bounds kBounds = make_bounds();
bool in_range(i128 c, int scale) { return c >= kBounds.lo[scale] && c <= kBounds.hi[scale]; }
u128 magnitude(i128 c) { return c < 0 ? -static_cast<u128>(c) : static_cast<u128>(c); }

std::optional<Decimal> make(i128 coef, int scale) {
  if (!in_range(coef, scale)) return std::nullopt;
  return Decimal{coef, scale};
}

// Whether to add one to a truncated quotient's magnitude, rounding half to even.
bool round_up_half_even(u128 rem, u128 divisor, u128 quotient) {
  const u128 half = divisor - rem;  // rem > divisor/2  <=>  rem > divisor - rem
  return rem > half || (rem == half && (quotient & 1));
}

// 256-bit unsigned numbers as four 64-bit words, least significant first.
struct U256 {
  uint64_t w[4] = {0, 0, 0, 0};
  bool fits_u128() const { return w[2] == 0 && w[3] == 0; }
  u128 low() const { return (static_cast<u128>(w[1]) << 64) | w[0]; }
};

U256 mul_wide(u128 a, u128 b) {
  const uint64_t a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  const uint64_t b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  const u128 p00 = static_cast<u128>(a0) * b0, p01 = static_cast<u128>(a0) * b1;
  const u128 p10 = static_cast<u128>(a1) * b0, p11 = static_cast<u128>(a1) * b1;
  U256 r;
  r.w[0] = static_cast<uint64_t>(p00);
  u128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  r.w[1] = static_cast<uint64_t>(mid);
  u128 high = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + static_cast<uint64_t>(p11);
  r.w[2] = static_cast<uint64_t>(high);
  r.w[3] = static_cast<uint64_t>((high >> 64) + (p11 >> 64));
  return r;
}

// (hi:lo) / d for hi < d: one hardware division on x86-64.
uint64_t div_step(uint64_t hi, uint64_t lo, uint64_t d, uint64_t& rem) {
#if defined(__x86_64__)
  uint64_t q;
  __asm__("divq %4" : "=a"(q), "=d"(rem) : "a"(lo), "d"(hi), "rm"(d));
  return q;
#else
  const u128 n = (static_cast<u128>(hi) << 64) | lo;
  rem = static_cast<uint64_t>(n % d);
  return static_cast<uint64_t>(n / d);
#endif
}

// n / d in place; returns the remainder.
uint64_t divmod(U256& n, uint64_t d) {
  uint64_t rem = 0;
  for (int k = 3; k >= 0; --k) n.w[k] = div_step(rem, n.w[k], d, rem);
  return rem;
}

// ---- GMP, for the wide quotients and for powers ------------------------------

struct Mpz {
  mpz_t z;
  Mpz() { mpz_init(z); }
  ~Mpz() { mpz_clear(z); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
};

void set_u128(mpz_t z, u128 v) {
  mpz_set_ui(z, static_cast<unsigned long>(v >> 64));
  mpz_mul_2exp(z, z, 64);
  mpz_add_ui(z, z, static_cast<unsigned long>(static_cast<uint64_t>(v)));
}

void set_u256(mpz_t z, const U256& v) {
  mpz_set_ui(z, 0);
  for (int k = 3; k >= 0; --k) {
    mpz_mul_2exp(z, z, 64);
    mpz_add_ui(z, z, static_cast<unsigned long>(v.w[k]));
  }
}

// num / den (both > 0) rounded half to even, when it fits a coefficient.
std::optional<u128> divide_rounded(const mpz_t num, const mpz_t den) {
  Mpz q, r, twice;
  mpz_tdiv_qr(q.z, r.z, num, den);
  mpz_mul_2exp(twice.z, r.z, 1);
  const int c = mpz_cmp(twice.z, den);
  if (c > 0 || (c == 0 && mpz_odd_p(q.z))) mpz_add_ui(q.z, q.z, 1);
  if (mpz_sizeinbase(q.z, 2) > 111) return std::nullopt;
  u128 out = 0;
  for (int k = 1; k >= 0; --k) out = (out << 64) | static_cast<uint64_t>(mpz_getlimbn(q.z, k));
  return out;
}

// Drops trailing zeros after the point (a quotient of 0.25 is kept as 25, 2 places).
Decimal trimmed(i128 coef, int scale) {
  u128 m = magnitude(coef);
  while (scale > 0 && m % 10 == 0 && m != 0) {
    m /= 10;
    --scale;
  }
  if (m == 0) scale = 0;
  return Decimal{coef < 0 ? -static_cast<i128>(m) : static_cast<i128>(m), scale};
}

void append_u128(std::string& out, u128 v) {
  char buf[48];
  int k = 0;
  do {
    buf[k++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  } while (v != 0);
  while (k > 0) out += buf[--k];
}

// Brings a and b to the same scale; false when that overflows.
bool align(Decimal a, Decimal b, i128& ca, i128& cb, int& scale) {
  scale = std::max(a.scale, b.scale);
  ca = a.coef;
  cb = b.coef;
  if (a.scale < scale && __builtin_mul_overflow(ca, static_cast<i128>(kPow10[scale - a.scale]), &ca)) return false;
  if (b.scale < scale && __builtin_mul_overflow(cb, static_cast<i128>(kPow10[scale - b.scale]), &cb)) return false;
  return true;
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
  i128 coef = 0;
  size_t int_digits = 0;
  while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
    coef = coef * 10 + (s[k] - '0');
    if (!fits(coef)) return std::nullopt;
    ++k;
    ++int_digits;
  }
  int scale = 0;
  if (k < s.size() && s[k] == '.') {
    ++k;
    const size_t first = k;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') {
      if (scale == Decimal::kMaxScale) return std::nullopt;  // more places than we keep
      coef = coef * 10 + (s[k] - '0');
      if (!fits(coef)) return std::nullopt;
      ++scale;
      ++k;
    }
    if (k == first) return std::nullopt;
  }
  if (int_digits == 0 || k != s.size()) return std::nullopt;
  if (!in_range(negative ? -coef : coef, scale)) return std::nullopt;
  return trimmed(negative ? -coef : coef, scale);
}

std::string format_decimal(Decimal d) {
  const u128 mag = magnitude(d.coef);
  const u128 unit = kPow10[d.scale];
  std::string out = d.coef < 0 ? "-" : "";
  append_u128(out, mag / unit);
  u128 frac = mag % unit;
  if (frac != 0) {
    int places = d.scale;
    while (frac % 10 == 0) {
      frac /= 10;
      --places;
    }
    std::string f;
    append_u128(f, frac);
    out += '.';
    out.append(static_cast<std::size_t>(places) - f.size(), '0');
    out += f;
  }
  return out;
}

std::optional<Decimal> decimal_from_int(int64_t i) { return make(i, 0); }

int decimal_compare(Decimal a, Decimal b) {
  if (a.scale == b.scale) return a.coef < b.coef ? -1 : (b.coef < a.coef ? 1 : 0);
  i128 ca, cb;
  int scale;
  if (!align(a, b, ca, cb, scale)) {
    // The one scaled up overflowed: its magnitude is beyond the other's.
    const Decimal& big = a.scale < b.scale ? a : b;
    const int sign = big.coef < 0 ? -1 : 1;
    return &big == &a ? sign : -sign;
  }
  return ca < cb ? -1 : (cb < ca ? 1 : 0);
}

std::optional<Decimal> decimal_add(Decimal a, Decimal b) {
  i128 ca, cb, sum;
  int scale;
  if (a.scale == b.scale) return make(a.coef + b.coef, a.scale);  // |coef| < 2^111: no 128-bit overflow
  if (!align(a, b, ca, cb, scale) || __builtin_add_overflow(ca, cb, &sum)) return std::nullopt;
  return make(sum, scale);
}

std::optional<Decimal> decimal_sub(Decimal a, Decimal b) { return decimal_add(a, decimal_neg(b)); }

Decimal decimal_neg(Decimal a) { return Decimal{-a.coef, a.scale}; }
Decimal decimal_abs(Decimal a) { return Decimal{a.coef < 0 ? -a.coef : a.coef, a.scale}; }

std::optional<Decimal> decimal_mul(Decimal a, Decimal b) {
  const bool negative = (a.coef < 0) != (b.coef < 0);
  const u128 ma = magnitude(a.coef), mb = magnitude(b.coef);
  int scale = a.scale + b.scale;
  const int drop = scale > Decimal::kMaxScale ? scale - Decimal::kMaxScale : 0;
  u128 m;
  if ((ma >> 64) == 0 && (mb >> 64) == 0) {  // the product fits 128 bits
    m = ma * mb;
    if (drop) {
      const u128 d = kPow10[drop];
      const u128 q = m / d, r = m % d;
      m = q + (round_up_half_even(r, d, q) ? 1 : 0);
    }
  } else {
    U256 p = mul_wide(ma, mb);
    if (drop) {
      const uint64_t d = static_cast<uint64_t>(kPow10[drop]);  // drop <= 18: fits 64 bits
      const uint64_t r = divmod(p, d);
      if (!p.fits_u128()) return std::nullopt;
      m = p.low();
      m += round_up_half_even(r, d, m) ? 1 : 0;
    } else {
      if (!p.fits_u128()) return std::nullopt;
      m = p.low();
    }
  }
  if (m >= static_cast<u128>(kCoefLimit)) return std::nullopt;
  scale -= drop;
  const i128 c = static_cast<i128>(m);
  return make(negative ? -c : c, scale);
}

std::optional<Decimal> decimal_div(Decimal a, Decimal b) {
  if (b.coef == 0) return std::nullopt;
  // q = a.coef * 10^e / b.coef has 18 places.
  const int e = Decimal::kMaxScale - a.scale + b.scale;  // 0..36
  const bool negative = (a.coef < 0) != (b.coef < 0);
  const u128 ma = magnitude(a.coef), mb = magnitude(b.coef);
  U256 num = mul_wide(ma, kPow10[e]);
  u128 q;
  if ((mb >> 64) == 0) {
    const uint64_t d = static_cast<uint64_t>(mb);
    const uint64_t r = divmod(num, d);
    if (!num.fits_u128()) return std::nullopt;
    q = num.low();
    q += round_up_half_even(r, d, q) ? 1 : 0;
  } else {
    Mpz n, d;
    set_u256(n.z, num);
    set_u128(d.z, mb);
    auto rounded = divide_rounded(n.z, d.z);
    if (!rounded) return std::nullopt;
    q = *rounded;
  }
  if (q >= static_cast<u128>(kCoefLimit)) return std::nullopt;
  const i128 c = static_cast<i128>(q);
  if (!in_range(negative ? -c : c, Decimal::kMaxScale)) return std::nullopt;
  return trimmed(negative ? -c : c, Decimal::kMaxScale);
}

std::optional<Decimal> decimal_pow(Decimal x, int64_t n, const char** why) {
  static const char* kTooLarge = "a power's result is too large for a decimal";
  if (n == 0) return Decimal{1, 0};
  if (n > kMaxPowerExponent || n < -kMaxPowerExponent) {
    if (why) *why = "the power is too large: the exponent must be between -10000 and 10000";
    return std::nullopt;
  }
  if (x.coef == 0) {
    if (n > 0) return Decimal{0, 0};
    if (why) *why = "division by zero (0 to a negative power)";
    return std::nullopt;
  }
  const unsigned long k = static_cast<unsigned long>(n < 0 ? -n : n);
  const bool negative = x.coef < 0 && (k & 1);
  // x^n = coef^k / 10^(scale*k); for n < 0 it is the reciprocal. Computed
  // exactly, then rounded once to 18 places.
  Mpz power, ten, num, den;
  set_u128(power.z, magnitude(x.coef));
  mpz_pow_ui(power.z, power.z, k);
  mpz_ui_pow_ui(ten.z, 10, static_cast<unsigned long>(x.scale) * k);
  if (n > 0 && static_cast<unsigned long>(x.scale) * k <= Decimal::kMaxScale) {
    // Exact with at most 18 places.
    if (mpz_sizeinbase(power.z, 2) > 111) {
      if (why) *why = kTooLarge;
      return std::nullopt;
    }
    u128 m = 0;
    for (int j = 1; j >= 0; --j) m = (m << 64) | static_cast<uint64_t>(mpz_getlimbn(power.z, j));
    const i128 c = static_cast<i128>(m);
    if (!in_range(negative ? -c : c, static_cast<int>(x.scale * k))) {
      if (why) *why = kTooLarge;
      return std::nullopt;
    }
    return trimmed(negative ? -c : c, static_cast<int>(x.scale * k));
  }
  mpz_ui_pow_ui(num.z, 10, Decimal::kMaxScale);
  if (n > 0) {
    mpz_mul(num.z, num.z, power.z);
    mpz_set(den.z, ten.z);
  } else {
    mpz_mul(num.z, num.z, ten.z);
    mpz_set(den.z, power.z);
  }
  auto q = divide_rounded(num.z, den.z);
  if (!q) {
    if (why) *why = kTooLarge;
    return std::nullopt;
  }
  const i128 c = static_cast<i128>(*q);
  if (!in_range(negative ? -c : c, Decimal::kMaxScale)) {
    if (why) *why = kTooLarge;
    return std::nullopt;
  }
  return trimmed(negative ? -c : c, Decimal::kMaxScale);
}

std::optional<Decimal> decimal_mod(Decimal x, Decimal y) {
  if (y.coef == 0) return std::nullopt;
  i128 cx, cy;
  int scale;
  if (!align(x, y, cx, cy, scale)) return std::nullopt;
  i128 r = cx % cy;  // the sign of x
  if (r != 0 && ((r < 0) != (cy < 0))) r += cy;  // the sign of y, as the floor rule gives
  return make(r, scale);
}

Decimal decimal_round(Decimal x, int places, Rounding mode) {
  if (places >= x.scale) return x;
  const u128 d = kPow10[x.scale - places];
  const bool negative = x.coef < 0;
  const u128 m = magnitude(x.coef);
  u128 q = m / d;
  const u128 r = m % d;
  bool away = false;  // add one to the magnitude
  if (r != 0) {
    switch (mode) {
      case Rounding::half_up: away = r >= d - r; break;
      case Rounding::half_even: away = round_up_half_even(r, d, q); break;
      case Rounding::down: away = false; break;
      case Rounding::up: away = true; break;
      case Rounding::floor: away = negative; break;
      case Rounding::ceiling: away = !negative; break;
    }
  }
  q += away ? 1 : 0;
  const i128 c = static_cast<i128>(q);
  return Decimal{negative ? -c : c, places};
}

}  // namespace rulebook

#include "core/fen.h"

#include <limits>

namespace zizhu {

std::optional<Fen> Fen::checked_add(Fen other) const {
  int64_t out = 0;
  if (__builtin_add_overflow(fen_, other.fen_, &out)) return std::nullopt;
  return Fen(out);
}

std::optional<Fen> Fen::checked_sub(Fen other) const {
  int64_t out = 0;
  if (__builtin_sub_overflow(fen_, other.fen_, &out)) return std::nullopt;
  return Fen(out);
}

std::optional<Fen> Fen::checked_mul(int64_t n) const {
  int64_t out = 0;
  if (__builtin_mul_overflow(fen_, n, &out)) return std::nullopt;
  return Fen(out);
}

std::optional<Fen> fen_from_yuan(int64_t yuan) { return Fen::from_fen(yuan).checked_mul(100); }

namespace {

constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Appends one digit to a non-negative accumulator; false on overflow.
bool push_digit(int64_t& acc, char c) {
  return !__builtin_mul_overflow(acc, 10, &acc) && !__builtin_add_overflow(acc, c - '0', &acc);
}

}  // namespace

std::optional<Fen> parse_yuan(std::string_view text) {
  const size_t n = text.size();
  size_t i = 0;
  int64_t yuan = 0;
  // Integer part: either plain digits, or a first group of 1-3 digits followed
  // by groups of "," + exactly three digits.
  size_t first_group = 0;
  while (i < n && is_digit(text[i])) {
    if (!push_digit(yuan, text[i])) return std::nullopt;
    ++i;
    ++first_group;
  }
  if (first_group == 0) return std::nullopt;
  if (i < n && text[i] == ',') {
    if (first_group > 3) return std::nullopt;
    while (i < n && text[i] == ',') {
      ++i;
      for (int k = 0; k < 3; ++k, ++i) {
        if (i >= n || !is_digit(text[i])) return std::nullopt;
        if (!push_digit(yuan, text[i])) return std::nullopt;
      }
    }
    // A fourth digit after a group ("1,2345") falls through to the checks below.
  }
  int64_t fraction_fen = 0;
  if (i < n && text[i] == '.') {
    ++i;
    size_t digits = 0;
    while (i < n && is_digit(text[i]) && digits < 3) {
      fraction_fen = fraction_fen * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || digits > 2) return std::nullopt;
    if (digits == 1) fraction_fen *= 10;
  }
  if (i != n) return std::nullopt;
  int64_t fen = 0;
  if (__builtin_mul_overflow(yuan, 100, &fen)) return std::nullopt;
  if (__builtin_add_overflow(fen, fraction_fen, &fen)) return std::nullopt;
  return Fen::from_fen(fen);
}

size_t format_yuan(Fen amount, char* out) {
  const int64_t v = amount.value();
  // Work on the unsigned magnitude so that INT64_MIN has one too.
  uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  char tmp[kFormatYuanMax];
  size_t len = 0;
  const uint64_t frac = mag % 100;
  uint64_t whole = mag / 100;
  tmp[len++] = static_cast<char>('0' + frac % 10);
  tmp[len++] = static_cast<char>('0' + frac / 10);
  tmp[len++] = '.';
  do {
    tmp[len++] = static_cast<char>('0' + whole % 10);
    whole /= 10;
  } while (whole != 0);
  if (v < 0) tmp[len++] = '-';
  for (size_t k = 0; k < len; ++k) out[k] = tmp[len - 1 - k];
  return len;
}

std::string format_yuan(Fen amount) {
  char buf[kFormatYuanMax];
  return std::string(buf, format_yuan(amount, buf));
}

}  // namespace zizhu

// Money as a whole number of fen (1 yuan = 100 fen). Floating point never
// touches money: yuan text is read digit by digit, and every sum is checked
// for overflow, because a wrapped budget would be a silent disaster.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zizhu {

class Fen {
 public:
  constexpr Fen() = default;
  static constexpr Fen from_fen(int64_t fen) { return Fen(fen); }
  constexpr int64_t value() const { return fen_; }  // in fen
  constexpr auto operator<=>(const Fen&) const = default;

  // Overflow-checked arithmetic: nothing when the result leaves int64.
  std::optional<Fen> checked_add(Fen other) const;
  std::optional<Fen> checked_sub(Fen other) const;
  std::optional<Fen> checked_mul(int64_t n) const;

 private:
  constexpr explicit Fen(int64_t fen) : fen_(fen) {}
  int64_t fen_ = 0;
};

// Whole yuan to fen; nothing on overflow.
std::optional<Fen> fen_from_yuan(int64_t yuan);

// identify.md money: yuan, digits with optional thousands separators in
// groups of exactly three, an optional decimal point followed by one or two
// digits (12000, 12000.5, 12,000.50); no sign, no spaces (trim before), no
// exponent. Nothing on any other spelling or when the amount leaves int64.
std::optional<Fen> parse_yuan(std::string_view text);

// Yuan with exactly two decimals and no separators: "1500.00", "0.00",
// "-12.30". The result parses back with parse_yuan (when not negative).
std::string format_yuan(Fen amount);
inline constexpr size_t kFormatYuanMax = 32;  // bytes format_yuan(Fen, char*) may write
// Writes the same text into out (at least kFormatYuanMax bytes, not
// NUL-terminated) and returns its length: for hot output loops.
size_t format_yuan(Fen amount, char* out);

}  // namespace zizhu

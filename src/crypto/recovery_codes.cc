#include "crypto/recovery_codes.h"

#include <algorithm>

#include "core/ascii.h"
#include "crypto/random.h"

namespace zizhu::crypto {

namespace {

// No 0, o, 1, l or i: the pairs people misread on paper.
constexpr std::string_view kAlphabet = "23456789abcdefghjkmnpqrstuvwxyz";
constexpr size_t kGroups = 3;
constexpr size_t kGroupChars = 4;

std::string grouped(std::string_view chars) {
  std::string out;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i > 0 && i % kGroupChars == 0) out += '-';
    out += chars[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> make_recovery_codes(size_t n) {
  n = std::min(n, kRecoveryCodesMax);
  std::vector<std::string> codes;
  codes.reserve(n);
  while (codes.size() < n) {
    std::string chars;
    for (size_t i = 0; i < kGroups * kGroupChars; ++i) {
      chars += kAlphabet[random_below(static_cast<uint32_t>(kAlphabet.size()))];
    }
    std::string code = grouped(chars);
    // A repeat among 10 codes of 59 bits will not happen; checking costs nothing.
    if (std::find(codes.begin(), codes.end(), code) == codes.end()) codes.push_back(std::move(code));
  }
  return codes;
}

std::optional<std::string> normalize_recovery_code(std::string_view typed) {
  std::string chars;
  for (char c : typed) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    const char lower = ascii_lower(c);
    if (kAlphabet.find(lower) == std::string_view::npos) return std::nullopt;
    if (chars.size() == kGroups * kGroupChars) return std::nullopt;
    chars += lower;
  }
  if (chars.size() != kGroups * kGroupChars) return std::nullopt;
  return grouped(chars);
}

}  // namespace zizhu::crypto

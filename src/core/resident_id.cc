#include "core/resident_id.h"

namespace zizhu {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[12] = "10X98765432";

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

int number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

// 1900-01-01 as days since 1970-01-01 (resident_id_test checks it against
// Date::from_ymd), so that no function-local static guard runs per call.
constexpr Date kEarliestBirth = Date::from_days(-25567);

char upper_check(char c) { return c == 'x' ? 'X' : c; }

// Shape: 17 digits then a digit or X/x.
bool well_shaped(std::string_view id) {
  if (id.size() != 18) return false;
  if (!all_digits(id.substr(0, 17))) return false;
  const char last = id[17];
  return is_digit(last) || last == 'X' || last == 'x';
}

}  // namespace

bool is_province_code(int p) {
  return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
         (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
         p == 81 || p == 82;
}

char resident_id_check_char(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

std::optional<ResidentIdInfo> resident_id_info(std::string_view id, Date reference) {
  if (!well_shaped(id)) return std::nullopt;
  const int province = number(id.substr(0, 2));
  if (!is_province_code(province)) return std::nullopt;
  const auto birth =
      Date::from_ymd(number(id.substr(6, 4)), number(id.substr(10, 2)), number(id.substr(12, 2)));
  if (!birth || *birth < kEarliestBirth || *birth > reference) return std::nullopt;
  if (resident_id_check_char(id.substr(0, 17)) != upper_check(id[17])) return std::nullopt;
  return ResidentIdInfo{province, number(id.substr(0, 6)), *birth, (id[16] - '0') % 2 == 1};
}

bool resident_id_valid(std::string_view id, Date reference) {
  return resident_id_info(id, reference).has_value();
}

std::optional<uint64_t> resident_id_key(std::string_view id) {
  if (!well_shaped(id)) return std::nullopt;
  uint64_t body = 0;
  for (size_t i = 0; i < 17; ++i) body = body * 10 + static_cast<uint64_t>(id[i] - '0');
  const char last = upper_check(id[17]);
  const uint64_t check = last == 'X' ? 10 : static_cast<uint64_t>(last - '0');
  return body * 11 + check;
}

std::string resident_id_from_key(uint64_t key) {
  std::string out(18, '0');
  const uint64_t check = key % 11;
  uint64_t body = key / 11;
  out[17] = check == 10 ? 'X' : static_cast<char>('0' + check);
  for (int i = 16; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>('0' + body % 10);
    body /= 10;
  }
  return out;
}

}  // namespace zizhu

// Fuzz target: resident IDs, 学籍号, school codes, bank cards, region codes
// and dates on any bytes. Nothing may crash, keys must round-trip and keep the
// order of the text, validity must imply a key, and what a function reports
// must agree with the plain reading of the bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "core/bank_card.h"
#include "core/date.h"
#include "core/region.h"
#include "core/resident_id.h"
#include "core/school_code.h"
#include "core/student_no.h"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

bool digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view s) {
  for (char c : s)
    if (!digit(c)) return false;
  return true;
}

std::string upper_last(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out.back() == 'x') out.back() = 'X';
  return out;
}

void check_resident_id(std::string_view text, zizhu::Date reference) {
  const bool valid = zizhu::resident_id_valid(text, reference);
  const auto info = zizhu::resident_id_info(text, reference);
  const auto key = zizhu::resident_id_key(text);
  require(valid == info.has_value());
  const bool shaped = text.size() == 18 && all_digits(text.substr(0, 17)) &&
                      (digit(text[17]) || text[17] == 'X' || text[17] == 'x');
  require(key.has_value() == shaped);
  if (valid) {
    require(key.has_value());
    require(zizhu::is_province_code(info->province));
    require(info->province == (text[0] - '0') * 10 + (text[1] - '0'));
    require(info->region_code / 10000 == info->province);
    require(info->birth <= reference && info->birth >= *zizhu::Date::from_ymd(1900, 1, 1));
    require(info->male == ((text[16] - '0') % 2 == 1));
    require(zizhu::resident_id_check_char(text.substr(0, 17)) == upper_last(text)[17]);
  }
  if (shaped) {
    const char check = zizhu::resident_id_check_char(text.substr(0, 17));
    require(digit(check) || check == 'X');
  }
  if (key) {
    const std::string back = zizhu::resident_id_from_key(*key);
    require(back == upper_last(text));
    require(zizhu::resident_id_key(back) == key);
    require(zizhu::resident_id_valid(back, reference) == valid);
  }
}

void check_student_no(std::string_view text) {
  const auto kind = zizhu::student_no_kind(text);
  const auto key = zizhu::student_no_key(text);
  require(kind.has_value() == key.has_value());
  if (!key) return;
  require(text.size() == 19);
  const std::string back = zizhu::student_no_from_key(*key);
  require(back == upper_last(text));
  require(zizhu::student_no_key(back) == key);
  require(zizhu::student_no_kind(back) == kind);
  if (*kind == zizhu::StudentNoKind::kG) require(zizhu::resident_id_key(text.substr(1)).has_value());
}

// Keys of two texts compare as the normalised texts do.
void check_order(std::string_view a, std::string_view b) {
  if (const auto ka = zizhu::resident_id_key(a), kb = zizhu::resident_id_key(b); ka && kb) {
    const std::string ta = upper_last(a);
    const std::string tb = upper_last(b);
    require((*ka < *kb) == (ta < tb));
    require((*ka == *kb) == (ta == tb));
  }
  if (const auto ka = zizhu::student_no_key(a), kb = zizhu::student_no_key(b); ka && kb) {
    const std::string ta = upper_last(a);
    const std::string tb = upper_last(b);
    require((*ka < *kb) == (ta < tb));
    require((*ka == *kb) == (ta == tb));
  }
}

void check_region(const uint8_t* data, size_t size) {
  int32_t code = 0;
  std::memcpy(&code, data, size < sizeof code ? size : sizeof code);
  for (int c : {code, code % 100, code % 10000, code % 1000000}) {
    if (const auto name = zizhu::province_name(c)) require(!name->empty() && zizhu::is_province_code(c));
    if (const auto name = zizhu::city_name(c)) require(!name->empty() && zizhu::province_name(c / 100));
    if (const auto name = zizhu::county_name(c)) {
      require(!name->empty());
      require(zizhu::region_full_name(c).ends_with(*name));
    }
    const std::string full = zizhu::region_full_name(c);
    require(full.empty() == !zizhu::province_name(c / 10000).has_value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const zizhu::Date reference = *zizhu::Date::from_ymd(2026, 9, 1);

  check_resident_id(text, reference);
  check_student_no(text);
  check_order(text.substr(0, size / 2), text.substr(size / 2));
  check_region(data, size);

  if (zizhu::school_code_valid(text)) require(text.size() == 10 && all_digits(text));
  if (zizhu::bank_card_valid(text)) require(text.size() >= 12 && text.size() <= 19 && all_digits(text));
  if (zizhu::luhn_valid(text)) require(!text.empty() && all_digits(text));
  if (auto d = zizhu::parse_date(text)) require(zizhu::Date::from_ymd(d->ymd().year, d->ymd().month, d->ymd().day) == d);
  return 0;
}

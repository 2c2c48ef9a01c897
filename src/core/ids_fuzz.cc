// Fuzz target: resident IDs, 学籍号, school codes, bank cards and dates on any
// bytes. Keys must round-trip, and validity must imply a key.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/bank_card.h"
#include "core/date.h"
#include "core/resident_id.h"
#include "core/school_code.h"
#include "core/student_no.h"

namespace {
void require(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const zizhu::Date reference = *zizhu::Date::from_ymd(2026, 9, 1);

  const bool valid = zizhu::resident_id_valid(text, reference);
  const auto key = zizhu::resident_id_key(text);
  if (valid) require(key.has_value() && zizhu::resident_id_info(text, reference).has_value());
  if (key) {
    const std::string back = zizhu::resident_id_from_key(*key);
    require(back.size() == 18);
    require(zizhu::resident_id_key(back) == key);
    require(zizhu::resident_id_valid(back, reference) == valid);
  }

  const auto kind = zizhu::student_no_kind(text);
  const auto no_key = zizhu::student_no_key(text);
  require(kind.has_value() == no_key.has_value());
  if (no_key) require(zizhu::student_no_key(zizhu::student_no_from_key(*no_key)) == no_key);

  (void)zizhu::school_code_valid(text);
  if (zizhu::bank_card_valid(text)) (void)zizhu::luhn_valid(text);
  if (auto d = zizhu::parse_date(text)) require(zizhu::Date::from_ymd(d->ymd().year, d->ymd().month, d->ymd().day) == d);
  return 0;
}

// libFuzzer target for the money, school-year and holiday-calendar parsers:
// any bytes must be read without a crash, and whatever parse_yuan accepts
// must format and parse back to the same amount.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/calendar.h"
#include "core/fen.h"
#include "core/school_year.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto fen = zizhu::parse_yuan(text)) {
    if (fen->value() < 0) std::abort();  // no sign is accepted
    const std::string formatted = zizhu::format_yuan(*fen);
    auto back = zizhu::parse_yuan(formatted);
    if (!back || *back != *fen) std::abort();
    char buf[zizhu::kFormatYuanMax];
    if (std::string_view(buf, zizhu::format_yuan(*fen, buf)) != formatted) std::abort();
    (void)fen->checked_add(*fen);
    (void)fen->checked_mul(-3);
  }

  if (auto year = zizhu::parse_school_year(text)) {
    if (zizhu::to_string(*year) != text) std::abort();
  }

  auto cal = zizhu::WorkCalendar::parse(text, "fuzz.csv");
  if (cal) {
    const zizhu::Date start = *zizhu::Date::from_ymd(2026, 1, 1);
    const zizhu::Date end = cal->add_working_days(start, 30);
    if (cal->working_days_between(start, end) != 30) std::abort();
    (void)cal->covers(2026);
  } else if (cal.error().where.file != "fuzz.csv") {
    std::abort();
  }
  return 0;
}

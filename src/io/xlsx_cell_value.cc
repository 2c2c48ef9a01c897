#include "io/xlsx_cell_value.h"

#include <array>
#include <charconv>
#include <cmath>

namespace zizhu::io::xlsx {

bool is_builtin_date_format(long id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
         (id >= 50 && id <= 58);
}

bool is_date_format_code(std::string_view code) {
  bool in_quote = false;
  bool in_bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (in_quote) {
      if (c == '"') in_quote = false;
      continue;
    }
    if (in_bracket) {
      if (c == ']') in_bracket = false;
      continue;
    }
    switch (c) {
      case '"': in_quote = true; break;
      case '[': in_bracket = true; break;
      case '\\': ++i; break;  // the next character is shown as written
      case '_':               // "_x": a space as wide as x
      case '*': ++i; break;   // "*x": x repeated to fill the cell
      case ';': return false; // only the first section counts
      case 'y': case 'Y': case 'm': case 'M': case 'd': case 'D':
      case 'h': case 'H': case 's': case 'S':
        return true;
      default: break;
    }
  }
  return false;
}

std::optional<Date> serial_to_date(double serial, bool date1904) {
  if (!std::isfinite(serial)) return std::nullopt;
  const double whole = std::floor(serial);
  static const int32_t kEpoch1900 = Date::from_ymd(1899, 12, 31)->days();
  static const int32_t kEpoch1904 = Date::from_ymd(1904, 1, 1)->days();
  static const int32_t kLast = Date::from_ymd(9999, 12, 31)->days();
  const int32_t epoch = date1904 ? kEpoch1904 : kEpoch1900;
  if (whole < (date1904 ? 0.0 : 1.0)) return std::nullopt;  // 1900 serial 0 is "1900-01-00"
  if (whole > static_cast<double>(kLast - epoch) + 1.0) return std::nullopt;
  auto days = static_cast<int32_t>(whole);
  if (!date1904) {
    if (days == 60) return std::nullopt;  // 1900-02-29 never existed
    if (days > 60) --days;                // Excel counts that phantom day
  }
  if (days > kLast - epoch) return std::nullopt;
  return Date::from_days(epoch + days);
}

std::optional<double> parse_number(std::string_view raw) {
  double v = 0;
  const char* end = raw.data() + raw.size();
  const auto [ptr, ec] = std::from_chars(raw.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

void format_number(double value, std::string& out) {
  if (value == 0) value = 0;  // -0 prints as 0
  // Fixed notation of the largest double needs 309 digits before the point.
  std::array<char, 400> buf{};
  const auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed);
  out.assign(buf.data(), ec == std::errc() ? ptr : buf.data());
}

}  // namespace zizhu::io::xlsx

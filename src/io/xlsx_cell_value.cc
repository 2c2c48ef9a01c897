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

namespace {

constexpr double kMsPerDay = 86400000.0;

// The whole day of a serial after rounding its fraction to the millisecond.
double whole_day(double serial) {
  const double day = std::floor(serial);
  const double ms = std::round((serial - day) * kMsPerDay);
  return ms >= kMsPerDay ? day + 1 : day;
}

}  // namespace

std::optional<Date> serial_to_date(double serial, bool date1904) {
  if (!std::isfinite(serial)) return std::nullopt;
  const double whole = whole_day(serial);
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

bool serial_to_date_text(double serial, bool date1904, std::string& out) {
  if (auto d = serial_to_date(serial, date1904)) {
    out = d->iso();
    return true;
  }
  if (date1904 || !std::isfinite(serial)) return false;
  const double whole = whole_day(serial);
  if (whole == 0) {
    out = "1900-01-00";
    return true;
  }
  if (whole == 60) {
    out = "1900-02-29";
    return true;
  }
  return false;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The UTF-16 code unit of an escape "_xHHHH_" at the start of `s`, or -1.
long escape_at(std::string_view s) {
  if (s.size() < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_') return -1;
  long v = 0;
  for (size_t i = 2; i < 6; ++i) {
    const int h = hex_value(s[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

void append_utf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void append_unescaped(std::string_view raw, std::string& out) {
  constexpr size_t kEscapeBytes = 7;  // "_xHHHH_"
  while (!raw.empty()) {
    const size_t at = raw.find("_x");
    if (at == std::string_view::npos) break;
    out.append(raw.substr(0, at));
    raw.remove_prefix(at);
    const long unit = escape_at(raw);
    if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) {  // not an escape, or a lone low surrogate
      out += '_';
      raw.remove_prefix(1);
      continue;
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const long low = escape_at(raw.substr(kEscapeBytes));
      if (low < 0xDC00 || low > 0xDFFF) {  // a lone high surrogate stays as written
        out += '_';
        raw.remove_prefix(1);
        continue;
      }
      append_utf8(static_cast<uint32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)), out);
      raw.remove_prefix(2 * kEscapeBytes);
      continue;
    }
    append_utf8(static_cast<uint32_t>(unit), out);
    raw.remove_prefix(kEscapeBytes);
  }
  out.append(raw);
}

std::optional<double> parse_number(std::string_view raw) {
  double v = 0;
  const char* end = raw.data() + raw.size();
  const auto [ptr, ec] = std::from_chars(raw.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

void format_number(double value, std::string& out) {
  out.clear();
  if (value == 0) {  // -0 too
    out = "0";
    return;
  }
  // The shortest digits that read back as `value` (std::to_chars in scientific
  // form), then written out without an exponent. Fixed-form to_chars is not
  // enough: for large numbers it prints the double's exact integer
  // (1e23 → 99999999999999991611392), not the shortest decimal.
  std::array<char, 32> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::scientific);
  if (ec != std::errc()) return;
  std::string_view sci(buf.data(), static_cast<size_t>(end - buf.data()));
  if (sci.front() == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const size_t e_at = sci.find('e');
  std::string_view mantissa = sci.substr(0, e_at);
  int exponent = 0;
  std::string_view exp_text = sci.substr(e_at + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  char digits[20];
  size_t n = 0;
  for (char c : mantissa) {
    if (c != '.' && n < sizeof digits) digits[n++] = c;
  }
  const std::string_view d(digits, n);
  const long point = static_cast<long>(exponent) + 1;  // digits before the decimal point
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += d;
  } else if (static_cast<size_t>(point) >= n) {
    out += d;
    out.append(static_cast<size_t>(point) - n, '0');
  } else {
    out += d.substr(0, static_cast<size_t>(point));
    out += '.';
    out += d.substr(static_cast<size_t>(point));
  }
}

}  // namespace zizhu::io::xlsx

// How a worksheet cell's stored value becomes the text the rest of the program
// reads: number formatting, date serials and which number formats are dates.
// Kept apart from the XML streaming so that every rule is tested on its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace zizhu::io::xlsx {

// Whether a built-in number format id (ECMA-376 18.8.30, with the East Asian
// ids 27-36 and 50-58) shows a date or time.
bool is_builtin_date_format(long id);

// Whether a custom format code shows a date or time: it holds y, m, d, h or s
// (any case) outside "quoted text", [bracketed] parts (colours, conditions,
// locales, elapsed-time markers) and backslash-escaped characters. Only the
// first section (before ';') is judged, as Excel does for positive values.
bool is_date_format_code(std::string_view code);

// The calendar date of a serial, the time-of-day fraction dropped. 1900 system:
// serials 1-59 count from 1899-12-31, serial 60 is Excel's phantom 1900-02-29
// and gives nothing (no such date), later serials are one day less. 1904
// system: 1904-01-01 plus the serial. Nothing for serials before the epoch or
// after 9999-12-31.
std::optional<Date> serial_to_date(double serial, bool date1904);

// Parses `raw` (the whole string) as a number; nothing when it is not one or
// is not finite.
std::optional<double> parse_number(std::string_view raw);

// The shortest decimal that reads back as `value`, in fixed notation without
// an exponent: 3, 12000.5, 0.0012, 100000000000000000000; -0 is "0".
void format_number(double value, std::string& out);

}  // namespace zizhu::io::xlsx

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

// The calendar date of a serial, the time-of-day fraction dropped. The
// fraction is first rounded to the millisecond, as Excel does when it shows a
// date, so that 45000.99999999999 (a formula's rounding noise) is the next day.
// 1900 system: serials 1-59 count from 1899-12-31, serial 60 is Excel's
// phantom 1900-02-29 and gives nothing (no such date), later serials are one
// day less. 1904 system: 1904-01-01 plus the serial. Nothing for serials
// before the epoch or after 9999-12-31.
std::optional<Date> serial_to_date(double serial, bool date1904);

// The text Excel shows for a serial under a date format, as YYYY-MM-DD: the
// date of serial_to_date, or for the 1900 system's days that are not on the
// calendar, what Excel shows for them: serial 0 is "1900-01-00" and serial 60
// "1900-02-29" (a reader of dates refuses both, as it should). False (and
// `out` untouched) for serials Excel cannot show as a date (negative, or
// after 9999-12-31): those stay numbers.
bool serial_to_date_text(double serial, bool date1904, std::string& out);

// Appends `raw` to `out` with OOXML's escapes of characters XML cannot hold
// (ECMA-376 22.9.2.19 ST_Xstring) decoded: "_x000D_" is a CR, "_x005F_" a
// literal '_', and a pair of surrogate escapes one supplementary character.
// Anything that is not a complete escape (or a lone surrogate) stays as written.
void append_unescaped(std::string_view raw, std::string& out);

// Whether `raw` holds something append_unescaped would change ("_x").
inline bool may_hold_escapes(std::string_view raw) { return raw.find("_x") != std::string_view::npos; }

// Parses `raw` (the whole string) as a number; nothing when it is not one or
// is not finite.
std::optional<double> parse_number(std::string_view raw);

// The shortest decimal that reads back as `value` (fewest significant
// digits), written without an exponent: 3, 12000.5, 0.0012,
// 100000000000000000000, 110101200001011000 (as Excel shows
// 1.10101200001011E+17); -0 is "0".
void format_number(double value, std::string& out);

}  // namespace zizhu::io::xlsx

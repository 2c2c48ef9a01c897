// 学籍号 (national student number): 'G' + a resident ID (17 digits and a digit
// or X/x), or 'J'/'L' + 18 digits; the prefix upper-case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zizhu {

enum class StudentNoKind : uint8_t { kG = 0, kJ = 1, kL = 2 };

// Nothing for another shape.
std::optional<StudentNoKind> student_no_kind(std::string_view s);

// An order-preserving 64-bit key of a well-shaped 学籍号 with its final x
// upper-cased: the kind in bits 60–61, then the body (G: resident_id_key of the
// 18 characters; J/L: the 18-digit number). Sorting keys sorts the normalised
// text in byte order ('G' < 'J' < 'L', and X after 9).
std::optional<uint64_t> student_no_key(std::string_view s);
// The normalised text (final X upper-case) of a key from student_no_key.
std::string student_no_from_key(uint64_t key);

}  // namespace zizhu

#include "core/student_no.h"

#include "core/resident_id.h"

namespace zizhu {
namespace {
constexpr int kKindShift = 60;
constexpr uint64_t kBodyMask = (uint64_t{1} << kKindShift) - 1;

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
}  // namespace

std::optional<StudentNoKind> student_no_kind(std::string_view s) {
  if (s.size() == 19 && s[0] == 'G' && resident_id_key(s.substr(1))) return StudentNoKind::kG;
  if (s.size() == 19 && (s[0] == 'J' || s[0] == 'L') && all_digits(s.substr(1)))
    return s[0] == 'J' ? StudentNoKind::kJ : StudentNoKind::kL;
  return std::nullopt;
}

std::optional<uint64_t> student_no_key(std::string_view s) {
  const auto kind = student_no_kind(s);
  if (!kind) return std::nullopt;
  uint64_t body = 0;
  if (*kind == StudentNoKind::kG) {
    body = *resident_id_key(s.substr(1));
  } else {
    for (char c : s.substr(1)) body = body * 10 + static_cast<uint64_t>(c - '0');
  }
  return (static_cast<uint64_t>(*kind) << kKindShift) | body;
}

std::string student_no_from_key(uint64_t key) {
  const auto kind = static_cast<StudentNoKind>(key >> kKindShift);
  const uint64_t body = key & kBodyMask;
  if (kind == StudentNoKind::kG) return "G" + resident_id_from_key(body);
  std::string out(19, '0');
  out[0] = kind == StudentNoKind::kJ ? 'J' : 'L';
  uint64_t v = body;
  for (size_t i = 18; i >= 1; --i) {
    out[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return out;
}

}  // namespace zizhu

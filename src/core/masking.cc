#include "core/masking.h"

#include <vector>

namespace zizhu {

namespace {

// Splits UTF-8 text into code points (invalid bytes stand alone).
std::vector<std::string_view> code_points(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t len = 1;
    if (lead >= 0xF0) {
      len = 4;
    } else if (lead >= 0xE0) {
      len = 3;
    } else if (lead >= 0xC0) {
      len = 2;
    }
    if (i + len > text.size()) len = 1;
    out.push_back(text.substr(i, len));
    i += len;
  }
  return out;
}

std::string keep_ends(std::string_view text, size_t head, size_t tail) {
  if (text.size() <= head + tail) {
    // Too short to show both ends: show the first quarter only.
    const size_t keep = text.size() / 4;
    return std::string(text.substr(0, keep)) + std::string(text.size() - keep, '*');
  }
  return std::string(text.substr(0, head)) + std::string(text.size() - head - tail, '*') +
         std::string(text.substr(text.size() - tail));
}

}  // namespace

std::string mask_id_number(std::string_view id) { return keep_ends(id, 6, 4); }

std::string mask_student_no(std::string_view student_no) {
  if (!student_no.empty() && (student_no[0] == 'G' || student_no[0] == 'g') && student_no.size() == 19) {
    return "G" + mask_id_number(student_no.substr(1));
  }
  return keep_ends(student_no, 4, 4);
}

std::string mask_bank_card(std::string_view card) {
  std::string digits;
  for (char c : card) {
    if (c != ' ') digits.push_back(c);
  }
  if (digits.size() < 12) return keep_ends(digits, 0, 4);
  return digits.substr(0, 4) + " **** **** " + digits.substr(digits.size() - 4);
}

std::string mask_phone(std::string_view phone) { return keep_ends(phone, 3, 4); }

std::string mask_name(std::string_view name) {
  const auto parts = code_points(name);
  if (parts.size() <= 1) return std::string(name);
  std::string out(parts.front());
  if (parts.size() == 2) return out + "*";
  for (size_t i = 1; i + 1 < parts.size(); ++i) out += "*";
  out += parts.back();
  return out;
}

std::string mask_student_numbers_in(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if ((c == 'G' || c == 'J' || c == 'L') && i + 19 <= text.size()) {
      bool shaped = true;
      for (size_t k = 1; k < 19 && shaped; ++k) {
        const char d = text[i + k];
        shaped = digit(d) || (c == 'G' && k == 18 && (d == 'X' || d == 'x'));
      }
      // Not part of a longer run of digits or letters.
      const bool bounded = (i == 0 || !digit(text[i - 1])) && (i + 19 == text.size() || !digit(text[i + 19]));
      if (shaped && bounded) {
        out += mask_student_no(text.substr(i, 19));
        i += 19;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace zizhu

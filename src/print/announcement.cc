// What the PDF and XLSX renderers share: labels and the input check.
#include "print/announcement.h"

#include <glib.h>

#include <array>

namespace zizhu::print {

namespace {

constexpr std::array<std::string_view, 9> kGradeLabels = {"一年级", "二年级", "三年级", "四年级", "五年级",
                                                          "六年级", "七年级", "八年级", "九年级"};

Result<void> bad(const std::string& message) { return fail("BAD_ANNOUNCEMENT", "公示内容无效: " + message); }

// UTF-8, no C0 control character (a newline would break a table row), no DEL,
// at most `bytes_max` bytes; `required` texts must not be empty.
Result<void> check_text(std::string_view field, std::string_view text, size_t bytes_max, bool required) {
  if (required && text.empty()) return bad(std::string(field) + "为空");
  if (text.size() > bytes_max) {
    return bad(std::string(field) + "过长（" + std::to_string(text.size()) + " 字节，至多 " +
               std::to_string(bytes_max) + "）");
  }
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr) == FALSE) {
    return bad(std::string(field) + "不是有效的 UTF-8 文本");
  }
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7F) return bad(std::string(field) + "含控制字符");
  }
  return {};
}

}  // namespace

std::string_view grade_label(int grade) {
  if (grade < 1 || grade > 9) return {};
  return kGradeLabels[static_cast<size_t>(grade - 1)];
}

std::string date_label(Date d) {
  const Ymd ymd = d.ymd();
  return std::to_string(ymd.year) + "年" + std::to_string(ymd.month) + "月" + std::to_string(ymd.day) + "日";
}

std::string period_line(const Announcement& a) {
  return "公示期：" + date_label(a.start) + "至" + date_label(a.end);
}

Result<void> check_announcement(const Announcement& a) {
  struct Field {
    std::string_view name;
    const std::string& text;
    bool required;
  };
  const std::array<Field, 5> fields = {Field{"标题", a.title, true}, Field{"学校名称", a.school_name, false},
                                       Field{"学年", a.school_year, false}, Field{"异议渠道", a.contact, true},
                                       Field{"公示单位", a.issued_by, true}};
  for (const Field& f : fields) {
    if (auto ok = check_text(f.name, f.text, kTextBytesMax, f.required); !ok) return ok;
  }
  if (a.end < a.start) return bad("公示期结束日 " + a.end.iso() + " 早于开始日 " + a.start.iso());
  if (a.rows.size() > kRowsMax) {
    return bad("名单 " + std::to_string(a.rows.size()) + " 行，超过上限 " + std::to_string(kRowsMax));
  }
  for (size_t i = 0; i < a.rows.size(); ++i) {
    const AnnouncementRow& r = a.rows[i];
    const std::string at = "第 " + std::to_string(i + 1) + " 行";
    const std::array<Field, 4> cells = {Field{"姓名", r.name_masked, true}, Field{"学校", r.school_name, true},
                                        Field{"班级", r.class_name, false}, Field{"资助等级", r.level_label, true}};
    for (const Field& f : cells) {
      if (auto ok = check_text(at + std::string(f.name), f.text, kCellBytesMax, f.required); !ok) return ok;
    }
    if (grade_label(r.grade).empty()) return bad(at + "年级 " + std::to_string(r.grade) + " 不在 1–9 之内");
  }
  return {};
}

}  // namespace zizhu::print

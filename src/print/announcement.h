// A school's aid announcement (结果公示, aid-cycle.md ANNOUNCING) rendered for
// the notice board: a printable A4 PDF (cairo + pango, Noto Sans CJK SC) and an
// XLSX file (libxlsxwriter). Pure rendering: no database, no HTTP, no clock
// (the same announcement always gives the same bytes). docs/print.md has the
// layout.
//
// The announcement carries only what the spec allows in public: the masked
// name, school, grade, class and aid level. Keep it that way: no ID number,
// birth date, address, phone, bank card or hardship detail belongs here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"

namespace zizhu::print {

struct AnnouncementRow {
  std::string name_masked;  // 张*明
  std::string school_name;  // 城关区第一学校
  int grade = 0;            // 1..9 (义务教育: 一年级 .. 九年级)
  std::string class_name;   // 4年级1班
  std::string level_label;  // 一档
};

struct Announcement {
  std::string title;        // 城关区第一学校 2026-2027 学年义务教育家庭经济困难学生资助名单公示
  std::string school_name;
  std::string school_year;  // 2026-2027
  Date start, end;          // the announcement period, both days included
  std::string contact;      // the objection channel: 异议请向学校资助办反映，电话 0931-1234567
  std::vector<AnnouncementRow> rows;
  std::string issued_by;    // 城关区第一学校（盖章）
  Date issued_on;
};

// Bounds on the input (TigerStyle: every loop and page has one). A school's
// list is far below the row bound; the text bounds keep every table row well
// inside one page, so pagination always ends.
inline constexpr size_t kRowsMax = 10000;
inline constexpr size_t kCellBytesMax = 120;   // each text field of a row
inline constexpr size_t kTextBytesMax = 600;   // title, school name and year, contact, issuer

// What an empty list shows in place of the table's rows (PDF and XLSX).
inline constexpr std::string_view kNoRowsText = "本次公示无名单";

// 4 → 四年级 (1..9; 七年级, not 初一, as the 学籍 system names grades).
// Nothing for a grade outside 1..9.
std::string_view grade_label(int grade);
// 2026-09-14 → 2026年9月14日.
std::string date_label(Date d);
// 公示期：2026年9月14日至2026年9月20日
std::string period_line(const Announcement& a);

// Checks the bounds above, that every text is UTF-8 without control
// characters, that the required texts (title, contact, issuer) are present,
// that every grade is 1..9 and that start <= end. Both renderers call it;
// error code "BAD_ANNOUNCEMENT", the message names the field (and the row,
// 1-based, for a row's field).
Result<void> check_announcement(const Announcement& a);

// The rows printed on one PDF page: rows[first_row, first_row + row_count).
// A page may hold no row: the closing block (issuer, date) alone, when it did
// not fit under the last row.
struct PageRows {
  size_t first_row = 0;
  size_t row_count = 0;
};

// The PDF's pagination, as announcement_pdf lays it out (one entry a page).
// For tests and for callers that want the page count without the bytes.
Result<std::vector<PageRows>> announcement_pages(const Announcement& a);

// The PDF bytes: A4 portrait; the title and period on page 1; a table 序号 姓名
// 学校 年级 班级 资助等级 whose header repeats on every page; on every page a
// footer with the objection channel and 第 k 页 / 共 N 页; after the last row
// the issuer and date. Code "FONT" when Noto Sans CJK SC is not installed
// (fonts-noto-cjk), "PDF" when cairo fails.
Result<std::string> announcement_pdf(const Announcement& a);

// The XLSX bytes: one sheet 公示名单 with the title (merged, bold), the period,
// the bold header row, the rows (序号 a number, every other cell text), the
// objection channel, the issuer and the date; A4 portrait, header row repeated
// on printed pages. Code "XLSX" or "IO" when libxlsxwriter or its temporary
// file fails.
Result<std::string> announcement_xlsx(const Announcement& a);

}  // namespace zizhu::print

// The announcement as an .xlsx file, for schools that post or forward the list
// from Excel. libxlsxwriter directly rather than io::XlsxWriter: that writer
// streams plain rows (constant_memory) and has no merged cells, column widths,
// cell borders or print setup, which a notice needs; a list is bounded by
// kRowsMax, so the in-memory mode costs little. libxlsxwriter 1.1.4 (Debian
// 12) writes only to a file, so the bytes go through a temporary file.
#include <unistd.h>
#include <xlsxwriter.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "print/announcement.h"

namespace zizhu::print {

namespace {

constexpr lxw_col_t kLastCol = 5;  // A..F: 序号 姓名 学校 年级 班级 资助等级
// Column widths in Excel's character units; a CJK character takes about two.
constexpr std::array<double, 6> kWidths = {6, 12, 30, 10, 14, 12};
constexpr std::array<std::string_view, 6> kHeader = {"序号", "姓名", "学校", "年级", "班级", "资助等级"};
constexpr uint8_t kPaperA4 = 9;
constexpr double kLineHeight = 15;  // Excel's default row height, points

// Removes the temporary file whatever happens.
struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

// Lines `text` needs in a merged row as wide as the table (an estimate: Excel
// does not fit merged rows itself).
double lines_for(std::string_view text) {
  double width_max = 0;
  for (double w : kWidths) width_max += w;
  double units = 0;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte
    units += b < 0x80 ? 1.0 : 2.0;
  }
  double lines = 1;
  while (units > width_max * lines) lines += 1;
  return lines;
}

class Sheet {
 public:
  Sheet(lxw_workbook* wb, lxw_worksheet* ws) : wb_(wb), ws_(ws) {}

  lxw_format* format(bool bold, bool border, lxw_format_alignments align, double size = 0, bool fill = false) {
    lxw_format* f = workbook_add_format(wb_);
    if (bold) format_set_bold(f);
    if (border) format_set_border(f, LXW_BORDER_THIN);
    if (size > 0) format_set_font_size(f, size);
    if (fill) {
      format_set_pattern(f, LXW_PATTERN_SOLID);
      format_set_bg_color(f, 0xE0E0E0);
    }
    format_set_align(f, align);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f);
    return f;
  }

  void text(lxw_row_t row, lxw_col_t col, const std::string& value, lxw_format* f) {
    note(worksheet_write_string(ws_, row, col, value.c_str(), f));
  }
  void number(lxw_row_t row, lxw_col_t col, double value, lxw_format* f) {
    note(worksheet_write_number(ws_, row, col, value, f));
  }
  // A row-wide merged cell holding `value`, tall enough for its lines.
  void merged(lxw_row_t row, const std::string& value, lxw_format* f, double line_height = kLineHeight) {
    note(worksheet_merge_range(ws_, row, 0, row, kLastCol, value.c_str(), f));
    note(worksheet_set_row(ws_, row, line_height * lines_for(value) + 4, nullptr));
  }
  void note(lxw_error err) {
    if (err != LXW_NO_ERROR && error_ == LXW_NO_ERROR) error_ = err;
  }
  lxw_error error() const { return error_; }
  lxw_worksheet* ws() { return ws_; }

 private:
  lxw_workbook* wb_;
  lxw_worksheet* ws_;
  lxw_error error_ = LXW_NO_ERROR;
};

void write_sheet(Sheet& s, const Announcement& a) {
  lxw_worksheet* ws = s.ws();
  for (lxw_col_t c = 0; c <= kLastCol; ++c) s.note(worksheet_set_column(ws, c, c, kWidths[c], nullptr));
  lxw_format* title = s.format(true, false, LXW_ALIGN_CENTER, 16);
  lxw_format* centred = s.format(false, false, LXW_ALIGN_CENTER);
  lxw_format* header = s.format(true, true, LXW_ALIGN_CENTER, 0, true);
  lxw_format* cell = s.format(false, true, LXW_ALIGN_CENTER);
  lxw_format* cell_left = s.format(false, true, LXW_ALIGN_LEFT);
  lxw_format* left = s.format(false, false, LXW_ALIGN_LEFT);
  lxw_format* right = s.format(false, false, LXW_ALIGN_RIGHT);

  lxw_row_t row = 0;
  s.merged(row++, a.title, title, 22);
  s.merged(row++, period_line(a), centred);
  const lxw_row_t header_row = row;
  for (lxw_col_t c = 0; c <= kLastCol; ++c) s.text(row, c, std::string(kHeader[c]), header);
  s.note(worksheet_set_row(ws, row++, 20, nullptr));
  if (a.rows.empty()) s.merged(row++, std::string(kNoRowsText), cell);
  for (size_t i = 0; i < a.rows.size(); ++i, ++row) {
    const AnnouncementRow& r = a.rows[i];
    s.number(row, 0, static_cast<double>(i + 1), cell);
    s.text(row, 1, r.name_masked, cell);
    s.text(row, 2, r.school_name, cell_left);
    s.text(row, 3, std::string(grade_label(r.grade)), cell);
    s.text(row, 4, r.class_name, cell);
    s.text(row, 5, r.level_label, cell);
  }
  ++row;  // a blank row before the closing lines
  s.merged(row++, a.contact, left);
  s.merged(row++, a.issued_by, right);
  s.merged(row++, date_label(a.issued_on), right);

  worksheet_freeze_panes(ws, header_row + 1, 0);
  worksheet_set_paper(ws, kPaperA4);
  worksheet_set_portrait(ws);
  worksheet_center_horizontally(ws);
  worksheet_fit_to_pages(ws, 1, 0);  // one page wide, as many tall as needed
  s.note(worksheet_repeat_rows(ws, header_row, header_row));
  s.note(worksheet_set_footer(ws, "&C第 &P 页 / 共 &N 页"));
}

Result<std::string> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("IO", "无法读取临时 XLSX 文件: " + path, Location{path, 0, ""});
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail("IO", "无法读取临时 XLSX 文件: " + path, Location{path, 0, ""});
  return bytes;
}

}  // namespace

Result<std::string> announcement_xlsx(const Announcement& a) {
  if (auto ok = check_announcement(a); !ok) return tl::unexpected(ok.error());

  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) return fail("IO", "找不到临时目录: " + ec.message());
  TempFile tmp;
  {
    std::string pattern = (dir / "zizhu-announcement-XXXXXX.xlsx").string();
    const int fd = ::mkstemps(pattern.data(), 5);
    if (fd < 0) return fail("IO", "无法创建临时文件: " + pattern, Location{pattern, 0, ""});
    ::close(fd);
    tmp.path = pattern;
  }

  lxw_workbook* wb = workbook_new(tmp.path.c_str());
  if (wb == nullptr) return fail("IO", "无法创建 XLSX 文件: " + tmp.path, Location{tmp.path, 0, ""});
  // Same input, same bytes: the creation time is the issue date, not the clock.
  lxw_doc_properties props{};
  std::string title = a.title, author = a.issued_by, subject = a.school_year;
  props.title = title.data();
  props.author = author.data();
  props.subject = subject.data();
  props.created = static_cast<time_t>(a.issued_on.days()) * 86400;
  lxw_worksheet* ws = workbook_add_worksheet(wb, "公示名单");
  if (ws == nullptr) {
    lxw_workbook_free(wb);
    return fail("XLSX", "无法创建工作表: " + tmp.path, Location{tmp.path, 0, ""});
  }
  Sheet sheet(wb, ws);
  sheet.note(workbook_set_properties(wb, &props));
  write_sheet(sheet, a);
  const lxw_error closed = workbook_close(wb);  // frees the workbook whatever the outcome
  if (sheet.error() != LXW_NO_ERROR) {
    return fail("XLSX", std::string("写入 XLSX 失败（") + lxw_strerror(sheet.error()) + "）");
  }
  if (closed != LXW_NO_ERROR) return fail("IO", std::string("写入 XLSX 失败（") + lxw_strerror(closed) + "）");
  return read_all(tmp.path);
}

}  // namespace zizhu::print

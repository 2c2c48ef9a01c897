#include "print/report_xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace zizhu::print {

namespace {

struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

class Writer {
 public:
  explicit Writer(lxw_workbook* wb) : wb_(wb) {
    bold_ = workbook_add_format(wb);
    format_set_bold(bold_);
    money_ = workbook_add_format(wb);
    format_set_num_format(money_, "0.00");
    bold_money_ = workbook_add_format(wb);
    format_set_bold(bold_money_);
    format_set_num_format(bold_money_, "0.00");
  }

  void sheet(const ReportSheet& s) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, s.name.c_str());
    if (ws == nullptr) {
      if (error_.empty()) error_ = "无法创建工作表: " + s.name;
      return;
    }
    // constant_memory: column settings first, then rows strictly in order.
    for (size_t c = 0; c < s.widths.size(); ++c) {
      note(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), s.widths[c], nullptr));
    }
    for (size_t c = 0; c < s.header.size(); ++c) {
      note(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), s.header[c].c_str(), bold_));
    }
    if (s.rows.size() > kReportRowsMax) {
      if (error_.empty()) error_ = "工作表行数超过上限: " + s.name;
      return;
    }
    for (size_t r = 0; r < s.rows.size(); ++r) {
      const bool bold = s.bold_last_row && r + 1 == s.rows.size();
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t c = 0; c < s.rows[r].size(); ++c) {
        const ReportCell& cell = s.rows[r][c];
        const auto col = static_cast<lxw_col_t>(c);
        switch (cell.kind) {
          case ReportCell::Kind::kText:
            if (!cell.text.empty()) note(worksheet_write_string(ws, row, col, cell.text.c_str(), bold ? bold_ : nullptr));
            break;
          case ReportCell::Kind::kMoney:
            note(worksheet_write_number(ws, row, col, static_cast<double>(cell.number) / 100.0,
                                        bold ? bold_money_ : money_));
            break;
          case ReportCell::Kind::kInteger:
            note(worksheet_write_number(ws, row, col, static_cast<double>(cell.number), bold ? bold_ : nullptr));
            break;
          case ReportCell::Kind::kEmpty: break;
        }
      }
    }
    worksheet_freeze_panes(ws, 1, 0);
  }

  void note(lxw_error err) {
    if (err != LXW_NO_ERROR && error_.empty()) error_ = lxw_strerror(err);
  }
  const std::string& error() const { return error_; }

 private:
  lxw_workbook* wb_;
  lxw_format* bold_ = nullptr;
  lxw_format* money_ = nullptr;
  lxw_format* bold_money_ = nullptr;
  std::string error_;
};

Result<std::string> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("IO", "无法读取临时 XLSX 文件: " + path, Location{path, 0, ""});
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail("IO", "无法读取临时 XLSX 文件: " + path, Location{path, 0, ""});
  return bytes;
}

}  // namespace

Result<std::string> report_xlsx(const std::vector<ReportSheet>& sheets, const std::string& title, int64_t created_s) {
  if (sheets.empty()) return fail("XLSX", "报表没有工作表");
  std::error_code ec;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) return fail("IO", "找不到临时目录: " + ec.message());
  TempFile tmp;
  {
    std::string pattern = (dir / "zizhu-report-XXXXXX.xlsx").string();
    const int fd = ::mkstemps(pattern.data(), 5);
    if (fd < 0) return fail("IO", "无法创建临时文件: " + pattern, Location{pattern, 0, ""});
    ::close(fd);
    tmp.path = pattern;
  }
  // constant_memory keeps its row buffers in temporary files of the same folder.
  std::string tmpdir = dir.string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = tmpdir.data();
  lxw_workbook* wb = workbook_new_opt(tmp.path.c_str(), &options);
  if (wb == nullptr) return fail("IO", "无法创建 XLSX 文件: " + tmp.path, Location{tmp.path, 0, ""});
  for (const ReportSheet& s : sheets) {
    if (const lxw_error err = workbook_validate_sheet_name(wb, s.name.c_str()); err != LXW_NO_ERROR) {
      lxw_workbook_free(wb);
      return fail("XLSX", "工作表名无效（" + std::string(lxw_strerror(err)) + "）: " + s.name);
    }
  }
  lxw_doc_properties props{};
  std::string t = title;
  props.title = t.data();
  props.created = static_cast<time_t>(created_s);
  Writer w(wb);
  w.note(workbook_set_properties(wb, &props));
  for (const ReportSheet& s : sheets) w.sheet(s);
  const lxw_error closed = workbook_close(wb);  // frees the workbook whatever the outcome
  if (!w.error().empty()) return fail("XLSX", "写入 XLSX 失败（" + w.error() + "）");
  if (closed != LXW_NO_ERROR) return fail("IO", std::string("写入 XLSX 失败（") + lxw_strerror(closed) + "）");
  return read_all(tmp.path);
}

}  // namespace zizhu::print

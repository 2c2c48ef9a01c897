#include "io/xlsx_writer.h"

#include <xlsxwriter.h>

#include <utility>

namespace zizhu::io {

namespace {
constexpr uint32_t kRowsMax = 1048576;
constexpr uint32_t kColumnsMax = 16384;
}  // namespace

Result<std::unique_ptr<XlsxWriter>> XlsxWriter::create(const std::string& path, const std::string& sheet_name) {
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
  if (wb == nullptr) return fail("IO", "无法创建 XLSX 文件: " + path, Location{path, 0, ""});
  if (const lxw_error err = workbook_validate_sheet_name(wb, sheet_name.c_str()); err != LXW_NO_ERROR) {
    lxw_workbook_free(wb);
    return fail("XLSX", "工作表名无效（" + std::string(lxw_strerror(err)) + "）: " + sheet_name,
                Location{path, 0, ""});
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  if (ws == nullptr) {
    lxw_workbook_free(wb);
    return fail("XLSX", "无法创建工作表: " + path, Location{path, 0, ""});
  }
  std::unique_ptr<XlsxWriter> w(new XlsxWriter(path, wb, ws));
  w->bold_ = workbook_add_format(wb);
  format_set_bold(w->bold_);
  w->money_ = workbook_add_format(wb);
  format_set_num_format(w->money_, "0.00");
  return w;
}

XlsxWriter::XlsxWriter(std::string path, lxw_workbook* wb, lxw_worksheet* ws)
    : path_(std::move(path)), workbook_(wb), sheet_(ws) {}

XlsxWriter::~XlsxWriter() {
  if (workbook_ != nullptr) lxw_workbook_free(workbook_);
}

void XlsxWriter::note(int err) {
  if (err != LXW_NO_ERROR && error_ == LXW_NO_ERROR) error_ = err;
}

void XlsxWriter::header(std::span<const std::string_view> names) {
  for (std::string_view n : names) {
    scratch_.assign(n);
    if (workbook_ != nullptr && col_ < kColumnsMax) {
      note(worksheet_write_string(sheet_, row_, col_, scratch_.c_str(), bold_));
    }
    ++col_;
  }
  end_row();
}

void XlsxWriter::text(std::string_view value) {
  if (workbook_ != nullptr && !value.empty() && col_ < kColumnsMax && row_ < kRowsMax) {
    scratch_.assign(value);
    note(worksheet_write_string(sheet_, row_, col_, scratch_.c_str(), nullptr));
  }
  ++col_;
}

void XlsxWriter::money_fen(int64_t fen) {
  if (workbook_ != nullptr && col_ < kColumnsMax && row_ < kRowsMax) {
    note(worksheet_write_number(sheet_, row_, col_, static_cast<double>(fen) / 100.0, money_));
  }
  ++col_;
}

void XlsxWriter::integer(int64_t value) {
  if (workbook_ != nullptr && col_ < kColumnsMax && row_ < kRowsMax) {
    note(worksheet_write_number(sheet_, row_, col_, static_cast<double>(value), nullptr));
  }
  ++col_;
}

void XlsxWriter::empty() { ++col_; }

void XlsxWriter::end_row() {
  if (col_ > kColumnsMax) note(LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
  if (row_ >= kRowsMax) note(LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
  col_ = 0;
  ++row_;
}

Result<void> XlsxWriter::close() {
  if (workbook_ == nullptr) return fail("XLSX", "XLSX 文件已关闭: " + path_, Location{path_, 0, ""});
  const lxw_error err = workbook_close(workbook_);  // frees the workbook whatever the outcome
  workbook_ = nullptr;
  if (error_ != LXW_NO_ERROR) {
    return fail("XLSX", "写入 XLSX 失败（" + std::string(lxw_strerror(static_cast<lxw_error>(error_))) + "）: " + path_,
                Location{path_, 0, ""});
  }
  if (err != LXW_NO_ERROR) {
    return fail("IO", "写入 XLSX 失败（" + std::string(lxw_strerror(err)) + "）: " + path_, Location{path_, 0, ""});
  }
  return {};
}

}  // namespace zizhu::io

// Streams the first worksheet: Expat parses the sheet XML in blocks read from
// the zip, and suspends itself at the end of every row that has a value, so
// that only one row is held in memory (plus the shared strings).
#include "io/xlsx_reader.h"

#include <charconv>
#include <string_view>
#include <utility>
#include <vector>

#include "io/trim.h"
#include "io/xlsx_cell_value.h"
#include "io/xlsx_parts.h"
#include "io/xlsx_zip.h"

namespace zizhu::io {

namespace {

using xlsx::XmlHandler;
using xlsx::ZipPackage;

// The column of a cell reference, 1-based ("AB12" → 28... "A1" → 1); 0 when
// the reference has no column letters or the column is beyond `max`.
uint32_t column_of(std::string_view ref, uint32_t max) {
  uint64_t col = 0;
  size_t i = 0;
  for (; i < ref.size(); ++i) {
    char c = ref[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<uint64_t>(c - 'A' + 1);
    if (col > max) return 0;
  }
  return static_cast<uint32_t>(col);
}

std::optional<long> to_long(std::string_view v) {
  long n = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return n;
}

// The t attribute of a <c>.
enum class Stored : uint8_t { kNumber, kShared, kInline, kFormulaText, kBool, kError, kIsoDate, kOther };

Stored stored_of(const XML_Char* t) {
  if (t == nullptr) return Stored::kNumber;
  const std::string_view v(t);
  if (v == "n") return Stored::kNumber;
  if (v == "s") return Stored::kShared;
  if (v == "inlineStr") return Stored::kInline;
  if (v == "str") return Stored::kFormulaText;
  if (v == "b") return Stored::kBool;
  if (v == "e") return Stored::kError;
  if (v == "d") return Stored::kIsoDate;
  return Stored::kOther;
}

class SheetHandler final : public XmlHandler {
 public:
  SheetHandler(const XlsxLimits& limits, xlsx::SharedStrings strings, std::vector<bool> date_styles,
               bool date1904)
      : limits_(limits), strings_(std::move(strings)), date_styles_(std::move(date_styles)), date1904_(date1904) {}

  // Set when a row with a value has ended (and the parser was suspended).
  bool ready = false;
  long row_number() const { return row_; }
  std::span<const Cell> cells() const { return cells_; }

  void on_start(std::string_view name, const XML_Char** attrs) override {
    if (name == "row") {
      start_row(attrs);
    } else if (name == "c") {
      if (in_row_) start_cell(attrs);
    } else if (name == "v") {
      in_v_ = in_cell_;
    } else if (name == "is") {
      in_is_ = in_cell_;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t") {
      in_t_ = in_is_ && phonetic_ == 0;
    }
  }

  void on_end(std::string_view name) override {
    if (name == "v") {
      in_v_ = false;
    } else if (name == "t") {
      in_t_ = false;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "c") {
      if (in_cell_) end_cell();
    } else if (name == "row") {
      if (in_row_) end_row();
    }
  }

  void on_text(std::string_view text) override {
    if (!in_v_ && !in_t_) return;
    if (raw_.size() + text.size() > limits_.cell_bytes_max) {
      return fault("单元格内容超过 " + std::to_string(limits_.cell_bytes_max) + " 字节");
    }
    raw_.append(text);
  }

 private:
  void fault(const std::string& what) { abort(Error::make("XLSX", "第 " + std::to_string(row_) + " 行: " + what)); }

  void start_row(const XML_Char** attrs) {
    if (in_row_) return fault("行嵌套");
    long number = last_row_ + 1;
    if (const XML_Char* r = xlsx::attribute(attrs, "r")) {
      const auto n = to_long(r);
      if (!n || *n <= last_row_) {
        row_ = last_row_ + 1;
        return fault(std::string("行号 r=\"") + r + "\" 无效或不递增");
      }
      number = *n;
    }
    row_ = number;
    if (number > static_cast<long>(limits_.rows_max)) return fault("超过 " + std::to_string(limits_.rows_max) + " 行");
    for (size_t i = 0; i < width_; ++i) slots_[i].clear();
    width_ = 0;
    in_row_ = true;
  }

  void start_cell(const XML_Char** attrs) {
    uint32_t col = static_cast<uint32_t>(width_) + 1;
    if (const XML_Char* r = xlsx::attribute(attrs, "r")) {
      col = column_of(r, limits_.columns_max);
      if (col == 0) return fault(std::string("单元格引用 r=\"") + r + "\" 无效或超过 " +
                                 std::to_string(limits_.columns_max) + " 列");
      if (col <= width_) return fault(std::string("单元格 ") + r + " 重复或倒序");
    }
    if (col > limits_.columns_max) return fault("超过 " + std::to_string(limits_.columns_max) + " 列");
    col_ = col;
    stored_ = stored_of(xlsx::attribute(attrs, "t"));
    style_ = 0;
    if (const XML_Char* s = xlsx::attribute(attrs, "s")) style_ = to_long(s).value_or(0);
    raw_.clear();
    in_cell_ = true;
  }

  // Text cells: OOXML escapes (_x000D_) decoded.
  void set_text(std::string& out) {
    if (xlsx::may_hold_escapes(raw_)) {
      xlsx::append_unescaped(raw_, out);
    } else {
      out = raw_;
    }
  }

  void end_cell() {
    in_cell_ = false;
    in_v_ = in_is_ = in_t_ = false;
    if (slots_.size() < col_) slots_.resize(col_);
    width_ = col_;
    Slot& slot = slots_[col_ - 1];
    std::string& out = slot.text;
    CellType& type = slot.type;
    const std::string_view value = trim(raw_);
    switch (stored_) {
      case Stored::kShared: {
        if (value.empty()) return;  // <c t="s"/>: an empty cell
        const auto i = to_long(value);
        if (!i || *i < 0 || static_cast<size_t>(*i) >= strings_.size()) {
          return fault("共享字符串索引 " + std::string(value) + " 无效");
        }
        // A view, not a copy: a row of cells that all name one long string
        // costs nothing (copying would let a small file claim gigabytes).
        slot.shared = strings_.at(static_cast<size_t>(*i));
        slot.is_shared = true;
        return;
      }
      case Stored::kBool:
        if (value == "1" || value == "true") {
          out = "true";
          type = CellType::kBool;
        } else if (value == "0" || value == "false") {
          out = "false";
          type = CellType::kBool;
        } else {
          set_text(out);
        }
        return;
      case Stored::kIsoDate:
        // t="d" (ISO 8601, written by some tools, never by Excel itself):
        // YYYY-MM-DD with an optional time after a 'T'.
        if (value.size() >= 10 && value[4] == '-' && value[7] == '-' && (value.size() == 10 || value[10] == 'T')) {
          if (auto d = parse_date(value.substr(0, 10))) {
            out = d->iso();
            type = CellType::kDate;
            return;
          }
        }
        set_text(out);
        return;
      case Stored::kNumber: {
        if (value.empty()) return;
        const auto number = xlsx::parse_number(value);
        if (!number) {
          set_text(out);  // not a number after all: kept as text
          return;
        }
        if (style_ >= 0 && static_cast<size_t>(style_) < date_styles_.size() &&
            date_styles_[static_cast<size_t>(style_)] && xlsx::serial_to_date_text(*number, date1904_, out)) {
          type = CellType::kDate;
          return;
        }
        xlsx::format_number(*number, out);
        type = CellType::kNumber;
        return;
      }
      case Stored::kInline:
      case Stored::kFormulaText:
      case Stored::kError:
      case Stored::kOther:
        set_text(out);
        return;
    }
  }

  void end_row() {
    in_row_ = false;
    last_row_ = row_;
    cells_.resize(width_);
    bool blank = true;
    for (size_t i = 0; i < width_; ++i) {
      const Slot& slot = slots_[i];
      cells_[i] = Cell{trim(slot.is_shared ? slot.shared : std::string_view(slot.text)), slot.type};
      if (!cells_[i].text.empty()) blank = false;
    }
    if (blank) return;
    ready = true;
    XML_StopParser(parser(), XML_TRUE);
  }

  // One column of the current row; reused from row to row so that reading
  // allocates only while rows grow wider or values longer.
  struct Slot {
    std::string text;
    std::string_view shared;  // the shared string, when is_shared
    bool is_shared = false;
    CellType type = CellType::kText;
    void clear() {
      text.clear();
      is_shared = false;
      type = CellType::kText;
    }
  };

  const XlsxLimits limits_;
  const xlsx::SharedStrings strings_;
  const std::vector<bool> date_styles_;
  const bool date1904_;

  long row_ = 0;       // the row being read (or last read)
  long last_row_ = 0;  // the last row that ended
  bool in_row_ = false;
  bool in_cell_ = false;
  bool in_v_ = false;
  bool in_is_ = false;
  bool in_t_ = false;
  int phonetic_ = 0;
  uint32_t col_ = 0;
  Stored stored_ = Stored::kNumber;
  long style_ = 0;
  std::string raw_;
  std::vector<Slot> slots_;
  size_t width_ = 0;  // columns in the current row
  std::vector<Cell> cells_;
};

class XlsxReader final : public TableReader {
 public:
  explicit XlsxReader(std::string path) : path_(std::move(path)) {}

  const std::string& path() const override { return path_; }
  const std::vector<std::string>& header() const override { return header_; }

  Result<bool> next(Row& row) override {
    if (failed_) return tl::unexpected(*failed_);
    for (;;) {
      if (done_) return false;
      XML_Status st;
      if (suspended_) {
        st = XML_ResumeParser(sheet_->parser());
      } else {
        void* buf = XML_GetBuffer(sheet_->parser(), static_cast<int>(xlsx::kBlockBytes));
        if (buf == nullptr) return remember(xlsx::xlsx_error(path_, "内存不足").value());
        auto n = zip_.read(static_cast<char*>(buf), xlsx::kBlockBytes);
        if (!n) return remember(n.error());
        final_ = *n == 0;
        st = XML_ParseBuffer(sheet_->parser(), static_cast<int>(*n), final_ ? XML_TRUE : XML_FALSE);
      }
      if (st == XML_STATUS_ERROR) {
        return remember(xlsx::parse_error(zip_, sheet_part_, *sheet_, sheet_->row_number()));
      }
      suspended_ = st == XML_STATUS_SUSPENDED;
      if (!suspended_ && final_) done_ = true;
      if (sheet_->ready) {
        sheet_->ready = false;
        row.number = sheet_->row_number();
        row.cells = sheet_->cells();
        return true;
      }
    }
  }

  Result<void> open(const XlsxLimits& limits) {
    if (auto r = zip_.open(path_, limits); !r) return r;
    auto wb = xlsx::read_workbook(zip_);
    if (!wb) return tl::unexpected(wb.error());
    auto strings = xlsx::read_shared_strings(zip_, wb->shared_strings_part);
    if (!strings) return tl::unexpected(strings.error());
    auto styles = xlsx::read_date_styles(zip_, wb->styles_part);
    if (!styles) return tl::unexpected(styles.error());
    sheet_part_ = wb->sheet_part;
    sheet_ = std::make_unique<SheetHandler>(limits, std::move(*strings), std::move(*styles), wb->date1904);
    if (auto r = zip_.open_part(sheet_part_); !r) return r;
    if (!sheet_->create_parser()) return xlsx::xlsx_error(path_, "内存不足");
    Row row;
    auto got = next(row);
    if (!got) return tl::unexpected(got.error());
    if (!*got || row.number != 1) {
      return fail("NO_HEADER", "第一个工作表的第 1 行没有表头: " + path_, Location{path_, 1, ""});
    }
    header_.reserve(row.cells.size());
    for (const Cell& c : row.cells) header_.emplace_back(c.text);
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (!header_.empty() && header_[0].starts_with(kBom)) header_[0] = std::string(trim(header_[0].substr(kBom.size())));
    return {};
  }

 private:
  tl::unexpected<Error> remember(Error e) {
    failed_ = e;
    return tl::unexpected(std::move(e));
  }

  std::string path_;
  ZipPackage zip_;
  std::string sheet_part_;
  std::unique_ptr<SheetHandler> sheet_;
  std::vector<std::string> header_;
  bool suspended_ = false;
  bool final_ = false;
  bool done_ = false;
  std::optional<Error> failed_;
};

}  // namespace

Result<std::unique_ptr<TableReader>> open_xlsx(const std::string& path, const XlsxLimits& limits) {
  auto reader = std::make_unique<XlsxReader>(path);
  if (auto r = reader->open(limits); !r) return tl::unexpected(r.error());
  return reader;
}

}  // namespace zizhu::io

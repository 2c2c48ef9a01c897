#include "io/xlsx_parts.h"

#include <charconv>
#include <map>
#include <optional>

#include "io/xlsx_cell_value.h"

namespace zizhu::io::xlsx {

namespace {

std::optional<long> to_long(const XML_Char* s) {
  if (s == nullptr) return std::nullopt;
  const std::string_view v(s);
  long n = 0;
  const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  return n;
}

class WorkbookHandler final : public XmlHandler {
 public:
  void on_start(std::string_view name, const XML_Char** attrs) override {
    if (name == "workbookPr") {
      const XML_Char* v = attribute(attrs, "date1904");
      date1904 = v != nullptr && (std::string_view(v) == "1" || std::string_view(v) == "true");
    } else if (name == "sheet" && !have_sheet) {
      have_sheet = true;
      if (const XML_Char* id = attribute(attrs, "id")) sheet_rel_id = id;
    }
  }
  void on_end(std::string_view) override {}
  void on_text(std::string_view) override {}

  bool date1904 = false;
  bool have_sheet = false;
  std::string sheet_rel_id;
};

class RelsHandler final : public XmlHandler {
 public:
  explicit RelsHandler(std::string id) : id_(std::move(id)) {}
  void on_start(std::string_view name, const XML_Char** attrs) override {
    if (name != "Relationship" || found) return;
    const XML_Char* id = attribute(attrs, "Id");
    const XML_Char* tgt = attribute(attrs, "Target");
    if (id != nullptr && tgt != nullptr && id_ == id) {
      found = true;
      target = tgt;
    }
  }
  void on_end(std::string_view) override {}
  void on_text(std::string_view) override {}

  bool found = false;
  std::string target;

 private:
  std::string id_;
};

// A relationship target relative to xl/ (or absolute from the package root)
// as a zip entry name: "worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml".
std::string resolve_target(std::string_view target) {
  std::vector<std::string_view> parts;
  if (!target.starts_with('/')) parts.push_back("xl");
  while (!target.empty()) {
    const size_t slash = target.find('/');
    const std::string_view seg = target.substr(0, slash);
    target = slash == std::string_view::npos ? std::string_view() : target.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(seg);
  }
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

}  // namespace

Result<WorkbookInfo> read_workbook(ZipPackage& zip) {
  const std::string workbook = "xl/workbook.xml";
  if (!zip.has(workbook)) return xlsx_error(zip.path(), "缺少 " + workbook + "，不是 Excel 工作簿");
  WorkbookHandler wb;
  if (auto r = parse_part(zip, workbook, wb); !r) return tl::unexpected(r.error());
  if (!wb.have_sheet) return xlsx_error(zip.path(), "工作簿没有工作表");
  WorkbookInfo info;
  info.date1904 = wb.date1904;
  const std::string rels = "xl/_rels/workbook.xml.rels";
  if (!zip.has(rels)) {
    info.sheet_part = "xl/worksheets/sheet1.xml";
  } else {
    RelsHandler rh(wb.sheet_rel_id);
    if (auto r = parse_part(zip, rels, rh); !r) return tl::unexpected(r.error());
    if (!rh.found) return xlsx_error(zip.path(), "找不到第一个工作表的关系 " + wb.sheet_rel_id);
    info.sheet_part = resolve_target(rh.target);
  }
  if (!zip.has(info.sheet_part)) return xlsx_error(zip.path(), "缺少工作表 " + info.sheet_part);
  return info;
}

class SharedStringsHandler final : public XmlHandler {
 public:
  SharedStringsHandler(SharedStrings& out, uint64_t bytes_max) : out_(out), bytes_max_(bytes_max) {}
  void on_start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      in_si_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t" && in_si_ && phonetic_ == 0) {
      in_t_ = true;
    }
  }
  void on_end(std::string_view name) override {
    if (name == "si") {
      in_si_ = false;
      out_.ends_.push_back(out_.chars_.size());
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "t") {
      in_t_ = false;
    }
  }
  void on_text(std::string_view text) override {
    if (!in_t_) return;
    if (out_.chars_.size() + text.size() > bytes_max_) {
      abort(Error::make("XLSX", "共享字符串超过 " + std::to_string(bytes_max_) + " 字节"));
      return;
    }
    out_.chars_.append(text);
  }

 private:
  SharedStrings& out_;
  uint64_t bytes_max_;
  bool in_si_ = false;
  bool in_t_ = false;
  int phonetic_ = 0;
};

Result<SharedStrings> read_shared_strings(ZipPackage& zip) {
  SharedStrings out;
  const std::string part = "xl/sharedStrings.xml";
  if (!zip.has(part)) return out;
  SharedStringsHandler h(out, zip.limits().shared_strings_bytes_max);
  if (auto r = parse_part(zip, part, h); !r) return tl::unexpected(r.error());
  return out;
}

namespace {

class StylesHandler final : public XmlHandler {
 public:
  void on_start(std::string_view name, const XML_Char** attrs) override {
    if (name == "numFmt") {
      const auto id = to_long(attribute(attrs, "numFmtId"));
      const XML_Char* code = attribute(attrs, "formatCode");
      if (id && code != nullptr) custom_[*id] = is_date_format_code(code);
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      xf_format_ids.push_back(to_long(attribute(attrs, "numFmtId")).value_or(0));
    }
  }
  void on_end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }
  void on_text(std::string_view) override {}

  bool is_date(long id) const {
    if (auto it = custom_.find(id); it != custom_.end()) return it->second;
    return is_builtin_date_format(id);
  }

  std::vector<long> xf_format_ids;

 private:
  std::map<long, bool> custom_;
  bool in_cell_xfs_ = false;
};

}  // namespace

Result<std::vector<bool>> read_date_styles(ZipPackage& zip) {
  std::vector<bool> out;
  const std::string part = "xl/styles.xml";
  if (!zip.has(part)) return out;
  StylesHandler h;
  if (auto r = parse_part(zip, part, h); !r) return tl::unexpected(r.error());
  out.reserve(h.xf_format_ids.size());
  for (long id : h.xf_format_ids) out.push_back(h.is_date(id));
  return out;
}

}  // namespace zizhu::io::xlsx

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
    } else if (name == "sheet") {
      const XML_Char* id = attribute(attrs, "id");
      sheet_rel_ids.emplace_back(id == nullptr ? "" : id);
    }
  }
  void on_end(std::string_view) override {}
  void on_text(std::string_view) override {}

  bool date1904 = false;
  std::vector<std::string> sheet_rel_ids;  // in tab order
};

struct Relationship {
  std::string id;
  std::string type;
  std::string target;
};

class RelsHandler final : public XmlHandler {
 public:
  void on_start(std::string_view name, const XML_Char** attrs) override {
    if (name != "Relationship") return;
    const XML_Char* id = attribute(attrs, "Id");
    const XML_Char* type = attribute(attrs, "Type");
    const XML_Char* target = attribute(attrs, "Target");
    if (id == nullptr || target == nullptr) return;
    rels.push_back(Relationship{id, type == nullptr ? "" : type, target});
  }
  void on_end(std::string_view) override {}
  void on_text(std::string_view) override {}

  const Relationship* find(std::string_view id) const {
    for (const auto& r : rels) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }

  std::vector<Relationship> rels;
};

// Relationship types differ between transitional and strict OOXML only in
// their prefix ("…/relationships/worksheet").
bool type_is(const std::string& type, std::string_view last) {
  return type.ends_with(last) && (type.size() == last.size() || type[type.size() - last.size() - 1] == '/');
}

// Tabs that hold no cell table. Anything else a <sheet> names is taken for a
// worksheet, so that a writer's odd relationship type does not lose the data.
bool holds_no_table(const std::string& type) {
  return type_is(type, "chartsheet") || type_is(type, "dialogsheet") || type_is(type, "xlMacrosheet") ||
         type_is(type, "xlIntlMacrosheet");
}

// The zip entry a relationship target names: relative to `base_dir` (the
// folder of the part whose relationships these are: "" for the package root,
// else ending in '/'), or from the root when it starts with '/'.
std::string resolve_target(std::string_view base_dir, std::string_view target) {
  std::string joined;
  if (!target.starts_with('/')) {
    joined.assign(base_dir);
    joined.append(target);
    target = joined;
  }
  std::vector<std::string_view> parts;
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

// "xl/workbook.xml" → "xl/"; "workbook.xml" → "".
std::string folder_of(const std::string& part) {
  const size_t slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// The workbook part: the package's officeDocument relationship, else where
// Excel puts it.
Result<std::string> find_workbook(ZipPackage& zip) {
  const std::string root_rels = "_rels/.rels";
  if (zip.has(root_rels)) {
    RelsHandler rh;
    if (auto r = parse_part(zip, root_rels, rh); !r) return tl::unexpected(r.error());
    for (const auto& rel : rh.rels) {
      if (!type_is(rel.type, "officeDocument")) continue;
      std::string part = resolve_target("", rel.target);
      if (zip.has(part)) return part;
    }
  }
  const std::string fallback = "xl/workbook.xml";
  if (!zip.has(fallback)) return xlsx_error(zip.path(), "缺少 " + fallback + "，不是 Excel 工作簿");
  return fallback;
}

}  // namespace

Result<WorkbookInfo> read_workbook(ZipPackage& zip) {
  auto workbook = find_workbook(zip);
  if (!workbook) return tl::unexpected(workbook.error());
  WorkbookHandler wb;
  if (auto r = parse_part(zip, *workbook, wb); !r) return tl::unexpected(r.error());
  if (wb.sheet_rel_ids.empty()) return xlsx_error(zip.path(), "工作簿没有工作表");
  WorkbookInfo info;
  info.date1904 = wb.date1904;
  const std::string dir = folder_of(*workbook);
  const std::string rels = dir + "_rels/" + workbook->substr(dir.size()) + ".rels";
  info.shared_strings_part = dir + "sharedStrings.xml";
  info.styles_part = dir + "styles.xml";
  if (!zip.has(rels)) {
    info.sheet_part = dir + "worksheets/sheet1.xml";
  } else {
    RelsHandler rh;
    if (auto r = parse_part(zip, rels, rh); !r) return tl::unexpected(r.error());
    // The first tab that is a worksheet: chart sheets and dialog sheets hold
    // no table.
    for (const std::string& id : wb.sheet_rel_ids) {
      const Relationship* rel = rh.find(id);
      if (rel != nullptr && !holds_no_table(rel->type)) {
        info.sheet_part = resolve_target(dir, rel->target);
        break;
      }
    }
    for (const auto& rel : rh.rels) {
      if (type_is(rel.type, "sharedStrings")) info.shared_strings_part = resolve_target(dir, rel.target);
      if (type_is(rel.type, "styles")) info.styles_part = resolve_target(dir, rel.target);
    }
    if (info.sheet_part.empty()) return xlsx_error(zip.path(), "工作簿没有工作表（" + rels + " 中没有）");
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
      t_.clear();
    }
  }
  void on_end(std::string_view name) override {
    if (name == "si") {
      in_si_ = false;
      out_.ends_.push_back(out_.chars_.size());
      if (over_budget(0)) return;
    } else if (name == "rPh") {
      --phonetic_;
    } else if (name == "t" && in_t_) {
      in_t_ = false;
      // Decoded per <t>: Expat may split an escape across two text callbacks.
      if (may_hold_escapes(t_)) {
        append_unescaped(t_, out_.chars_);
      } else {
        out_.chars_.append(t_);
      }
    }
  }
  void on_text(std::string_view text) override {
    if (!in_t_ || over_budget(t_.size() + text.size())) return;
    t_.append(text);
  }

 private:
  // The strings' text and their offsets count against the limit, so that
  // millions of empty <si/> cannot claim memory either.
  bool over_budget(size_t pending) {
    const uint64_t bytes = out_.chars_.size() + pending + out_.ends_.size() * sizeof(size_t);
    if (bytes <= bytes_max_) return false;
    abort(Error::make("XLSX", "共享字符串超过 " + std::to_string(bytes_max_) + " 字节"));
    return true;
  }

  SharedStrings& out_;
  uint64_t bytes_max_;
  bool in_si_ = false;
  bool in_t_ = false;
  int phonetic_ = 0;
  std::string t_;
};

Result<SharedStrings> read_shared_strings(ZipPackage& zip, const std::string& part) {
  SharedStrings out;
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

Result<std::vector<bool>> read_date_styles(ZipPackage& zip, const std::string& part) {
  std::vector<bool> out;
  if (!zip.has(part)) return out;
  StylesHandler h;
  if (auto r = parse_part(zip, part, h); !r) return tl::unexpected(r.error());
  out.reserve(h.xf_format_ids.size());
  for (long id : h.xf_format_ids) out.push_back(h.is_date(id));
  return out;
}

}  // namespace zizhu::io::xlsx

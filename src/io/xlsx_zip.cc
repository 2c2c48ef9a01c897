#include "io/xlsx_zip.h"

#include <cstring>

namespace zizhu::io::xlsx {

tl::unexpected<Error> xlsx_error(const std::string& path, const std::string& what, long row) {
  return fail("XLSX", "XLSX 文件无法读取（" + what + "）: " + path, Location{path, row, ""});
}

ZipPackage::~ZipPackage() {
  close_part();
  if (zip_ != nullptr) zip_discard(zip_);
}

Result<void> ZipPackage::open(const std::string& path, const XlsxLimits& limits) {
  path_ = path;
  limits_ = limits;
  int code = 0;
  zip_ = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (zip_ != nullptr) return {};
  zip_error_t err;
  zip_error_init_with_code(&err, code);
  const std::string detail = zip_error_strerror(&err);
  zip_error_fini(&err);
  if (code == ZIP_ER_NOENT || code == ZIP_ER_OPEN || code == ZIP_ER_READ) {
    return fail("IO", "无法打开文件（" + detail + "）: " + path, Location{path, 0, ""});
  }
  return xlsx_error(path, "不是 zip 格式: " + detail);
}

bool ZipPackage::has(const std::string& name) const {
  return zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE) >= 0;
}

Result<void> ZipPackage::open_part(const std::string& name) {
  close_part();
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(zip_, name.c_str(), ZIP_FL_NOCASE, &st) != 0) return xlsx_error(path_, "缺少 " + name);
  if ((st.valid & ZIP_STAT_SIZE) == 0 || (st.valid & ZIP_STAT_COMP_SIZE) == 0) {
    return xlsx_error(path_, name + " 的大小未知");
  }
  if (st.size > limits_.part_bytes_max) {
    return xlsx_error(path_, name + " 解压后 " + std::to_string(st.size) + " 字节，超过上限 " +
                                 std::to_string(limits_.part_bytes_max));
  }
  const uint64_t compressed = st.comp_size == 0 ? 1 : st.comp_size;
  if (st.size > kRatioFloorBytes && st.size / compressed > limits_.compression_ratio_max) {
    return xlsx_error(path_, name + " 的压缩比 " + std::to_string(st.size / compressed) + " 超过上限 " +
                                 std::to_string(limits_.compression_ratio_max) + "（疑似 zip 炸弹）");
  }
  file_ = zip_fopen(zip_, name.c_str(), ZIP_FL_NOCASE);
  if (file_ == nullptr) return xlsx_error(path_, name + ": " + zip_strerror(zip_));
  part_ = name;
  declared_bytes_ = st.size;
  read_bytes_ = 0;
  return {};
}

Result<size_t> ZipPackage::read(char* buf, size_t size) {
  const zip_int64_t n = zip_fread(file_, buf, size);
  if (n < 0) return xlsx_error(path_, part_ + ": " + zip_file_strerror(file_));
  read_bytes_ += static_cast<uint64_t>(n);
  // libzip checks this too; counting here keeps the limit independent of it.
  if (read_bytes_ > declared_bytes_ || read_bytes_ > limits_.part_bytes_max) {
    return xlsx_error(path_, part_ + " 比声明的大小更长");
  }
  return static_cast<size_t>(n);
}

void ZipPackage::close_part() {
  if (file_ != nullptr) zip_fclose(file_);
  file_ = nullptr;
}

XmlHandler::~XmlHandler() {
  if (parser_ != nullptr) XML_ParserFree(parser_);
}

bool XmlHandler::create_parser() {
  parser_ = XML_ParserCreate(nullptr);
  if (parser_ == nullptr) return false;
  XML_SetUserData(parser_, this);
  XML_SetElementHandler(parser_, &XmlHandler::start_cb, &XmlHandler::end_cb);
  XML_SetCharacterDataHandler(parser_, &XmlHandler::text_cb);
  XML_SetStartDoctypeDeclHandler(parser_, &XmlHandler::doctype_cb);
  return true;
}

void XmlHandler::abort(Error e) {
  if (!error_) error_ = std::move(e);
  XML_StopParser(parser_, XML_FALSE);
}

// The handlers run inside Expat (C): no exception may cross it. The only one
// they can raise is std::bad_alloc, which stops the parse with a flag (making
// an Error could itself throw).
void XmlHandler::out_of_memory() noexcept {
  out_of_memory_ = true;
  XML_StopParser(parser_, XML_FALSE);
}

void XmlHandler::start_cb(void* self, const XML_Char* name, const XML_Char** attrs) {
  auto* h = static_cast<XmlHandler*>(self);
  if (h->error_ || h->out_of_memory_) return;
  try {
    if (++h->depth_ > kDepthMax) {
      h->abort(Error::make("XLSX", "XML 嵌套超过 " + std::to_string(kDepthMax) + " 层"));
      return;
    }
    h->on_start(local_name(name), attrs);
  } catch (...) {
    h->out_of_memory();
  }
}

void XmlHandler::end_cb(void* self, const XML_Char* name) {
  auto* h = static_cast<XmlHandler*>(self);
  if (h->error_ || h->out_of_memory_) return;
  try {
    --h->depth_;
    h->on_end(local_name(name));
  } catch (...) {
    h->out_of_memory();
  }
}

void XmlHandler::text_cb(void* self, const XML_Char* s, int len) {
  auto* h = static_cast<XmlHandler*>(self);
  if (h->error_ || h->out_of_memory_) return;
  try {
    h->on_text(std::string_view(s, static_cast<size_t>(len)));
  } catch (...) {
    h->out_of_memory();
  }
}

void XmlHandler::doctype_cb(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* h = static_cast<XmlHandler*>(self);
  try {
    h->abort(Error::make("XLSX", "含有 DOCTYPE 声明"));
  } catch (...) {
    h->out_of_memory();
  }
}

Error parse_error(const ZipPackage& zip, const std::string& part, XmlHandler& handler, long row) {
  std::string what;
  if (handler.ran_out_of_memory()) {
    what = part + ": 内存不足";
  } else if (handler.error()) {
    what = part + ": " + handler.error()->message;
  } else {
    what = part + " 第 " + std::to_string(XML_GetCurrentLineNumber(handler.parser())) +
           " 行 XML 错误: " + XML_ErrorString(XML_GetErrorCode(handler.parser()));
  }
  return xlsx_error(zip.path(), what, row).value();
}

Result<void> parse_part(ZipPackage& zip, const std::string& name, XmlHandler& handler) {
  if (auto r = zip.open_part(name); !r) return r;
  if (!handler.create_parser()) return xlsx_error(zip.path(), "内存不足");
  for (;;) {
    void* buf = XML_GetBuffer(handler.parser(), static_cast<int>(kBlockBytes));
    if (buf == nullptr) return xlsx_error(zip.path(), "内存不足");
    auto n = zip.read(static_cast<char*>(buf), kBlockBytes);
    if (!n) return tl::unexpected(n.error());
    const bool last = *n == 0;
    if (XML_ParseBuffer(handler.parser(), static_cast<int>(*n), last ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
      return tl::unexpected(parse_error(zip, name, handler));
    }
    if (last) break;
  }
  zip.close_part();
  return {};
}

const XML_Char* attribute(const XML_Char** attrs, std::string_view local) {
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    if (local_name(attrs[i]) == local) return attrs[i + 1];
  }
  return nullptr;
}

}  // namespace zizhu::io::xlsx

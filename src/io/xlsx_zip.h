// The zip side of the XLSX reader: opening the package and feeding one part,
// in blocks, to an Expat parser, with the limits that stop zip bombs.
#pragma once

#include <expat.h>
#include <zip.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <string>

#include "core/error.h"
#include "io/xlsx_reader.h"

namespace zizhu::io::xlsx {

// Errors of the package, all with code "XLSX" (or "IO" when the file cannot
// be read at all), naming the file.
tl::unexpected<Error> xlsx_error(const std::string& path, const std::string& what, long row = 0);

class ZipPackage {
 public:
  ZipPackage() = default;
  ZipPackage(const ZipPackage&) = delete;
  ZipPackage& operator=(const ZipPackage&) = delete;
  ~ZipPackage();

  Result<void> open(const std::string& path, const XlsxLimits& limits);
  bool has(const std::string& name) const;
  const std::string& path() const { return path_; }
  const XlsxLimits& limits() const { return limits_; }

  // Opens a part for reading after checking its declared size and ratio.
  Result<void> open_part(const std::string& name);
  // Reads up to `size` bytes of the open part; 0 at its end.
  Result<size_t> read(char* buf, size_t size);
  void close_part();

 private:
  std::string path_;
  XlsxLimits limits_;
  zip_t* zip_ = nullptr;
  zip_file_t* file_ = nullptr;
  std::string part_;
  uint64_t declared_bytes_ = 0;
  uint64_t read_bytes_ = 0;
};

// Base of the Expat handlers: tracks the nesting depth, refuses a DOCTYPE
// (OOXML has none; refusing it shuts out entity expansion), and keeps the
// first error a handler raises, which then wins over Expat's own message.
class XmlHandler {
 public:
  XmlHandler() = default;
  XmlHandler(const XmlHandler&) = delete;
  XmlHandler& operator=(const XmlHandler&) = delete;
  virtual ~XmlHandler();

  // Creates the parser and installs the handlers; false when out of memory.
  bool create_parser();
  XML_Parser parser() const { return parser_; }
  const std::optional<Error>& error() const { return error_; }
  // Aborts the parse with `e` (the first error is kept).
  void abort(Error e);
  bool ran_out_of_memory() const { return out_of_memory_; }

  virtual void on_start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void on_end(std::string_view name) = 0;
  virtual void on_text(std::string_view text) = 0;

 private:
  static void start_cb(void* self, const XML_Char* name, const XML_Char** attrs);
  static void end_cb(void* self, const XML_Char* name);
  static void text_cb(void* self, const XML_Char* s, int len);
  static void doctype_cb(void* self, const XML_Char*, const XML_Char*, const XML_Char*, int);
  void out_of_memory() noexcept;

  XML_Parser parser_ = nullptr;
  std::optional<Error> error_;
  bool out_of_memory_ = false;
  int depth_ = 0;
};

// The error to report after XML_Parse* returned `status` for `handler`.
Error parse_error(const ZipPackage& zip, const std::string& part, XmlHandler& handler, long row = 0);

// Parses a whole part with `handler`.
Result<void> parse_part(ZipPackage& zip, const std::string& name, XmlHandler& handler);

// The value of attribute `local` (namespace prefix ignored), or nullptr.
const XML_Char* attribute(const XML_Char** attrs, std::string_view local);

// The element or attribute name without its namespace prefix ("x:row" → "row").
inline std::string_view local_name(const XML_Char* name) {
  std::string_view n(name);
  const size_t colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

// XML nesting deeper than this is refused (worksheets need fewer than ten).
inline constexpr int kDepthMax = 64;
// Block size of each read from the zip.
inline constexpr size_t kBlockBytes = 64 * 1024;
// Parts smaller than this are not judged by their compression ratio: small
// regular XML compresses well without being a bomb.
inline constexpr uint64_t kRatioFloorBytes = 1024 * 1024;

}  // namespace zizhu::io::xlsx

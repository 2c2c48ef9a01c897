// Temporary: replaced by the streaming XLSX reader.
#include "io/xlsx_reader.h"

namespace zizhu::io {
Result<std::unique_ptr<TableReader>> open_xlsx(const std::string& path, const XlsxLimits&) {
  return fail("XLSX_UNAVAILABLE", "XLSX 读取尚未实现: " + path, {path, 0, ""});
}
}  // namespace zizhu::io

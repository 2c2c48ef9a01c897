#include "io/table.h"

#include "core/ascii.h"
#include "io/csv_reader.h"
#include "io/xlsx_reader.h"

namespace zizhu::io {

Result<std::unique_ptr<TableReader>> open_table(const std::string& path) {
  if (ascii_iends_with(path, ".csv")) return open_csv(path);
  if (ascii_iends_with(path, ".xlsx")) return open_xlsx(path);
  return fail("BAD_FILE_TYPE", "不支持的文件类型（只接受 .csv 或 .xlsx）: " + path, {path, 0, ""});
}

}  // namespace zizhu::io

#include "io/table.h"

#include <algorithm>
#include <cctype>

#include "io/csv_reader.h"
#include "io/xlsx_reader.h"

namespace zizhu::io {

namespace {
bool ends_with_nocase(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), s.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    });
}
}  // namespace

Result<std::unique_ptr<TableReader>> open_table(const std::string& path) {
  if (ends_with_nocase(path, ".csv")) return open_csv(path);
  if (ends_with_nocase(path, ".xlsx")) return open_xlsx(path);
  return fail("BAD_FILE_TYPE", "不支持的文件类型（只接受 .csv 或 .xlsx）: " + path, {path, 0, ""});
}

}  // namespace zizhu::io

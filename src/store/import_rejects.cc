#include "store/import_rejects.h"

#include <cstdio>

#include "io/csv_writer.h"

namespace zizhu::store {

namespace {
void write_all(io::CsvWriter& out, const std::vector<Reject>& rejects) {
  out.row({"file", "row", "column", "value", "reason"});
  for (const auto& r : rejects) {
    const std::string row = std::to_string(r.row);
    out.row({r.file, row, r.column, r.value, r.reason});
  }
}
}  // namespace

std::string format_rejects(const std::vector<Reject>& rejects) {
  std::string text;
  auto out = io::CsvWriter::to_string(&text);
  write_all(*out, rejects);
  (void)out->close();
  return text;
}

Result<void> write_rejects(const std::string& path, const std::vector<Reject>& rejects) {
  // Written beside and renamed over, so a reader never sees half a file.
  const std::string temp = path + ".tmp";
  auto out = io::CsvWriter::open(temp);
  if (!out) return fail("REJECTS_WRITE", out.error().message, {path, 0, ""});
  write_all(**out, rejects);
  if (auto ok = (*out)->close(); !ok) {
    std::remove(temp.c_str());
    return fail("REJECTS_WRITE", ok.error().message, {path, 0, ""});
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return fail("REJECTS_WRITE", "无法写入拒收文件 (cannot write the rejects file): " + path, {path, 0, ""});
  }
  return {};
}

std::string default_rejects_path(const std::string& db_path, std::string_view what) {
  return db_path + "." + std::string(what) + "-rejects.csv";
}

}  // namespace zizhu::store

// /api/v1/import-templates/*: empty import files for the roster and the
// departments' lists, with exactly the headers the importers accept. The
// headers come from the same column tables the importers resolve
// (identify/input/schemas.h), so a template can never drift from what an
// upload is checked against. XLSX is what schools exchange; the CSV variant
// starts with a UTF-8 BOM so that Excel opens the Chinese headers as text
// (the CSV readers skip it). `?format=json` gives the columns with which are
// required, for the page that explains the file.
#include <boost/json/array.hpp>
#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "app/uploads.h"
#include "identify/input/schemas.h"
#include "io/xlsx_writer.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

// Writes the header row through io::XlsxWriter into a private temporary file
// (libxlsxwriter writes only to files) and reads the bytes back.
Result<std::string> template_xlsx(std::span<const io::ColumnSpec> columns, const std::string& sheet) {
  auto tmp = app::TempUpload::save("", ".xlsx");
  if (!tmp) return tl::unexpected(tmp.error());
  const std::string path = tmp->path().string();
  auto w = io::XlsxWriter::create(path, sheet);
  if (!w) return tl::unexpected(w.error());
  std::vector<std::string_view> names;
  for (const auto& c : columns) names.push_back(c.chinese);
  (*w)->header(names);
  if (auto ok = (*w)->close(); !ok) return tl::unexpected(ok.error());
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("IO", "无法读取模板文件");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail("IO", "无法读取模板文件");
  return bytes;
}

std::string template_csv(std::span<const io::ColumnSpec> columns) {
  std::string out = "\xEF\xBB\xBF";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    out += columns[i].chinese;  // no comma or quote in any header
  }
  out += "\r\n";
  return out;
}

http::Response answer(Call& c, std::span<const io::ColumnSpec> columns, const std::string& file_stem,
                      const std::string& sheet) {
  const std::string format = query_text(c.request, "format", 10).value_or("xlsx");
  if (format == "json") {
    boost::json::array items;
    for (const auto& col : columns) {
      items.emplace_back(boost::json::object({{"name", col.chinese}, {"key", col.key}, {"required", col.required}}));
    }
    return json_list(static_cast<int64_t>(columns.size()), std::move(items));
  }
  if (format == "csv") return attachment_response(template_csv(columns), "text/csv; charset=utf-8", file_stem + ".csv");
  if (format != "xlsx") return error_response("BAD_VALUE", "format 须为 xlsx、csv 或 json", "format");
  auto bytes = template_xlsx(columns, sheet);
  if (!bytes) return error_response(bytes.error());
  return attachment_response(std::move(*bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             file_stem + ".xlsx");
}

http::Response roster(Call& c) { return answer(c, identify::kStudentColumns, "roster-template", "学籍名册"); }

http::Response dept_list(Call& c) { return answer(c, identify::kListColumns, "dept-list-template", "部门名单"); }

}  // namespace

void add_import_template_routes(http::Router& router, app::App& app) {
  add_route(router, app,
            {"GET", "/api/v1/import-templates/roster", "student.import", 0, "学籍名册导入模板", roster});
  add_route(router, app,
            {"GET", "/api/v1/import-templates/dept-list", "list.import", 0, "部门名单导入模板", dept_list});
}

}  // namespace zizhu::server::api

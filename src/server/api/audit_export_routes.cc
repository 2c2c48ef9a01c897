// /api/v1/audit/export: the audit log as .xlsx (app/audit_export.h), with the
// filters of GET /api/v1/audit.
#include "app/audit_export.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

// A date's start in China (UTC+8) as Unix milliseconds; `plus_days` 1 makes
// the "to" day inclusive.
Result<std::optional<int64_t>> china_day_ms(const http::Request& request, std::string_view name, int plus_days) {
  auto text = query_text(request, name, 10);
  if (!text) return std::optional<int64_t>();
  auto d = parse_date(*text);
  if (!d) {
    Error e = Error::make("BAD_VALUE", std::string(name) + " 须为 YYYY-MM-DD");
    e.where.column = std::string(name);
    return tl::unexpected(std::move(e));
  }
  return std::optional<int64_t>((int64_t{d->days()} + plus_days) * 86400000LL - 8LL * 3600000LL);
}

http::Response export_xlsx(Call& c) {
  store::AuditFilter f;
  auto from = china_day_ms(c.request, "from", 0);
  if (!from) return error_response(from.error());
  auto to = china_day_ms(c.request, "to", 1);
  if (!to) return error_response(to.error());
  f.from_ms = *from;
  f.to_ms = *to;
  f.username = query_text(c.request, "username", 80);
  f.action = query_text(c.request, "action", 80);
  f.object_type = query_text(c.request, "object_type", 80);
  f.object_id = query_text(c.request, "object_id", 80);
  auto file = app::export_audit_log(c.app, c.store, c.actor, f);
  if (!file) return error_response(file.error());
  http::Response r;
  r.status = 200;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(file->bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file->filename + "\"");
  r.headers.emplace_back("X-Rows", std::to_string(file->rows));
  return r;
}

}  // namespace

void add_audit_export_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/audit/export", "audit.read", 0, "导出审计日志（XLSX）", export_xlsx});
}

}  // namespace zizhu::server::api

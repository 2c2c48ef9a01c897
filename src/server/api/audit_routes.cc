// /api/v1/audit/*: the auditor reads the audit log and the login log of their
// subtree, exports the log as .xlsx (app/audit_export.h), and can check the chain.
#include "app/audit_export.h"
#include "oversight/audit_chain.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

// A date's start in China (UTC+8) as Unix milliseconds.
Result<std::optional<int64_t>> day_start_ms(const http::Request& request, std::string_view name, int plus_days) {
  auto text = query_text(request, name, 10);
  if (!text) return std::optional<int64_t>();
  auto d = parse_date(*text);
  if (!d) {
    Error e = Error::make("BAD_VALUE", std::string(name) + " 须为 YYYY-MM-DD");
    e.where.column = std::string(name);
    return tl::unexpected(std::move(e));
  }
  const int64_t days = d->days() + plus_days;  // days since 1970-01-01
  return std::optional<int64_t>(days * 86400000LL - 8LL * 3600000LL);
}

// The filters of the audit log (the list and its export share them).
Result<store::AuditFilter> audit_filter_of(const http::Request& request) {
  store::AuditFilter f;
  auto from = day_start_ms(request, "from", 0);
  if (!from) return tl::unexpected(from.error());
  auto to = day_start_ms(request, "to", 1);  // inclusive of the "to" day
  if (!to) return tl::unexpected(to.error());
  f.from_ms = *from;
  f.to_ms = *to;
  f.username = query_text(request, "username", 80);
  f.action = query_text(request, "action", 80);
  f.object_type = query_text(request, "object_type", 80);
  f.object_id = query_text(request, "object_id", 80);
  return f;
}

http::Response audit(Call& c) {
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  auto f = audit_filter_of(c.request);
  if (!f) return error_response(f.error());
  auto found = c.store.audit_page(c.actor.org_path, *f, page->offset(), page->page_size);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& r : found->items) {
    boost::json::object o;
    o["seq"] = r.seq;
    o["at_ms"] = r.at_ms;
    o["username"] = r.username;
    o["roles"] = r.roles;
    o["org_path"] = r.org_path;
    o["ip"] = r.ip;
    o["user_agent"] = r.user_agent;
    o["action"] = r.action;
    o["object_type"] = r.object_type;
    o["object_id"] = r.object_id;
    o["outcome"] = r.outcome;
    o["summary"] = r.summary;
    items.emplace_back(std::move(o));
  }
  return json_list(found->total, std::move(items));
}

http::Response logins(Call& c) {
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  store::LoginEventFilter f;
  f.username = query_text(c.request, "username", 64);
  f.outcome = query_text(c.request, "outcome", 20);
  auto found = c.store.login_events_page(c.actor.org_path, f, page->offset(), page->page_size);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& e : found->items) {
    boost::json::object o;
    o["id"] = e.id;
    o["at_ms"] = e.at_ms;
    o["username"] = e.username;
    o["ip"] = e.ip;
    o["user_agent"] = e.user_agent;
    o["outcome"] = e.outcome;
    items.emplace_back(std::move(o));
  }
  return json_list(found->total, std::move(items));
}

http::Response verify(Call& c) {
  const crypto::KeyRing& keys = c.app.keys();
  auto report = oversight::AuditChain::verify(c.store, [&keys](std::string_view id) -> std::optional<std::vector<uint8_t>> {
    auto key = keys.audit_key(id);
    if (!key) return std::nullopt;
    return std::vector<uint8_t>(key->begin(), key->end());
  });
  if (!report) return error_response(report.error());
  boost::json::object o;
  o["intact"] = report->intact();
  o["records"] = report->records;
  o["last_seq"] = report->last_seq;
  if (report->problem) {
    o["fault"] = oversight::chain_fault_key(report->problem->fault);
    o["seq"] = report->problem->seq;
    o["detail"] = report->problem->detail;
  }
  return json_ok(o);
}

// The same selection as GET /audit, as .xlsx (at most 50,000 rows; more is
// refused, not cut).
http::Response export_xlsx(Call& c) {
  auto f = audit_filter_of(c.request);
  if (!f) return error_response(f.error());
  auto file = app::export_audit_log(c.app, c.store, c.actor, *f);
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

void add_audit_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/audit", "audit.read", 0, "审计日志", audit});
  add_route(router, app, {"GET", "/api/v1/audit/logins", "audit.read", 0, "登录日志", logins});
  add_route(router, app, {"GET", "/api/v1/audit/verify", "audit.read", 0, "校验审计日志链", verify});
  add_route(router, app, {"GET", "/api/v1/audit/export", "audit.read", 0, "导出审计日志（XLSX）", export_xlsx});
}

}  // namespace zizhu::server::api

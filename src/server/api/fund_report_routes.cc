// Publishing and audit (docs/funds.md "Fund-use publication and audit
// report"): finance publishes a cycle's fund-use figures; anyone reads the
// publications without logging in (they hold no personal data); the audit
// report of a period downloads as XLSX.
#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "app/fund_reports.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

boost::json::object publication_json(const app::FundPublicationView& p) {
  boost::system::error_code ec;
  boost::json::value figures = boost::json::parse(p.content, ec);
  if (ec) figures = nullptr;
  return boost::json::object({
      {"id", p.id},
      {"cycle_id", p.cycle_id},
      {"county_code", p.county_code},
      {"county_name", p.county_name},
      {"published_at_ms", p.published_at_ms},
      {"content_sm3", p.content_sm3},
      // The exact bytes whose SM3 is content_sm3, and the same parsed.
      {"content", p.content},
      {"figures", std::move(figures)},
  });
}

http::Response publish(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto p = app::publish_fund_use(c.app, c.store, c.actor, *id);
  if (!p) return error_response(p.error());
  return json_ok(publication_json(*p));
}

http::Response public_publications(Call& c) {
  auto found = app::public_fund_publications(c.app, c.store, query_text(c.request, "county", 6));
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& p : *found) items.emplace_back(publication_json(p));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response audit_report(Call& c) {
  const auto from = query_text(c.request, "from", 11);
  const auto to = query_text(c.request, "to", 11);
  if (!from) return error_response("BAD_VALUE", "请给出起始日期 from（YYYY-MM-DD）", "from");
  if (!to) return error_response("BAD_VALUE", "请给出截止日期 to（YYYY-MM-DD）", "to");
  auto file = app::audit_report(c.app, c.store, c.actor, query_text(c.request, "county", 6), *from, *to);
  if (!file) return error_response(file.error());
  http::Response r;
  r.status = 200;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(file->bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file->filename + "\"");
  return r;
}

}  // namespace

void add_fund_report_routes(http::Router& router, app::App& app) {
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/fund-publications", "funds.manage", kJsonBodyBytesMax, "发布资金使用公示",
             publish});
  add_route(router, app,
            {"GET", "/api/v1/public/fund-publications", "public", 0, "公开：资金使用公示", public_publications});
  add_route(router, app,
            {"GET", "/api/v1/funds/audit-report", "funds.read", 0, "资金审计报表（XLSX）", audit_report});
}

}  // namespace zizhu::server::api

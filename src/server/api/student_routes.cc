// /api/v1/students and /api/v1/me/children: masked lists and details, the
// masked list as .xlsx (app/list_exports.h), the audited reveal, the roster import, a bank card change.
#include <boost/json/monotonic_resource.hpp>
#include <ctime>

#include "app/list_exports.h"
#include "app/students.h"
#include "core/date.h"
#include "server/api/json_io.h"
#include "server/api/route.h"
#include "server/api/views.h"

namespace zizhu::server::api {

namespace {

// The filters of the students list (the list and its export share them, so
// the file holds what the page shows).
Result<app::StudentQuery> student_query_of(const http::Request& request) {
  auto grade = query_int(request, "grade", 1, 9);
  if (!grade) return tl::unexpected(grade.error());
  app::StudentQuery q;
  q.school_code = query_text(request, "school_code", 10);
  if (*grade) q.grade = static_cast<int>(**grade);
  q.class_name = query_text(request, "class_name", 100);
  q.name_prefix = query_text(request, "name", 100);
  q.student_no = query_text(request, "student_no", 40);
  return q;
}

http::Response xlsx_response(app::ListExportFile&& file) {
  http::Response r;
  r.status = 200;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(file.bytes);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file.filename + "\"");
  r.headers.emplace_back("X-Rows", std::to_string(file.rows));
  return r;
}

http::Response list(Call& c) {
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  auto q = student_query_of(c.request);
  if (!q) return error_response(q.error());
  auto found = app::list_students(c.app, c.store, c.actor, *q, *page);
  if (!found) return error_response(found.error());
  // One arena for the page's JSON: freed at once after serialising.
  boost::json::monotonic_resource arena;
  boost::json::array items(&arena);
  items.reserve(found->items.size());
  for (const auto& s : found->items) items.emplace_back(to_json(s, &arena));
  return json_list(found->total, std::move(items));
}

// The same selection as GET /students, masked, as .xlsx (at most 50,000
// rows; more is refused, not cut).
http::Response export_xlsx(Call& c) {
  auto q = student_query_of(c.request);
  if (!q) return error_response(q.error());
  auto file = app::export_students(c.app, c.store, c.actor, *q);
  if (!file) return error_response(file.error());
  return xlsx_response(std::move(*file));
}

http::Response detail(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto s = app::get_student(c.app, c.store, c.actor, *id);
  if (!s) return error_response(s.error());
  return json_ok(to_json(*s));
}

http::Response reveal(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto reason = required_string(*body, "reason", 500);
  if (!reason) return error_response(reason.error());
  auto s = app::reveal_student(c.app, c.store, c.actor, *id, *reason);
  if (!s) return error_response(s.error());
  return json_ok(to_json(*s));
}

http::Response bank_card(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto card = required_string(*body, "bank_card", 40);
  if (!card) return error_response(card.error());
  auto reason = required_string(*body, "reason", app::kBankCardReasonBytesMax);
  if (!reason) return error_response(reason.error());
  auto s = app::change_bank_card(c.app, c.store, c.actor, *id, *card, *reason);
  if (!s) return error_response(s.error());
  return json_ok(to_json(*s));
}

Date today() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  return *Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

http::Response import(Call& c) {
  Date reference = today();
  if (auto text = query_text(c.request, "reference_date", 10)) {
    auto d = parse_date(*text);
    if (!d) return error_response("BAD_VALUE", "reference_date 须为 YYYY-MM-DD", "reference_date");
    reference = *d;
  }
  auto result = app::import_roster(c.app, c.store, c.actor, c.request.body, reference);
  if (!result) return error_response(result.error());
  boost::json::object o;
  o["rows_read"] = result->summary.rows_read;
  o["inserted"] = result->summary.inserted;
  o["updated"] = result->summary.updated;
  o["unchanged"] = result->summary.unchanged;
  o["rejected"] = result->summary.rejected;
  boost::json::array rejects;
  for (const auto& r : result->rejects) {
    boost::json::object x;
    x["row"] = r.row;
    x["column"] = r.column;
    x["value"] = r.value;
    x["reason"] = r.reason;
    rejects.emplace_back(std::move(x));
  }
  o["rejects"] = std::move(rejects);
  return json_ok(o);
}

http::Response children(Call& c) {
  auto found = app::guardian_children(c.app, c.store, c.actor);
  if (!found) return error_response(found.error());
  // One arena for the page's JSON: freed at once after serialising.
  boost::json::monotonic_resource arena;
  boost::json::array items(&arena);
  items.reserve(found->items.size());
  for (const auto& s : found->items) items.emplace_back(to_json(s, &arena));
  return json_list(found->total, std::move(items));
}

}  // namespace

void add_student_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/students", "student.read", 0, "学生列表", list});
  add_route(router, app,
            {"GET", "/api/v1/students/export", "student.read", 0, "导出学生名单（XLSX，脱敏）", export_xlsx});
  add_route(router, app, {"GET", "/api/v1/students/{id}", "student.read", 0, "学生详情", detail});
  add_route(router, app,
            {"POST", "/api/v1/students/{id}/reveal", "student.reveal", kJsonBodyBytesMax, "查看未脱敏信息", reveal});
  add_route(router, app,
            {"PUT", "/api/v1/students/{id}/bank-card", "student.import", kJsonBodyBytesMax, "修改银行卡号", bank_card});
  add_route(router, app,
            {"POST", "/api/v1/students/import", "student.import", kRosterBodyBytesMax, "导入学籍名册", import});
  add_route(router, app, {"GET", "/api/v1/me/children", "guardian.self", 0, "本人子女", children});
}

}  // namespace zizhu::server::api

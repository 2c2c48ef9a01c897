// /api/v1/cycles: the county's aid cycles — policy, budgets, dates, the moves
// DRAFT -> OPEN -> REVIEW — and the departments' lists imported into them.
#include <boost/json/array.hpp>

#include "app/cycles.h"
#include "app/dept_lists.h"
#include "core/fen.h"
#include "server/api/cycle_views.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

inline constexpr uint64_t kListBodyBytesMax = 64ull * 1024 * 1024;

http::Response cycle_answer(const Result<app::CycleView>& c) {
  if (!c) return error_response(c.error());
  return json_ok(to_json(*c));
}

http::Response list(Call& c) {
  auto cycles = app::list_cycles(c.app, c.store, c.actor);
  if (!cycles) return error_response(cycles.error());
  boost::json::array items;
  for (const auto& x : *cycles) items.emplace_back(to_json(x));
  return json_list(static_cast<int64_t>(cycles->size()), std::move(items));
}

http::Response create(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto year = required_string(*body, "school_year", 9);
  if (!year) return error_response(year.error());
  auto name = optional_string(*body, "name", 200);
  if (!name) return error_response(name.error());
  auto created = app::create_cycle(c.app, c.store, c.actor, *year, name->value_or(""));
  if (!created) return error_response(created.error());
  return json_ok(to_json(*created));
}

http::Response detail(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return cycle_answer(app::get_cycle(c.app, c.store, c.actor, *id));
}

http::Response policy(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto p = app::get_policy(c.app, c.store, c.actor, *id);
  if (!p) return error_response(p.error());
  return json_ok(to_json(*p));
}

http::Response set_policy(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto toml = required_string(*body, "toml", kPolicyMaxBytes);
  if (!toml) return error_response(toml.error());
  auto p = app::set_policy(c.app, c.store, c.actor, *id, *toml);
  if (!p) return error_response(p.error());
  return json_ok(to_json(*p));
}

http::Response budgets_answer(const Result<std::vector<app::BudgetView>>& b) {
  if (!b) return error_response(b.error());
  boost::json::array items;
  int64_t total = 0;
  for (const auto& x : *b) {
    items.emplace_back(to_json(x));
    total += x.budget_fen;
  }
  boost::json::object o;
  o["items"] = std::move(items);
  o["total"] = format_yuan(Fen::from_fen(total));
  return json_ok(o);
}

http::Response budgets(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return budgets_answer(app::get_budgets(c.app, c.store, c.actor, *id));
}

http::Response set_budgets(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  const auto* list = body->if_contains("budgets");
  if (list == nullptr || !list->is_array()) {
    return error_response("BAD_VALUE", "budgets 须为数组：[{school_code, budget}]", "budgets");
  }
  std::vector<app::BudgetInput> in;
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) return error_response("BAD_VALUE", "budgets 的每一项须为对象", "budgets");
    auto code = required_string(item.as_object(), "school_code", 10);
    if (!code) return error_response(code.error());
    auto yuan = required_string(item.as_object(), "budget", 20);
    if (!yuan) return error_response(yuan.error());
    const auto fen = parse_yuan(*yuan);
    if (!fen) return error_response("BAD_VALUE", "预算须写作元，最多两位小数，如 \"150000.00\"：" + *code, "budgets");
    in.push_back({*code, fen->value()});
  }
  return budgets_answer(app::set_budgets(c.app, c.store, c.actor, *id, in));
}

http::Response set_dates(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto open_text = required_string(*body, "applications_open_on", 10);
  if (!open_text) return error_response(open_text.error());
  auto close_text = required_string(*body, "applications_close_on", 10);
  if (!close_text) return error_response(close_text.error());
  const auto open_on = parse_date(*open_text);
  if (!open_on) return error_response("BAD_VALUE", "日期须为 YYYY-MM-DD", "applications_open_on");
  const auto close_on = parse_date(*close_text);
  if (!close_on) return error_response("BAD_VALUE", "日期须为 YYYY-MM-DD", "applications_close_on");
  return cycle_answer(app::set_dates(c.app, c.store, c.actor, *id, *open_on, *close_on));
}

http::Response open(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return cycle_answer(app::open_cycle(c.app, c.store, c.actor, *id));
}

http::Response close_applications(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return cycle_answer(app::close_applications(c.app, c.store, c.actor, *id));
}

http::Response import_list(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  const auto source = query_text(c.request, "source", 50);
  auto result = app::import_dept_list(c.app, c.store, c.actor, *id, c.request.body, source.value_or(""));
  if (!result) return error_response(result.error());
  boost::json::object o = to_json(result->import);
  boost::json::array rejects;
  for (const auto& r : result->rejects) {
    rejects.emplace_back(
        boost::json::object({{"row", r.row}, {"column", r.column}, {"value", r.value}, {"reason", r.reason}}));
  }
  o["rejects"] = std::move(rejects);
  return json_ok(o);
}

http::Response lists(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto imports = app::dept_list_imports(c.app, c.store, c.actor, *id);
  if (!imports) return error_response(imports.error());
  boost::json::array items;
  for (const auto& d : *imports) items.emplace_back(to_json(d));
  return json_list(static_cast<int64_t>(imports->size()), std::move(items));
}

}  // namespace

void add_cycle_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/cycles", "cycle.read", 0, "资助周期列表", list});
  add_route(router, app, {"POST", "/api/v1/cycles", "cycle.manage", kJsonBodyBytesMax, "创建资助周期", create});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}", "cycle.read", 0, "资助周期详情", detail});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/policy", "cycle.read", 0, "资助政策", policy});
  add_route(router, app,
            {"PUT", "/api/v1/cycles/{id}/policy", "cycle.manage", kJsonBodyBytesMax + kPolicyMaxBytes * 2,
             "设置资助政策", set_policy});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/budgets", "cycle.read", 0, "学校预算", budgets});
  add_route(router, app,
            {"PUT", "/api/v1/cycles/{id}/budgets", "cycle.manage", 4 * 1024 * 1024, "设置学校预算", set_budgets});
  add_route(router, app,
            {"PUT", "/api/v1/cycles/{id}/dates", "cycle.manage", kJsonBodyBytesMax, "设置申请日期", set_dates});
  add_route(router, app, {"POST", "/api/v1/cycles/{id}/open", "cycle.manage", kJsonBodyBytesMax, "开始受理申请", open});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/close-applications", "cycle.manage", kJsonBodyBytesMax, "结束申请",
             close_applications});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/lists", "list.import", kListBodyBytesMax, "导入部门名单", import_list});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/lists", "list.import", 0, "部门名单导入记录", lists});
}

}  // namespace zizhu::server::api

// /api/v1/cycles/{id}/identification-*: running the identification over a
// cycle's data and reading its results with the explanation per student.
#include <boost/json/array.hpp>
#include <cstdint>

#include "app/identification.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

boost::json::object run_json(const app::RunView& r) {
  return boost::json::object({
      {"id", r.id},
      {"cycle_id", r.cycle_id},
      {"school_code", r.school_code.empty() ? boost::json::value(nullptr) : boost::json::value(r.school_code)},
      {"policy_version", r.policy_version},
      {"started_at_ms", r.started_at_ms},
      {"finished_at_ms", r.finished_at_ms},
      {"students", r.students},
      {"results", r.results},
      {"rejects", r.rejects},
      {"results_sm3", r.results_sm3},
      {"schools_sm3", r.schools_sm3},
  });
}

boost::json::object result_json(const app::ResultView& r) {
  boost::json::array categories, flags;
  for (const auto& c : r.categories) categories.emplace_back(c);
  for (const auto& f : r.flags) flags.emplace_back(f);
  auto opt_int = [](const std::optional<int>& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };
  return boost::json::object({
      {"row_no", r.row_no},
      {"student_id", r.student_id ? boost::json::value(*r.student_id) : boost::json::value(nullptr)},
      {"student_name", r.student_name},
      {"student_no", r.student_no},
      {"school_code", r.school_code},
      {"status", r.status},
      {"level", opt_int(r.level)},
      {"amount", r.amount.empty() ? boost::json::value(nullptr) : boost::json::value(r.amount)},
      {"score", r.score},
      {"categories", std::move(categories)},
      {"flags", std::move(flags)},
      {"rank", opt_int(r.rank)},
      {"explanation", r.explanation},
  });
}

http::Response run(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto school = optional_string(*body, "school_code", 10);
  if (!school) return error_response(school.error());
  auto r = app::run_identification(c.app, c.store, c.actor, *id, *school);
  if (!r) return error_response(r.error());
  return json_ok(run_json(*r));
}

http::Response runs(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto found = app::identification_runs(c.app, c.store, c.actor, *id);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& r : *found) items.emplace_back(run_json(r));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response results(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  auto run_id = query_int(c.request, "run_id", 1, INT64_MAX);
  if (!run_id) return error_response(run_id.error());
  auto found = app::run_results(c.app, c.store, c.actor, *id, *run_id, *page);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& r : found->rows.items) items.emplace_back(result_json(r));
  boost::json::object o;
  o["run"] = found->run ? boost::json::value(run_json(*found->run)) : boost::json::value(nullptr);
  o["total"] = found->rows.total;
  o["items"] = std::move(items);
  return json_ok(o);
}

}  // namespace

void add_identification_routes(http::Router& router, app::App& app) {
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/identification-runs", "identify.run", kJsonBodyBytesMax, "运行资格认定", run});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/identification-runs", "application.read", 0, "资格认定记录", runs});
  add_route(router, app,
            {"GET", "/api/v1/cycles/{id}/identification-results", "application.read", 0, "资格认定结果与说明", results});
}

}  // namespace zizhu::server::api

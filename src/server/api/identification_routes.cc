// /api/v1/cycles/{id}/identification-*: running the identification over a
// cycle's data — at once (identification-runs, for scripts) or in the
// background with progress (identification-jobs, for the browser) — and
// reading its results with the explanation per student.
#include <algorithm>
#include <boost/json/array.hpp>
#include <cstdint>
#include <iterator>

#include "app/errors.h"
#include "app/identification.h"
#include "core/policy.h"
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

// A background run's progress (app/background_jobs.h). An internal error's
// detail stays in the server's log, as for any other answer.
boost::json::object job_json(const app::JobStatus& j) {
  boost::json::value error = nullptr;
  if (j.state == app::JobState::kFailed) {
    const bool internal = status_for(j.error_code) == 500;
    error = boost::json::object({
        {"code", internal ? std::string("INTERNAL") : j.error_code},
        {"message", internal ? std::string("服务器内部错误，请稍后再试或联系管理员") : j.error_message},
        {"field", internal ? std::string() : j.error_field},
    });
  }
  auto opt_ms = [](int64_t ms) { return ms ? boost::json::value(ms) : boost::json::value(nullptr); };
  return boost::json::object({
      {"id", j.id},
      {"cycle_id", j.cycle_id},
      {"school_code", j.scope_code.empty() ? boost::json::value(nullptr) : boost::json::value(j.scope_code)},
      {"started_by", j.username},
      {"state", app::job_state_key(j.state)},
      {"queue_position", j.queue_position},
      {"step", j.step},
      {"steps", j.steps},
      {"step_name", j.step_name},
      {"done", j.done},
      {"total", j.total},
      {"percent", j.percent()},
      {"created_at_ms", j.created_at_ms},
      {"started_at_ms", opt_ms(j.started_at_ms)},
      {"finished_at_ms", opt_ms(j.finished_at_ms)},
      {"run_id", j.result_id ? boost::json::value(*j.result_id) : boost::json::value(nullptr)},
      {"error", std::move(error)},
  });
}

http::Response start_job(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto school = optional_string(*body, "school_code", 10);
  if (!school) return error_response(school.error());
  bool existing = false;
  auto job = app::start_identification_job(c.app, c.store, c.actor, *id, *school, &existing);
  if (!job) return error_response(job.error());
  auto o = job_json(*job);
  o["existing"] = existing;
  auto r = json_ok(o);
  // 202: queued, not yet done; 200: the same run was already under way.
  if (!existing) r.status = 202;
  return r;
}

http::Response jobs(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto found = app::identification_jobs(c.app, c.store, c.actor, *id);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& j : *found) items.emplace_back(job_json(j));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response job(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto found = app::identification_job(c.app, c.store, c.actor, *id);
  if (!found) return error_response(found.error());
  return json_ok(job_json(*found));
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

// The search of a run's rows: ?school_code=, ?status=, ?level= (a number or
// "none"), ?flag= (a code or "ANY"), ?q= (in the name or masked 学籍号).
Result<app::ResultQuery> result_query(const http::Request& request) {
  app::ResultQuery q;
  q.school_code = query_text(request, "school_code", 10);
  auto& f = q.filter;
  f.status = query_text(request, "status", 20).value_or("");
  static constexpr std::string_view kStatuses[] = {"FUNDED", "WAITLIST", "BLOCKED", "NOT_APPLIED", "NOT_ELIGIBLE"};
  if (!f.status.empty() && std::find(std::begin(kStatuses), std::end(kStatuses), f.status) == std::end(kStatuses)) {
    return app::field_error("BAD_VALUE", "status 须为 FUNDED、WAITLIST、BLOCKED、NOT_APPLIED 或 NOT_ELIGIBLE", "status");
  }
  if (query_text(request, "level", 10) == "none") {
    f.no_level = true;
  } else {
    auto level = query_int(request, "level", 1, 99);
    if (!level) return app::field_error("BAD_VALUE", "level 须为等级编号（1 到 99）或 none", "level");
    if (*level) f.level = static_cast<int>(**level);
  }
  f.flag = query_text(request, "flag", 40).value_or("");
  if (!f.flag.empty() && f.flag != "ANY" && !is_flag_code(f.flag)) {
    return app::field_error("BAD_VALUE", "flag 须为标记代码（如 ID_INVALID）或 ANY", "flag");
  }
  if (auto text = request.query("q"); text && !text->empty()) {
    if (text->size() > 60) return app::field_error("BAD_VALUE", "q 最多 20 个字", "q");
    f.text = std::string(*text);
  }
  return q;
}

http::Response results(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  auto run_id = query_int(c.request, "run_id", 1, INT64_MAX);
  if (!run_id) return error_response(run_id.error());
  auto query = result_query(c.request);
  if (!query) return error_response(query.error());
  auto found = app::run_results(c.app, c.store, c.actor, *id, *run_id, *page, *query);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& r : found->rows.items) items.emplace_back(result_json(r));
  boost::json::object o;
  o["run"] = found->run ? boost::json::value(run_json(*found->run)) : boost::json::value(nullptr);
  o["total"] = found->rows.total;
  o["scope_total"] = found->scope_total;
  o["items"] = std::move(items);
  return json_ok(o);
}

}  // namespace

void add_identification_routes(http::Router& router, app::App& app) {
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/identification-runs", "identify.run", kJsonBodyBytesMax, "运行资格认定", run});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/identification-runs", "application.read", 0, "资格认定记录", runs});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/identification-jobs", "identify.run", kJsonBodyBytesMax, "在后台运行资格认定",
             start_job});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/identification-jobs", "application.read", 0, "后台认定任务", jobs});
  add_route(router, app, {"GET", "/api/v1/identification-jobs/{id}", "application.read", 0, "后台认定任务进度", job});
  add_route(router, app,
            {"GET", "/api/v1/cycles/{id}/identification-results", "application.read", 0, "资格认定结果与说明", results});
}

}  // namespace zizhu::server::api

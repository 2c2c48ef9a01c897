// /api/v1/cycles/{id}/dashboard: the figures of the staff dashboard (首页),
// counted on the server (app/dashboard.h). Read like the cycle's other
// figures (cycle.read); the parts behind another permission (follow-ups,
// feedback, payments) are null for users who do not hold it.
#include <boost/json/array.hpp>

#include "app/dashboard.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

boost::json::value opt_count(const std::optional<int64_t>& n) {
  return n ? boost::json::value(*n) : boost::json::value(nullptr);
}

http::Response dashboard(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto d = app::cycle_dashboard(c.app, c.store, c.actor, *id);
  if (!d) return error_response(d.error());
  boost::json::array schools;
  for (const auto& s : d->schools) {
    schools.emplace_back(boost::json::object({
        {"school_code", s.school_code},
        {"school_name", s.school_name},
        {"stage_label", s.stage_label},
        {"applications", s.applications},
        {"candidates", s.candidates},
        {"decided", s.decided},
        {"funded", s.funded},
        {"committed", format_yuan(s.committed)},
        {"identified", s.identified},
        {"priority", s.priority},
        {"priority_funded", s.priority_funded},
        {"objections_open", s.objections_open},
        {"objections_overdue", s.objections_overdue},
        {"followups_missing", opt_count(s.followups_missing)},
    }));
  }
  boost::json::array levels;
  for (const auto& l : d->levels) {
    levels.emplace_back(boost::json::object({{"level", l.level}, {"students", l.students}, {"annual", format_yuan(l.annual)}}));
  }
  boost::json::array categories;
  for (const auto& k : d->categories) {
    categories.emplace_back(boost::json::object({
        {"category", k.category.empty() ? boost::json::value(nullptr) : boost::json::value(k.category)},
        {"priority", k.priority},
        {"funded", k.funded},
    }));
  }
  boost::json::value followups = nullptr;
  if (d->followups) {
    followups = boost::json::object({
        {"term", d->followups->term},
        {"term_label", d->followups->term_label},
        {"funded", d->followups->funded},
        {"missing", d->followups->missing},
    });
  }
  boost::json::value payments = nullptr;
  if (d->payments) {
    boost::json::array rows;
    for (const auto& p : *d->payments) {
      rows.emplace_back(boost::json::object({
          {"term", p.term},
          {"school_code", p.school_code},
          {"school_name", p.school_name},
          {"due_students", p.due_students},
          {"due", format_yuan(p.due)},
          {"paid_students", p.paid_students},
          {"paid", format_yuan(p.paid)},
          {"prepared", p.prepared},
          {"pending", p.pending},
          {"failed", p.failed},
          {"returned", p.returned},
      }));
    }
    payments = std::move(rows);
  }
  return json_ok(boost::json::object({
      {"cycle_id", d->cycle_id},
      {"cycle_name", d->cycle_name},
      {"school_year", d->school_year},
      {"state", d->state},
      {"state_label", d->state_label},
      {"schools", std::move(schools)},
      {"levels", std::move(levels)},
      {"categories", std::move(categories)},
      {"followups", std::move(followups)},
      {"feedback_overdue", opt_count(d->feedback_overdue)},
      {"payments", std::move(payments)},
  }));
}

}  // namespace

void add_dashboard_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/dashboard", "cycle.read", 0, "首页统计：各校申请、评审与资助，按等级和认定类别，应助尽助，逾期事项，付款进度", dashboard});
}

}  // namespace zizhu::server::api

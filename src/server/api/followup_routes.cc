// /api/v1/cycles/{id}/followups: follow-up records of funded students (跟踪管理)
// and the list of those without one in a term.
#include <boost/json/array.hpp>
#include <cstdint>

#include "app/errors.h"
#include "app/followups.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

boost::json::object followup_json(const app::FollowupView& v) {
  return boost::json::object({
      {"id", v.id},
      {"cycle_id", v.cycle_id},
      {"student_id", v.student_id},
      {"student_name", v.student_name},
      {"school_code", v.school_code},
      {"school_name", v.school_name},
      {"term", v.term},
      {"term_label", v.term_label},
      {"kind", v.kind},
      {"kind_label", v.kind_label},
      {"happened_on", v.happened_on},
      {"note", v.note},
      {"recorded_by", v.recorded_by},
      {"recorded_by_name", v.recorded_by_name},
      {"recorded_at_ms", v.recorded_at_ms},
  });
}

http::Response list(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  app::FollowupQuery q;
  auto student = query_int(c.request, "student_id", 1, INT64_MAX);
  if (!student) return error_response(student.error());
  q.student_id = *student;
  auto term = query_int(c.request, "term", 1, 2);
  if (!term) return error_response(term.error());
  q.term = *term;
  q.school_code = query_text(c.request, "school_code", 10);
  auto found = app::list_followups(c.app, c.store, c.actor, *id, q, *page);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& v : found->items) items.emplace_back(followup_json(v));
  return json_list(found->total, std::move(items));
}

http::Response add(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  app::FollowupInput in;
  auto student = optional_int(*body, "student_id");
  if (!student) return error_response(student.error());
  if (!*student) return error_response("BAD_VALUE", "请选择学生", "student_id");
  in.student_id = **student;
  auto term = optional_int(*body, "term");
  if (!term) return error_response(term.error());
  in.term = *term;
  auto kind = optional_string(*body, "kind", 40);
  if (!kind) return error_response(kind.error());
  in.kind = kind->value_or("");
  auto on = optional_string(*body, "happened_on", 20);
  if (!on) return error_response(on.error());
  in.happened_on = on->value_or("");
  auto note = optional_string(*body, "note", app::kFollowupNoteBytesMax);
  if (!note) return error_response(note.error());
  in.note = note->value_or("");
  auto made = app::add_followup(c.app, c.store, c.actor, *id, in);
  if (!made) return error_response(made.error());
  return json_ok(followup_json(*made));
}

http::Response missing(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto term = query_int(c.request, "term", 1, 2);
  if (!term) return error_response(term.error());
  auto found = app::missing_followups(c.app, c.store, c.actor, *id, query_text(c.request, "school_code", 10), *term);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& m : found->items) {
    items.emplace_back(boost::json::object({
        {"student_id", m.student_id},
        {"student_name", m.student_name},
        {"student_no", m.student_no},
        {"school_code", m.school_code},
        {"school_name", m.school_name},
        {"grade", m.grade},
        {"class_name", m.class_name},
        {"level", m.level ? boost::json::value(*m.level) : boost::json::value(nullptr)},
    }));
  }
  return json_ok(boost::json::object({
      {"school_year", found->school_year},
      {"term", found->term},
      {"term_label", found->term_label},
      {"funded", found->funded},
      {"total", static_cast<int64_t>(items.size())},
      {"items", std::move(items)},
  }));
}

}  // namespace

void add_followup_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/followups", "application.read", 0, "跟踪管理记录", list});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/followups", "followup.write", kJsonBodyBytesMax, "记录跟踪管理", add});
  add_route(router, app,
            {"GET", "/api/v1/cycles/{id}/followups/missing", "application.read", 0, "本学期尚无跟踪记录的受助学生",
             missing});
}

}  // namespace zizhu::server::api

// Applications: staff routes under /api/v1/cycles/{id}/applications and
// /api/v1/applications/{id}; the guardian's under /api/v1/me.
#include <boost/json/array.hpp>

#include "app/applications.h"
#include "app/errors.h"
#include "app/guardian_outcome.h"
#include "core/fen.h"
#include "server/api/cycle_views.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

Result<app::FamilyInput> family_of(const boost::json::object& body) {
  app::FamilyInput f;
  auto size = optional_int(body, "household_size");
  if (!size) return tl::unexpected(size.error());
  if (!*size) return app::field_error("BAD_VALUE", "请填写家庭人口", "household_size");
  f.household_size = **size;
  auto income = optional_string(body, "household_income", 20);
  if (!income) return tl::unexpected(income.error());
  if (!*income) return app::field_error("BAD_VALUE", "请填写家庭年收入（元）", "household_income");
  const auto fen = parse_yuan(**income);
  if (!fen) return app::field_error("BAD_VALUE", "家庭年收入须写作元，最多两位小数，如 \"12000.00\"", "household_income");
  f.household_income_fen = fen->value();
  if (const auto* claimed_value = body.if_contains("claimed_categories");
      claimed_value != nullptr && !claimed_value->is_null()) {
    auto claimed = string_array(body, "claimed_categories", 64);
    if (!claimed) return tl::unexpected(claimed.error());
    f.claimed_categories = std::move(*claimed);
  }
  for (auto [field, target] : {std::pair{"serious_illness", &f.serious_illness},
                               std::pair{"sudden_hardship", &f.sudden_hardship},
                               std::pair{"single_parent", &f.single_parent}}) {
    auto b = optional_bool(body, field);
    if (!b) return tl::unexpected(b.error());
    *target = *b;
  }
  auto siblings = optional_int(body, "siblings_in_school");
  if (!siblings) return tl::unexpected(siblings.error());
  f.siblings_in_school = *siblings;
  return f;
}

http::Response answer(const Result<app::ApplicationView>& a) {
  if (!a) return error_response(a.error());
  return json_ok(to_json(*a));
}

http::Response submit_in(Call& c, int64_t cycle_id, const boost::json::object& body) {
  auto student = optional_int(body, "student_id");
  if (!student) return error_response(student.error());
  if (!*student) return error_response("BAD_VALUE", "请选择学生", "student_id");
  auto family = family_of(body);
  if (!family) return error_response(family.error());
  return answer(app::submit_application(c.app, c.store, c.actor, cycle_id, **student, *family));
}

// --- staff ---------------------------------------------------------------------

http::Response list(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  app::ApplicationQuery q;
  q.school_code = query_text(c.request, "school_code", 10);
  q.state = query_text(c.request, "state", 20);
  q.decision = query_text(c.request, "decision", 20);
  // Cut far above the app's limit (kSearchCharsMax characters), so that a
  // text too long is refused there rather than silently shortened here.
  q.q = query_text(c.request, "q", 400);
  q.class_name = query_text(c.request, "class_name", 400);
  auto found = app::list_applications(c.app, c.store, c.actor, *id, q, *page);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& a : found->items) {
    // The list's own fields: the school's decision, which the search filters by.
    boost::json::object o = to_json(a);
    o["decision"] = a.decision;
    o["decision_level"] = a.decision_level ? boost::json::value(*a.decision_level) : boost::json::value(nullptr);
    items.emplace_back(std::move(o));
  }
  return json_list(found->total, std::move(items));
}

http::Response submit(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  return submit_in(c, *id, *body);
}

http::Response detail(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return answer(app::get_application(c.app, c.store, c.actor, *id));
}

http::Response edit(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto family = family_of(*body);
  if (!family) return error_response(family.error());
  return answer(app::edit_application(c.app, c.store, c.actor, *id, *family));
}

http::Response withdraw(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return answer(app::withdraw_application(c.app, c.store, c.actor, *id));
}

// --- the guardian ----------------------------------------------------------------

boost::json::value outcome_json(const std::optional<app::GuardianOutcome>& o) {
  if (!o) return nullptr;
  auto text_or_null = [](const std::string& s) { return s.empty() ? boost::json::value(nullptr) : boost::json::value(s); };
  boost::json::array changes;
  for (const auto& c : o->changes) {
    changes.emplace_back(boost::json::object({
        {"cause", c.cause},
        {"cause_label", c.cause_label},
        {"level", c.level ? boost::json::value(*c.level) : boost::json::value(nullptr)},
        {"level_label", c.level_label},
        {"amount", c.amount},
        {"from_term", c.from_term},
        {"reason", c.reason},
        {"made_on", c.made_on},
    }));
  }
  return boost::json::object({
      {"stage", o->stage},
      {"stage_label", o->stage_label},
      {"announced_on", text_or_null(o->announced_on)},
      {"funded", o->funded ? boost::json::value(*o->funded) : boost::json::value(nullptr)},
      {"level", o->level ? boost::json::value(*o->level) : boost::json::value(nullptr)},
      {"level_label", text_or_null(o->level_label)},
      {"amount", text_or_null(o->amount)},
      {"reason", text_or_null(o->reason)},
      {"decided_on", text_or_null(o->decided_on)},
      {"changes", std::move(changes)},
      {"filed_on", text_or_null(o->filed_on)},
      {"running_announcement_id",
       o->running_announcement_id ? boost::json::value(o->running_announcement_id) : boost::json::value(nullptr)},
      {"running_until", text_or_null(o->running_until)},
  });
}

// The guardian's view of an application: the staff view plus `outcome`
// (guardian_outcome.h: what the school has made public about this child).
Result<boost::json::value> with_outcome(Call& c, const app::ApplicationView& v) {
  auto stored = c.store.get_application(v.id);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail("NOT_FOUND", "申请不存在");
  auto outcome = app::guardian_outcome(c.app, c.store, **stored);
  if (!outcome) return tl::unexpected(outcome.error());
  boost::json::value j = to_json(v);
  j.as_object()["outcome"] = outcome_json(*outcome);
  return j;
}

http::Response my_applications(Call& c) {
  auto found = app::guardian_applications(c.app, c.store, c.actor);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& a : *found) {
    auto j = with_outcome(c, a);
    if (!j) return error_response(j.error());
    items.emplace_back(std::move(*j));
  }
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response my_detail(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto a = app::get_application(c.app, c.store, c.actor, *id);
  if (!a) return error_response(a.error());
  auto j = with_outcome(c, *a);
  if (!j) return error_response(j.error());
  return json_ok(std::move(*j));
}

http::Response my_submit(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto cycle = optional_int(*body, "cycle_id");
  if (!cycle) return error_response(cycle.error());
  if (!*cycle) return error_response("BAD_VALUE", "请选择资助周期", "cycle_id");
  return submit_in(c, **cycle, *body);
}

http::Response my_cycles(Call& c) {
  auto found = app::guardian_cycles(c.app, c.store, c.actor);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& g : *found) {
    boost::json::object o = to_json(g);
    o["accepting"] = g.accepting;
    o["today"] = g.today;
    items.emplace_back(std::move(o));
  }
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

}  // namespace

void add_application_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/applications", "application.read", 0, "申请列表", list});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/applications", "application.write", kJsonBodyBytesMax, "代家庭提交申请",
             submit});
  add_route(router, app, {"GET", "/api/v1/applications/{id}", "application.read", 0, "申请详情", detail});
  add_route(router, app, {"PUT", "/api/v1/applications/{id}", "application.write", kJsonBodyBytesMax, "修改申请", edit});
  add_route(router, app,
            {"POST", "/api/v1/applications/{id}/withdraw", "application.write", kJsonBodyBytesMax, "撤回申请", withdraw});
  add_route(router, app, {"GET", "/api/v1/me/cycles", "guardian.self", 0, "可申请的资助周期", my_cycles});
  add_route(router, app, {"GET", "/api/v1/me/applications", "guardian.self", 0, "我的申请", my_applications});
  add_route(router, app,
            {"POST", "/api/v1/me/applications", "guardian.self", kJsonBodyBytesMax, "为子女提交申请", my_submit});
  add_route(router, app, {"GET", "/api/v1/me/applications/{id}", "guardian.self", 0, "我的申请详情", my_detail});
  add_route(router, app,
            {"PUT", "/api/v1/me/applications/{id}", "guardian.self", kJsonBodyBytesMax, "修改我的申请", edit});
  add_route(router, app,
            {"POST", "/api/v1/me/applications/{id}/withdraw", "guardian.self", kJsonBodyBytesMax, "撤回我的申请",
             withdraw});
}

}  // namespace zizhu::server::api

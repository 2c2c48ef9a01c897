// /api/v1/cycles/{id}/panel and /review: the school's review panel, the
// candidates with their votes, and the panel's votes, the officer's decisions
// and flag resolutions.
#include <boost/json/array.hpp>

#include "app/errors.h"
#include "app/review.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

boost::json::value level_json(const std::optional<int>& level) {
  return level ? boost::json::value(*level) : boost::json::value(nullptr);
}

boost::json::object panel_json(const app::PanelView& p) {
  boost::json::array members;
  for (const auto& m : p.members) {
    members.emplace_back(boost::json::object({{"user_id", m.user_id}, {"username", m.username},
                                              {"display_name", m.display_name}}));
  }
  return boost::json::object({{"school_code", p.school_code}, {"members", std::move(members)}, {"quorum", p.quorum}});
}

boost::json::object candidate_json(const app::CandidateView& c) {
  boost::json::array flags, blocking;
  for (const auto& f : c.flags) flags.emplace_back(f);
  for (const auto& f : c.unresolved_blocking_flags) blocking.emplace_back(f);
  boost::json::object votes;
  for (const auto& [level, count] : c.votes) votes[level] = count;
  boost::json::object o({
      {"student_id", c.student_id},
      {"student_name", c.student_name},
      {"student_no", c.student_no},
      {"grade", c.grade},
      {"class_name", c.class_name},
      {"status", c.status},
      {"candidate", c.candidate},
      {"score", c.score},
      {"suggested_level", level_json(c.suggested_level)},
      {"flags", std::move(flags)},
      {"unresolved_blocking_flags", std::move(blocking)},
      {"votes", std::move(votes)},
      {"votes_cast", c.votes_cast},
      {"vote_on", c.vote_basis.empty() ? "decision" : "change"},
      {"voted", c.my_vote.has_value()},
      {"my_vote", c.my_vote ? level_json(*c.my_vote) : boost::json::value(nullptr)},
      {"decided", c.decided},
  });
  if (c.on_list) {
    o["entry"] = boost::json::object({{"level", level_json(c.entry_level)}, {"changed", c.entry_changed}});
  } else {
    o["entry"] = nullptr;
  }
  if (c.decided) {
    o["decision"] = boost::json::object(
        {{"level", level_json(c.decided_level)}, {"amount", c.decided_amount}, {"reason", c.decision_reason}});
  } else {
    o["decision"] = nullptr;
  }
  return o;
}

// "level": an integer, or null for no aid (required either way).
Result<std::optional<int>> level_of(const boost::json::object& body) {
  const auto* v = body.if_contains("level");
  if (v == nullptr) return app::field_error("BAD_VALUE", "请填写等级（不资助为 null）", "level");
  if (v->is_null()) return std::optional<int>();
  if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > 100) {
    return app::field_error("BAD_VALUE", "等级须为政策中的等级编号，或 null", "level");
  }
  return std::optional<int>(static_cast<int>(v->as_int64()));
}

Result<int64_t> student_of(const boost::json::object& body) {
  auto id = optional_int(body, "student_id");
  if (!id) return tl::unexpected(id.error());
  if (!*id) return app::field_error("BAD_VALUE", "请选择学生", "student_id");
  return **id;
}

http::Response candidate_answer(const Result<app::CandidateView>& c) {
  if (!c) return error_response(c.error());
  return json_ok(candidate_json(*c));
}

http::Response panel(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto p = app::get_panel(c.app, c.store, c.actor, *id, query_text(c.request, "school_code", 10));
  if (!p) return error_response(p.error());
  return json_ok(panel_json(*p));
}

http::Response set_panel(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto school = optional_string(*body, "school_code", 10);
  if (!school) return error_response(school.error());
  auto names = string_array(*body, "usernames", 50);
  if (!names) return error_response(names.error());
  auto p = app::set_panel(c.app, c.store, c.actor, *id, *school, *names);
  if (!p) return error_response(p.error());
  return json_ok(panel_json(*p));
}

http::Response board(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto found = app::review_board(c.app, c.store, c.actor, *id, query_text(c.request, "school_code", 10));
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& x : *found) items.emplace_back(candidate_json(x));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response vote(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto student = student_of(*body);
  if (!student) return error_response(student.error());
  auto level = level_of(*body);
  if (!level) return error_response(level.error());
  return candidate_answer(app::cast_vote(c.app, c.store, c.actor, *id, *student, *level));
}

http::Response decide(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto student = student_of(*body);
  if (!student) return error_response(student.error());
  auto level = level_of(*body);
  if (!level) return error_response(level.error());
  auto reason = optional_string(*body, "reason", 500);
  if (!reason) return error_response(reason.error());
  return candidate_answer(app::decide(c.app, c.store, c.actor, *id, *student, *level, reason->value_or("")));
}

http::Response resolve(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto student = student_of(*body);
  if (!student) return error_response(student.error());
  auto flag = required_string(*body, "flag", 40);
  if (!flag) return error_response(flag.error());
  auto resolution = required_string(*body, "resolution", 500);
  if (!resolution) return error_response(resolution.error());
  return candidate_answer(app::resolve_flag(c.app, c.store, c.actor, *id, *student, *flag, *resolution));
}

http::Response revise(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto student = student_of(*body);
  if (!student) return error_response(student.error());
  auto level = level_of(*body);
  if (!level) return error_response(level.error());
  auto reason = required_string(*body, "reason", 500);
  if (!reason) return error_response(reason.error());
  return candidate_answer(app::revise_entry(c.app, c.store, c.actor, *id, *student, *level, *reason));
}

}  // namespace

// For the routes of the school's list (school_list_routes.cc).
Result<std::optional<int>> review_level_of(const boost::json::object& body) { return level_of(body); }

void add_review_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/panel", "application.read", 0, "评审小组", panel});
  add_route(router, app,
            {"PUT", "/api/v1/cycles/{id}/panel", "review.decide", kJsonBodyBytesMax, "设置评审小组", set_panel});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/review/revisions", "review.decide", kJsonBodyBytesMax,
             "变更名单（退回后修订、学期调整）", revise});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/review", "application.read", 0, "评审名单与投票", board});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/review/votes", "review.vote", kJsonBodyBytesMax, "评审投票", vote});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/review/decisions", "review.decide", kJsonBodyBytesMax, "记录评审决定",
             decide});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/review/resolutions", "review.decide", kJsonBodyBytesMax, "核实处理标记",
             resolve});
}

}  // namespace zizhu::server::api

// The school's list after its review: 公示 (staff and public), objections
// and appeals (public and staff), filing (备案), the county's overview of
// its schools, and term adjustments.
#include <boost/json/array.hpp>

#include "app/announcements.h"
#include "app/errors.h"
#include "app/filings.h"
#include "app/objections.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

Result<std::optional<int>> review_level_of(const boost::json::object& body);  // review_routes.cc

namespace {

template <class T>
boost::json::value opt_json(const std::optional<T>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

// `staff`: with the student ids behind the rows (never on a public route).
boost::json::object announcement_json(const app::AnnouncementView& a, bool staff) {
  boost::json::array rows;
  for (size_t i = 0; i < a.rows.size(); ++i) {
    const auto& r = a.rows[i];
    boost::json::object o({{"no", r.no},
                           {"name", r.name_masked},
                           {"school_name", r.school_name},
                           {"grade", r.grade},
                           {"class_name", r.class_name},
                           {"level", r.level_label},
                           {"change", r.change}});
    if (staff) o["student_id"] = a.student_ids[i];
    rows.emplace_back(std::move(o));
  }
  boost::json::object o({
      {"id", a.id},
      {"school_code", a.school_code},
      {"school_name", a.school_name},
      {"school_year", a.school_year},
      {"kind", a.kind},
      {"starts_on", a.starts_on},
      {"ends_on", a.ends_on},
      {"working_days", a.working_days},
      {"rows", std::move(rows)},
  });
  if (staff) {
    o["cycle_id"] = a.cycle_id;
    o["round"] = a.round;
    o["running"] = a.running;
    o["entries_sm3"] = a.entries_sm3;
    o["published_at_ms"] = a.published_at_ms;
  }
  return o;
}

// `staff`: with the objector's text, name and the student; the public (the
// objector, by receipt) sees the state, dates and answers.
boost::json::object objection_json(const app::ObjectionView& v, bool staff) {
  boost::json::object o({
      {"id", v.id},
      {"announcement_id", v.announcement_id},
      {"school_code", v.school_code},
      {"school_name", v.school_name},
      {"entry_no", opt_json(v.entry_no)},
      {"state", v.state},
      {"state_label", v.state_label},
      {"received_on", v.received_on},
      {"answer_due_on", v.answer_due_on},
      {"answer", opt_json(v.answer)},
      {"appeal_due_on", opt_json(v.appeal_due_on)},
      {"decision_due_on", opt_json(v.decision_due_on)},
      {"decision", opt_json(v.decision)},
      {"overdue", v.overdue},
      {"open", v.open},
  });
  if (staff) {
    o["cycle_id"] = v.cycle_id;
    o["entry_name"] = v.entry_name_masked;
    o["text"] = v.text;
    o["objector_name"] = opt_json(v.objector_name);
    o["appeal_text"] = opt_json(v.appeal_text);
    o["student_id"] = opt_json(v.student_id);
  }
  return o;
}

boost::json::object filing_json(const app::FilingView& f) {
  boost::json::object o({
      {"id", f.id},
      {"cycle_id", f.cycle_id},
      {"school_code", f.school_code},
      {"school_name", f.school_name},
      {"round", f.round},
      {"state", f.state},
      {"state_label", f.state_label},
      {"snapshot_sm3", f.snapshot_sm3},
      {"entries", f.entries},
      {"total", f.total},
      {"submitted_at_ms", f.submitted_at_ms},
      {"decided_at_ms", opt_json(f.decided_at_ms)},
      {"reason", opt_json(f.reason)},
  });
  if (!f.snapshot.empty()) o["snapshot"] = f.snapshot;
  return o;
}

template <class T, class ToJson>
http::Response list_answer(const Result<std::vector<T>>& found, ToJson&& to_json) {
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& x : *found) items.emplace_back(to_json(x));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

// "upheld" (required boolean) and, optionally, "level" (an integer or null).
struct Verdict {
  bool upheld = false;
  app::EntryChange change;
};
Result<Verdict> verdict_of(const boost::json::object& body) {
  auto upheld = optional_bool(body, "upheld");
  if (!upheld) return tl::unexpected(upheld.error());
  if (!*upheld) return app::field_error("BAD_VALUE", "请选择异议是否成立", "upheld");
  Verdict v{**upheld, std::nullopt};
  if (body.contains("level")) {
    auto level = review_level_of(body);
    if (!level) return tl::unexpected(level.error());
    v.change = *level;
  }
  return v;
}

http::Response announce(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto school = optional_string(*body, "school_code", 10);
  if (!school) return error_response(school.error());
  auto days = optional_int(*body, "working_days");
  if (!days) return error_response(days.error());
  std::optional<int> working_days;
  if (*days) {
    if (**days < 0 || **days > 1000) return error_response("BAD_VALUE", "公示期为 5 至 30 个工作日", "working_days");
    working_days = static_cast<int>(**days);
  }
  auto a = app::announce(c.app, c.store, c.actor, *id, *school, working_days);
  if (!a) return error_response(a.error());
  return json_ok(announcement_json(*a, true));
}

// What publishing would announce, written nowhere (the page's preview):
// {"announcement": the public's shape of it with its period, "blocked":
// null} — or, when publishing would be refused for the list's state (not
// in review, candidates undecided, nothing changed), {"announcement": null,
// "blocked": the reason}: an answer about the list, not a failed request.
http::Response announcement_preview(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto days = query_int(c.request, "working_days", 5, 30);
  if (!days) return error_response("BAD_VALUE", "公示期为 5 至 30 个工作日", "working_days");
  std::optional<int> working_days;
  if (*days) working_days = static_cast<int>(**days);
  auto a = app::preview_announcement(c.app, c.store, c.actor, *id, query_text(c.request, "school_code", 10),
                                     working_days);
  boost::json::object o;
  if (!a) {
    if (a.error().code != "RULE" && a.error().code != "STATE_CONFLICT") return error_response(a.error());
    o["announcement"] = nullptr;
    o["blocked"] = a.error().message;
  } else {
    o["announcement"] = announcement_json(*a, false);
    o["blocked"] = nullptr;
  }
  return json_ok(o);
}

http::Response announcements(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return list_answer(app::list_announcements(c.app, c.store, c.actor, *id, query_text(c.request, "school_code", 10)),
                     [](const auto& a) { return announcement_json(a, true); });
}

http::Response announcement(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto a = app::get_announcement(c.app, c.store, c.actor, *id);
  if (!a) return error_response(a.error());
  return json_ok(announcement_json(*a, true));
}

http::Response file_answer(const Result<std::string>& bytes, std::string content_type, const std::string& name) {
  if (!bytes) return error_response(bytes.error());
  http::Response r;
  r.status = 200;
  r.content_type = std::move(content_type);
  r.body = *bytes;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return r;
}

http::Response announcement_pdf(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return file_answer(app::announcement_pdf(c.app, c.store, c.actor, *id), "application/pdf",
                     "announcement-" + std::to_string(*id) + ".pdf");
}

http::Response announcement_xlsx(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return file_answer(app::announcement_xlsx(c.app, c.store, c.actor, *id),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "announcement-" + std::to_string(*id) + ".xlsx");
}

http::Response public_announcements(Call& c) {
  return list_answer(app::public_announcements(c.app, c.store, query_text(c.request, "county", 6)),
                     [](const auto& a) { return announcement_json(a, false); });
}

http::Response public_announcement(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto a = app::public_announcement(c.app, c.store, *id);
  if (!a) return error_response(a.error());
  return json_ok(announcement_json(*a, false));
}

// The public write routes: a bounded number per client address.
std::optional<http::Response> over_limit(Call& c) {
  int64_t retry_after_s = 0;
  if (c.app.public_limiter().allow(c.actor.ip, c.app.now_ms(), &retry_after_s)) return std::nullopt;
  auto r = error_response("RATE_LIMITED", "提交过于频繁，请 " + std::to_string(retry_after_s) + " 秒后再试");
  r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
  return r;
}

http::Response object(Call& c) {
  if (auto refused = over_limit(c)) return *refused;
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto entry = optional_int(*body, "entry_no");
  if (!entry) return error_response(entry.error());
  std::optional<int> entry_no;
  if (*entry) {
    if (**entry < 1 || **entry > 100000) return error_response("BAD_VALUE", "公示中没有这一行", "entry_no");
    entry_no = static_cast<int>(**entry);
  }
  auto text = required_string(*body, "text", app::kObjectionTextBytesMax);
  if (!text) return error_response(text.error());
  auto name = optional_string(*body, "name", app::kObjectorNameBytesMax);
  if (!name) return error_response(name.error());
  auto made = app::submit_objection(c.app, c.store, c.actor, *id, entry_no, *text, *name);
  if (!made) return error_response(made.error());
  auto o = objection_json(made->objection, false);
  o["receipt"] = made->receipt;
  return json_ok(o);
}

http::Response objection_status(Call& c) {
  auto o = app::objection_by_receipt(c.app, c.store, c.match.param("receipt"));
  if (!o) return error_response(o.error());
  return json_ok(objection_json(*o, false));
}

http::Response appeal(Call& c) {
  if (auto refused = over_limit(c)) return *refused;
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto text = required_string(*body, "text", app::kObjectionTextBytesMax);
  if (!text) return error_response(text.error());
  auto o = app::appeal_objection(c.app, c.store, c.actor, c.match.param("receipt"), *text);
  if (!o) return error_response(o.error());
  return json_ok(objection_json(*o, false));
}

http::Response objections(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return list_answer(app::list_objections(c.app, c.store, c.actor, *id, query_text(c.request, "school_code", 10)),
                     [](const auto& o) { return objection_json(o, true); });
}

http::Response answer(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto v = verdict_of(*body);
  if (!v) return error_response(v.error());
  auto text = required_string(*body, "answer", app::kObjectionTextBytesMax);
  if (!text) return error_response(text.error());
  auto o = app::answer_objection(c.app, c.store, c.actor, *id, v->upheld, *text, v->change);
  if (!o) return error_response(o.error());
  return json_ok(objection_json(*o, true));
}

http::Response decide_appeal(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto v = verdict_of(*body);
  if (!v) return error_response(v.error());
  auto text = required_string(*body, "decision", app::kObjectionTextBytesMax);
  if (!text) return error_response(text.error());
  auto o = app::decide_appeal(c.app, c.store, c.actor, *id, v->upheld, *text, v->change);
  if (!o) return error_response(o.error());
  return json_ok(objection_json(*o, true));
}

Result<std::optional<std::string>> school_in_body(const http::Request& request) {
  auto body = parse_object(request.body);
  if (!body) return tl::unexpected(body.error());
  return optional_string(*body, "school_code", 10);
}

http::Response submit(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto school = school_in_body(c.request);
  if (!school) return error_response(school.error());
  auto f = app::submit_filing(c.app, c.store, c.actor, *id, *school);
  if (!f) return error_response(f.error());
  return json_ok(filing_json(*f));
}

http::Response filings(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return list_answer(app::list_filings(c.app, c.store, c.actor, *id, query_text(c.request, "school_code", 10)),
                     filing_json);
}

http::Response filing(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto f = app::get_filing(c.app, c.store, c.actor, *id);
  if (!f) return error_response(f.error());
  return json_ok(filing_json(*f));
}

http::Response approve(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto f = app::approve_filing(c.app, c.store, c.actor, *id);
  if (!f) return error_response(f.error());
  return json_ok(filing_json(*f));
}

http::Response give_back(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto reason = required_string(*body, "reason", 500);
  if (!reason) return error_response(reason.error());
  auto f = app::return_filing(c.app, c.store, c.actor, *id, *reason);
  if (!f) return error_response(f.error());
  return json_ok(filing_json(*f));
}

http::Response overview(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return list_answer(app::school_overview(c.app, c.store, c.actor, *id), [](const app::SchoolListOverview& s) {
    boost::json::object flags, funded_flags;
    for (const auto& [k, n] : s.flags) flags[k] = n;
    for (const auto& [k, n] : s.funded_flags) funded_flags[k] = n;
    return boost::json::object({
        {"school_code", s.school_code},
        {"school_name", s.school_name},
        {"stage", s.stage},
        {"stage_label", s.stage_label},
        {"round", s.round},
        {"budget", s.budget},
        {"committed", s.committed},
        {"candidates", s.candidates},
        {"decided", s.decided},
        {"funded", s.funded},
        {"changes", s.changes},
        {"flags", std::move(flags)},
        {"funded_flags", std::move(funded_flags)},
        {"announcements", s.announcements},
        {"objections", s.objections},
        {"objections_open", s.objections_open},
        {"objections_overdue", s.objections_overdue},
        {"latest_filing_id", opt_json(s.latest_filing_id)},
        {"latest_filing_state", s.latest_filing_state},
    });
  });
}

http::Response cycle_answer(const Result<app::CycleView>& v) {
  if (!v) return error_response(v.error());
  return json_ok(boost::json::object({{"id", v->id}, {"state", v->state}, {"state_label", v->state_label}}));
}

http::Response approve_year(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return cycle_answer(app::approve_cycle(c.app, c.store, c.actor, *id));
}

http::Response close_year(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return cycle_answer(app::close_cycle(c.app, c.store, c.actor, *id));
}

http::Response adjust(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto school = school_in_body(c.request);
  if (!school) return error_response(school.error());
  auto a = app::open_adjustment(c.app, c.store, c.actor, *id, *school);
  if (!a) return error_response(a.error());
  return json_ok(boost::json::object({{"school_code", a->school_code}, {"round", a->round}, {"stage", a->stage}}));
}

}  // namespace

void add_school_list_routes(http::Router& router, app::App& app) {
  const uint64_t json = kJsonBodyBytesMax;
  add_route(router, app, {"POST", "/api/v1/cycles/{id}/announcements", "review.decide", json, "发布公示", announce});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/announcements", "application.read", 0, "公示列表", announcements});
  add_route(router, app,
            {"GET", "/api/v1/cycles/{id}/announcement-preview", "review.decide", 0, "公示预览（按发布的同一方式生成，不保存）",
             announcement_preview});
  add_route(router, app, {"GET", "/api/v1/announcements/{id}", "application.read", 0, "公示详情", announcement});
  add_route(router, app,
            {"GET", "/api/v1/announcements/{id}/pdf", "application.read", 0, "公示 PDF（张贴用）", announcement_pdf});
  add_route(router, app,
            {"GET", "/api/v1/announcements/{id}/xlsx", "application.read", 0, "公示 XLSX", announcement_xlsx});
  add_route(router, app, {"GET", "/api/v1/public/announcements", "public", 0, "公开：公示中的名单", public_announcements});
  add_route(router, app, {"GET", "/api/v1/public/announcements/{id}", "public", 0, "公开：一份公示", public_announcement});
  add_route(router, app,
            {"POST", "/api/v1/public/announcements/{id}/objections", "public", json, "公开：提出异议", object});
  add_route(router, app, {"GET", "/api/v1/public/objections/{receipt}", "public", 0, "公开：按回执号查询异议",
                          objection_status});
  add_route(router, app,
            {"POST", "/api/v1/public/objections/{receipt}/appeal", "public", json, "公开：向区县申诉", appeal});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/objections", "application.read", 0, "异议列表", objections});
  add_route(router, app, {"POST", "/api/v1/objections/{id}/answer", "review.decide", json, "答复异议", answer});
  add_route(router, app,
            {"POST", "/api/v1/objections/{id}/appeal-decision", "list.approve", json, "裁决申诉", decide_appeal});
  add_route(router, app, {"POST", "/api/v1/cycles/{id}/filings", "review.decide", json, "提交备案", submit});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/filings", "cycle.read", 0, "备案列表", filings});
  add_route(router, app, {"GET", "/api/v1/filings/{id}", "cycle.read", 0, "备案详情（冻结名单）", filing});
  add_route(router, app, {"POST", "/api/v1/filings/{id}/approve", "list.approve", json, "备案通过", approve});
  add_route(router, app, {"POST", "/api/v1/filings/{id}/return", "list.approve", json, "退回名单", give_back});
  add_route(router, app, {"GET", "/api/v1/cycles/{id}/schools", "cycle.read", 0, "各校名单进度", overview});
  add_route(router, app, {"POST", "/api/v1/cycles/{id}/adjustments", "review.decide", json, "开始学期调整", adjust});
  add_route(router, app,
            {"POST", "/api/v1/cycles/{id}/approve", "list.approve", json, "确认全县名单备案完成", approve_year});
  add_route(router, app, {"POST", "/api/v1/cycles/{id}/close", "cycle.manage", json, "结束本学年资助周期", close_year});
}

}  // namespace zizhu::server::api

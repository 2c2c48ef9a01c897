// Feedback and complaints (意见反馈): staff under /api/v1/feedback, the
// guardian under /api/v1/me/feedback, anyone under /api/v1/public/feedback
// (no login; sending is rate-limited per client address; the receipt code
// shows the status, the due date and the answer, nothing else).
#include <boost/json/array.hpp>

#include "app/errors.h"
#include "app/feedback.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

boost::json::value text_or_null(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}

// Staff see everything about the item; the guardian their own item without
// the staff's names.
boost::json::object feedback_json(const app::FeedbackView& v, bool staff) {
  boost::json::object o({
      {"id", v.id},
      {"county_code", v.county_code},
      {"county_name", v.county_name},
      {"school_code", text_or_null(v.school_code)},
      {"school_name", text_or_null(v.school_name)},
      {"student_id", v.student_id ? boost::json::value(*v.student_id) : boost::json::value(nullptr)},
      {"student_name", text_or_null(v.student_name)},
      {"kind", v.kind},
      {"kind_label", v.kind_label},
      {"text", v.text},
      {"status", v.status},
      {"status_label", v.status_label},
      {"received_on", v.received_on},
      {"due_on", v.due_on},
      {"answer", text_or_null(v.answer)},
      {"answered_on", text_or_null(v.answered_on)},
  });
  if (staff) {
    o["channel"] = v.channel;
    o["channel_label"] = v.channel_label;
    o["contact_name"] = text_or_null(v.contact_name);
    o["guardian_name"] = text_or_null(v.guardian_name);
    o["owner_username"] = text_or_null(v.owner_username);
    o["owner_name"] = text_or_null(v.owner_name);
    o["overdue"] = v.overdue;
    o["answered_by_name"] = text_or_null(v.answered_by_name);
    o["created_at_ms"] = v.created_at_ms;
    o["updated_at_ms"] = v.updated_at_ms;
  }
  return o;
}

http::Response staff_answer(const Result<app::FeedbackView>& v) {
  if (!v) return error_response(v.error());
  return json_ok(feedback_json(*v, true));
}

// The fields every sender gives: kind and text; the rest by channel.
Result<app::FeedbackInput> input_of(const boost::json::object& body) {
  app::FeedbackInput in;
  auto kind = optional_string(body, "kind", 20);
  if (!kind) return tl::unexpected(kind.error());
  in.kind = kind->value_or("");
  auto text = optional_string(body, "text", app::kFeedbackTextBytesMax);
  if (!text) return tl::unexpected(text.error());
  in.text = text->value_or("");
  auto student = optional_int(body, "student_id");
  if (!student) return tl::unexpected(student.error());
  in.student_id = *student;
  auto school = optional_string(body, "school_code", 20);
  if (!school) return tl::unexpected(school.error());
  if (*school && !(*school)->empty()) in.school_code = *school;
  auto county = optional_string(body, "county_code", 20);
  if (!county) return tl::unexpected(county.error());
  if (*county && !(*county)->empty()) in.county_code = *county;
  auto name = optional_string(body, "contact_name", app::kContactNameBytesMax);
  if (!name) return tl::unexpected(name.error());
  in.contact_name = *name;
  return in;
}

// --- staff ---------------------------------------------------------------------

http::Response list(Call& c) {
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  app::FeedbackQuery q;
  q.status = query_text(c.request, "status", 20);
  q.kind = query_text(c.request, "kind", 20);
  q.school_code = query_text(c.request, "school_code", 20);
  if (auto overdue = query_text(c.request, "overdue", 10)) {
    if (*overdue != "true" && *overdue != "false") {
      return error_response("BAD_VALUE", "overdue 须为 true 或 false", "overdue");
    }
    q.overdue = *overdue == "true";
  }
  auto found = app::list_feedback(c.app, c.store, c.actor, q, *page);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& v : found->items) items.emplace_back(feedback_json(v, true));
  return json_list(found->total, std::move(items));
}

http::Response staff_submit(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto in = input_of(*body);
  if (!in) return error_response(in.error());
  in->county_code.reset();  // the actor's scope decides
  auto made = app::submit_staff_feedback(c.app, c.store, c.actor, *in);
  if (!made) return error_response(made.error());
  auto o = feedback_json(made->item, true);
  o["receipt_code"] = made->receipt_code;
  return json_ok(o);
}

http::Response detail(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return staff_answer(app::get_feedback(c.app, c.store, c.actor, *id));
}

http::Response assign(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto owner = required_string(*body, "owner_username", 64);
  if (!owner) return error_response(owner.error());
  return staff_answer(app::assign_feedback(c.app, c.store, c.actor, *id, *owner));
}

http::Response answer(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto text = optional_string(*body, "answer", app::kFeedbackAnswerBytesMax);
  if (!text) return error_response(text.error());
  return staff_answer(app::answer_feedback(c.app, c.store, c.actor, *id, text->value_or("")));
}

http::Response close_item(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return staff_answer(app::close_feedback(c.app, c.store, c.actor, *id));
}

// --- the guardian ----------------------------------------------------------------

http::Response my_list(Call& c) {
  auto found = app::guardian_feedback(c.app, c.store, c.actor);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& v : *found) items.emplace_back(feedback_json(v, false));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response my_submit(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto in = input_of(*body);
  if (!in) return error_response(in.error());
  in->county_code.reset();
  in->contact_name.reset();  // the account says who sent it
  auto made = app::submit_guardian_feedback(c.app, c.store, c.actor, *in);
  if (!made) return error_response(made.error());
  auto o = feedback_json(made->item, false);
  o["receipt_code"] = made->receipt_code;
  return json_ok(o);
}

// --- the public ----------------------------------------------------------------

http::Response public_submit(Call& c) {
  // A bounded number per client address, counted before anything is read
  // (a refused body counts too).
  int64_t retry_after_s = 0;
  if (!c.app.public_limiter().allow(c.actor.ip, c.app.now_ms(), &retry_after_s)) {
    auto r = error_response("RATE_LIMITED", "提交过于频繁，请 " + std::to_string(retry_after_s) + " 秒后再试");
    r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
    return r;
  }
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto in = input_of(*body);
  if (!in) return error_response(in.error());
  in->student_id.reset();  // the public names no student
  auto made = app::submit_public_feedback(c.app, c.store, c.actor, *in);
  if (!made) return error_response(made.error());
  return json_ok(boost::json::object({
      {"receipt_code", made->receipt_code},
      {"status", made->item.status},
      {"status_label", made->item.status_label},
      {"received_on", made->item.received_on},
      {"due_on", made->item.due_on},
  }));
}

http::Response public_status(Call& c) {
  auto found = app::public_feedback_status(c.app, c.store, c.match.param("code"));
  if (!found) return error_response(found.error());
  return json_ok(boost::json::object({
      {"status", found->status},
      {"status_label", found->status_label},
      {"received_on", found->received_on},
      {"due_on", found->due_on},
      {"answer", text_or_null(found->answer)},
      {"answered_on", text_or_null(found->answered_on)},
  }));
}

}  // namespace

void add_feedback_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/feedback", "feedback.manage", 0, "意见反馈列表", list});
  add_route(router, app,
            {"POST", "/api/v1/feedback", "feedback.manage", kJsonBodyBytesMax, "代录意见反馈", staff_submit});
  add_route(router, app, {"GET", "/api/v1/feedback/{id}", "feedback.manage", 0, "意见反馈详情", detail});
  add_route(router, app,
            {"POST", "/api/v1/feedback/{id}/assign", "feedback.manage", kJsonBodyBytesMax, "指派负责人", assign});
  add_route(router, app,
            {"POST", "/api/v1/feedback/{id}/answer", "feedback.manage", kJsonBodyBytesMax, "答复意见反馈", answer});
  add_route(router, app,
            {"POST", "/api/v1/feedback/{id}/close", "feedback.manage", kJsonBodyBytesMax, "关闭意见反馈", close_item});
  add_route(router, app, {"GET", "/api/v1/me/feedback", "guardian.self", 0, "我的意见反馈", my_list});
  add_route(router, app,
            {"POST", "/api/v1/me/feedback", "guardian.self", kJsonBodyBytesMax, "提交意见反馈", my_submit});
  add_route(router, app,
            {"POST", "/api/v1/public/feedback", "public", kJsonBodyBytesMax, "公开：提交意见或投诉", public_submit});
  add_route(router, app,
            {"GET", "/api/v1/public/feedback/{code}", "public", 0, "公开：凭回执码查询处理情况", public_status});
}

}  // namespace zizhu::server::api

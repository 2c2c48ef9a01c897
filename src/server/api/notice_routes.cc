// /api/v1/notices (staff) and /api/v1/public/notices (no login): the
// county's policy notices.
#include <boost/json/array.hpp>

#include "app/notices.h"
#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::server::api {

namespace {

boost::json::object notice_json(const app::NoticeView& t, bool staff) {
  boost::json::object o({
      {"id", t.id},
      {"county_code", t.county_code},
      {"county_name", t.county_name},
      {"title", t.title},
      {"body", t.body},
      {"published_on", t.published_on},
  });
  if (staff) {
    o["published_at_ms"] = t.published_at_ms;
    o["withdrawn"] = t.withdrawn;
  }
  return o;
}

http::Response answer(const Result<app::NoticeView>& t) {
  if (!t) return error_response(t.error());
  return json_ok(notice_json(*t, true));
}

http::Response list_of(const Result<std::vector<app::NoticeView>>& found, bool staff) {
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& t : *found) items.emplace_back(notice_json(t, staff));
  return json_list(static_cast<int64_t>(found->size()), std::move(items));
}

http::Response list(Call& c) { return list_of(app::list_notices(c.app, c.store, c.actor), true); }

http::Response publish(Call& c) {
  auto body = parse_object(c.request.body);
  if (!body) return error_response(body.error());
  auto title = required_string(*body, "title", app::kNoticeTitleBytesMax);
  if (!title) return error_response(title.error());
  auto text = required_string(*body, "body", app::kNoticeBodyBytesMax);
  if (!text) return error_response(text.error());
  return answer(app::publish_notice(c.app, c.store, c.actor, *title, *text));
}

http::Response withdraw(Call& c) {
  auto id = id_param(c.match.param("id"));
  if (!id) return error_response(id.error());
  return answer(app::withdraw_notice(c.app, c.store, c.actor, *id));
}

http::Response public_list(Call& c) {
  return list_of(app::public_notices(c.app, c.store, query_text(c.request, "county", 6)), false);
}

}  // namespace

void add_notice_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/notices", "cycle.read", 0, "政策公告（含已撤下的）", list});
  add_route(router, app,
            {"POST", "/api/v1/notices", "cycle.manage", kJsonBodyBytesMax, "发布政策公告", publish});
  add_route(router, app,
            {"POST", "/api/v1/notices/{id}/withdraw", "cycle.manage", kJsonBodyBytesMax, "撤下政策公告", withdraw});
  add_route(router, app, {"GET", "/api/v1/public/notices", "public", 0, "公开：政策公告", public_list});
}

}  // namespace zizhu::server::api

// /api/v1/org/tree and /api/v1/schools: the organisation within the scope.
#include "app/org.h"
#include "server/api/json_io.h"
#include "server/api/route.h"
#include "server/api/views.h"

namespace zizhu::server::api {

namespace {

http::Response tree(Call& c) {
  auto nodes = app::org_tree(c.app, c.store, c.actor);
  if (!nodes) return error_response(nodes.error());
  boost::json::array items;
  for (const auto& n : *nodes) items.emplace_back(to_json(n));
  boost::json::object o;
  o["items"] = std::move(items);
  return json_ok(o);
}

http::Response schools(Call& c) {
  auto page = page_of(c.request);
  if (!page) return error_response(page.error());
  app::SchoolQuery q;
  q.name_contains = query_text(c.request, "name");
  q.county_code = query_text(c.request, "county_code", 6);
  auto found = app::list_schools(c.app, c.store, c.actor, q, *page);
  if (!found) return error_response(found.error());
  boost::json::array items;
  for (const auto& s : found->items) items.emplace_back(to_json(s));
  return json_list(found->total, std::move(items));
}

http::Response school(Call& c) {
  auto s = app::get_school(c.app, c.store, c.actor, c.match.param("code"));
  if (!s) return error_response(s.error());
  return json_ok(to_json(*s));
}

}  // namespace

void add_org_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/org/tree", "org.read", 0, "机构树", tree});
  add_route(router, app, {"GET", "/api/v1/schools", "school.read", 0, "学校列表", schools});
  add_route(router, app, {"GET", "/api/v1/schools/{code}", "school.read", 0, "学校详情", school});
}

}  // namespace zizhu::server::api

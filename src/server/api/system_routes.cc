// /api/v1/health and /api/v1/openapi.json: public, no personal data. And,
// only when the server was started with --test-clock, PUT /api/v1/test/clock
// (scenario tests cross announcement periods and answer deadlines).
#include <string_view>

#include "server/api/json_io.h"
#include "server/api/route.h"

namespace zizhu::embedded {
std::string_view openapi_json();  // api/openapi.json, compiled in (cmake/EmbedFile.cmake)
}

namespace zizhu::server::api {

void add_system_routes(http::Router& router, app::App& app) {
  add_route(router, app, {"GET", "/api/v1/health", "public", 0, "服务状态", [](Call&) {
                            return http::Response::json(200, R"({"status":"ok"})");
                          }});
  add_route(router, app, {"GET", "/api/v1/openapi.json", "public", 0, "接口描述", [](Call&) {
                            return http::Response::json(200, std::string(embedded::openapi_json()));
                          }});
  if (!app.test_clock()) return;
  // {"now_ms": N}: from now on the server's clock reads N (then runs on).
  // Public on purpose, so a test can move time without a session; the route
  // does not exist unless the process was started with --test-clock.
  add_route(router, app, {"PUT", "/api/v1/test/clock", "public", kJsonBodyBytesMax, "测试时钟", [](Call& c) {
                            auto body = parse_object(c.request.body);
                            if (!body) return error_response(body.error());
                            auto now = optional_int(*body, "now_ms");
                            if (!now) return error_response(now.error());
                            if (!*now) return error_response("BAD_VALUE", "缺少 now_ms", "now_ms");
                            c.app.set_clock_offset_ms(0);
                            c.app.set_clock_offset_ms(**now - c.app.now_ms());
                            return json_ok(boost::json::object({{"now_ms", c.app.now_ms()}}));
                          }});
}

}  // namespace zizhu::server::api

// /api/v1/health and /api/v1/openapi.json: public, no personal data.
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
}

}  // namespace zizhu::server::api

// The OpenAPI description in api/openapi.json and the router agree: every
// route is described, every described route exists, with the same permission.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <filesystem>
#include <set>
#include <string>

#include "app/app.h"
#include "crypto/key_ring.h"
#include "crypto/password.h"
#include "server/api/route.h"
#include "server/http/router.h"
#include "store/test_util.h"

namespace zizhu::embedded {
std::string_view openapi_json();
}

namespace zizhu::server::api {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApi, DescribesExactlyTheRoutes) {
  store::testing::TempDir dir;
  ASSERT_TRUE(crypto::KeyRing::generate_file(dir.file("k.keys")));
  app::AppOptions o;
  o.db_path = dir.file("z.db");
  o.key_file = dir.file("k.keys");
  o.password_limits = crypto::PasswordLimits::minimal();
  auto application = app::App::open(o);
  ASSERT_TRUE(application) << application.error().describe();
  http::Router router;
  add_api_routes(router, **application);

  std::set<std::string> routed;
  std::map<std::string, std::string> routed_permission;
  for (const auto& r : router.routes()) {
    const std::string key = r.method + " " + r.pattern;
    routed.insert(key);
    routed_permission[key] = r.permission;
  }

  const auto doc = boost::json::parse(embedded::openapi_json()).as_object();
  EXPECT_EQ(doc.at("openapi").as_string().subview().substr(0, 2), "3.");
  std::set<std::string> described;
  for (const auto& [path, methods] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : methods.as_object()) {
      const std::string key = upper(std::string(method)) + " " + std::string(path);
      described.insert(key);
      const auto* permission = op.as_object().if_contains("x-permission");
      ASSERT_NE(permission, nullptr) << key << " has no x-permission";
      EXPECT_EQ(std::string(permission->as_string()), routed_permission[key]) << key;
      EXPECT_TRUE(op.as_object().contains("summary")) << key;
      EXPECT_TRUE(op.as_object().contains("responses")) << key;
    }
  }
  for (const auto& key : routed) EXPECT_TRUE(described.contains(key)) << key << " is routed but not described";
  for (const auto& key : described) EXPECT_TRUE(routed.contains(key)) << key << " is described but not routed";
}

}  // namespace
}  // namespace zizhu::server::api

// A small demo county in a temporary folder, for the app layer's tests of the
// aid cycle (identification_test.cc, review_test.cc): the same data and open
// cycle `zizhu demo` makes, and actors standing where its users stand.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "app/app.h"
#include "app/demo.h"
#include "crypto/key_ring.h"

namespace zizhu::app::testing {

class DemoCounty : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("zizhu_demo_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(crypto::KeyRing::generate_file((dir_ / "keys").string()));
    AppOptions options;
    options.db_path = (dir_ / "z.db").string();
    options.key_file = (dir_ / "keys").string();
    options.password_limits = crypto::PasswordLimits::minimal();
    auto app = App::open(options);
    ASSERT_TRUE(app) << app.error().describe();
    app_ = std::move(*app);
    DemoOptions demo;
    demo.students = 900;
    demo.schools = 4;
    demo.other_county_students = 120;
    demo.skip_first_change = true;
    demo.work_dir = (dir_ / "work").string();
    auto made = create_demo(*app_, demo);
    ASSERT_TRUE(made) << made.error().describe();
    demo_ = std::move(*made);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // An actor at the node `code` with the demo user `key`'s id.
  Actor actor_at(store::Store& store, const std::string& code, const std::string& key) {
    auto node = store.find_org_node(code);
    EXPECT_TRUE(node && *node);
    Actor a = system_actor("test");
    for (const auto& u : demo_.users) {
      if (u.key == key) a.user_id = u.id;
    }
    a.org_id = (*node)->id;
    a.org_kind = (*node)->kind;
    a.org_code = (*node)->code;
    a.org_path = (*node)->path;
    return a;
  }

  std::filesystem::path dir_;
  std::unique_ptr<App> app_;
  DemoResult demo_;
};

}  // namespace zizhu::app::testing

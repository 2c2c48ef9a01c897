// `zizhu serve --db PATH [--listen HOST:PORT]` (server.md) and `zizhu demo`:
// the API and the web front end; the demo first fills a new database.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/demo.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/serve_common.h"
#include "crypto/key_ring.h"

namespace zizhu::cli {

namespace {

struct DemoArgs {
  ServeArgs serve;
  bool small = false;
  uint64_t students = 6000;
  bool skip_first_change = false;
  std::string credentials_out;
  bool no_serve = false;
};

int run_serve(const ServeArgs& a) {
  auto application = app::App::open(app_options(a));
  if (!application) {
    std::cerr << "zizhu serve: " << application.error().describe() << "\n";
    return kExitCannotStart;
  }
  return serve(**application, a);
}

int run_demo(DemoArgs a) {
  // Demo only: a key file beside the database, made on first use. A real
  // installation makes its key file with `zizhu keys init` and keeps it
  // apart from the database (docs/crypto.md).
  if (a.serve.key_file.empty() && std::getenv("ZIZHU_KEYS") == nullptr) a.serve.key_file = a.serve.db + ".keys";
  if (!a.serve.key_file.empty() && !std::filesystem::exists(a.serve.key_file)) {
    if (auto made = crypto::KeyRing::generate_file(a.serve.key_file); !made) {
      std::cerr << "zizhu demo: " << made.error().message << "\n";
      return kExitCannotStart;
    }
  }
  const bool fresh = !std::filesystem::exists(a.serve.db);
  auto options = app_options(a.serve);
  auto application = app::App::open(options);
  if (!application) {
    std::cerr << "zizhu demo: " << application.error().describe() << "\n";
    return kExitCannotStart;
  }
  const std::string credentials = a.credentials_out.empty() ? a.serve.db + ".credentials.json" : a.credentials_out;
  if (fresh) {
    app::DemoOptions d;
    d.skip_first_change = a.skip_first_change;
    if (a.small) {
      d.students = 600;
      d.schools = 3;
      d.other_county_students = 200;
    } else {
      d.students = a.students;
      d.schools = static_cast<uint32_t>(std::clamp<uint64_t>(a.students / 200, 2, 30));
    }
    std::cout << "zizhu: 正在创建演示数据 (creating the demo county) ..." << std::endl;
    auto demo = app::create_demo(**application, d);
    if (!demo) {
      std::cerr << "zizhu demo: " << demo.error().describe() << "\n";
      return kExitFailed;
    }
    {
      std::ofstream out(credentials, std::ios::trunc);
      out << app::demo_credentials_json(*demo) << "\n";
    }
    ::chmod(credentials.c_str(), 0600);
    std::cout << "zizhu: " << demo->schools << " 所学校, " << demo->students << " 名学生 (schools, students)\n"
              << app::demo_credentials_table(*demo)
              << (a.skip_first_change ? "" : "首次登录须修改密码 (change the password at first login).\n")
              << "动态口令：把密钥加入手机上的验证器应用 (add the TOTP secret to an authenticator app).\n"
              << "账号清单 (credentials, mode 600): " << credentials << std::endl;
  } else {
    std::cout << "zizhu: 使用已有的演示数据库 (existing demo database); 账号见 " << credentials << std::endl;
  }
  if (a.no_serve) return kExitOk;
  return serve(**application, a.serve);
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand("serve", "提供接口与网页 (serve the API and the web front end)");
  add_serve_options(cmd, *args);
  cmd->callback([args, &exit_code] { exit_code = run_serve(*args); });

  auto demo = std::make_shared<DemoArgs>();
  auto* d = app.add_subcommand("demo", "创建演示区县并启动服务 (create a demo county, then serve it)");
  add_serve_options(d, demo->serve);
  d->add_flag("--small", demo->small, "a small county (3 schools, 600 students): for tests");
  d->add_option("--students", demo->students, "students in the demo county (default 6000)")
      ->check(CLI::Range(uint64_t{200}, uint64_t{2000000}));
  d->add_flag("--skip-first-change", demo->skip_first_change,
              "DEMO ONLY: accounts need not change their password at first login");
  d->add_option("--credentials-out", demo->credentials_out, "where to write the demo accounts (JSON, mode 600)");
  d->add_flag("--no-serve", demo->no_serve, "create the demo database and stop");
  d->callback([demo, &exit_code] { exit_code = run_demo(*demo); });
}

}  // namespace zizhu::cli

// What `zizhu serve` and `zizhu demo` share: the options of the server and
// running it until SIGTERM/SIGINT.
#pragma once

#include <string>

#include "app/app.h"

namespace CLI {
class App;
}

namespace zizhu::cli {

struct ServeArgs {
  std::string db;
  std::string listen = "127.0.0.1:8080";
  std::string key_file;
  std::string static_root;  // empty: web/dist beside the source tree, when built
  int io_threads = 1;
  int workers = 2;
  int64_t session_idle_s = 30 * 60;
  int64_t session_absolute_s = 12 * 60 * 60;
  int login_rate_per_minute = 30;
  int rate_per_ip_per_s = 2000;  // 0 = off
  std::string calendar_file;      // empty: the calendar compiled in
  int public_write_rate_per_minute = 10;
  bool test_clock = false;
};

void add_serve_options(CLI::App* command, ServeArgs& args);
app::AppOptions app_options(const ServeArgs& args);

// Serves until a stop signal; returns the exit code.
int serve(app::App& app, const ServeArgs& args);

}  // namespace zizhu::cli

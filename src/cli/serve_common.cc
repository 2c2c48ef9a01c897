#include "cli/serve_common.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "server/api/route.h"
#include "server/http/router.h"
#include "server/http/server.h"

namespace zizhu::cli {

namespace {

// web/dist beside the build folder (build/zizhu → web/dist), when the front
// end has been built.
std::string default_static_root() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto dist = exe.parent_path().parent_path() / "web" / "dist";
  return std::filesystem::is_regular_file(dist / "index.html", ec) ? dist.string() : std::string();
}

}  // namespace

void add_serve_options(CLI::App* c, ServeArgs& a) {
  c->add_option("--db", a.db, "SQLite database file")->required();
  c->add_option("--listen", a.listen, "HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one)");
  c->add_option("--key-file", a.key_file, "key file (default: the ZIZHU_KEYS environment variable)");
  c->add_option("--static", a.static_root, "the built web front end (default: web/dist when built)");
  c->add_option("--io-threads", a.io_threads, "threads for the sockets")->check(CLI::Range(1, 64));
  c->add_option("--workers", a.workers, "threads for the API handlers")->check(CLI::Range(1, 256));
  c->add_option("--session-idle-s", a.session_idle_s, "session idle timeout in seconds (default 1800)")
      ->check(CLI::Range(1, 86400));
  c->add_option("--session-absolute-s", a.session_absolute_s, "session absolute timeout in seconds (default 43200)")
      ->check(CLI::Range(1, 7 * 86400));
  c->add_option("--login-rate-per-minute", a.login_rate_per_minute, "logins per client address per minute (0 = off)")
      ->check(CLI::Range(0, 100000));
  c->add_option("--rate-per-ip", a.rate_per_ip_per_s, "API requests per client address per second (0 = off)")
      ->check(CLI::Range(0, 1000000));
  c->add_option("--calendar", a.calendar_file, "working-day calendar CSV (default: the one compiled in)");
  c->add_option("--public-write-rate-per-minute", a.public_write_rate_per_minute,
                "objections and anonymous feedback per client address per minute (0 = off)")
      ->check(CLI::Range(0, 100000));
  c->add_flag("--test-clock", a.test_clock, "allow PUT /api/v1/test/clock (tests only)");
}

app::AppOptions app_options(const ServeArgs& a) {
  app::AppOptions o;
  o.db_path = a.db;
  o.key_file = a.key_file;
  o.security.session_idle_ms = a.session_idle_s * 1000;
  o.security.session_absolute_ms = a.session_absolute_s * 1000;
  // Sessions re-read at least this often: never longer than the idle time.
  o.security.session_cache_ms = std::min<int64_t>(o.security.session_cache_ms, o.security.session_idle_ms / 2);
  o.security.session_touch_interval_ms =
      std::min<int64_t>(o.security.session_touch_interval_ms, o.security.session_idle_ms / 4);
  o.login_rate_per_minute = a.login_rate_per_minute;
  o.calendar_file = a.calendar_file;
  o.public_write_rate_per_minute = a.public_write_rate_per_minute;
  o.test_clock = a.test_clock;
  o.stores_max = static_cast<size_t>(a.workers);
  return o;
}

int serve(app::App& application, const ServeArgs& a) {
  const size_t colon = a.listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "zizhu serve: --listen 须为 HOST:PORT\n";
    return 2;
  }
  if (application.test_clock()) {
    std::cerr << "zizhu serve: 警告：已开启测试时钟 (--test-clock)，任何人都可以修改服务器时间，仅供测试使用\n";
  }
  server::http::Router router;
  server::api::add_api_routes(router, application);
  server::http::ServerOptions o;
  o.host = a.listen.substr(0, colon);
  try {
    const int port = std::stoi(a.listen.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    o.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    std::cerr << "zizhu serve: --listen 的端口无效 (bad port)\n";
    return 2;
  }
  o.io_threads = a.io_threads;
  o.worker_threads = a.workers;
  o.rate_per_ip_per_s = a.rate_per_ip_per_s;
  o.static_root = a.static_root.empty() ? default_static_root() : a.static_root;
  o.handle_signals = true;
  o.body_limit_for = [&router](std::string_view method, std::string_view path) {
    return router.body_limit(method, path);
  };
  server::http::HttpServer server(o, [&router](server::http::Request& r) { return router.dispatch(r); });
  if (auto ok = server.listen(); !ok) {
    std::cerr << "zizhu serve: " << ok.error().message << "\n";
    return 2;
  }
  std::cout << "zizhu: listening on http://" << o.host << ":" << server.port() << std::endl;
  if (!o.static_root.empty()) std::cout << "zizhu: web front end from " << o.static_root << std::endl;
  server.run();
  std::cout << "zizhu: stopped" << std::endl;
  return 0;
}

}  // namespace zizhu::cli

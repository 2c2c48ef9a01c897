// The HTTP shell on real sockets: routing, limits, the bounded worker queue,
// static files, headers, graceful stop. No timing assertions: latches and
// futures order the steps.
#include "server/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "server/http/router.h"
#include "server/http/static_files.h"

namespace zizhu::server::http {
namespace {

// Sends raw bytes, reads until the server closes or `responses` answers
// (counted by status lines) have arrived.
std::string send_raw(uint16_t port, const std::string& raw, int responses = 1) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "connect failed";
  size_t sent = 0;
  while (sent < raw.size()) {
    const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string out;
  char buf[65536];
  for (;;) {
    int seen = 0;
    for (size_t p = out.find("HTTP/1.1 "); p != std::string::npos; p = out.find("HTTP/1.1 ", p + 1)) ++seen;
    if (seen >= responses && out.find("\r\n\r\n") != std::string::npos) {
      // Complete when the last body is in (Content-Length).
      const size_t last = out.rfind("HTTP/1.1 ");
      const size_t head_end = out.find("\r\n\r\n", last);
      const size_t cl = out.find("Content-Length: ", last);
      if (head_end != std::string::npos && cl != std::string::npos && cl < head_end) {
        const size_t length = std::stoul(out.substr(cl + 16));
        if (out.size() >= head_end + 4 + length) break;
      }
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string get(uint16_t port, const std::string& path, const std::string& extra = "") {
  return send_raw(port, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + "\r\n");
}

struct Running {
  std::unique_ptr<HttpServer> server;
  std::thread thread;
  ~Running() {
    server->stop();
    thread.join();
  }
};

std::unique_ptr<Running> start(ServerOptions options, Router& router) {
  options.port = 0;
  options.body_limit_for = [&router](std::string_view m, std::string_view p) { return router.body_limit(m, p); };
  auto r = std::make_unique<Running>();
  r->server = std::make_unique<HttpServer>(options, [&router](Request& q) { return router.dispatch(q); });
  EXPECT_TRUE(r->server->listen());
  r->thread = std::thread([s = r->server.get()] { s->run(); });
  return r;
}

TEST(Router, ParamsLiteralsAnd405) {
  Router router;
  router.add({"GET", "/a/{id}", "", 0, "", [](const Request&, const RouteMatch& m) {
                return Response::json(200, std::string(m.param("id")));
              }});
  router.add({"POST", "/a/import", "", 0, "", [](const Request&, const RouteMatch&) {
                return Response::json(201, "import");
              }});
  Request q;
  q.method = "GET";
  q.path = "/a/42";
  EXPECT_EQ(router.dispatch(q).body, "42");
  q.method = "POST";
  q.path = "/a/import";
  EXPECT_EQ(router.dispatch(q).status, 201u);
  q.method = "DELETE";
  const Response r = router.dispatch(q);
  EXPECT_EQ(r.status, 405u);
  q.path = "/b";
  EXPECT_EQ(router.dispatch(q).status, 404u);
}

TEST(Message, TargetsAndCookies) {
  Request q;
  ASSERT_TRUE(parse_target("/p%20q?a=1&b=x+y&c=%E4%B8%AD", q));
  EXPECT_EQ(q.path, "/p q");
  EXPECT_EQ(q.query("b"), "x y");
  EXPECT_EQ(q.query("c"), "中");
  EXPECT_FALSE(parse_target("/bad%zz", q));
  EXPECT_FALSE(parse_target("/nul%00", q));
  // Found by request_fuzz: a raw NUL in the target.
  EXPECT_FALSE(parse_target(std::string_view("/\x87\x1b(\xfc\x7f\0\0a", 9), q));
  EXPECT_FALSE(parse_target("/a\tb", q));
  q.headers = {{"cookie", "a=1; zizhu_session=abc; b=2"}};
  EXPECT_EQ(q.cookie("zizhu_session"), "abc");
  EXPECT_FALSE(q.cookie("zz").has_value());
}

TEST(HttpServer, KeepAliveLimitsAndHeaders) {
  Router router;
  router.add({"POST", "/api/echo", "", 16, "", [](const Request& q, const RouteMatch&) {
                return Response::json(200, q.body);
              }});
  router.add({"GET", "/api/throw", "", 0, "", [](const Request&, const RouteMatch&) -> Response {
                throw std::runtime_error("boom");
              }});
  auto s = start({}, router);
  const uint16_t port = s->server->port();
  // Two requests on one connection.
  const std::string two = send_raw(port,
                                   "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
                                   "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nho",
                                   2);
  EXPECT_NE(two.find("hi"), std::string::npos);
  EXPECT_NE(two.find("ho"), std::string::npos);
  EXPECT_NE(two.find("Cache-Control: no-store"), std::string::npos);
  EXPECT_NE(two.find("X-Frame-Options: DENY"), std::string::npos);
  EXPECT_NE(two.find("Content-Security-Policy: default-src 'self'"), std::string::npos);
  // Over the route's 16 bytes: 413, announced or chunked.
  const std::string big = send_raw(port, "POST /api/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n12345678901234567");
  EXPECT_EQ(big.substr(0, 12), "HTTP/1.1 413");
  const std::string chunked = send_raw(
      port, "POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n1234567890123456\r\n5\r\n12345\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.substr(0, 12), "HTTP/1.1 413");
  // An oversized header.
  const std::string header = get(port, "/api/echo", "X-Big: " + std::string(10000, 'a') + "\r\n");
  EXPECT_EQ(header.substr(0, 12), "HTTP/1.1 431");
  // A handler that throws: 500 without the detail.
  const std::string thrown = get(port, "/api/throw");
  EXPECT_EQ(thrown.substr(0, 12), "HTTP/1.1 500");
  EXPECT_EQ(thrown.find("boom"), std::string::npos);
}

TEST(HttpServer, FullQueueAnswers503AndStopFinishesInFlight) {
  Router router;
  std::promise<void> started;
  std::promise<void> release;
  auto released = release.get_future().share();
  std::atomic<int> calls{0};
  router.add({"GET", "/api/slow", "", 0, "", [&](const Request&, const RouteMatch&) {
                if (calls++ == 0) {
                  started.set_value();
                  released.wait();
                }
                return Response::json(200, "done");
              }});
  ServerOptions o;
  o.worker_threads = 1;
  o.worker_queue_max = 1;
  auto s = start(o, router);
  const uint16_t port = s->server->port();
  auto first = std::async(std::launch::async, [port] { return get(port, "/api/slow"); });
  started.get_future().wait();  // the only worker is busy from now on
  // Three more at once: one waits in the queue (size 1), the other two find
  // it full and are answered 503 at once.
  std::vector<std::future<std::string>> more;
  for (int i = 0; i < 3; ++i) {
    more.push_back(std::async(std::launch::async, [port] { return get(port, "/api/slow"); }));
  }
  for (int round = 0; round < 30000; ++round) {  // bounded wait for the two refusals
    int ready = 0;
    for (auto& f : more) ready += f.wait_for(std::chrono::milliseconds(1)) == std::future_status::ready;
    if (ready >= 2) break;
  }
  // Stop while two requests are still in the server: both get their answer.
  s->server->stop();
  release.set_value();
  EXPECT_EQ(first.get().substr(0, 12), "HTTP/1.1 200");
  int refused = 0;
  int served = 0;
  for (auto& f : more) {
    const std::string r = f.get();
    refused += r.substr(0, 12) == "HTTP/1.1 503" && r.find("Retry-After") != std::string::npos;
    served += r.substr(0, 12) == "HTTP/1.1 200";
  }
  EXPECT_EQ(refused, 2);
  EXPECT_EQ(served, 1);
}

TEST(HttpServer, RateLimitPerAddress) {
  Router router;
  router.add({"GET", "/api/x", "", 0, "", [](const Request&, const RouteMatch&) { return Response::json(200, "{}"); }});
  ServerOptions o;
  o.rate_per_ip_per_s = 2;  // burst 4
  auto s = start(o, router);
  int limited = 0;
  for (int i = 0; i < 20; ++i) limited += get(s->server->port(), "/api/x").substr(0, 12) == "HTTP/1.1 429";
  EXPECT_GT(limited, 0);
}

TEST(StaticFiles, TypesCachingFallbackAndTraversal) {
  const auto root = std::filesystem::temp_directory_path() / ("zizhu-static-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<html>index</html>";
  std::ofstream(root / "assets" / "app-1a2b.js") << "console.log(1)";
  std::ofstream(root / "assets" / "app-1a2b.js.gz") << "GZ";
  std::ofstream(root.parent_path() / "secret.txt") << "secret";
  StaticFiles files(root);
  Request q;
  q.method = "GET";
  q.path = "/assets/app-1a2b.js";
  Response js = files.serve(q);
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  auto has = [](const Response& r, std::string_view k, std::string_view v) {
    for (const auto& [a, b] : r.headers) {
      if (a == k && b.find(v) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(js, "Cache-Control", "immutable"));
  q.headers = {{"accept-encoding", "gzip, deflate"}};
  Response gz = files.serve(q);
  EXPECT_EQ(gz.body, "GZ");
  EXPECT_TRUE(has(gz, "Content-Encoding", "gzip"));
  q.headers.clear();
  q.path = "/students/42";  // a front-end route
  Response spa = files.serve(q);
  EXPECT_EQ(spa.body, "<html>index</html>");
  EXPECT_TRUE(has(spa, "Cache-Control", "no-cache"));
  std::string etag;
  for (const auto& [k, v] : spa.headers) {
    if (k == "ETag") etag = v;
  }
  q.headers = {{"if-none-match", etag}};
  EXPECT_EQ(files.serve(q).status, 304u);
  q.headers.clear();
  q.path = "/../secret.txt";
  EXPECT_EQ(files.serve(q).status, 404u);
  q.path = "/missing.js";
  EXPECT_EQ(files.serve(q).status, 404u);
  std::filesystem::remove_all(root);
  std::filesystem::remove(root.parent_path() / "secret.txt");
}

}  // namespace
}  // namespace zizhu::server::http

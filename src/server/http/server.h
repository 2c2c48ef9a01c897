// The HTTP shell: Boost.Beast over Asio, keep-alive, explicit limits, a
// bounded worker pool for the API (database work), static files for the web
// front end, security headers, per-address rate limiting, graceful stop.
//
// Threads: `io_threads` run the sockets (reading, writing, static files);
// `worker_threads` run the API handlers. A request that finds
// `worker_queue_max` requests already waiting gets 503 at once, so a flood
// cannot pile up unbounded work. See docs/http.md.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "server/http/message.h"

namespace zizhu::server::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (port() tells which)
  int io_threads = 1;
  int worker_threads = 2;
  size_t worker_queue_max = 1024;
  uint32_t header_limit_bytes = 8 * 1024;
  // Consulted after the header is read and before the body: a larger
  // Content-Length is answered 413 without reading it.
  std::function<uint64_t(std::string_view method, std::string_view path)> body_limit_for;
  int64_t header_timeout_ms = 10'000;
  int64_t body_timeout_ms = 60'000;
  int64_t idle_timeout_ms = 30'000;
  size_t connections_max = 10'000;
  // Requests per second per client address for /api/ (burst twice that); 0 = off.
  int rate_per_ip_per_s = 0;
  std::string static_root;  // the built front end; empty: no static files
  bool handle_signals = false;  // stop gracefully on SIGTERM / SIGINT
  int64_t stop_grace_ms = 10'000;
};

using Dispatch = std::function<Response(Request&)>;

class HttpServer {
 public:
  HttpServer(ServerOptions options, Dispatch dispatch);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (an error names the address), without serving yet.
  Result<void> listen();
  uint16_t port() const;
  // Serves until stop() or a signal; requests in flight are finished.
  void run();
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// Headers every answer carries (CSP, nosniff, frame denial, ...).
void add_security_headers(Response& response, bool is_api);

}  // namespace zizhu::server::http

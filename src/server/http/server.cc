#include "server/http/server.h"

#include <chrono>
#include <iostream>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/http/beast.h"
#include "server/http/static_files.h"

namespace zizhu::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

void add_security_headers(Response& r, bool is_api) {
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                         "img-src 'self' data:; font-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
                         "base-uri 'self'; form-action 'self'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  if (is_api) r.headers.emplace_back("Cache-Control", "no-store");
}

namespace {

// Token buckets per client address (bounded: forgotten when too many).
class IpLimiter {
 public:
  explicit IpLimiter(int rate_per_s) : rate_per_s_(rate_per_s) {}
  bool allow(const std::string& ip) {
    if (rate_per_s_ <= 0) return true;
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (buckets_.size() > 100'000) buckets_.clear();
    auto [it, fresh] = buckets_.try_emplace(ip, Bucket{2.0 * rate_per_s_, now});
    Bucket& b = it->second;
    if (!fresh) {
      const double elapsed_s = std::chrono::duration<double>(now - b.at).count();
      b.tokens = std::min(2.0 * rate_per_s_, b.tokens + elapsed_s * rate_per_s_);
      b.at = now;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
  }

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  int rate_per_s_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

bhttp::response<bhttp::string_body> to_beast(Response&& r, unsigned version, bool keep_alive) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
  out.set(bhttp::field::server, "zizhu");
  if (!r.content_type.empty()) out.set(bhttp::field::content_type, r.content_type);
  for (auto& [k, v] : r.headers) out.insert(k, v);
  out.body() = std::move(r.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  ServerOptions options;
  Dispatch dispatch;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::thread_pool workers;
  std::atomic<size_t> queued{0};
  std::atomic<size_t> connections{0};
  std::atomic<size_t> in_flight{0};
  std::atomic<bool> stopping{false};
  IpLimiter limiter;
  std::unique_ptr<StaticFiles> files;
  asio::signal_set signals{ioc};
  uint16_t bound_port = 0;

  Impl(ServerOptions o, Dispatch d)
      : options(std::move(o)),
        dispatch(std::move(d)),
        workers(static_cast<size_t>(std::max(1, options.worker_threads))),
        limiter(options.rate_per_ip_per_s) {
    if (!options.static_root.empty()) files = std::make_unique<StaticFiles>(options.static_root);
  }

  std::unique_ptr<asio::steady_timer> stop_timer;
  std::chrono::steady_clock::time_point stop_deadline;

  void accept();
  void begin_stop();
  void poll_stop();
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ip_ = endpoint.address().to_string();
  }
  ~Session() { --server_.connections; }

  void start() { read_header(); }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(server_.options.header_limit_bytes);
    // Beast checks Content-Length against its default body limit while
    // reading the header; the route's own limit is set once the header is in.
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    stream_.expires_after(std::chrono::milliseconds(requests_ == 0 ? server_.options.header_timeout_ms
                                                                   : server_.options.idle_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) return refuse(431, "HEADER_TOO_LARGE", "请求头过大");
    if (ec) return close();
    ++requests_;
    auto& req = parser_->get();
    const std::string path(req.target().substr(0, req.target().find('?')));
    uint64_t limit = 1024 * 1024;
    if (path.rfind("/api/", 0) == 0 && server_.options.body_limit_for) {
      limit = server_.options.body_limit_for(std::string(req.method_string()), path);
    } else if (path.rfind("/api/", 0) != 0) {
      limit = 0;  // static files take no body
    }
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return refuse(413, "TOO_LARGE", "请求体过大", true);
    }
    parser_->body_limit(limit);
    stream_.expires_after(std::chrono::milliseconds(server_.options.body_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code e, size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return refuse(413, "TOO_LARGE", "请求体过大", true);
    if (ec) return close();
    auto req = parser_->release();
    keep_alive_ = req.keep_alive() && !server_.stopping;
    version_ = req.version();
    Request r;
    r.method = std::string(req.method_string());
    r.target = std::string(req.target());
    r.remote_ip = remote_ip_;
    if (!parse_target(r.target, r)) return respond(Response::error(400, "BAD_REQUEST", "请求地址无效"), false);
    for (const auto& field : req) {
      std::string name(field.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    r.body = std::move(req.body());
    const bool is_api = r.path.rfind("/api/", 0) == 0;
    if (!is_api) {
      Response out = server_.files ? server_.files->serve(r) : Response::error(404, "NOT_FOUND", "页面不存在");
      add_security_headers(out, false);
      return respond(std::move(out), true);
    }
    if (!server_.limiter.allow(remote_ip_)) {
      Response out = Response::error(429, "RATE_LIMITED", "请求过于频繁，请稍后再试");
      out.headers.emplace_back("Retry-After", "1");
      add_security_headers(out, true);
      return respond(std::move(out), true);
    }
    if (server_.queued.load() >= server_.options.worker_queue_max) {
      Response out = Response::error(503, "BUSY", "服务器繁忙，请稍后再试");
      out.headers.emplace_back("Retry-After", "1");
      add_security_headers(out, true);
      return respond(std::move(out), true);
    }
    ++server_.queued;
    ++server_.in_flight;
    asio::post(server_.workers, [self = shared_from_this(), request = std::move(r)]() mutable {
      --self->server_.queued;
      Response out;
      try {
        out = self->server_.dispatch(request);
      } catch (const std::exception& e) {
        std::cerr << "zizhu serve: handler failed: " << e.what() << "\n";
        out = Response::error(500, "INTERNAL", "服务器内部错误");
      }
      add_security_headers(out, true);
      asio::post(self->stream_.get_executor(), [self, response = std::move(out)]() mutable {
        self->respond(std::move(response), true, true);
      });
    });
  }

  // An answer that ends the connection. With `drain`, the rest of the
  // client's upload is read and thrown away first (bounded in bytes and
  // time), so that a client still sending sees the 413 instead of a reset.
  void refuse(unsigned status, std::string_view code, std::string_view message, bool drain = false) {
    Response out = Response::error(status, code, message);
    add_security_headers(out, true);
    draining_ = drain;
    respond(std::move(out), false);
  }

  void drain() {
    static constexpr size_t kDrainBytesMax = 128ull * 1024 * 1024;
    static constexpr int64_t kDrainTimeoutMs = 5000;
    if (drain_buffer_.empty()) {
      drain_buffer_.resize(64 * 1024);
      stream_.expires_after(std::chrono::milliseconds(kDrainTimeoutMs));
    }
    stream_.async_read_some(asio::buffer(drain_buffer_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              self->drained_bytes_ += n;
                              if (ec || self->drained_bytes_ > kDrainBytesMax) return self->close();
                              self->drain();
                            });
  }

  void respond(Response&& response, bool may_keep_alive, bool from_worker = false) {
    const bool keep = may_keep_alive && keep_alive_ && !server_.stopping;
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>(to_beast(std::move(response), version_, keep));
    stream_.expires_after(std::chrono::milliseconds(server_.options.body_timeout_ms));
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message, keep, from_worker](beast::error_code ec, size_t) {
                         if (from_worker) --self->server_.in_flight;
                         if (!ec && self->draining_) return self->drain();
                         if (ec || !keep) return self->close();
                         self->read_header();
                       });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_ip_;
  bool keep_alive_ = false;
  bool draining_ = false;
  std::vector<char> drain_buffer_;
  size_t drained_bytes_ = 0;
  unsigned version_ = 11;
  uint64_t requests_ = 0;
};

}  // namespace

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (stopping) return;
    } else if (connections.load() >= options.connections_max) {
      beast::error_code ignored;
      socket.close(ignored);  // over the bound: refused at once
    } else {
      ++connections;
      std::make_shared<Session>(std::move(socket), *this)->start();
    }
    if (!stopping) accept();
  });
}

void HttpServer::Impl::begin_stop() {
  if (stopping.exchange(true)) return;
  beast::error_code ignored;
  acceptor.close(ignored);
  // Waits for the requests in flight (bounded), then stops the loop; idle
  // keep-alive connections are closed with it.
  stop_timer = std::make_unique<asio::steady_timer>(ioc);
  stop_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.stop_grace_ms);
  poll_stop();
}

void HttpServer::Impl::poll_stop() {
  if (in_flight.load() == 0 || std::chrono::steady_clock::now() >= stop_deadline) {
    ioc.stop();
    return;
  }
  stop_timer->expires_after(std::chrono::milliseconds(20));
  stop_timer->async_wait([this](beast::error_code) { poll_stop(); });
}

HttpServer::HttpServer(ServerOptions options, Dispatch dispatch)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(dispatch))) {}

HttpServer::~HttpServer() {
  impl_->ioc.stop();
  impl_->workers.join();
}

Result<void> HttpServer::listen() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.host, ec);
  if (ec) return fail("ARGS", "无效的监听地址 (bad listen address) " + impl_->options.host);
  const tcp::endpoint endpoint{address, impl_->options.port};
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail("IO", "无法监听 (cannot listen on) " + impl_->options.host + ":" +
                          std::to_string(impl_->options.port) + ": " + ec.message());
  }
  impl_->bound_port = impl_->acceptor.local_endpoint().port();
  return {};
}

uint16_t HttpServer::port() const { return impl_->bound_port; }

void HttpServer::run() {
  if (impl_->options.handle_signals) {
    impl_->signals.add(SIGTERM);
    impl_->signals.add(SIGINT);
    impl_->signals.async_wait([this](beast::error_code ec, int) {
      if (!ec) impl_->begin_stop();
    });
  }
  impl_->accept();
  std::vector<std::thread> extra;
  for (int i = 1; i < impl_->options.io_threads; ++i) extra.emplace_back([this] { impl_->ioc.run(); });
  impl_->ioc.run();
  for (auto& t : extra) t.join();
}

void HttpServer::stop() {
  asio::post(impl_->ioc, [this] { impl_->begin_stop(); });
}

}  // namespace zizhu::server::http

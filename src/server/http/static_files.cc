#include "server/http/static_files.h"

#include <fstream>
#include <sstream>

namespace zizhu::server::http {

namespace {

constexpr size_t kCacheBytesMax = 64 * 1024 * 1024;
constexpr size_t kFileBytesMax = 32 * 1024 * 1024;

bool accepts(const Request& r, std::string_view encoding) {
  auto h = r.header("accept-encoding");
  return h && h->find(encoding) != std::string_view::npos;
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) {
  std::error_code ec;
  root_ = std::filesystem::weakly_canonical(root, ec);
  if (ec) root_ = std::move(root);
}

std::string_view StaticFiles::content_type(std::string_view name) {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".pdf", "application/pdf"},
      {".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
  };
  for (const Entry& e : kTypes) {
    if (name.size() >= e.ext.size() && name.substr(name.size() - e.ext.size()) == e.ext) return e.type;
  }
  return "application/octet-stream";
}

const StaticFiles::Cached* StaticFiles::load(const std::filesystem::path& file) {
  const std::string key = file.string();
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec || size > kFileBytesMax) return nullptr;
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream ss;
  ss << in.rdbuf();
  Cached c;
  c.body = ss.str();
  const auto mtime = std::filesystem::last_write_time(file, ec).time_since_epoch().count();
  c.etag = "\"" + std::to_string(c.body.size()) + "-" + std::to_string(mtime) + "\"";
  if (cached_bytes_ + c.body.size() > kCacheBytesMax) {
    cache_.clear();
    cached_bytes_ = 0;
  }
  cached_bytes_ += c.body.size();
  return &cache_.emplace(key, std::move(c)).first->second;
}

Response StaticFiles::serve(const Request& request) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = Response::error(405, "METHOD_NOT_ALLOWED", "不支持此请求方法");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  std::string rel = request.path.substr(1);
  if (rel.empty()) rel = "index.html";
  // Refuse anything that could step out of the root, before touching the
  // file system.
  if (rel.find("..") != std::string::npos || rel.find('\\') != std::string::npos ||
      rel.find('\0') != std::string::npos) {
    return Response::error(404, "NOT_FOUND", "页面不存在");
  }
  std::error_code ec;
  auto file = std::filesystem::weakly_canonical(root_ / rel, ec);
  const bool inside = !ec && file.string().rfind(root_.string() + "/", 0) == 0;
  if (!inside || !std::filesystem::is_regular_file(file, ec)) {
    // The SPA fallback: a route of the front end, not a missing asset.
    const bool has_extension = std::filesystem::path(rel).has_extension();
    if (has_extension) return Response::error(404, "NOT_FOUND", "页面不存在");
    file = root_ / "index.html";
    if (!std::filesystem::is_regular_file(file, ec)) return Response::error(404, "NOT_FOUND", "页面不存在");
  }
  const bool immutable = rel.rfind("assets/", 0) == 0;
  Response r;
  r.content_type = std::string(content_type(file.filename().string()));
  r.headers.emplace_back("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  const Cached* chosen = nullptr;
  for (const auto& [enc, ext] : {std::pair<std::string_view, std::string_view>{"br", ".br"}, {"gzip", ".gz"}}) {
    if (!accepts(request, enc)) continue;
    auto variant = file;
    variant += std::string(ext);
    if (std::filesystem::is_regular_file(variant, ec) && (chosen = load(variant)) != nullptr) {
      r.headers.emplace_back("Content-Encoding", std::string(enc));
      break;
    }
  }
  if (chosen == nullptr) chosen = load(file);
  if (chosen == nullptr) return Response::error(404, "NOT_FOUND", "页面不存在");
  r.headers.emplace_back("ETag", chosen->etag);
  if (auto match = request.header("if-none-match"); match && *match == chosen->etag) {
    r.status = 304;
    return r;
  }
  if (request.method == "GET") r.body = chosen->body;
  return r;
}

}  // namespace zizhu::server::http

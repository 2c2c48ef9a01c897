// The built web front end: files under a root folder, with the SPA fallback to
// index.html, content types, caching (hashed /assets/ files immutable,
// everything else revalidated by ETag), precompressed .br/.gz variants, and
// no way out of the root.
#pragma once

#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/http/message.h"

namespace zizhu::server::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  Response serve(const Request& request);

  // The MIME type for a file name's extension.
  static std::string_view content_type(std::string_view file_name);

 private:
  struct Cached {
    std::string body;
    std::string etag;
  };
  // The file's bytes, cached in memory (bounded by kCacheBytesMax).
  const Cached* load(const std::filesystem::path& file);

  std::filesystem::path root_;
  std::mutex mutex_;
  std::unordered_map<std::string, Cached> cache_;
  size_t cached_bytes_ = 0;
};

}  // namespace zizhu::server::http

// Uploaded tables (rosters, the departments' lists): told apart by content,
// and held in a temporary file only while they are read, because the table
// readers (io/table.h) read files.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.h"

namespace zizhu::app {

// What the bytes are, by content: ".xlsx", ".csv", or empty when neither.
std::string table_kind(std::string_view content);

// A temporary file holding an upload, removed when this goes away. Uploads
// hold plain ID numbers: the file is created readable by the owner only
// (never a moment with wider rights).
class TempUpload {
 public:
  // Writes `content` to a new file with the extension `kind` (".csv", ".xlsx").
  static Result<TempUpload> save(std::string_view content, std::string_view kind);
  TempUpload(TempUpload&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempUpload& operator=(TempUpload&&) = delete;
  TempUpload(const TempUpload&) = delete;
  TempUpload& operator=(const TempUpload&) = delete;
  ~TempUpload();
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit TempUpload(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

// What an import error means to the user: the temporary name replaced by
// `shown_as`; a file that cannot be read as a table becomes the user's to fix
// (`unreadable_code`, answered 422), while a database failure stays what it
// is (500).
Error upload_error(Error e, std::string_view shown_as, std::string_view unreadable_code);

}  // namespace zizhu::app

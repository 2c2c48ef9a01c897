// Helpers for the store tests only (header-only: not part of the library).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "store/sensitive.h"

namespace zizhu::store::testing {

// A fresh directory under the system temp folder, removed with its contents.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zizhu-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string write(const std::string& name, const std::string& content) const {
    const std::string full = file(name);
    std::ofstream out(full, std::ios::binary);
    out << content;
    return full;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A codec whose stored form and blind index both differ from the plain text,
// as SM4 and HMAC-SM3 will: tests run with it prove that every query goes
// through the codec (a lookup on the plain value would find nothing) and that
// no plain value reaches the file.
class ScramblingCodec final : public SensitiveCodec {
 public:
  std::string encode_for_storage(SensitiveKind kind, std::string_view plain) const override {
    return "enc:" + std::string(sensitive_kind_name(kind)) + ":" + flip(plain);
  }
  Result<std::string> decode(SensitiveKind kind, std::string_view stored) const override {
    const std::string prefix = "enc:" + std::string(sensitive_kind_name(kind)) + ":";
    if (stored.substr(0, prefix.size()) != prefix) return fail("DECRYPT", "not encoded by this codec");
    return flip(stored.substr(prefix.size()));
  }
  std::string blind_index(SensitiveKind kind, std::string_view plain) const override {
    return "idx:" + std::string(sensitive_kind_name(kind)) + ":" + flip(plain);
  }

 private:
  // Reversed, with digits mapped d -> 9-d: no plain digit run survives.
  static std::string flip(std::string_view text) {
    std::string out(text.rbegin(), text.rend());
    for (char& c : out) {
      if (c >= '0' && c <= '9') c = static_cast<char>('9' - (c - '0'));
    }
    return out;
  }
};

}  // namespace zizhu::store::testing

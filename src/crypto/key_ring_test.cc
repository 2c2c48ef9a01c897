#include "crypto/key_ring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "crypto/test_bytes.h"

namespace zizhu::crypto {
namespace {

using testing::bytes;

constexpr std::string_view kHexA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr std::string_view kHexB = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

std::string two_keys() {
  return "# test keys\nk1 " + std::string(kHexA) + "\n\nk2 " + std::string(kHexB) + "  # newest\n";
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "zizhu-keys-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

std::string write_file(const std::string& path, const std::string& content, mode_t mode) {
  std::ofstream(path) << content;
  ::chmod(path.c_str(), mode);
  return path;
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// --- parsing ---------------------------------------------------------------------

TEST(KeyRing, LastKeyIsActive) {
  auto ring = KeyRing::parse(two_keys(), "test");
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->active_id(), "k2");
  EXPECT_EQ(ring->ids(), (std::vector<std::string>{"k1", "k2"}));
  EXPECT_TRUE(ring->contains("k1"));
  EXPECT_FALSE(ring->contains("k3"));
}

TEST(KeyRing, SemicolonsSeparateLikeNewlines) {
  auto ring = KeyRing::parse("k1 " + std::string(kHexA) + ";prod-2 " + std::string(kHexB) + ";", "ZIZHU_KEYS");
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->active_id(), "prod-2");
  // A ';' inside a comment is part of the comment.
  auto commented = KeyRing::parse("# one; two\nk1 " + std::string(kHexA) + " # a; b\n", "keys.txt");
  ASSERT_TRUE(commented.has_value()) << commented.error().message;
  EXPECT_EQ(commented->ids(), std::vector<std::string>{"k1"});
}

TEST(KeyRing, RefusesMalformedListsWithoutShowingKeys) {
  const std::string a(kHexA);
  struct Case {
    std::string text;
    std::string code;
    std::string says;
  };
  const Case cases[] = {
      {"", "NO_KEYS", "没有密钥"},
      {"# only a comment\n", "NO_KEYS", "没有密钥"},
      {"k1 " + a.substr(2), "KEY_FILE", "64"},             // 31 bytes
      {"k1 " + a + "00", "KEY_FILE", "64"},                // 33 bytes
      {"k1 " + a.substr(0, 62) + "zz", "KEY_FILE", "64"},  // not hex
      {"k1", "KEY_FILE", "64"},
      {"k.1 " + a, "KEY_FILE", "密钥编号"},  // '.' separates the parts of a sealed value
      {"a-very-long-key-id-x " + a, "KEY_FILE", "密钥编号"},
      {"k1 " + a + "\nk1 " + std::string(kHexB), "KEY_FILE", "重复"},
      {"k1 " + a + " extra", "KEY_FILE", "64"},
  };
  for (const Case& c : cases) {
    auto ring = KeyRing::parse(c.text, "keys.txt");
    ASSERT_FALSE(ring.has_value()) << c.text;
    EXPECT_EQ(ring.error().code, c.code) << c.text;
    EXPECT_NE(ring.error().message.find(c.says), std::string::npos) << ring.error().message;
    EXPECT_NE(ring.error().message.find("keys.txt"), std::string::npos) << ring.error().message;
    EXPECT_EQ(ring.error().message.find(a.substr(0, 16)), std::string::npos) << "key material in a message";
  }
  auto line = KeyRing::parse("k1 " + a + "\n\nk2 zz", "keys.txt");
  ASSERT_FALSE(line.has_value());
  EXPECT_NE(line.error().message.find("line 3"), std::string::npos) << line.error().message;
}

TEST(KeyRing, RefusesMoreThanTheMaximum) {
  std::string text;
  for (size_t i = 0; i <= kKeyRingKeysMax; ++i) text += "k" + std::to_string(i) + " " + std::string(kHexA) + "\n";
  auto ring = KeyRing::parse(text, "many");
  ASSERT_FALSE(ring.has_value());
  EXPECT_EQ(ring.error().code, "KEY_FILE");
}

// --- derivation ------------------------------------------------------------------

// Pinned with another implementation, the OpenSSL command line:
//   printf 'zizhu/sm4' | openssl dgst -sm3 -mac HMAC -macopt hexkey:0001...1f
// The labels are part of the stored format: change one and every database
// sealed before can no longer be read.
TEST(KeyRing, DerivedKeysAreHmacSm3OfTheLabels) {
  auto ring = KeyRing::parse("k1 " + std::string(kHexA), "test");
  ASSERT_TRUE(ring.has_value());
  auto hex = [&](std::string_view label) { return to_hex(ring->derive("k1", label)->bytes()); };
  EXPECT_EQ(hex(kLabelSm4), "39aaabf827e7b190de0a9c5ef8e65845980057da4e39d88c7a9883ca6b7841a3");
  EXPECT_EQ(hex(kLabelMac), "d842620192fc59addae15b7227a033a68e6118d0df238b830928fef812ea9ca9");
  EXPECT_EQ(hex("zizhu/index/resident_id"), "029b8163e217542adc6c8b3fc0162b5ffcbeb4f5ca089a7c82f96fc213581f84");
  EXPECT_EQ(hex(kLabelAudit), "ac14ac78341f6b820914009853b823461ea88a4936b196d94b806c3bb9797614");
  auto audit = ring->audit_key("k1");
  ASSERT_TRUE(audit.has_value());
  EXPECT_EQ(to_hex(*audit), "ac14ac78341f6b820914009853b823461ea88a4936b196d94b806c3bb9797614");
}

TEST(KeyRing, EachKeyDerivesItsOwnAndUnknownIdsAreErrors) {
  auto ring = KeyRing::parse(two_keys(), "test");
  ASSERT_TRUE(ring.has_value());
  EXPECT_NE(to_hex(*ring->audit_key("k1")), to_hex(*ring->audit_key("k2")));
  EXPECT_NE(to_hex(ring->derive("k1", kLabelMac)->bytes()), to_hex(ring->derive("k1", kLabelSm4)->bytes()));
  auto unknown = ring->audit_key("k9");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, "UNKNOWN_KEY");
  EXPECT_EQ(ring->derive("k9", kLabelMac).error().code, "UNKNOWN_KEY");
}

TEST(KeyRing, FromTheEnvironment) {
  ::unsetenv("ZIZHU_KEYS");
  auto none = KeyRing::load("");
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code, "NO_KEYS");
  ::setenv("ZIZHU_KEYS", ("k1 " + std::string(kHexA) + ";k2 " + std::string(kHexB)).c_str(), 1);
  auto ring = KeyRing::load("");
  ::unsetenv("ZIZHU_KEYS");
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->active_id(), "k2");
}

// --- files -------------------------------------------------------------------------

TEST(KeyFile, GeneratedWithModeSixHundredAndNeverOverwritten) {
  TempDir dir;
  const std::string path = dir.file("keys");
  auto id = KeyRing::generate_file(path);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  EXPECT_EQ(*id, "k1");
  EXPECT_EQ(mode_of(path), 0600u);
  auto ring = KeyRing::load_file(path);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->active_id(), "k1");

  const std::string before = slurp(path);
  auto again = KeyRing::generate_file(path);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, "KEY_FILE_EXISTS");
  EXPECT_EQ(slurp(path), before);

  // Two installations never share a key by accident.
  ASSERT_TRUE(KeyRing::generate_file(dir.file("other")));
  EXPECT_NE(to_hex(*KeyRing::load_file(dir.file("other"))->audit_key("k1")), to_hex(*ring->audit_key("k1")));
}

TEST(KeyFile, RefusedWhenOthersCanReadIt) {
  TempDir dir;
  for (mode_t mode : {0644u, 0640u, 0604u, 0620u, 0660u}) {
    const std::string path = write_file(dir.file("keys"), "k1 " + std::string(kHexA) + "\n", mode);
    auto ring = KeyRing::load_file(path);
    ASSERT_FALSE(ring.has_value()) << std::oct << mode;
    EXPECT_EQ(ring.error().code, "KEY_FILE_MODE");
    EXPECT_NE(ring.error().message.find(path), std::string::npos) << ring.error().message;
    EXPECT_NE(ring.error().message.find("chmod 600"), std::string::npos) << ring.error().message;
  }
  const std::string ok = write_file(dir.file("keys"), "k1 " + std::string(kHexA) + "\n", 0400);
  EXPECT_TRUE(KeyRing::load_file(ok).has_value());
  auto missing = KeyRing::load_file(dir.file("absent"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "KEY_FILE");
  EXPECT_NE(missing.error().message.find(dir.file("absent")), std::string::npos);
}

TEST(KeyFile, AppendMakesANewActiveKeyAndKeepsTheOld) {
  TempDir dir;
  const std::string path = write_file(dir.file("keys"), two_keys(), 0600);
  auto id = KeyRing::append_new_key(path);
  ASSERT_TRUE(id.has_value()) << id.error().message;
  EXPECT_EQ(*id, "k3");
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_FALSE(std::filesystem::exists(path + ".new"));
  auto ring = KeyRing::load_file(path);
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->ids(), (std::vector<std::string>{"k1", "k2", "k3"}));
  EXPECT_EQ(ring->active_id(), "k3");
  // The old keys are the same keys, comments kept.
  auto old_ring = KeyRing::parse(two_keys(), "test");
  EXPECT_EQ(to_hex(*ring->audit_key("k2")), to_hex(*old_ring->audit_key("k2")));
  EXPECT_EQ(slurp(path).rfind(two_keys(), 0), 0u);
}

TEST(KeyFile, WriteWithNewKeyLeavesTheOriginal) {
  TempDir dir;
  const std::string path = write_file(dir.file("keys"), "k7 " + std::string(kHexA), 0600);  // no final newline
  const std::string before = slurp(path);
  auto id = KeyRing::write_with_new_key(path, path + ".new");
  ASSERT_TRUE(id.has_value()) << id.error().message;
  EXPECT_EQ(*id, "k8");
  EXPECT_EQ(slurp(path), before);
  EXPECT_EQ(mode_of(path + ".new"), 0600u);
  auto ring = KeyRing::load_file(path + ".new");
  ASSERT_TRUE(ring.has_value()) << ring.error().message;
  EXPECT_EQ(ring->ids(), (std::vector<std::string>{"k7", "k8"}));
  // A second attempt finds the staged file and refuses to overwrite it.
  auto again = KeyRing::write_with_new_key(path, path + ".new");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, "KEY_FILE_EXISTS");
}

TEST(KeyFile, AppendRefusesAReadableFile) {
  TempDir dir;
  const std::string path = write_file(dir.file("keys"), two_keys(), 0644);
  auto id = KeyRing::append_new_key(path);
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, "KEY_FILE_MODE");
  EXPECT_FALSE(std::filesystem::exists(path + ".new"));
}

}  // namespace
}  // namespace zizhu::crypto

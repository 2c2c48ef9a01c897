#include "store/blob_store.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "crypto/sm3.h"
#include "crypto/sm4_ctr.h"
#include "io/file_kind_test_util.h"
#include "store/test_util.h"

namespace zizhu::store {
namespace {

namespace fs = std::filesystem;
using io::FileKind;
using io::testing::evidence_seed;
using testing::read_file;
using testing::TempDir;

constexpr std::string_view kHexA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr std::string_view kHexB = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

crypto::KeyRing ring_of(const std::string& text) {
  auto ring = crypto::KeyRing::parse(text, "test");
  if (!ring) std::abort();
  return std::move(*ring);
}

const std::string kK1 = "k1 " + std::string(kHexA);
const std::string kK1Other = "k1 " + std::string(kHexB);  // same id, another key
const std::string kK9 = "k9 " + std::string(kHexB);
const std::string kK1K2 = kK1 + "\nk2 " + std::string(kHexB);

BlobStore open_store(const std::string& root, const std::string& keys = kK1, BlobStoreOptions options = {}) {
  auto store = BlobStore::open(root, ring_of(keys), options);
  if (!store) {
    ADD_FAILURE() << store.error().describe();
    std::abort();
  }
  return std::move(*store);
}

// Every regular file under `root`.
std::vector<fs::path> files_under(const std::string& root) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  return out;
}

mode_t mode_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) std::abort();
  return st.st_mode & 07777;
}

std::string key_id_in(const std::string& stored) { return stored.substr(9, static_cast<uint8_t>(stored[8])); }

struct Seed {
  const char* name;
  FileKind kind;
};
constexpr Seed kSeeds[] = {{"tiny.pdf", FileKind::kPdf}, {"tiny.png", FileKind::kPng}, {"tiny.jpg", FileKind::kJpeg}};

TEST(BlobStore, RoundTripOfEachKind) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  for (const Seed& s : kSeeds) {
    SCOPED_TRACE(s.name);
    const std::string content = evidence_seed(s.name);
    auto ref = store.put(content, s.kind);
    ASSERT_TRUE(ref) << ref.error().describe();
    EXPECT_EQ(ref->sm3_hex, crypto::to_hex(crypto::sm3(content)));
    EXPECT_EQ(ref->size_bytes, content.size());
    EXPECT_EQ(ref->kind, s.kind);
    const std::string expected_path =
        dir.file("blobs") + "/" + ref->sm3_hex.substr(0, 2) + "/" + ref->sm3_hex.substr(2, 2) + "/" + ref->sm3_hex + ".blob";
    EXPECT_EQ(store.path_of(*ref), expected_path);
    EXPECT_TRUE(fs::is_regular_file(expected_path));
    EXPECT_EQ(fs::file_size(expected_path), BlobStore::stored_bytes(content.size(), 2));
    auto got = store.get(*ref);
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(*got, content);
  }
  // A store opened again on the same root reads them too.
  const BlobStore again = open_store(dir.file("blobs"));
  const std::string png = evidence_seed("tiny.png");
  EXPECT_EQ(again.get(BlobRef{crypto::to_hex(crypto::sm3(png)), png.size(), FileKind::kPng}), png);
}

TEST(BlobStore, SameContentIsStoredOnce) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  const std::string content = evidence_seed("tiny.jpg");
  auto first = store.put(content, FileKind::kJpeg);
  ASSERT_TRUE(first);
  const std::string stored = read_file(store.path_of(*first));
  auto second = store.put(content, FileKind::kJpeg);
  ASSERT_TRUE(second);
  EXPECT_EQ(*first, *second);
  // Not rewritten (a new IV would change every byte after the header).
  EXPECT_EQ(read_file(store.path_of(*first)), stored);
  EXPECT_EQ(files_under(dir.file("blobs")).size(), 1u);
  ASSERT_TRUE(store.put(evidence_seed("tiny.png"), FileKind::kPng));
  EXPECT_EQ(files_under(dir.file("blobs")).size(), 2u);
}

// Every single byte of a stored file matters: header, IV, ciphertext, MAC.
TEST(BlobStore, AnyChangedByteIsRefused) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  const std::string content = evidence_seed("tiny.png");
  auto ref = store.put(content, FileKind::kPng);
  ASSERT_TRUE(ref);
  const std::string path = store.path_of(*ref);
  const std::string stored = read_file(path);
  for (size_t i = 0; i < stored.size(); ++i) {
    std::string changed = stored;
    changed[i] = static_cast<char>(changed[i] ^ 0x01);
    dir.write(path.substr(dir.file("").size()), changed);
    auto got = store.get(*ref);
    ASSERT_FALSE(got) << "byte " << i;
    // Flipping a bit of the key id "k1" may name a key that is not in the
    // ring; everything else is corruption.
    if (i == 9 || i == 10) {
      EXPECT_TRUE(got.error().code == "BLOB_UNKNOWN_KEY" || got.error().code == "BLOB_CORRUPT") << i;
    } else {
      EXPECT_EQ(got.error().code, "BLOB_CORRUPT") << "byte " << i << ": " << got.error().message;
    }
  }
  // The last byte of the ciphertext, as the task's example.
  std::string changed = stored;
  changed[stored.size() - 33] = static_cast<char>(changed[stored.size() - 33] ^ 0x80);
  dir.write(path.substr(dir.file("").size()), changed);
  EXPECT_EQ(store.get(*ref).error().code, "BLOB_CORRUPT");
  // Cut short or grown.
  dir.write(path.substr(dir.file("").size()), stored.substr(0, stored.size() - 1));
  EXPECT_EQ(store.get(*ref).error().code, "BLOB_CORRUPT");
  dir.write(path.substr(dir.file("").size()), stored + "x");
  EXPECT_EQ(store.get(*ref).error().code, "BLOB_CORRUPT");
  // A put of the same content repairs the file.
  ASSERT_TRUE(store.put(content, FileKind::kPng));
  EXPECT_EQ(store.get(*ref), content);
}

TEST(BlobStore, SwappedFilesAreRefused) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  auto a = store.put(evidence_seed("tiny.png"), FileKind::kPng);
  auto b = store.put(evidence_seed("palette.png"), FileKind::kPng);
  ASSERT_TRUE(a && b);
  const std::string file_a = read_file(store.path_of(*a));
  const std::string file_b = read_file(store.path_of(*b));
  dir.write(store.path_of(*a).substr(dir.file("").size()), file_b);
  dir.write(store.path_of(*b).substr(dir.file("").size()), file_a);
  for (const BlobRef& ref : {*a, *b}) {
    auto got = store.get(ref);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, "BLOB_CORRUPT");
    EXPECT_NE(got.error().message.find("another blob"), std::string::npos) << got.error().message;
  }
  // A reference whose size or kind differs from the file's is refused too.
  dir.write(store.path_of(*a).substr(dir.file("").size()), file_a);
  BlobRef wrong_kind = *a;
  wrong_kind.kind = FileKind::kJpeg;
  EXPECT_EQ(store.get(wrong_kind).error().code, "BLOB_CORRUPT");
  BlobRef wrong_size = *a;
  wrong_size.size_bytes += 1;
  EXPECT_EQ(store.get(wrong_size).error().code, "BLOB_CORRUPT");
  EXPECT_EQ(store.get(*a), evidence_seed("tiny.png"));
}

TEST(BlobStore, WrongKeyRingIsRefused) {
  TempDir dir;
  const std::string content = evidence_seed("tiny.pdf");
  BlobRef ref;
  {
    const BlobStore store = open_store(dir.file("blobs"), kK1);
    auto put = store.put(content, FileKind::kPdf);
    ASSERT_TRUE(put);
    ref = *put;
  }
  auto same_id = open_store(dir.file("blobs"), kK1Other).get(ref);
  ASSERT_FALSE(same_id);
  EXPECT_EQ(same_id.error().code, "BLOB_CORRUPT");
  auto other_id = open_store(dir.file("blobs"), kK9).get(ref);
  ASSERT_FALSE(other_id);
  EXPECT_EQ(other_id.error().code, "BLOB_UNKNOWN_KEY");
  // The master key itself is not the blob key: the derivation label matters.
  EXPECT_EQ(open_store(dir.file("blobs"), kK1).get(ref), content);
}

TEST(BlobStore, RotationKeepsOldFilesReadable) {
  TempDir dir;
  const std::string pdf = evidence_seed("tiny.pdf");
  const std::string png = evidence_seed("tiny.png");
  auto old_ref = open_store(dir.file("blobs"), kK1).put(pdf, FileKind::kPdf);
  ASSERT_TRUE(old_ref);
  const BlobStore rotated = open_store(dir.file("blobs"), kK1K2);
  EXPECT_EQ(rotated.get(*old_ref), pdf);
  auto new_ref = rotated.put(png, FileKind::kPng);
  ASSERT_TRUE(new_ref);
  EXPECT_EQ(key_id_in(read_file(rotated.path_of(*new_ref))), "k2");
  // Putting the old content again finds it stored: it stays under k1.
  ASSERT_TRUE(rotated.put(pdf, FileKind::kPdf));
  EXPECT_EQ(key_id_in(read_file(rotated.path_of(*old_ref))), "k1");
  // A file sealed with a key no longer in the ring is replaced by a put.
  const BlobStore only_k2 = open_store(dir.file("blobs"), "k2 " + std::string(kHexB));
  EXPECT_EQ(only_k2.get(*old_ref).error().code, "BLOB_UNKNOWN_KEY");
  ASSERT_TRUE(only_k2.put(pdf, FileKind::kPdf));
  EXPECT_EQ(only_k2.get(*old_ref), pdf);
}

TEST(BlobStore, TooLargeIsRefusedBeforeWritingAnything) {
  TempDir dir;
  const std::string pdf = evidence_seed("tiny.pdf");
  const BlobStore store = open_store(dir.file("blobs"), kK1, BlobStoreOptions{pdf.size() - 1});
  auto put = store.put(pdf, FileKind::kPdf);
  ASSERT_FALSE(put);
  EXPECT_EQ(put.error().code, "BLOB_TOO_LARGE");
  EXPECT_TRUE(fs::is_empty(dir.file("blobs")));
  const BlobStore exact = open_store(dir.file("blobs"), kK1, BlobStoreOptions{pdf.size()});
  EXPECT_TRUE(exact.put(pdf, FileKind::kPdf));
  EXPECT_EQ(open_store(dir.file("d")).bytes_max(), 10u * 1024 * 1024);
  EXPECT_EQ(BlobStore::open(dir.file("e"), ring_of(kK1), BlobStoreOptions{0}).error().code, "BLOB_OPTIONS");
  EXPECT_EQ(BlobStore::open(dir.file("e"), ring_of(kK1), BlobStoreOptions{kBlobBytesHardMax + 1}).error().code,
            "BLOB_OPTIONS");
}

TEST(BlobStore, ContentMustBeOfTheKindGiven) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  EXPECT_EQ(store.put(evidence_seed("tiny.png"), FileKind::kPdf).error().code, "BLOB_KIND");
  EXPECT_EQ(store.put("姓名,身份证号\n", FileKind::kUnknown).error().code, "BLOB_KIND");
  const std::string jpg = evidence_seed("tiny.jpg");
  EXPECT_EQ(store.put(jpg.substr(0, jpg.size() - 2), FileKind::kJpeg).error().code, "BLOB_KIND");  // truncated
  EXPECT_TRUE(fs::is_empty(dir.file("blobs")));
}

TEST(BlobStore, MissingAndBadReferences) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  const std::string png = evidence_seed("tiny.png");
  const BlobRef never{crypto::to_hex(crypto::sm3(png)), png.size(), FileKind::kPng};
  EXPECT_EQ(store.get(never).error().code, "BLOB_MISSING");
  for (const BlobRef& bad :
       {BlobRef{"../../../../etc/passwd", 1, FileKind::kPng}, BlobRef{"", 0, FileKind::kPng},
        BlobRef{std::string(64, 'A'), 1, FileKind::kPng}, BlobRef{std::string(63, 'a'), 1, FileKind::kPng},
        BlobRef{std::string(64, 'a'), 1, FileKind::kUnknown}, BlobRef{std::string(64, 'a'), 1, FileKind{9}},
        BlobRef{std::string(64, 'a'), kBlobBytesHardMax + 1, FileKind::kPng}}) {
    auto got = store.get(bad);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, "BLOB_BAD_REF") << bad.sm3_hex;
    EXPECT_EQ(store.path_of(bad), "");
  }
}

TEST(BlobStore, DirectoriesAre0700AndFiles0600) {
  TempDir dir;
  const mode_t old_mask = ::umask(0);  // the store must not rely on the umask
  const std::string root = dir.file("var/lib/zizhu/blobs");  // missing parents are created
  const BlobStore store = open_store(root);
  for (const Seed& s : kSeeds) ASSERT_TRUE(store.put(evidence_seed(s.name), s.kind));
  ::umask(old_mask);
  EXPECT_EQ(mode_of(root), 0700u);
  size_t dirs = 0;
  size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_directory()) {
      EXPECT_EQ(mode_of(e.path()), 0700u) << e.path();
      ++dirs;
    } else {
      EXPECT_EQ(mode_of(e.path()), 0600u) << e.path();
      EXPECT_EQ(e.path().extension(), ".blob");  // no temporary file left behind
      ++files;
    }
  }
  EXPECT_EQ(files, 3u);
  EXPECT_GE(dirs, 3u);
}

TEST(BlobStore, ARootOthersMayReadIsRefused) {
  TempDir dir;
  const std::string root = dir.file("open");
  fs::create_directory(root);
  fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  auto store = BlobStore::open(root, ring_of(kK1));
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, "BLOB_DIR_MODE");
  EXPECT_NE(store.error().message.find("chmod 700"), std::string::npos);
  const std::string file = dir.write("plain-file", "x");
  EXPECT_EQ(BlobStore::open(file, ring_of(kK1)).error().code, "BLOB_IO");
}

// The point of the store: nothing of the content reaches the disk in plain.
TEST(BlobStore, NoPlainBytesOnDisk) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  const std::string marker = "MARKER-110101200001011234-低保证";
  // A valid PDF holding the marker in a comment after its header.
  const std::string pdf = evidence_seed("tiny.pdf");
  const std::string with_marker = pdf.substr(0, 9) + "%" + marker + "\n" + pdf.substr(9);
  // (the cross-reference offsets are now off by the insertion; the kind check
  // does not read them, and readers rebuild the table)
  ASSERT_EQ(io::detect_file_kind(with_marker).kind, FileKind::kPdf);
  auto ref = store.put(with_marker, FileKind::kPdf);
  ASSERT_TRUE(ref) << ref.error().describe();
  const auto files = files_under(dir.file("blobs"));
  ASSERT_EQ(files.size(), 1u);
  for (const fs::path& f : files) {
    const std::string stored = read_file(f.string());
    EXPECT_EQ(stored.find(marker), std::string::npos);
    EXPECT_EQ(stored.find("MARKER"), std::string::npos);
    EXPECT_EQ(stored.find("110101200001011234"), std::string::npos);
    EXPECT_EQ(stored.find("%PDF"), std::string::npos);
    EXPECT_EQ(stored.find("startxref"), std::string::npos);
  }
  EXPECT_EQ(store.get(*ref), with_marker);
}

// The stored format as docs/evidence.md describes it, built here from the
// primitives with a fixed IV: a change to the format or the labels fails.
TEST(BlobStore, FormatIsTheDocumentedOne) {
  TempDir dir;
  const crypto::KeyRing ring = ring_of(kK1);
  const std::string content = evidence_seed("tiny.jpg");
  const crypto::Sm3Digest hash = crypto::sm3(content);
  std::array<uint8_t, 16> iv{};
  for (size_t i = 0; i < iv.size(); ++i) iv[i] = static_cast<uint8_t>(0xA0 + i);
  const crypto::SecretKey sm4 = *ring.derive("k1", "zizhu/blob/sm4");
  const crypto::SecretKey mac = *ring.derive("k1", "zizhu/blob/mac");
  std::string file = "ZZBLOB01";
  file += '\x02';
  file += "k1";
  file += '\x02';  // JPEG
  for (int shift = 56; shift >= 0; shift -= 8) file += static_cast<char>((content.size() >> shift) & 0xFFu);
  file.append(reinterpret_cast<const char*>(hash.data()), hash.size());
  file.append(reinterpret_cast<const char*>(iv.data()), iv.size());
  file += crypto::sm4_ctr_encrypt(sm4.first<16>(), iv, content);
  const crypto::Sm3Digest tag = crypto::hmac_sm3(mac.bytes(), file);
  file.append(reinterpret_cast<const char*>(tag.data()), tag.size());

  const BlobStore store = open_store(dir.file("blobs"));
  const BlobRef ref{crypto::to_hex(hash), content.size(), FileKind::kJpeg};
  fs::create_directories(fs::path(store.path_of(ref)).parent_path());
  dir.write(store.path_of(ref).substr(dir.file("").size()), file);
  EXPECT_EQ(store.get(ref), content);
  // And put() writes the same, but for its random IV.
  fs::remove(store.path_of(ref));
  ASSERT_TRUE(store.put(content, FileKind::kJpeg));
  const std::string written = read_file(store.path_of(ref));
  ASSERT_EQ(written.size(), file.size());
  EXPECT_EQ(written.substr(0, 52), file.substr(0, 52));  // header up to the IV
}

}  // namespace
}  // namespace zizhu::store

namespace zizhu::store {
namespace {

TEST(BlobStoreCopy, CopiesEveryStoredFileAndSkipsOnesBeingWritten) {
  TempDir dir;
  const BlobStore store = open_store(dir.file("blobs"));
  std::vector<BlobRef> refs;
  for (const Seed& seed : {kSeeds[0], kSeeds[1]}) {
    auto ref = store.put(evidence_seed(seed.name), seed.kind);
    ASSERT_TRUE(ref) << ref.error().describe();
    refs.push_back(*ref);
  }
  // A file being written has a temporary name: not copied.
  const std::string half = fs::path(store.path_of(refs[0])).parent_path().string() + "/.tmp-half";
  { std::ofstream(half) << "partial"; }
  auto copied = BlobStore::copy_files(dir.file("blobs"), dir.file("backup.files"));
  ASSERT_TRUE(copied) << copied.error().describe();
  EXPECT_EQ(*copied, 2u);
  const BlobStore restored = open_store(dir.file("backup.files"));
  for (const auto& ref : refs) {
    auto got = restored.get(ref);
    ASSERT_TRUE(got) << got.error().describe();
    EXPECT_EQ(*got, *store.get(ref));
  }
  EXPECT_FALSE(fs::exists(dir.file("backup.files") + "/" + fs::relative(half, dir.file("blobs")).string()));
  EXPECT_EQ(fs::status(dir.file("backup.files")).permissions() & fs::perms::all, fs::perms::owner_all);
  // Never over an existing folder; nothing stored yet is nothing to copy.
  EXPECT_FALSE(BlobStore::copy_files(dir.file("blobs"), dir.file("backup.files")));
  auto none = BlobStore::copy_files(dir.file("nothing"), dir.file("backup2.files"));
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, 0u);
}

}  // namespace
}  // namespace zizhu::store

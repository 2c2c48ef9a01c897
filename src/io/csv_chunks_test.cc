#include "io/csv_chunks.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "io/csv_reader.h"
#include "io/csv_test_util.h"

namespace zizhu::io {
namespace {

using testing::PlainRow;
using testing::read_all;
using testing::write_file;

// A random CSV built from the pieces that make splitting hard: quoted fields
// with commas, quotes and line ends, stray and trailing quotes, CRLF, blank
// and ",,," rows, U+3000, a BOM, an unterminated quote, no final line end.
std::string random_csv(std::mt19937& rng) {
  const std::vector<std::string> pieces = {
      "a", "张三", " x ", "\xE3\x80\x80y", "", "\"q,\"", "\"l1\nl2\"", "\"l1\r\nl2\"", "\"a\"\"b\"",
      "ab\"c", "\"ab\"c", "\"\"", "\"\n\"", "12345678901234567890", "\"\"\"\"", "\t"};
  const std::vector<std::string> ends = {"\n", "\r\n"};
  std::string s;
  if (rng() % 3 == 0) s += "\xEF\xBB\xBF";
  s += "h1,h2,h3\n";
  const int rows = static_cast<int>(rng() % 60);
  for (int r = 0; r < rows; ++r) {
    const auto kind = rng() % 10;
    if (kind == 0) {
      s += ends[rng() % 2];
      continue;
    }
    if (kind == 1) {
      s += ",,," + ends[rng() % 2];
      continue;
    }
    const auto fields = 1 + rng() % 4;
    for (decltype(rng()) f = 0; f < fields; ++f) {
      if (f > 0) s += ',';
      s += pieces[rng() % pieces.size()];
    }
    s += ends[rng() % 2];
  }
  if (rng() % 4 == 0) s += "\"unterminated,\nstill";
  if (rng() % 4 == 0 && !s.empty()) s.pop_back();  // no final line end
  return s;
}

std::vector<PlainRow> read_chunks(const CsvFileChunks& file) {
  std::vector<PlainRow> rows;
  for (int i = 0; i < file.chunk_count(); ++i) {
    CsvChunkView view = file.chunk(i);
    EXPECT_EQ(view.header(), file.header());
    auto part = read_all(view);
    rows.insert(rows.end(), part.begin(), part.end());
  }
  return rows;
}

TEST(CsvChunks, SameRowsAsTheStreamingReaderForEveryChunkCount) {
  std::mt19937 rng(20261128);
  for (int file_no = 0; file_no < 300; ++file_no) {
    const std::string bytes = random_csv(rng);
    const std::string path = write_file("chunks.csv", bytes);
    auto stream = open_csv(path);
    ASSERT_TRUE(stream.has_value()) << stream.error().describe();
    const auto expected = read_all(**stream);
    for (int chunks = 1; chunks <= 8; ++chunks) {
      auto file = CsvFileChunks::open(path, chunks);
      ASSERT_TRUE(file.has_value()) << file.error().describe();
      EXPECT_EQ(file->header(), (*stream)->header());
      EXPECT_EQ(file->chunk_count(), chunks);
      ASSERT_EQ(read_chunks(*file), expected) << "file " << file_no << " chunks " << chunks << "\n" << bytes;
    }
  }
}

TEST(CsvChunks, ChunksStartAtRecordBoundariesAndCountRows) {
  // One long quoted field holding many line ends: nominal split points fall
  // inside it and must move past it.
  std::string bytes = "a,b\n1,\"";
  for (int i = 0; i < 100; ++i) bytes += "line\n";
  bytes += "\"\n2,x\n\n3,y\n";
  const std::string path = write_file("quoted_lines.csv", bytes);
  auto file = CsvFileChunks::open(path, 4);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->records_total(), 5);
  const auto rows = read_chunks(*file);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].number, 2);
  EXPECT_EQ(rows[1], (PlainRow{3, {"2", "x"}}));
  EXPECT_EQ(rows[2], (PlainRow{5, {"3", "y"}}));
}

TEST(CsvChunks, LargeFileSplitEvenly) {
  std::string bytes = "学籍号,姓名\n";
  for (int i = 0; i < 100000; ++i) bytes += "G" + std::to_string(i) + ",\"张,三\"\n";
  const std::string path = write_file("large.csv", bytes);
  auto file = CsvFileChunks::open(path, 2);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->records_total(), 100001);
  EXPECT_GT(file->rows_before(1), 40000);
  EXPECT_LT(file->rows_before(1), 60000);
  auto view = file->chunk(1);
  Row row;
  ASSERT_TRUE(*view.next(row));
  EXPECT_EQ(row.number, file->rows_before(1) + 1);
  EXPECT_EQ(row.cells[0].text, "G" + std::to_string(row.number - 2));
  EXPECT_EQ(row.cells[1].text, "张,三");
}

TEST(CsvChunks, Gb18030AndErrors) {
  // 学籍号,姓名 / G1,张三 in GB18030.
  const std::string path = write_file("gb.csv", "\xD1\xA7\xBC\xAE\xBA\xC5,\xD0\xD5\xC3\xFB\nG1,\xD5\xC5\xC8\xFD\n");
  auto file = CsvFileChunks::open(path, 3);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->header(), (std::vector<std::string>{"学籍号", "姓名"}));
  const auto rows = read_chunks(*file);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (PlainRow{2, {"G1", "张三"}}));

  auto missing = CsvFileChunks::open("/nonexistent.csv", 2);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "IO");
  auto empty = CsvFileChunks::open(write_file("empty.csv", "\n,\n"), 2);
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().code, "NO_HEADER");
  auto bad = CsvFileChunks::open(write_file("bad.csv", "a\nb\n\xFF\n"), 2);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, "BAD_ENCODING");
  EXPECT_EQ(bad.error().where.row, 3);
}

}  // namespace
}  // namespace zizhu::io

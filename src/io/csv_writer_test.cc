#include "io/csv_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "io/csv_reader.h"
#include "io/csv_test_util.h"

namespace zizhu::io {
namespace {

TEST(CsvWriter, QuotesOnlyWhenNeeded) {
  std::string out;
  auto w = CsvWriter::to_string(&out);
  w->row({"学籍号", "姓名", "note"});
  w->row({"plain", "a,b", "say \"hi\""});
  w->row({"l1\nl2", "cr\r", ""});
  w->row({" spaced ", "\"", "x"});
  ASSERT_TRUE(w->close().has_value());
  EXPECT_EQ(out,
            "学籍号,姓名,note\n"
            "plain,\"a,b\",\"say \"\"hi\"\"\"\n"
            "\"l1\nl2\",\"cr\r\",\n"
            " spaced ,\"\"\"\",x\n");
}

TEST(CsvWriter, FieldByFieldAndEmptyRow) {
  std::string out;
  auto w = CsvWriter::to_string(&out);
  w->field("a");
  w->field("");
  w->end_row();
  w->end_row();
  ASSERT_TRUE(w->close().has_value());
  EXPECT_EQ(out, "a,\n\n");
}

TEST(CsvWriter, FileRoundTripsThroughTheReader) {
  const std::string path = testing::temp_path("written.csv");
  auto w = CsvWriter::open(path);
  ASSERT_TRUE(w.has_value());
  const std::string big(3 << 20, 'z');  // larger than the buffer
  (*w)->row({"h1", "h2"});
  for (int i = 0; i < 20000; ++i) (*w)->row({std::to_string(i), "x,\"y\"\nz"});
  (*w)->row({big, "end"});
  ASSERT_TRUE((*w)->close().has_value());
  std::ifstream f(path, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(f), {}};
  EXPECT_FALSE(bytes.starts_with("\xEF\xBB\xBF"));
  EXPECT_TRUE(bytes.ends_with("end\n"));
  auto r = open_csv(path);
  ASSERT_TRUE(r.has_value());
  const auto rows = testing::read_all(**r);
  ASSERT_EQ(rows.size(), 20001u);
  EXPECT_EQ(rows[19999], (testing::PlainRow{20001, {"19999", "x,\"y\"\nz"}}));
  EXPECT_EQ(rows[20000].cells[0], big);
}

TEST(CsvWriter, DiskFullReportedOnClose) {
  auto w = CsvWriter::open("/dev/full");
  ASSERT_TRUE(w.has_value());
  (*w)->row({"a", "b"});
  auto r = (*w)->close();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "IO");
  EXPECT_EQ(r.error().where.file, "/dev/full");
  EXPECT_NE(r.error().message.find("/dev/full"), std::string::npos);
}

TEST(CsvWriter, UncreatableFileNamed) {
  auto w = CsvWriter::open("/nonexistent/out.csv");
  ASSERT_FALSE(w.has_value());
  EXPECT_NE(w.error().message.find("/nonexistent/out.csv"), std::string::npos);
}

}  // namespace
}  // namespace zizhu::io

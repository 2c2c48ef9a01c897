#include "io/csv_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/csv_test_util.h"
#include "io/encoding.h"

namespace zizhu::io {
namespace {

using testing::PlainRow;
using testing::read_all;
using testing::write_file;

struct Parsed {
  std::vector<std::string> header;
  std::vector<PlainRow> rows;
};

// Parses `bytes` from a file, with blocks of many sizes (records straddle
// blocks), and checks that every block size gives the same result.
Parsed parse(const std::string& bytes) {
  static int n = 0;
  const std::string path = write_file("reader_" + std::to_string(n++) + ".csv", bytes);
  Parsed first;
  bool have_first = false;
  for (size_t block : {size_t{1} << 20, size_t{1}, size_t{2}, size_t{3}, size_t{5}, size_t{64}}) {
    auto r = open_csv(path, CsvReadOptions{block});
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().describe());
    if (!r) return {};
    Parsed p{(*r)->header(), read_all(**r)};
    if (!have_first) {
      first = p;
      have_first = true;
    } else {
      EXPECT_EQ(p.header, first.header) << "block " << block;
      EXPECT_EQ(p.rows, first.rows) << "block " << block;
    }
  }
  return first;
}

Error open_error(const std::string& bytes) {
  const std::string path = write_file("error.csv", bytes);
  auto r = open_csv(path);
  EXPECT_FALSE(r.has_value());
  return r ? Error{} : r.error();
}

using Cells = std::vector<std::string>;

TEST(CsvReader, HeaderAndRowsNumberedAsASpreadsheet) {
  auto p = parse("学籍号,姓名\nG1,张三\nG2,李四\n");
  EXPECT_EQ(p.header, (Cells{"学籍号", "姓名"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"G1", "张三"}}));
  EXPECT_EQ(p.rows[1], (PlainRow{3, {"G2", "李四"}}));
}

TEST(CsvReader, LastLineWithoutLineEnd) {
  auto p = parse("a,b\n1,2");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"1", "2"}}));
}

TEST(CsvReader, QuotedCommasNewlinesAndEscapes) {
  auto p = parse("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,1\n");
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"x,y", "say \"hi\""}}));
  // A record holding a quoted newline is one row.
  EXPECT_EQ(p.rows[1], (PlainRow{3, {"two\nlines", "z"}}));
  EXPECT_EQ(p.rows[2], (PlainRow{4, {"last", "1"}}));
}

TEST(CsvReader, CrLfLineEndsAndQuotedCrLfKept) {
  auto p = parse("a,b\r\n1,2\r\n\"p\r\nq\",3\r\n\r\n4,5\r\n");
  EXPECT_EQ(p.header, (Cells{"a", "b"}));
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"1", "2"}}));
  EXPECT_EQ(p.rows[1], (PlainRow{3, {"p\r\nq", "3"}}));
  EXPECT_EQ(p.rows[2], (PlainRow{5, {"4", "5"}}));  // the empty row 4 skipped, counted
}

TEST(CsvReader, BlankRowsSkippedWhereverTheyStandButCounted) {
  auto p = parse("a,b,c\n\n,,\n1,2,3\n , \t,\xE3\x80\x80\n\"\",\" \"\n4,5,6\n\n,,,\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].number, 4);
  EXPECT_EQ(p.rows[1].number, 7);
}

TEST(CsvReader, BlankRowsBeforeTheHeader) {
  auto p = parse("\n,,\nh1,h2\nv1,v2\n");
  EXPECT_EQ(p.header, (Cells{"h1", "h2"}));
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0], (PlainRow{4, {"v1", "v2"}}));
}

TEST(CsvReader, FewerAndMoreFieldsDeliveredAsWritten) {
  auto p = parse("a,b,c\n1\n1,2,3,4\n1,\n");
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"1"}}));
  EXPECT_EQ(p.rows[1], (PlainRow{3, {"1", "2", "3", "4"}}));
  EXPECT_EQ(p.rows[2], (PlainRow{4, {"1", ""}}));
}

TEST(CsvReader, EveryCellTrimmedOfAsciiSpaceAndU3000) {
  auto p = parse(" 学籍号\t,\xE3\x80\x80姓名\xE3\x80\x80\n\tG1 ,\" \xE3\x80\x80张三\t\"\n");
  EXPECT_EQ(p.header, (Cells{"学籍号", "姓名"}));
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"G1", "张三"}}));
}

TEST(CsvReader, LoneCrInsideAValueKept) {
  // Only LF ends a record; a CR before it is trimmed away with the value's edge.
  auto p = parse("a,b\nx\ry,z\r\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"x\ry", "z"}}));
}

TEST(CsvReader, InnerSpacesKept) {
  auto p = parse("a\nx \t\xE3\x80\x80y\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].cells[0], "x \t\xE3\x80\x80y");
}

// Lenient corners, read like Python's csv module (strict=False) and
// spreadsheet programs.
TEST(CsvReader, StrayQuoteInUnquotedFieldKeptLiterally) {
  auto p = parse("a,b\nab\"c,x\"y\"\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"ab\"c", "x\"y\""}}));
}

TEST(CsvReader, TextAfterClosingQuoteKeptLiterally) {
  auto p = parse("a,b,c\n\"ab\"c,\"ab\"c\"d\",\"x\"\"y\"z\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"abc", "abc\"d\"", "x\"yz"}}));
}

TEST(CsvReader, QuoteAfterLeadingSpaceIsLiteral) {
  auto p = parse("a,b\n \"x,y\"\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"\"x", "y\""}}));
}

TEST(CsvReader, UnterminatedQuoteRunsToEndOfFile) {
  auto p = parse("a,b\n1,2\n3,\"open\nmore,stuff\n\n");
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[1], (PlainRow{3, {"3", "open\nmore,stuff"}}));
}

TEST(CsvReader, Utf8BomRemoved) {
  auto p = parse("\xEF\xBB\xBF学籍号,姓名\nG1,张三\n");
  EXPECT_EQ(p.header, (Cells{"学籍号", "姓名"}));
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].number, 2);
}

TEST(CsvReader, OnlyOneBomRemoved) {
  auto p = parse("\xEF\xBB\xBF\xEF\xBB\xBF" "a\nx\n");
  EXPECT_EQ(p.header, (Cells{"\xEF\xBB\xBF" "a"}));
}

std::string to_gb18030(const std::string& utf8) {
  const std::string in = testing::write_file("to_gb.txt", utf8);
  const std::string out = testing::temp_path("to_gb.out");
  const std::string cmd = "iconv -f UTF-8 -t GB18030 '" + in + "' > '" + out + "'";
  if (std::system(cmd.c_str()) != 0) ADD_FAILURE() << cmd;
  std::ifstream f(out, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST(CsvReader, Gb18030FileConverted) {
  // 䶮 (U+4DAE, CJK extension A) and 𠀀 (U+20000, extension B) are four-byte
  // GB18030 sequences; 喆 and 堃 two-byte ones outside GB2312.
  const std::string text = "学籍号,姓名\r\nG110101200001011234,王䶮\r\nG2,李𠀀\r\n\r\nG3,\"陈喆,堃\"\r\n";
  const std::string gb = to_gb18030(text);
  ASSERT_FALSE(is_valid_utf8(gb));
  auto p = parse(gb);
  EXPECT_EQ(p.header, (Cells{"学籍号", "姓名"}));
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {"G110101200001011234", "王䶮"}}));
  EXPECT_EQ(p.rows[1], (PlainRow{3, {"G2", "李𠀀"}}));
  EXPECT_EQ(p.rows[2], (PlainRow{5, {"G3", "陈喆,堃"}}));
}

TEST(CsvReader, EncodingJudgedOnTheWholeFile) {
  // Valid UTF-8 but for one GB18030 name near the end: the whole file is read
  // as GB18030, so the UTF-8 "é" earlier becomes what its bytes mean there.
  std::string bytes = "name,note\ncaf\xC3\xA9,x\n";
  bytes += std::string(5000, 'a') + ",long\n";
  bytes += "\xD5\xC5\xC8\xFD,y\n";  // 张三 in GB18030
  std::string expected;
  size_t bad = 0;
  ASSERT_TRUE(gb18030_to_utf8("caf\xC3\xA9", expected, bad));
  ASSERT_NE(expected, "café");
  auto p = parse(bytes);
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0], (PlainRow{2, {expected, "x"}}));
  EXPECT_EQ(p.rows[2], (PlainRow{4, {"张三", "y"}}));
}

TEST(CsvReader, InvalidGb18030NamesFileAndRow) {
  const Error e = open_error("a,b\nx,y\n\"q\nq\",z\n\xD5\xC5\xFF\xFF,1\n");
  EXPECT_EQ(e.code, "BAD_ENCODING");
  EXPECT_EQ(e.where.row, 4);
  EXPECT_NE(e.message.find("error.csv"), std::string::npos);
  EXPECT_NE(e.describe().find("error.csv:4"), std::string::npos);
}

TEST(CsvReader, MissingFileNamed) {
  auto r = open_csv("/nonexistent/学生.csv");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "IO");
  EXPECT_EQ(r.error().where.file, "/nonexistent/学生.csv");
  EXPECT_NE(r.error().message.find("/nonexistent/学生.csv"), std::string::npos);
}

TEST(CsvReader, DirectoryIsAnIoError) {
  auto r = open_csv("/tmp");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "IO");
}

TEST(CsvReader, NoHeader) {
  EXPECT_EQ(open_error("").code, "NO_HEADER");
  EXPECT_EQ(open_error("\n\r\n,,\n \t\n").code, "NO_HEADER");
  EXPECT_EQ(open_error("\xEF\xBB\xBF").code, "NO_HEADER");
}

TEST(CsvReader, HeaderOnly) {
  auto p = parse("a,b");
  EXPECT_EQ(p.header, (Cells{"a", "b"}));
  EXPECT_TRUE(p.rows.empty());
}

TEST(CsvReader, LongQuotedFieldSpanningManyBlocks) {
  const std::string big(3 << 20, 'x');
  auto p = parse("a,b\n\"" + big + "\n\"\",\",2\n");
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].cells[0], big + "\n\",");
}

}  // namespace
}  // namespace zizhu::io

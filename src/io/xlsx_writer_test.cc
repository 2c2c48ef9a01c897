#include "io/xlsx_writer.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "io/xlsx_reader.h"
#include "io/xlsx_test_util.h"

namespace zizhu::io {
namespace {

using Cells = std::vector<std::string>;

TEST(XlsxWriter, RoundTripThroughTheReader) {
  const std::string path = testing::temp_path("written.xlsx");
  auto w = XlsxWriter::create(path, "名单");
  ASSERT_TRUE(w.has_value()) << w.error().describe();
  const std::array<std::string_view, 5> names{"学籍号", "姓名", "金额", "人数", "备注"};
  (*w)->header(names);
  (*w)->text("0012345678901234567");  // digits stay text
  (*w)->text("张三");
  (*w)->money_fen(123456);
  (*w)->integer(4);
  (*w)->text("  padded  ");
  (*w)->end_row();
  (*w)->end_row();  // an empty row: skipped by the reader, still counted
  (*w)->text("G2");
  (*w)->empty();
  (*w)->money_fen(5);
  (*w)->integer(123456789012345678);
  (*w)->end_row();
  ASSERT_TRUE((*w)->close().has_value());

  auto r = open_xlsx(path);
  ASSERT_TRUE(r.has_value()) << r.error().describe();
  EXPECT_EQ((*r)->header(), (Cells{"学籍号", "姓名", "金额", "人数", "备注"}));
  auto rows = testing::read_typed(**r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].number, 2);
  EXPECT_EQ(rows[0].cells, (Cells{"0012345678901234567", "张三", "1234.56", "4", "padded"}));
  EXPECT_EQ(rows[0].types, (std::vector<CellType>{CellType::kText, CellType::kText, CellType::kNumber,
                                                   CellType::kNumber, CellType::kText}));
  EXPECT_EQ(rows[1].number, 4);
  EXPECT_EQ(rows[1].cells, (Cells{"G2", "", "0.05", "123456789012345700"}));  // written as 1.234567890123457E+17
}

TEST(XlsxWriter, ChineseAndControlCharactersRoundTrip) {
  const std::string path = testing::temp_path("chinese.xlsx");
  auto w = XlsxWriter::create(path, "认定结果");
  ASSERT_TRUE(w.has_value());
  const std::array<std::string_view, 3> names{"姓名", "备注", "卡号"};
  (*w)->header(names);
  const Cells values{"欧阳　娜娜", "第一行\r\n第二行\x01", "6222020200112233445"};
  for (const auto& v : values) (*w)->text(v);
  (*w)->end_row();
  ASSERT_TRUE((*w)->close().has_value());
  auto r = open_xlsx(path);
  ASSERT_TRUE(r.has_value());
  auto rows = testing::read_typed(**r);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, values);
  EXPECT_EQ(rows[0].types, (std::vector<CellType>(3, CellType::kText)));
}

TEST(XlsxWriter, MoneyReadsBackAsTheExactDecimal) {
  const std::string path = testing::temp_path("money.xlsx");
  auto w = XlsxWriter::create(path, "Sheet1");
  ASSERT_TRUE(w.has_value());
  const std::array<std::string_view, 1> names{"amount"};
  (*w)->header(names);
  const std::vector<int64_t> fens{0, 1, 10, 99, 100, 1999, 33333, 1234567890, 999999999999999, -250};
  for (int64_t f : fens) {
    (*w)->money_fen(f);
    (*w)->end_row();
  }
  ASSERT_TRUE((*w)->close().has_value());
  auto r = open_xlsx(path);
  ASSERT_TRUE(r.has_value());
  auto rows = testing::read_typed(**r);
  // Zero is a value, so its row is not blank.
  const Cells expected{"0", "0.01", "0.1", "0.99", "1", "19.99", "333.33", "12345678.9", "9999999999999.99", "-2.5"};
  ASSERT_EQ(rows.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(rows[i].cells[0], expected[i]) << fens[i];
}

TEST(XlsxWriter, BadSheetNameOrPathIsAnError) {
  auto bad = XlsxWriter::create(testing::temp_path("bad.xlsx"), "a/b");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, "XLSX");
  auto w = XlsxWriter::create("/nonexistent-dir/x.xlsx", "S");
  ASSERT_TRUE(w.has_value());
  auto closed = (*w)->close();
  ASSERT_FALSE(closed.has_value());
  EXPECT_NE(closed.error().message.find("/nonexistent-dir/x.xlsx"), std::string::npos);
}

TEST(XlsxWriter, TooLongTextIsReportedAtClose) {
  auto w = XlsxWriter::create(testing::temp_path("long.xlsx"), "S");
  ASSERT_TRUE(w.has_value());
  (*w)->text(std::string(40000, 'x'));  // Excel's limit is 32767 characters
  (*w)->end_row();
  auto closed = (*w)->close();
  ASSERT_FALSE(closed.has_value());
  EXPECT_EQ(closed.error().code, "XLSX");
}

}  // namespace
}  // namespace zizhu::io

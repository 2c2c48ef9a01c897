#include "io/xlsx_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "io/xlsx_cell_value.h"
#include "io/xlsx_test_util.h"

namespace zizhu::io {
namespace {

using testing::package;
using testing::read_typed;
using testing::TypedRow;
using testing::write_file;
using testing::write_zip;
using Cells = std::vector<std::string>;
using Types = std::vector<CellType>;
constexpr CellType T = CellType::kText;
constexpr CellType N = CellType::kNumber;
constexpr CellType D = CellType::kDate;
constexpr CellType B = CellType::kBool;

std::string inl(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
std::string num(const std::string& ref, const std::string& v, int style = -1) {
  return "<c r=\"" + ref + "\"" + (style >= 0 ? " s=\"" + std::to_string(style) + "\"" : "") + "><v>" + v +
         "</v></c>";
}
const std::string kHeader = "<row r=\"1\">" + inl("A1", "a") + "</row>";

struct Read {
  std::vector<std::string> header;
  std::vector<TypedRow> rows;
};

Read read(const std::map<std::string, std::string>& parts, const XlsxLimits& limits = {}) {
  static int n = 0;
  const std::string path = write_zip("r" + std::to_string(n++) + ".xlsx", parts);
  auto r = open_xlsx(path, limits);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().describe());
  if (!r) return {};
  return Read{(*r)->header(), read_typed(**r)};
}

Error open_error(const std::map<std::string, std::string>& parts, const XlsxLimits& limits = {}) {
  const std::string path = write_zip("error.xlsx", parts);
  auto r = open_xlsx(path, limits);
  EXPECT_FALSE(r.has_value());
  return r ? Error{} : r.error();
}

// An error met while streaming rows (after the header).
std::string stream_error(const std::map<std::string, std::string>& parts, const XlsxLimits& limits = {}) {
  auto got = read(parts, limits);
  if (got.rows.empty() || got.rows.back().number != -1) return "";
  return got.rows.back().cells[0];
}

// ---- cell values ----

TEST(XlsxCellValue, BuiltinDateFormats) {
  for (long id : {14L, 22L, 27L, 31L, 36L, 45L, 47L, 50L, 58L}) EXPECT_TRUE(xlsx::is_builtin_date_format(id)) << id;
  for (long id : {0L, 1L, 2L, 4L, 13L, 23L, 26L, 37L, 44L, 48L, 49L, 59L, 164L}) {
    EXPECT_FALSE(xlsx::is_builtin_date_format(id)) << id;
  }
}

TEST(XlsxCellValue, CustomDateFormatCodes) {
  for (const char* c : {"yyyy/m/d", "yyyy\"年\"m\"月\"d\"日\"", "[$-804]yyyy-mm-dd", "h:mm", "[Red]d-mmm", "mm:ss"}) {
    EXPECT_TRUE(xlsx::is_date_format_code(c)) << c;
  }
  for (const char* c : {"General", "0.00", "#,##0", "\"day\"0", "\\d0", "[h]0", "0;[Red]-0", "_-* #,##0_-",
                        "0.00;\"yes\""}) {
    EXPECT_FALSE(xlsx::is_date_format_code(c)) << c;
  }
}

std::string date_of(double serial, bool date1904 = false) {
  auto d = xlsx::serial_to_date(serial, date1904);
  return d ? d->iso() : "none";
}

TEST(XlsxCellValue, Serials1900CountExcelsPhantomLeapDay) {
  EXPECT_EQ(date_of(1), "1900-01-01");
  EXPECT_EQ(date_of(59), "1900-02-28");
  EXPECT_EQ(date_of(60), "none");  // Excel's 1900-02-29 never existed
  EXPECT_EQ(date_of(61), "1900-03-01");
  EXPECT_EQ(date_of(45000.99), "2023-03-15");  // time of day dropped
  EXPECT_EQ(date_of(2958465), "9999-12-31");
  EXPECT_EQ(date_of(2958466), "none");
  EXPECT_EQ(date_of(0), "none");
  EXPECT_EQ(date_of(-1), "none");
}

TEST(XlsxCellValue, SerialsRoundedToTheMillisecondBeforeTheDayIsTaken) {
  EXPECT_EQ(date_of(45000.99999), "2023-03-15");        // 0.86 s before midnight: a real time
  EXPECT_EQ(date_of(45000.99999999), "2023-03-15");     // 0.86 ms before
  EXPECT_EQ(date_of(45000.999999999), "2023-03-16");    // 0.09 ms before: rounding noise of a formula
  EXPECT_EQ(date_of(45000.99999999999), "2023-03-16");
}

std::string date_text_of(double serial, bool date1904 = false) {
  std::string out = "none";
  xlsx::serial_to_date_text(serial, date1904, out);
  return out;
}

TEST(XlsxCellValue, DateTextShowsExcelsPhantomDays) {
  EXPECT_EQ(date_text_of(0), "1900-01-00");
  EXPECT_EQ(date_text_of(0.5), "1900-01-00");
  EXPECT_EQ(date_text_of(59), "1900-02-28");
  EXPECT_EQ(date_text_of(60), "1900-02-29");
  EXPECT_EQ(date_text_of(60.25), "1900-02-29");
  EXPECT_EQ(date_text_of(61), "1900-03-01");
  EXPECT_EQ(date_text_of(-1), "none");
  EXPECT_EQ(date_text_of(2958466), "none");
  EXPECT_EQ(date_text_of(60, true), "1904-03-01");
  EXPECT_EQ(date_text_of(-1, true), "none");
}

std::string unescaped(std::string_view raw) {
  std::string out = "<";
  xlsx::append_unescaped(raw, out);
  return out;
}

TEST(XlsxCellValue, OoxmlEscapesDecoded) {
  EXPECT_EQ(unescaped("a_x000D_b"), "<a\rb");
  EXPECT_EQ(unescaped("_x0009__x000a_"), "<\t\n");
  EXPECT_EQ(unescaped("_x005F_x000D_"), "<_x000D_");       // an escaped underscore
  EXPECT_EQ(unescaped("_x4E2D_"), "<\xE4\xB8\xAD");         // 中
  EXPECT_EQ(unescaped("_xD83D__xDE00_"), "<\xF0\x9F\x98\x80");  // U+1F600 from a surrogate pair
  EXPECT_EQ(unescaped("_xD83D_x"), "<_xD83D_x");            // a lone surrogate stays as written
  EXPECT_EQ(unescaped("_xDE00_"), "<_xDE00_");
  EXPECT_EQ(unescaped("_x12_ _xZZZZ_ _x"), "<_x12_ _xZZZZ_ _x");
  EXPECT_EQ(unescaped("plain"), "<plain");
  EXPECT_FALSE(xlsx::may_hold_escapes("plain_"));
  EXPECT_TRUE(xlsx::may_hold_escapes("a_x000D_"));
}

TEST(XlsxCellValue, Serials1904) {
  EXPECT_EQ(date_of(0, true), "1904-01-01");
  EXPECT_EQ(date_of(60, true), "1904-03-01");
  EXPECT_EQ(date_of(43538, true), "2023-03-15");
}

std::string formatted(std::string_view raw) {
  auto v = xlsx::parse_number(raw);
  if (!v) return "none";
  std::string out;
  xlsx::format_number(*v, out);
  return out;
}

TEST(XlsxCellValue, NumbersInShortestFixedForm) {
  EXPECT_EQ(formatted("3"), "3");
  EXPECT_EQ(formatted("12000.5"), "12000.5");
  EXPECT_EQ(formatted("0.1"), "0.1");
  EXPECT_EQ(formatted("1.2E-3"), "0.0012");
  EXPECT_EQ(formatted("1E+20"), "100000000000000000000");
  EXPECT_EQ(formatted("123456789012345678"), "123456789012345680");  // a double's loss, as in Excel
  EXPECT_EQ(formatted("-0"), "0");
  // Large numbers keep their shortest digits, not the double's exact integer.
  EXPECT_EQ(formatted("1.10101200001011E+17"), "110101200001011000");
  EXPECT_EQ(formatted("1E+23"), "100000000000000000000000");
  EXPECT_EQ(formatted("6.2258011234567891E+18"), "6225801123456790000");
  EXPECT_EQ(formatted("1.7976931348623157E+308"), "17976931348623157" + std::string(292, '0'));
  EXPECT_EQ(formatted("5E-324"), "0." + std::string(323, '0') + "5");
  EXPECT_EQ(formatted("-1.5E-7"), "-0.00000015");
  EXPECT_EQ(formatted("123.456"), "123.456");
  EXPECT_EQ(formatted("1234567"), "1234567");
  EXPECT_EQ(formatted("-2.5"), "-2.5");
  EXPECT_EQ(formatted("abc"), "none");
  EXPECT_EQ(formatted("1x"), "none");
  EXPECT_EQ(formatted("inf"), "none");
  EXPECT_EQ(formatted("nan"), "none");
}

// ---- the worksheet ----

TEST(XlsxReader, SharedStringsWithRichTextAndPhoneticRunsTrimmed) {
  const std::string sst =
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"3\" uniqueCount=\"3\">"
      "<si><t xml:space=\"preserve\"> 学籍号 </t></si>"
      "<si><r><rPr><b/></rPr><t>张</t></r><r><t>三</t></r><rPh sb=\"0\" eb=\"1\"><t>ちょう</t></rPh></si>"
      "<si><t>\xE3\x80\x80G1\t</t></si></sst>";
  auto got = read(package("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
                          "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>1</v></c></row>",
                          {{"xl/sharedStrings.xml", sst}}));
  EXPECT_EQ(got.header, (Cells{"学籍号"}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].number, 2);
  EXPECT_EQ(got.rows[0].cells, (Cells{"G1", "张三"}));
  EXPECT_EQ(got.rows[0].types, (Types{T, T}));
}

TEST(XlsxReader, InlineStringsAndHeaderBomRemoved) {
  auto got = read(package("<row r=\"1\">" + inl("A1", "\xEF\xBB\xBF 姓名") + inl("B1", " x ") + "</row>" +
                          "<row r=\"2\">" + inl("A2", "&lt;a&amp;b&gt;") + "</row>"));
  EXPECT_EQ(got.header, (Cells{"姓名", "x"}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"<a&b>"}));
}

const std::string kStyles =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"0.00\"/><numFmt numFmtId=\"166\" formatCode=\"&quot;d&quot;0\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"31\"/>"
    "<xf numFmtId=\"164\"/><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>";

TEST(XlsxReader, DateFormattedNumbersBecomeDates) {
  auto got = read(package(kHeader + "<row r=\"2\">" + num("A2", "59", 1) + num("B2", "60", 1) + num("C2", "61", 1) +
                              num("D2", "45000", 2) + num("E2", "45000.75", 3) + num("F2", "45000", 4) +
                              num("G2", "45000", 5) + num("H2", "45000", 0) + num("I2", "45000") +
                              num("J2", "45000", 99) + "</row>",
                          {{"xl/styles.xml", kStyles}}));
  ASSERT_EQ(got.rows.size(), 1u);
  // Serial 60 is Excel's phantom 1900-02-29: shown as Excel shows it (a
  // reader of dates then refuses it, since it is not on the calendar).
  EXPECT_EQ(got.rows[0].cells, (Cells{"1900-02-28", "1900-02-29", "1900-03-01", "2023-03-15", "2023-03-15", "45000",
                                      "45000", "45000", "45000", "45000"}));
  EXPECT_EQ(got.rows[0].types, (Types{D, D, D, D, D, N, N, N, N, N}));
}

TEST(XlsxReader, Date1904System) {
  auto parts = package(kHeader + "<row r=\"2\">" + num("A2", "0", 1) + num("B2", "43538", 3) + "</row>",
                       {{"xl/styles.xml", kStyles}});
  parts["xl/workbook.xml"] = testing::workbook_xml(true);
  auto got = read(parts);
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"1904-01-01", "2023-03-15"}));
  EXPECT_EQ(got.rows[0].types, (Types{D, D}));
}

TEST(XlsxReader, BooleansErrorsFormulasAndIsoDates) {
  auto got = read(package(kHeader + "<row r=\"2\">"
                                    "<c r=\"A2\" t=\"b\"><v>1</v></c><c r=\"B2\" t=\"b\"><v>0</v></c>"
                                    "<c r=\"C2\" t=\"e\"><v>#N/A</v></c>"
                                    "<c r=\"D2\" t=\"str\"><f>A1&amp;\"x\"</f><v> ax </v></c>"
                                    "<c r=\"E2\"><f>1+2</f><v>3</v></c>"
                                    "<c r=\"F2\"><f>NOW()</f></c>"
                                    "<c r=\"G2\" t=\"d\"><v>2023-03-15T00:00:00</v></c>"
                                    "<c r=\"H2\" t=\"b\"><v>2</v></c>"
                                    "</row>"));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"true", "false", "#N/A", "ax", "3", "", "2023-03-15", "2"}));
  EXPECT_EQ(got.rows[0].types, (Types{B, B, T, T, N, T, D, T}));
}

TEST(XlsxReader, NumbersKeepTheirShortestForm) {
  auto got = read(package(kHeader + "<row r=\"2\">" + num("A2", "3") + num("B2", "12000.5") + num("C2", "0.1") +
                          num("D2", "1E+20") + num("E2", "123456789012345678") + num("F2", " 7 ") + "</row>"));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"3", "12000.5", "0.1", "100000000000000000000", "123456789012345680", "7"}));
  EXPECT_EQ(got.rows[0].types, (Types{N, N, N, N, N, N}));
}

TEST(XlsxReader, SparseRowsAndCellsKeepTheirPlaces) {
  auto got = read(package("<row r=\"1\">" + inl("A1", "a") + inl("B1", "b") + "</row>" +
                          "<row r=\"3\">" + inl("B3", "x") + num("D3", "4") + "</row>" +
                          "<row r=\"5\">" + inl("A5", " ") + inl("C5", "\xE3\x80\x80") + "</row>" +  // blank
                          "<row><c t=\"inlineStr\"><is><t>p</t></is></c><c><v>1</v></c>" + inl("E6", "q") +
                          "<c><v>2</v></c></row>" +
                          "<row r=\"9\"><c r=\"AB9\"><v>5</v></c></row>" +
                          "<row r=\"10\"/><row r=\"11\">" + inl("A11", "  ") + "</row>"));  // trailing blanks
  EXPECT_EQ(got.header, (Cells{"a", "b"}));
  ASSERT_EQ(got.rows.size(), 3u);
  EXPECT_EQ(got.rows[0].number, 3);
  EXPECT_EQ(got.rows[0].cells, (Cells{"", "x", "", "4"}));
  EXPECT_EQ(got.rows[1].number, 6);
  EXPECT_EQ(got.rows[1].cells, (Cells{"p", "1", "", "", "q", "2"}));
  EXPECT_EQ(got.rows[2].number, 9);
  ASSERT_EQ(got.rows[2].cells.size(), 28u);
  EXPECT_EQ(got.rows[2].cells[27], "5");
  EXPECT_EQ(got.rows[2].cells[0], "");
}

TEST(XlsxReader, NamespacePrefixedElements) {
  const std::string sheet =
      "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
      "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>h</x:t></x:is></x:c></x:row>"
      "<x:row r=\"2\"><x:c r=\"A2\"><x:v>1.5</x:v></x:c></x:row></x:sheetData></x:worksheet>";
  auto parts = package("");
  parts["xl/worksheets/data.xml"] = sheet;
  auto got = read(parts);
  EXPECT_EQ(got.header, (Cells{"h"}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"1.5"}));
}

TEST(XlsxReader, WithoutRelationshipsTheSheetIsSheet1) {
  auto parts = package(kHeader);
  parts.erase("xl/_rels/workbook.xml.rels");
  auto got = read(parts);
  EXPECT_EQ(got.header, (Cells{"decoy"}));
}

TEST(XlsxReader, ManyRowsStreamAcrossBlocks) {
  std::string data = kHeader;
  for (int i = 2; i <= 20000; ++i) data += "<row r=\"" + std::to_string(i) + "\">" + num("A" + std::to_string(i), std::to_string(i)) + "</row>";
  auto got = read(package(data));
  ASSERT_EQ(got.rows.size(), 19999u);
  EXPECT_EQ(got.rows.back().number, 20000);
  EXPECT_EQ(got.rows.back().cells, (Cells{"20000"}));
}

TEST(XlsxReader, NumbersThroughTheSheet) {
  auto got = read(package(kHeader + "<row r=\"2\">" + num("A2", "-3") + num("B2", "-0.25") + num("C2", "1.2E-3") +
                          num("D2", "12000.499999999999") + num("E2", "1e20") + num("F2", "-0") + "</row>"));
  ASSERT_EQ(got.rows.size(), 1u);
  // 12000.499999999999 reads as the double whose shortest exact form ends in 8.
  EXPECT_EQ(got.rows[0].cells,
            (Cells{"-3", "-0.25", "0.0012", "12000.499999999998", "100000000000000000000", "0"}));
  EXPECT_EQ(got.rows[0].types, (Types{N, N, N, N, N, N}));
  EXPECT_EQ(std::stod(got.rows[0].cells[3]), 12000.499999999999);
}

TEST(XlsxReader, IdTypedAsANumberShowsExcelsLoss) {
  auto got = read(package(kHeader + "<row r=\"2\">" + num("A2", "1.2345678901234568E+17") + num("B2", "110101200001011234") +
                          num("C2", "1.10101200001011E+17") + "</row>"));
  ASSERT_EQ(got.rows.size(), 1u);
  // Excel keeps 15 digits of a typed number and writes the shortest form of
  // the double; other writers may write more digits: the shortest digits that
  // identify the double are shown either way.
  EXPECT_EQ(got.rows[0].cells, (Cells{"123456789012345680", "110101200001011230", "110101200001011000"}));
  EXPECT_EQ(got.rows[0].types, (Types{N, N, N}));
}

TEST(XlsxReader, DateSerialsAroundThePhantomDayAndBeyondTheCalendar) {
  auto got = read(package(kHeader + "<row r=\"2\">" + num("A2", "0", 1) + num("B2", "-1", 1) + num("C2", "2958466", 1) +
                              num("D2", "45000.99999999999", 1) + num("E2", "45000", 2) + "</row>",
                          {{"xl/styles.xml", kStyles}}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"1900-01-00", "-1", "2958466", "2023-03-16", "2023-03-15"}));
  EXPECT_EQ(got.rows[0].types, (Types{D, N, N, D, D}));
}

TEST(XlsxReader, Date1904WrittenAsTrue) {
  auto parts = package(kHeader + "<row r=\"2\">" + num("A2", "1462", 1) + "</row>", {{"xl/styles.xml", kStyles}});
  parts["xl/workbook.xml"] = testing::workbook_xml(false);
  const std::string wb = parts["xl/workbook.xml"];
  parts["xl/workbook.xml"].replace(wb.find("<workbookPr/>"), 13, "<workbookPr date1904=\"true\"/>");
  auto got = read(parts);
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"1908-01-02"}));
  EXPECT_EQ(got.rows[0].types, (Types{D}));
}

TEST(XlsxReader, DateStyleOnAFormulaAndOnTextCells) {
  // A formula's cached number takes its cell's date format; a string is never a date.
  auto got = read(package(kHeader + "<row r=\"2\"><c r=\"A2\" s=\"1\"><f>DATE(2023,3,15)</f><v>45000</v></c>"
                                    "<c r=\"B2\" s=\"1\" t=\"inlineStr\"><is><t>45000</t></is></c>"
                                    "<c r=\"C2\" s=\"1\" t=\"str\"><f>\"x\"</f><v>45000</v></c></row>",
                          {{"xl/styles.xml", kStyles}}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"2023-03-15", "45000", "45000"}));
  EXPECT_EQ(got.rows[0].types, (Types{D, T, T}));
}

TEST(XlsxReader, EscapedCharactersInSharedAndInlineStrings) {
  const std::string sst =
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<si><t>a_x000D_b_x005F_x0041_</t></si><si><t>_x0009_pad_x000D_</t></si></sst>";
  auto got = read(package(kHeader + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c>" +
                              inl("C2", "x_x000A_y") + "<c r=\"D2\" t=\"str\"><v>_x4E2D_</v></c></row>",
                          {{"xl/sharedStrings.xml", sst}}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"a\rb_x0041_", "pad", "x\ny", "中"}));  // escaped white space trimmed too
}

TEST(XlsxReader, EmptyValuesOfEveryKindAreEmptyCells) {
  auto got = read(package(kHeader + "<row r=\"2\"><c r=\"A2\" t=\"s\"/><c r=\"B2\" t=\"s\"><v></v></c>"
                                    "<c r=\"C2\" t=\"inlineStr\"/><c r=\"D2\"><v/></c><c r=\"E2\" s=\"1\"/>"
                                    "<c r=\"F2\" t=\"str\"><f>\"\"</f><v></v></c>" +
                              inl("G2", "end") + "</row>",
                          {{"xl/styles.xml", kStyles}}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"", "", "", "", "", "", "end"}));
  EXPECT_EQ(got.rows[0].types, (Types{T, T, T, T, T, T, T}));
}

TEST(XlsxReader, IsoDateCellsOnlyInTheirOwnForm) {
  auto got = read(package(kHeader + "<row r=\"2\"><c r=\"A2\" t=\"d\"><v>2023-03-15</v></c>"
                                    "<c r=\"B2\" t=\"d\"><v>20230315</v></c>"
                                    "<c r=\"C2\" t=\"d\"><v>2023/3/15</v></c>"
                                    "<c r=\"D2\" t=\"d\"><v>2023-02-30</v></c></row>"));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"2023-03-15", "20230315", "2023/3/15", "2023-02-30"}));
  EXPECT_EQ(got.rows[0].types, (Types{D, T, T, T}));
}

TEST(XlsxReader, OneSharedStringInManyCellsIsNotCopied) {
  // A small file whose cells all name one long string must not cost
  // columns x length bytes: the cells are views of the one string.
  const std::string sst = "<sst><si><t>" + std::string(100000, 'z') + "</t></si></sst>";
  std::string row = "<row r=\"2\">";
  for (int i = 0; i < 2000; ++i) row += "<c t=\"s\"><v>0</v></c>";
  auto got = read(package(kHeader + row + "</row>", {{"xl/sharedStrings.xml", sst}}));
  ASSERT_EQ(got.rows.size(), 1u);
  ASSERT_EQ(got.rows[0].cells.size(), 2000u);
  EXPECT_EQ(got.rows[0].cells[1999].size(), 100000u);
}

TEST(XlsxReader, FirstTabThatIsAWorksheetThroughThePackageRelationships) {
  // The workbook is not at xl/workbook.xml, its first tab is a chart sheet,
  // and its shared strings and styles have names of their own.
  const std::string ns = "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::map<std::string, std::string> parts{
      {"_rels/.rels", "<Relationships " + ns + "><Relationship Id=\"r1\" Type=\"" + rel +
                          "officeDocument\" Target=\"book/main.xml\"/></Relationships>"},
      {"book/main.xml",
       "<workbook xmlns:r=\"" + rel.substr(0, rel.size() - 1) + "\"><workbookPr date1904=\"1\"/><sheets>"
       "<sheet name=\"图\" sheetId=\"3\" r:id=\"c\"/><sheet name=\"名单\" sheetId=\"1\" r:id=\"w\"/></sheets></workbook>"},
      {"book/_rels/main.xml.rels",
       "<Relationships " + ns + ">"
       "<Relationship Id=\"c\" Type=\"" + rel + "chartsheet\" Target=\"charts/c1.xml\"/>"
       "<Relationship Id=\"w\" Type=\"" + rel + "worksheet\" Target=\"../tabs/list.xml\"/>"
       "<Relationship Id=\"s\" Type=\"" + rel + "sharedStrings\" Target=\"strings.xml\"/>"
       "<Relationship Id=\"y\" Type=\"" + rel + "styles\" Target=\"look.xml\"/></Relationships>"},
      {"book/charts/c1.xml", "<chartsheet/>"},
      {"tabs/list.xml", testing::sheet_xml("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>"
                                           "<row r=\"2\"><c s=\"1\"><v>0</v></c></row>")},
      {"book/strings.xml", "<sst><si><t>出生日期</t></si></sst>"},
      {"book/look.xml", kStyles},
  };
  auto got = read(parts);
  EXPECT_EQ(got.header, (Cells{"出生日期"}));
  ASSERT_EQ(got.rows.size(), 1u);
  EXPECT_EQ(got.rows[0].cells, (Cells{"1904-01-01"}));
}

TEST(XlsxReader, CellAndSharedStringLimits) {
  XlsxLimits limits;
  limits.cell_bytes_max = 100;
  EXPECT_EQ(read(package(kHeader + "<row r=\"2\">" + inl("A2", std::string(100, 'x')) + "</row>"), limits).rows.size(), 1u);
  EXPECT_NE(stream_error(package(kHeader + "<row r=\"2\">" + inl("A2", std::string(101, 'x')) + "</row>"), limits)
                .find("单元格"),
            std::string::npos);
  // Empty strings count too (8 bytes each for their offsets).
  XlsxLimits strings;
  strings.shared_strings_bytes_max = 1000;
  std::string sst = "<sst>";
  for (int i = 0; i < 200; ++i) sst += "<si/>";
  auto e = open_error(package(kHeader, {{"xl/sharedStrings.xml", sst + "</sst>"}}), strings);
  EXPECT_NE(e.message.find("共享字符串"), std::string::npos);
}

// ---- faults ----

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Opens and reads every row; the first error, or "" when all went well.
std::string any_error(const std::string& path) {
  auto r = open_xlsx(path);
  if (!r) return r.error().describe();
  auto rows = read_typed(**r);
  return !rows.empty() && rows.back().number == -1 ? rows.back().cells[0] : "";
}

std::string many_rows() {
  std::string data = kHeader;
  for (int i = 2; i <= 3000; ++i) {
    data += "<row r=\"" + std::to_string(i) + "\">" + inl("A" + std::to_string(i), "学生" + std::to_string(i * 7919)) + "</row>";
  }
  return data;
}

TEST(XlsxReader, TruncatedZipIsAnError) {
  const std::string whole = read_bytes(write_zip("whole.xlsx", package(many_rows())));
  for (size_t keep : {whole.size() / 2, whole.size() - 30, size_t{10}}) {
    const std::string path = write_file("cut.xlsx", whole.substr(0, keep));
    const std::string err = any_error(path);
    EXPECT_NE(err.find(path), std::string::npos) << keep;
  }
}

TEST(XlsxReader, CorruptedCompressedDataIsAnError) {
  std::string bytes = read_bytes(write_zip("whole.xlsx", package(many_rows())));
  // Flip bytes in the middle of the largest part's compressed data (the sheet
  // comes first in the zip after the smaller parts; the middle is inside it).
  for (size_t i = bytes.size() / 3; i < bytes.size() / 3 + 16; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  const std::string path = write_file("corrupt.xlsx", bytes);
  EXPECT_NE(any_error(path).find(path), std::string::npos);
}

TEST(XlsxReader, PartLongerThanItsDeclaredSizeIsRefused) {
  // Lower the declared uncompressed size of the sheet in both the local header
  // and the central directory: the data then runs past what was declared.
  const std::string sheet = "xl/worksheets/data.xml";
  std::string bytes = read_bytes(write_zip("whole.xlsx", package(many_rows())));
  int patched = 0;
  for (size_t at = bytes.find(sheet); at != std::string::npos; at = bytes.find(sheet, at + 1)) {
    // Local header: name at +30, size at +22; central directory: name at +46, size at +24.
    const bool central = at >= 46 && bytes.compare(at - 46, 4, "PK\x01\x02") == 0;
    const bool local = at >= 30 && bytes.compare(at - 30, 4, "PK\x03\x04") == 0;
    if (!central && !local) continue;
    const size_t size_at = central ? at - 46 + 24 : at - 30 + 22;
    const char small[4] = {0x00, 0x01, 0x00, 0x00};  // 256 bytes
    bytes.replace(size_at, 4, small, 4);
    ++patched;
  }
  ASSERT_EQ(patched, 2);
  const std::string path = write_file("lying.xlsx", bytes);
  EXPECT_NE(any_error(path).find(path), std::string::npos);
}

TEST(XlsxReader, DeclaredHugeSizeIsRefusedBeforeReading) {
  XlsxLimits limits;
  limits.part_bytes_max = 4096;
  auto e = open_error(package(many_rows()), limits);
  EXPECT_NE(e.message.find("超过上限 4096"), std::string::npos) << e.message;
}


TEST(XlsxReader, NotAZip) {
  const std::string path = write_file("text.xlsx", "学籍号,姓名\n");
  auto r = open_xlsx(path);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "XLSX");
  EXPECT_NE(r.error().message.find(path), std::string::npos);
  auto missing = open_xlsx(testing::temp_path("absent.xlsx"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "IO");
}

TEST(XlsxReader, MissingWorkbookOrSheet) {
  auto e = open_error({{"hello.txt", "hi"}});
  EXPECT_EQ(e.code, "XLSX");
  EXPECT_NE(e.message.find("xl/workbook.xml"), std::string::npos);
  auto parts = package(kHeader);
  parts.erase("xl/worksheets/data.xml");
  e = open_error(parts);
  EXPECT_EQ(e.code, "XLSX");
  EXPECT_NE(e.message.find("xl/worksheets/data.xml"), std::string::npos);
}

TEST(XlsxReader, NoHeaderWhenRow1IsEmptyOrMissing) {
  EXPECT_EQ(open_error(package("")).code, "NO_HEADER");
  EXPECT_EQ(open_error(package("<row r=\"2\">" + inl("A2", "a") + "</row>")).code, "NO_HEADER");
  EXPECT_EQ(open_error(package("<row r=\"1\">" + inl("A1", " ") + "</row><row r=\"2\">" + inl("A2", "a") + "</row>")).code,
            "NO_HEADER");
}

TEST(XlsxReader, DeclaredZipBombRatioIsRefused) {
  // 4 MiB of spaces compress about a thousandfold.
  auto parts = package(kHeader + std::string(4u << 20, ' '));
  auto e = open_error(parts);
  EXPECT_EQ(e.code, "XLSX");
  EXPECT_NE(e.message.find("压缩比"), std::string::npos);
  XlsxLimits small;
  small.part_bytes_max = 1000;
  e = open_error(package(kHeader + std::string(2000, ' ')), small);
  EXPECT_EQ(e.code, "XLSX");
}

TEST(XlsxReader, RowAndColumnLimits) {
  XlsxLimits limits;
  limits.columns_max = 3;
  limits.rows_max = 4;
  EXPECT_NE(stream_error(package(kHeader + "<row r=\"2\">" + num("D2", "1") + "</row>"), limits), "");
  EXPECT_NE(stream_error(package(kHeader + "<row r=\"2\"><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c><c><v>1</v></c></row>"), limits), "");
  EXPECT_NE(stream_error(package(kHeader + "<row r=\"5\">" + num("A5", "1") + "</row>"), limits), "");
  EXPECT_EQ(read(package(kHeader + "<row r=\"4\">" + num("C4", "1") + "</row>"), limits).rows.size(), 1u);
}

TEST(XlsxReader, MalformedSheetsAreErrorsNamingTheFile) {
  for (const std::string& bad : {
           kHeader + "<row r=\"2\">" + num("A2", "1"),                                           // unclosed
           kHeader + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>5</v></c></row>",                       // no such string
           kHeader + "<row r=\"1\">" + num("A1", "1") + "</row>",                                  // row again
           kHeader + "<row r=\"2\">" + num("B2", "1") + num("A2", "1") + "</row>",                // backwards
           kHeader + "<row r=\"2\">" + num("12", "1") + "</row>",                                 // no column
           kHeader + "<row r=\"x\"/>",
           kHeader + std::string(100, '<') ,
       }) {
    const std::string err = stream_error(package(bad));
    EXPECT_NE(err.find(".xlsx"), std::string::npos) << bad;
  }
  std::string deep = kHeader + "<row r=\"2\"><c r=\"A2\"><v>1</v>";
  for (int i = 0; i < 100; ++i) deep += "<x>";
  EXPECT_NE(stream_error(package(deep)).find("嵌套"), std::string::npos);
}

TEST(XlsxReader, DoctypeIsRefused) {
  auto parts = package(kHeader);
  parts["xl/workbook.xml"] = "<!DOCTYPE w [<!ENTITY a \"aaaa\">]>" + testing::workbook_xml();
  auto e = open_error(parts);
  EXPECT_EQ(e.code, "XLSX");
  EXPECT_NE(e.message.find("DOCTYPE"), std::string::npos);
}

}  // namespace
}  // namespace zizhu::io

#include "io/xlsx_reader.h"

#include <gtest/gtest.h>

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
  EXPECT_EQ(got.rows[0].cells, (Cells{"1900-02-28", "60", "1900-03-01", "2023-03-15", "2023-03-15", "45000", "45000",
                                      "45000", "45000", "45000"}));
  EXPECT_EQ(got.rows[0].types, (Types{D, N, D, D, D, N, N, N, N, N}));
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

// ---- faults ----

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

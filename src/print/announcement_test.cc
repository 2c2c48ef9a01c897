#include "print/announcement.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "io/xlsx_reader.h"

// Leaks inside the system libraries, seen by the ASan build (CI runs the unit
// tests with detect_leaks=1): fontconfig's caches, which pango's font map
// fills and never frees, and cairo 1.16's PDF font subsetting, which loses a
// few small buffers in cairo_surface_finish of every document. A cairo object
// we fail to free is allocated outside these and still reported. (A PangoLayout
// we fail to unref is not: GLib 2.74's slice allocator keeps GObjects
// reachable; run with G_SLICE=always-malloc to see those.) Full unwinding
// (this binary only) lets the suppression see cairo_surface_finish through
// libcairo's frames, which have no frame pointers.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n"
         "leak:cairo_surface_finish\n";
}
extern "C" const char* __asan_default_options() { return "fast_unwind_on_malloc=0"; }

namespace zizhu::print {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// ---------------------------------------------------------------- helpers

std::string temp_dir() {
  static const std::string dir = [] {
    std::string d = "/tmp/zizhu_print_test_XXXXXX";
    if (::mkdtemp(d.data()) == nullptr) std::abort();
    return d;
  }();
  return dir;
}

std::string write_temp(const std::string& name, const std::string& bytes) {
  const std::string path = temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

struct PipeClose {
  void operator()(FILE* f) const { ::pclose(f); }
};

// The standard output of a shell command (poppler-utils), or a failure.
std::string run(const std::string& command) {
  std::unique_ptr<FILE, PipeClose> p(::popen((command + " 2>/dev/null").c_str(), "r"));
  if (!p) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, n);
  return out;
}

// Page count as pdfinfo (poppler) reads it; -1 when it cannot.
int pdf_pages(const std::string& path) {
  const std::string info = run("pdfinfo '" + path + "'");
  const size_t at = info.find("\nPages:");
  if (at == std::string::npos) {
    ADD_FAILURE() << "pdfinfo gave no page count for " << path << ":\n" << info;
    return -1;
  }
  return std::atoi(info.c_str() + at + 7);
}

// Each page's text as pdftotext extracts it (pages end with a form feed):
// `layout` keeps table rows on one line each (but drops narrow spaces, as in
// 第 1 页); without it the text comes in drawing order, spaces kept.
std::vector<std::string> pdf_page_texts(const std::string& path, bool layout = false) {
  const std::string text = run(std::string("pdftotext ") + (layout ? "-layout" : "-raw") + " -enc UTF-8 '" + path + "' -");
  std::vector<std::string> pages;
  size_t start = 0;
  for (size_t ff = text.find('\f'); ff != std::string::npos; ff = text.find('\f', start)) {
    pages.push_back(text.substr(start, ff - start));
    start = ff + 1;
  }
  return pages;
}

// One part of a zip package (an .xlsx), read with libzip; empty when missing.
std::string zip_part(const std::string& bytes, const std::string& name) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* z = src != nullptr ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr;
  std::string out;
  if (z == nullptr) {
    if (src != nullptr) zip_source_free(src);
    zip_error_fini(&err);
    ADD_FAILURE() << "not a zip";
    return out;
  }
  if (zip_file_t* f = zip_fopen(z, name.c_str(), 0); f != nullptr) {
    char buf[4096];
    zip_int64_t n = 0;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_fclose(f);
  }
  zip_discard(z);
  zip_error_fini(&err);
  return out;
}

std::string without_spaces(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') out += c;
  }
  return out;
}

// The 序号 of the table rows found in a page's text: lines that start with a
// number and hold a level label (档).
std::vector<int> row_numbers(const std::string& page) {
  std::vector<int> numbers;
  size_t start = 0;
  while (start < page.size()) {
    size_t end = page.find('\n', start);
    if (end == std::string::npos) end = page.size();
    const std::string line = page.substr(start, end - start);
    start = end + 1;
    size_t i = line.find_first_not_of(' ');
    if (i == std::string::npos || line[i] < '0' || line[i] > '9') continue;
    if (line.find("档") == std::string::npos) continue;
    numbers.push_back(std::atoi(line.c_str() + i));
  }
  return numbers;
}

const char* const kSurnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨", "黄", "欧阳", "周"};
const char* const kGiven[] = {"明", "华", "芳", "强", "娜", "伟", "静", "磊", "洋", "婷", "杰"};
const char* const kLevels[] = {"一档", "二档", "三档"};

Announcement sample(size_t rows, const std::string& school = "城关区第一学校") {
  Announcement a;
  a.title = school + " 2026-2027 学年义务教育家庭经济困难学生资助名单公示";
  a.school_name = school;
  a.school_year = "2026-2027";
  a.start = *Date::from_ymd(2026, 9, 14);
  a.end = *Date::from_ymd(2026, 9, 20);
  a.contact = "异议请向学校资助办反映，电话 0931-1234567";
  a.issued_by = school + "（盖章）";
  a.issued_on = *Date::from_ymd(2026, 9, 13);
  for (size_t i = 0; i < rows; ++i) {
    const int grade = static_cast<int>(i % 9) + 1;
    const std::string surname = kSurnames[i % 10];
    a.rows.push_back(AnnouncementRow{surname + (surname.size() > 3 ? "*" : "") + "*" + kGiven[i % 11], school,
                                     grade, std::to_string(grade) + "年级" + std::to_string(i % 4 + 1) + "班",
                                     kLevels[i % 3]});
  }
  return a;
}

// ---------------------------------------------------------------- labels and checks

TEST(AnnouncementLabels, GradesDatesAndPeriod) {
  EXPECT_EQ(grade_label(1), "一年级");
  EXPECT_EQ(grade_label(4), "四年级");
  EXPECT_EQ(grade_label(7), "七年级");
  EXPECT_EQ(grade_label(9), "九年级");
  EXPECT_EQ(grade_label(0), "");
  EXPECT_EQ(grade_label(10), "");
  EXPECT_EQ(date_label(*Date::from_ymd(2026, 9, 4)), "2026年9月4日");
  EXPECT_EQ(date_label(*Date::from_ymd(2026, 12, 31)), "2026年12月31日");
  EXPECT_EQ(period_line(sample(0)), "公示期：2026年9月14日至2026年9月20日");
}

TEST(AnnouncementCheck, RefusesWhatCannotBePrinted) {
  EXPECT_TRUE(check_announcement(sample(3)).has_value());
  auto expect_bad = [](const Announcement& a, const std::string& part) {
    auto ok = check_announcement(a);
    ASSERT_FALSE(ok.has_value()) << part;
    EXPECT_EQ(ok.error().code, "BAD_ANNOUNCEMENT");
    EXPECT_THAT(ok.error().message, HasSubstr(part));
    // Both renderers refuse it too.
    EXPECT_FALSE(announcement_pdf(a).has_value());
    EXPECT_FALSE(announcement_xlsx(a).has_value());
  };
  Announcement a = sample(3);
  a.rows[1].grade = 0;
  expect_bad(a, "第 2 行年级 0");
  a = sample(3);
  a.rows[2].grade = 10;
  expect_bad(a, "第 3 行年级 10");
  a = sample(1);
  a.end = a.start.plus_days(-1);
  expect_bad(a, "早于开始日");
  a = sample(1);
  a.rows[0].name_masked = "张\xff明";
  expect_bad(a, "第 1 行姓名不是有效的 UTF-8");
  a = sample(1);
  a.rows[0].class_name = "4年级\n1班";
  expect_bad(a, "第 1 行班级含控制字符");
  a = sample(1);
  a.rows[0].school_name = std::string(kCellBytesMax + 1, 'x');
  expect_bad(a, "第 1 行学校过长");
  a = sample(1);
  a.contact.clear();
  expect_bad(a, "异议渠道为空");
  a = sample(1);
  a.title = std::string(kTextBytesMax + 3, 'T');
  expect_bad(a, "标题过长");
  a = sample(0);
  a.rows.resize(kRowsMax + 1, sample(1).rows[0]);
  auto ok = check_announcement(a);
  ASSERT_FALSE(ok.has_value());
  EXPECT_THAT(ok.error().message, HasSubstr("超过上限"));
}

// ---------------------------------------------------------------- PDF

TEST(AnnouncementPdf, IsAPdfAndTheSameInputGivesTheSameBytes) {
  auto pdf = announcement_pdf(sample(5));
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  ASSERT_GT(pdf->size(), 1000u);
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_THAT(pdf->substr(pdf->size() - 7), HasSubstr("%%EOF"));
  auto again = announcement_pdf(sample(5));
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(*pdf == *again) << "the PDF depends on something besides its input";
  auto other = announcement_pdf(sample(6));
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(*pdf == *other);
}

TEST(AnnouncementPdf, TextHasTitlePeriodNamesFooterAndIssuer) {
  const Announcement a = sample(1);
  auto pdf = announcement_pdf(a);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const std::string path = write_temp("one.pdf", *pdf);
  const auto pages = pdf_page_texts(path);
  ASSERT_EQ(pages.size(), 1u);
  const std::string& text = pages[0];
  const std::string flat = without_spaces(text);
  EXPECT_THAT(flat, HasSubstr(without_spaces(a.title)));  // the title may wrap
  EXPECT_THAT(text, HasSubstr("公示期：2026年9月14日至2026年9月20日"));
  EXPECT_THAT(text, HasSubstr("张*明"));
  EXPECT_THAT(text, HasSubstr("一年级"));
  EXPECT_THAT(text, HasSubstr("1年级1班"));
  EXPECT_THAT(text, HasSubstr("一档"));
  for (const char* h : {"序号", "姓名", "学校", "年级", "班级", "资助等级"}) EXPECT_THAT(text, HasSubstr(h));
  EXPECT_THAT(text, HasSubstr("第 1 页"));
  EXPECT_THAT(text, HasSubstr("第 1 页 / 共 1 页"));
  EXPECT_THAT(flat, HasSubstr(without_spaces(a.contact)));
  EXPECT_THAT(text, HasSubstr("城关区第一学校（盖章）"));
  EXPECT_THAT(text, HasSubstr("2026年9月13日"));
}

TEST(AnnouncementPdf, UsesNotoSansCjkEmbedded) {
  auto pdf = announcement_pdf(sample(2));
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const std::string fonts = run("pdffonts '" + write_temp("fonts.pdf", *pdf) + "'");
  EXPECT_THAT(fonts, HasSubstr("NotoSansCJK"));
  EXPECT_THAT(fonts, Not(HasSubstr("DejaVu")));
}

TEST(AnnouncementPdf, EmptyListSaysSoOnOnePage) {
  const Announcement a = sample(0);
  auto plan = announcement_pages(a);
  ASSERT_TRUE(plan.has_value()) << plan.error().describe();
  ASSERT_EQ(plan->size(), 1u);
  auto pdf = announcement_pdf(a);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const std::string path = write_temp("empty.pdf", *pdf);
  EXPECT_EQ(pdf_pages(path), 1);
  const auto pages = pdf_page_texts(path);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_THAT(pages[0], HasSubstr(std::string(kNoRowsText)));
  EXPECT_THAT(pages[0], HasSubstr("资助等级"));
  EXPECT_THAT(pages[0], HasSubstr("第 1 页 / 共 1 页"));
  EXPECT_THAT(pages[0], HasSubstr("城关区第一学校（盖章）"));
}

// The closing block (issuer, date) stays with the last row: when all rows fit
// on page 1 but the block does not, the last row moves to page 2 with it.
TEST(AnnouncementPdf, ClosingBlockKeepsTheLastRowWithIt) {
  auto full = announcement_pages(sample(200));
  ASSERT_TRUE(full.has_value()) << full.error().describe();
  ASSERT_GT(full->size(), 2u);
  const size_t capacity = (*full)[0].row_count;  // rows on a full page 1
  ASSERT_GT(capacity, 10u);
  auto fits = announcement_pages(sample(capacity - 3));
  ASSERT_TRUE(fits.has_value());
  ASSERT_EQ(fits->size(), 1u);  // three rows' room is enough for the block
  EXPECT_EQ((*fits)[0].row_count, capacity - 3);
  auto moved = announcement_pages(sample(capacity));
  ASSERT_TRUE(moved.has_value());
  ASSERT_EQ(moved->size(), 2u);
  EXPECT_EQ((*moved)[0].first_row, 0u);
  EXPECT_EQ((*moved)[0].row_count, capacity - 1);
  EXPECT_EQ((*moved)[1].first_row, capacity - 1);
  EXPECT_EQ((*moved)[1].row_count, 1u);
  for (size_t n = 1; n <= 2 * capacity + 2; ++n) {
    auto plan = announcement_pages(sample(n));
    ASSERT_TRUE(plan.has_value());
    EXPECT_GT(plan->back().row_count, 0u) << n << " rows: the closing block is alone on a page";
  }
}

struct PagesCase {
  size_t rows;
  int pages_min, pages_max;  // the layout's page count must fall here
  bool long_school;          // school names that wrap in their cell
};

void PrintTo(const PagesCase& c, std::ostream* os) {
  *os << c.rows << " rows, " << c.pages_min << ".." << c.pages_max << " pages" << (c.long_school ? ", long school name" : "");
}

class AnnouncementPdfPages : public ::testing::TestWithParam<PagesCase> {};

// pdfinfo's page count is the planned one; every row is on the page the plan
// says, once, in order; each page has the header and its own 第 k 页 / 共 N
// 页; the issuer is on the last page only.
TEST_P(AnnouncementPdfPages, PaginateEveryRowOnce) {
  const PagesCase c = GetParam();
  const Announcement a =
      sample(c.rows, c.long_school ? "城关区第一九年一贯制学校（东校区）暨城关区特殊教育资源中心附属学校" : "城关区第一学校");
  auto plan = announcement_pages(a);
  ASSERT_TRUE(plan.has_value()) << plan.error().describe();
  const int n = static_cast<int>(plan->size());
  EXPECT_GE(n, c.pages_min);
  EXPECT_LE(n, c.pages_max);

  auto pdf = announcement_pdf(a);
  ASSERT_TRUE(pdf.has_value()) << pdf.error().describe();
  const std::string path = write_temp("pages_" + std::to_string(c.rows) + ".pdf", *pdf);
  EXPECT_EQ(pdf_pages(path), n);
  const auto pages = pdf_page_texts(path);
  ASSERT_EQ(static_cast<int>(pages.size()), n);
  const auto table_pages = pdf_page_texts(path, true);
  ASSERT_EQ(static_cast<int>(table_pages.size()), n);

  size_t next_row = 0;
  for (int k = 0; k < n; ++k) {
    const PageRows& p = (*plan)[static_cast<size_t>(k)];
    SCOPED_TRACE("page " + std::to_string(k + 1));
    EXPECT_EQ(p.first_row, next_row);
    next_row = p.first_row + p.row_count;
    if (k + 1 < n) {
      EXPECT_GT(p.row_count, 0u);
    }
    std::vector<int> want;
    for (size_t r = p.first_row; r < p.first_row + p.row_count; ++r) want.push_back(static_cast<int>(r + 1));
    // Rows end above the footer: pdftotext -layout writes lines top to bottom.
    const std::string& table = table_pages[static_cast<size_t>(k)];
    const size_t footer = table.find("异议请向学校资助办反映");
    ASSERT_NE(footer, std::string::npos);
    EXPECT_EQ(row_numbers(table.substr(0, footer)), want);
    EXPECT_THAT(pages[static_cast<size_t>(k)],
                HasSubstr("第 " + std::to_string(k + 1) + " 页 / 共 " + std::to_string(n) + " 页"));
    if (p.row_count > 0) {
      EXPECT_THAT(pages[static_cast<size_t>(k)], HasSubstr("资助等级"));
    }
    EXPECT_EQ(pages[static_cast<size_t>(k)].find("（盖章）") != std::string::npos, k + 1 == n);
  }
  EXPECT_EQ(next_row, c.rows);
}

INSTANTIATE_TEST_SUITE_P(Rows, AnnouncementPdfPages,
                         ::testing::Values(PagesCase{1, 1, 1, false}, PagesCase{40, 2, 2, false},
                                           PagesCase{500, 14, 22, false}, PagesCase{120, 5, 12, true}),
                         [](const ::testing::TestParamInfo<PagesCase>& param_info) {
                           const PagesCase& c = param_info.param;
                           return std::to_string(c.rows) + (c.long_school ? "_long" : "");
                         });

// ---------------------------------------------------------------- XLSX

struct ReadBack {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<io::CellType>> types;
};

ReadBack read_xlsx(const std::string& bytes, const std::string& name) {
  ReadBack out;
  auto r = io::open_xlsx(write_temp(name, bytes));
  if (!r) {
    ADD_FAILURE() << r.error().describe();
    return out;
  }
  out.header = (*r)->header();
  while (!out.header.empty() && out.header.back().empty()) out.header.pop_back();
  io::Row row;
  for (;;) {
    auto got = (*r)->next(row);
    if (!got) {
      ADD_FAILURE() << got.error().describe();
      break;
    }
    if (!*got) break;
    std::vector<std::string> cells;
    std::vector<io::CellType> types;
    for (const io::Cell& c : row.cells) {
      cells.emplace_back(c.text);
      types.push_back(c.type);
    }
    while (!cells.empty() && cells.back().empty()) cells.pop_back(), types.pop_back();
    out.rows.push_back(std::move(cells));
    out.types.push_back(std::move(types));
  }
  return out;
}

using Cells = std::vector<std::string>;

TEST(AnnouncementXlsx, ReadsBackThroughTheProjectReader) {
  const Announcement a = sample(25);
  auto x = announcement_xlsx(a);
  ASSERT_TRUE(x.has_value()) << x.error().describe();
  EXPECT_EQ(x->substr(0, 2), "PK");
  const ReadBack got = read_xlsx(*x, "list.xlsx");
  EXPECT_EQ(got.header, (Cells{a.title}));
  ASSERT_EQ(got.rows.size(), 2 + a.rows.size() + 3);
  EXPECT_EQ(got.rows[0], (Cells{"公示期：2026年9月14日至2026年9月20日"}));
  EXPECT_EQ(got.rows[1], (Cells{"序号", "姓名", "学校", "年级", "班级", "资助等级"}));
  for (size_t i = 0; i < a.rows.size(); ++i) {
    const AnnouncementRow& r = a.rows[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(got.rows[2 + i], (Cells{std::to_string(i + 1), r.name_masked, r.school_name,
                                      std::string(grade_label(r.grade)), r.class_name, r.level_label}));
    using io::CellType;
    EXPECT_EQ(got.types[2 + i], (std::vector<CellType>{CellType::kNumber, CellType::kText, CellType::kText,
                                                       CellType::kText, CellType::kText, CellType::kText}));
  }
  const size_t tail = 2 + a.rows.size();
  EXPECT_EQ(got.rows[tail], (Cells{a.contact}));
  EXPECT_EQ(got.rows[tail + 1], (Cells{"城关区第一学校（盖章）"}));
  EXPECT_EQ(got.rows[tail + 2], (Cells{"2026年9月13日"}));
}

TEST(AnnouncementXlsx, TitleMergedHeaderBoldAndPrintSetup) {
  auto x = announcement_xlsx(sample(3));
  ASSERT_TRUE(x.has_value()) << x.error().describe();
  const std::string sheet = zip_part(*x, "xl/worksheets/sheet1.xml");
  ASSERT_FALSE(sheet.empty());
  EXPECT_THAT(sheet, HasSubstr("<mergeCell ref=\"A1:F1\"/>"));
  EXPECT_THAT(sheet, HasSubstr("<mergeCell ref=\"A2:F2\"/>"));
  EXPECT_THAT(sheet, HasSubstr("<col min=\"3\" max=\"3\" width=\"30.7109375\""));
  EXPECT_THAT(sheet, HasSubstr("paperSize=\"9\""));
  EXPECT_THAT(sheet, HasSubstr("第 &amp;P 页 / 共 &amp;N 页"));
  const std::string styles = zip_part(*x, "xl/styles.xml");
  EXPECT_THAT(styles, HasSubstr("<b/>"));
  const std::string workbook = zip_part(*x, "xl/workbook.xml");
  EXPECT_THAT(workbook, HasSubstr("_xlnm.Print_Titles"));
}

TEST(AnnouncementXlsx, EmptyListSaysSo) {
  const Announcement a = sample(0);
  auto x = announcement_xlsx(a);
  ASSERT_TRUE(x.has_value()) << x.error().describe();
  const ReadBack got = read_xlsx(*x, "empty.xlsx");
  ASSERT_EQ(got.rows.size(), 6u);
  EXPECT_EQ(got.rows[1], (Cells{"序号", "姓名", "学校", "年级", "班级", "资助等级"}));
  EXPECT_EQ(got.rows[2], (Cells{std::string(kNoRowsText)}));
  EXPECT_EQ(got.rows[3], (Cells{a.contact}));
}

TEST(AnnouncementXlsx, ManyRowsAndTheSameInputGivesTheSameBytes) {
  const Announcement a = sample(500);
  auto x = announcement_xlsx(a);
  ASSERT_TRUE(x.has_value()) << x.error().describe();
  const ReadBack got = read_xlsx(*x, "many.xlsx");
  ASSERT_EQ(got.rows.size(), 505u);
  EXPECT_EQ(got.rows[501][0], "500");
  EXPECT_EQ(got.rows[501][1], a.rows[499].name_masked);
  auto again = announcement_xlsx(a);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(*x == *again) << "the XLSX depends on something besides its input";
}

}  // namespace
}  // namespace zizhu::print

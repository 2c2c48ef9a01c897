// The identification run with Excel on both sides: the spec's worked example
// with its roster converted to .xlsx gives the same results, and results.xlsx
// holds the rows of results.csv with Chinese labels.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "identify/engine.h"
#include "identify/load.h"
#include "identify/output.h"
#include "io/csv_reader.h"
#include "io/xlsx_reader.h"
#include "io/xlsx_writer.h"

namespace zizhu::identify {
namespace {

const std::string kExample = std::string(ZIZHU_SPEC_DIR) + "/example";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string temp_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("zizhu_identify_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// Copies a CSV file into an .xlsx with every cell as text.
void csv_to_xlsx(const std::string& csv, const std::string& xlsx) {
  auto reader = io::open_csv(csv);
  ASSERT_TRUE(reader) << reader.error().describe();
  auto writer = io::XlsxWriter::create(xlsx, "Sheet1");
  ASSERT_TRUE(writer) << writer.error().describe();
  std::vector<std::string_view> header((*reader)->header().begin(), (*reader)->header().end());
  (*writer)->header(header);
  io::Row row;
  long expected_row = 2;
  while (true) {
    auto more = (*reader)->next(row);
    ASSERT_TRUE(more);
    if (!*more) break;
    // Keep blank rows where they were, so that row numbers stay the same.
    for (; expected_row < row.number; ++expected_row) (*writer)->end_row();
    for (const auto& cell : row.cells) (*writer)->text(cell.text);
    (*writer)->end_row();
    ++expected_row;
  }
  ASSERT_TRUE((*writer)->close());
}

InputPaths example_paths(const std::string& students) {
  InputPaths p;
  p.students = students;
  p.lists = {kExample + "/input/lists_a.csv", kExample + "/input/lists_b.csv"};
  p.applications = kExample + "/input/applications.csv";
  p.history = kExample + "/input/history.csv";
  p.budgets = kExample + "/input/budgets.csv";
  return p;
}

TEST(IdentifyXlsx, RosterAsXlsxGivesTheExpectedResults) {
  auto policy = load_policy(std::string(ZIZHU_SPEC_DIR) + "/policy-default.toml");
  ASSERT_TRUE(policy);
  const std::string dir = temp_dir("xlsx_in");
  csv_to_xlsx(kExample + "/input/students.csv", dir + "/students.xlsx");
  auto data = load_dataset(example_paths(dir + "/students.xlsx"), *policy, 2);
  ASSERT_TRUE(data) << data.error().describe();
  const Outcome out = decide(*data, *policy, 2);
  ASSERT_TRUE(write_outputs(dir, *data, *policy, out));
  EXPECT_EQ(read_file(dir + "/results.csv"), read_file(kExample + "/expected/results.csv"));
  EXPECT_EQ(read_file(dir + "/schools.csv"), read_file(kExample + "/expected/schools.csv"));
  // rejects.csv names the file as given: only the roster's name differs.
  std::string expected = read_file(kExample + "/expected/rejects.csv");
  std::string got = read_file(dir + "/rejects.csv");
  for (size_t at; (at = got.find(dir + "/students.xlsx")) != std::string::npos;)
    got.replace(at, dir.size() + 14, "input/students.csv");
  for (const std::string f : {"lists_a.csv", "lists_b.csv", "applications.csv", "history.csv", "budgets.csv"})
    for (size_t at; (at = got.find(kExample + "/input/" + f)) != std::string::npos;)
      got.replace(at, kExample.size() + 7 + f.size(), "input/" + f);
  EXPECT_EQ(got, expected);
  std::filesystem::remove_all(dir);
}

TEST(IdentifyXlsx, ResultsXlsxHasTheRowsOfResultsCsvInChinese) {
  auto policy = load_policy(std::string(ZIZHU_SPEC_DIR) + "/policy-default.toml");
  ASSERT_TRUE(policy);
  auto data = load_dataset(example_paths(kExample + "/input/students.csv"), *policy, 1);
  ASSERT_TRUE(data);
  const Outcome out = decide(*data, *policy, 1);
  const std::string dir = temp_dir("xlsx_out");
  ASSERT_TRUE(write_results_xlsx(dir + "/results.xlsx", *data, *policy, out));
  auto reader = io::open_xlsx(dir + "/results.xlsx");
  ASSERT_TRUE(reader) << reader.error().describe();
  EXPECT_EQ((*reader)->header().front(), "学籍号");
  EXPECT_EQ((*reader)->header()[3], "状态");
  io::Row row;
  long rows = 0;
  bool saw_funded = false;
  while (true) {
    auto more = (*reader)->next(row);
    ASSERT_TRUE(more);
    if (!*more) break;
    ++rows;
    if (row.cells.size() > 1 && row.cells[0].text == "G620102201811181453") {
      EXPECT_EQ(row.cells[1].text, "杜平铭");
      EXPECT_EQ(row.cells[3].text, "已资助");
      EXPECT_EQ(row.cells[4].text, "一级（特别困难）");
      EXPECT_EQ(row.cells[5].text, "2000");
      EXPECT_EQ(row.cells[7].text, "特困供养");
      saw_funded = true;
    }
  }
  const std::string csv = read_file(kExample + "/expected/results.csv");
  EXPECT_EQ(rows + 1, std::count(csv.begin(), csv.end(), '\n'));
  EXPECT_TRUE(saw_funded);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zizhu::identify

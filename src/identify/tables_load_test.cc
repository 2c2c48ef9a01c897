// The run's input from tables in memory (how the server feeds it from the
// database) reads exactly as from files: the spec's worked example, copied
// cell by cell into io::MemoryTable, gives the expected outputs byte for byte.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "identify/engine.h"
#include "identify/load.h"
#include "identify/output.h"
#include "io/memory_table.h"

namespace zizhu::identify {
namespace {

const std::string kExample = std::string(ZIZHU_SPEC_DIR) + "/example";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The file's rows in a MemoryTable named as the expected rejects name it;
// blank rows kept so that row numbers stay the same.
std::unique_ptr<io::TableReader> in_memory(const std::string& file) {
  auto reader = io::open_table(kExample + "/input/" + file);
  EXPECT_TRUE(reader) << reader.error().describe();
  auto table = std::make_unique<io::MemoryTable>("input/" + file, (*reader)->header());
  io::Row row;
  long expected_row = 2;
  while (true) {
    auto more = (*reader)->next(row);
    EXPECT_TRUE(more);
    if (!more || !*more) break;
    for (; expected_row < row.number; ++expected_row) table->add_row({});
    std::vector<std::string_view> cells;
    for (const auto& c : row.cells) cells.push_back(c.text);
    table->add_row(cells);
    ++expected_row;
  }
  return table;
}

TEST(IdentifyTables, MemoryTablesGiveTheExpectedOutputs) {
  auto policy = load_policy(std::string(ZIZHU_SPEC_DIR) + "/policy-default.toml");
  ASSERT_TRUE(policy);
  InputTables tables;
  tables.students = in_memory("students.csv");
  tables.lists.push_back(in_memory("lists_a.csv"));
  tables.lists.push_back(in_memory("lists_b.csv"));
  tables.applications = in_memory("applications.csv");
  tables.history = in_memory("history.csv");
  tables.budgets = in_memory("budgets.csv");
  auto data = load_dataset(std::move(tables), *policy);
  ASSERT_TRUE(data) << data.error().describe();
  const Outcome out = decide(*data, *policy, 2);
  const auto dir = std::filesystem::temp_directory_path() / ("zizhu_tables_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_TRUE(write_outputs(dir.string(), *data, *policy, out));
  for (const char* f : {"results.csv", "schools.csv", "rejects.csv"}) {
    EXPECT_EQ(read_file((dir / f).string()), read_file(kExample + "/expected/" + f)) << f;
  }
  std::filesystem::remove_all(dir);
}

TEST(IdentifyTables, AMissingColumnNamesTheTable) {
  auto policy = load_policy(std::string(ZIZHU_SPEC_DIR) + "/policy-default.toml");
  ASSERT_TRUE(policy);
  InputTables tables;
  tables.students = std::make_unique<io::MemoryTable>("数据库中的名册", std::vector<std::string>{"学籍号", "姓名"});
  auto data = load_dataset(std::move(tables), *policy);
  ASSERT_FALSE(data);
  EXPECT_EQ(data.error().code, "MISSING_COLUMN");
  EXPECT_NE(data.error().message.find("数据库中的名册"), std::string::npos);
}

}  // namespace
}  // namespace zizhu::identify

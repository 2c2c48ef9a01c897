// Helpers shared by the CSV tests: temporary files and rows as plain strings.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "io/table.h"

namespace zizhu::io::testing {

struct PlainRow {
  long number = 0;
  std::vector<std::string> cells;
  bool operator==(const PlainRow&) const = default;
};

inline std::string temp_path(const std::string& name) {
  static const std::string dir = [] {
    std::string d = "/tmp/zizhu_csv_test_XXXXXX";
    if (::mkdtemp(d.data()) == nullptr) std::abort();
    return d;
  }();
  return dir + "/" + name;
}

inline std::string write_file(const std::string& name, const std::string& bytes) {
  const std::string path = temp_path(name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

// Reads every row; a failure ends the list with a row numbered -1.
inline std::vector<PlainRow> read_all(TableReader& r) {
  std::vector<PlainRow> rows;
  Row row;
  for (;;) {
    auto got = r.next(row);
    if (!got) {
      rows.push_back(PlainRow{-1, {got.error().describe()}});
      break;
    }
    if (!*got) break;
    PlainRow p{row.number, {}};
    for (const Cell& c : row.cells) {
      if (c.type != CellType::kText) std::abort();
      p.cells.emplace_back(c.text);
    }
    rows.push_back(std::move(p));
  }
  return rows;
}

}  // namespace zizhu::io::testing

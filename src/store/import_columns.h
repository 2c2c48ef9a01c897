// Finding an import file's columns in its header (io/header_map.h: Chinese
// name or English key, any order) and reading cells by column.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "io/header_map.h"
#include "io/table.h"

namespace zizhu::store {

using ColumnDef = io::ColumnSpec;

struct Columns {
  std::vector<int> position;       // per definition: index in the header, or -1
  std::vector<std::string> names;  // per definition: the header as written ("" if absent)
};

// A required column that is absent is an error naming the file and the column
// (MISSING_COLUMN).
Result<Columns> resolve_columns(const io::TableReader& table, std::span<const ColumnDef> defs);

// The cell at `index` (an empty text cell when the row is shorter or the
// column is absent).
io::Cell cell_at(const io::Row& row, int index);

}  // namespace zizhu::store

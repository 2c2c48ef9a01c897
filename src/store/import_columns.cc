#include "store/import_columns.h"

namespace zizhu::store {

Result<Columns> resolve_columns(const io::TableReader& table, std::span<const ColumnDef> defs) {
  io::HeaderMap map = io::map_header(table.header(), defs);
  if (map.first_missing_required) {
    const ColumnDef& missing = defs[*map.first_missing_required];
    return fail("MISSING_COLUMN",
                table.path() + ": 缺少必需的列 (required column missing): " + std::string(missing.chinese) + " / " +
                    std::string(missing.key),
                {table.path(), 1, std::string(missing.chinese)});
  }
  return Columns{std::move(map.position), std::move(map.names)};
}

io::Cell cell_at(const io::Row& row, int index) {
  if (index < 0 || static_cast<size_t>(index) >= row.cells.size()) return io::Cell{};
  return row.cells[static_cast<size_t>(index)];
}

}  // namespace zizhu::store

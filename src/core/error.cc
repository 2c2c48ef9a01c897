#include "core/error.h"

namespace zizhu {

std::string Error::describe() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.row > 0) out += ":" + std::to_string(where.row);
    out += ": ";
  } else if (where.row > 0) {
    out += "row " + std::to_string(where.row) + ": ";
  }
  if (!where.column.empty()) out += "column '" + where.column + "': ";
  out += message;
  return out;
}

}  // namespace zizhu

// The departments' lists (部门名单: 低保, 特困, 残疾, 孤儿, 脱贫 ...) imported
// into a cycle: each upload checked row by row as identify.md reads a list
// file (valid resident ID, a category of the cycle's policy, dates), the
// accepted rows stored with the source and the file's hash, the rest
// returned as a rejects report. ID numbers are sealed like every other.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/import_rejects.h"
#include "store/store.h"

namespace zizhu::app {

struct DeptListImportView {
  int64_t id = 0;
  std::string source;
  std::string file_sm3;
  int64_t accepted = 0;
  int64_t rejected = 0;
  int64_t imported_at_ms = 0;
};

struct DeptListResult {
  DeptListImportView import;
  std::vector<store::Reject> rejects;
};

// DRAFT, OPEN or REVIEW (before identification uses them). `source` names the
// department (1-50 bytes); a row's own 来源部门 wins over it. The same file
// (by SM3) imported twice into a cycle is refused (CONFLICT).
Result<DeptListResult> import_dept_list(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                        std::string_view content, std::string_view source);
Result<std::vector<DeptListImportView>> dept_list_imports(App& app, store::Store& store, const Actor& actor,
                                                          int64_t cycle_id);

}  // namespace zizhu::app

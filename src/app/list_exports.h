// The users list and the students list as .xlsx files (导出), for the
// sysadmin and the school and county officers who keep them in Excel: the
// rows of the actor's subtree that the same filters as the list find, read in
// one snapshot. Students appear only in their masked forms (学籍号, ID
// number, bank card) — an export is a bulk read and must never carry a plain
// number; users without password hashes or second-factor secrets. At most
// kListExportRowsMax rows: a larger selection is refused (RULE, no field)
// with the advice to narrow the filters, rather than cut silently. Each
// export is recorded (student.export / user.export, with the filters and the
// row count) before the bytes leave.
#pragma once

#include <cstdint>
#include <string>

#include "app/actor.h"
#include "app/app.h"
#include "app/students.h"
#include "app/users.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr int64_t kListExportRowsMax = 50000;

struct ListExportFile {
  std::string bytes;
  std::string filename;  // with the date in China, e.g. students-430102-2026-11-29.xlsx
  int64_t rows = 0;
};

Result<ListExportFile> export_students(App& app, store::Store& store, const Actor& actor, const StudentQuery& query);
Result<ListExportFile> export_users(App& app, store::Store& store, const Actor& actor, const UserQuery& query);

}  // namespace zizhu::app

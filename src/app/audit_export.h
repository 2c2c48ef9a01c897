// The audit log as an .xlsx file for the auditor (导出): the records of the
// actor's subtree that match the same filters as the list (who, action,
// object, time), newest first, read in one snapshot. At most
// kAuditExportRowsMax rows: a larger selection is refused with the advice
// to narrow it, rather than cut silently. The export is itself recorded
// (audit.export, with the filters and the row count) before the bytes leave.
#pragma once

#include <cstdint>
#include <string>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr int64_t kAuditExportRowsMax = 50000;

struct AuditExportFile {
  std::string bytes;
  std::string filename;
  int64_t rows = 0;
};

Result<AuditExportFile> export_audit_log(App& app, store::Store& store, const Actor& actor,
                                         const store::AuditFilter& filter);

}  // namespace zizhu::app

#include "app/audit_export.h"

#include <cstdio>
#include <string_view>
#include <vector>

#include "app/audit_log.h"
#include "app/errors.h"
#include "core/date.h"
#include "print/report_xlsx.h"

namespace zizhu::app {

namespace {

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kChinaOffsetMs = 8 * 3600000;
constexpr int64_t kReadPageRows = 500;

// "YYYY-MM-DD HH:MM:SS" in China (UTC+8), whatever the server's zone.
std::string china_time(int64_t at_ms) {
  const int64_t local = at_ms + kChinaOffsetMs;
  int64_t days = local / kDayMs;
  int64_t in_day = local % kDayMs;
  if (in_day < 0) {
    in_day += kDayMs;
    --days;
  }
  const int64_t s = in_day / 1000;
  char clock[16];
  std::snprintf(clock, sizeof clock, " %02d:%02d:%02d", static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60));
  return Date::from_days(static_cast<int32_t>(days)).iso() + clock;
}

std::string filter_text(const std::optional<std::string>& v) { return v.value_or(""); }

}  // namespace

Result<AuditExportFile> export_audit_log(App& app, store::Store& store, const Actor& actor,
                                         const store::AuditFilter& filter) {
  print::ReportSheet sheet;
  sheet.name = "审计日志";
  sheet.header = {"序号", "时间", "操作人", "角色", "机构路径", "IP", "浏览器标识", "操作", "对象类型", "对象编号", "结果",
                  "摘要"};
  sheet.widths = {8, 20, 14, 16, 22, 16, 30, 24, 12, 12, 8, 60};
  {
    // One snapshot: records appended meanwhile would shift the pages.
    if (auto ok = store.begin_read(); !ok) return tl::unexpected(ok.error());
    struct Rollback {
      store::Store& s;
      ~Rollback() { (void)s.rollback(); }
    } rollback{store};
    int64_t total = -1;
    for (int64_t offset = 0; total < 0 || offset < total; offset += kReadPageRows) {
      auto page = store.audit_page(actor.org_path, filter, offset, kReadPageRows);
      if (!page) return tl::unexpected(page.error());
      if (total < 0) {
        total = page->total;
        if (total > kAuditExportRowsMax) {
          return field_error("BAD_VALUE",
                             "符合条件的记录有 " + std::to_string(total) + " 条，超过一次导出的上限 " +
                                 std::to_string(kAuditExportRowsMax) + " 条，请缩小日期范围或增加条件",
                             "from");
        }
      }
      if (page->items.empty()) break;
      for (const auto& r : page->items) {
        sheet.rows.push_back({print::ReportCell::integer(r.seq), print::ReportCell::of_text(china_time(r.at_ms)),
                              print::ReportCell::of_text(r.username), print::ReportCell::of_text(r.roles),
                              print::ReportCell::of_text(r.org_path), print::ReportCell::of_text(r.ip),
                              print::ReportCell::of_text(r.user_agent), print::ReportCell::of_text(r.action),
                              print::ReportCell::of_text(r.object_type), print::ReportCell::of_text(r.object_id),
                              print::ReportCell::of_text(r.outcome), print::ReportCell::of_text(r.summary)});
      }
    }
  }
  const int64_t rows = static_cast<int64_t>(sheet.rows.size());
  auto bytes = print::report_xlsx({sheet}, actor.org_name + " 审计日志", app.now_ms() / 1000);
  if (!bytes) return tl::unexpected(bytes.error());
  if (auto ok = record(app, store, actor,
                       {"audit.export", "audit_log", actor.org_code, "ok",
                        summary_json({{"username", filter_text(filter.username)},
                                      {"action", filter_text(filter.action)},
                                      {"object_type", filter_text(filter.object_type)},
                                      {"object_id", filter_text(filter.object_id)},
                                      {"from_ms", filter.from_ms ? std::to_string(*filter.from_ms) : ""},
                                      {"to_ms", filter.to_ms ? std::to_string(*filter.to_ms) : ""},
                                      {"rows", std::to_string(rows)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  AuditExportFile file;
  file.bytes = std::move(*bytes);
  file.filename = "audit-log-" + actor.org_code + "-" + china_time(app.now_ms()).substr(0, 10) + ".xlsx";
  file.rows = rows;
  return file;
}

}  // namespace zizhu::app

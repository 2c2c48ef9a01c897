#include "app/list_exports.h"

#include <cstdio>
#include <string_view>
#include <vector>

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/roles.h"
#include "core/masking.h"
#include "print/report_xlsx.h"

namespace zizhu::app {

namespace {

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kChinaOffsetMs = 8 * 3600000;
// Rows read per page: the list's own largest page.
constexpr int64_t kReadPageRows = kPageSizeMax;

using print::ReportCell;

// "YYYY-MM-DD HH:MM" in China (UTC+8), whatever the server's zone.
std::string china_minute(int64_t at_ms) {
  int64_t in_day = (at_ms + kChinaOffsetMs) % kDayMs;
  if (in_day < 0) in_day += kDayMs;
  const int64_t minutes = in_day / 60000;
  char clock[8];
  std::snprintf(clock, sizeof clock, " %02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return china_date(at_ms).iso() + clock;
}

std::string yes_no(bool v) { return v ? "是" : "否"; }

// The refusal when the filters find too many rows: no field, since it is
// the combination of filters, not one of them, that must narrow.
tl::unexpected<Error> too_many(int64_t total) {
  return fail("RULE", "符合条件的记录有 " + std::to_string(total) + " 条，超过一次导出的上限 " +
                          std::to_string(kListExportRowsMax) + " 条，请增加筛选条件（如学校、年级）后分批导出");
}

// Holds a read snapshot for the whole export: rows written meanwhile would
// otherwise shift the pages (a row twice, or one missed).
class Snapshot {
 public:
  explicit Snapshot(store::Store& store) : store_(store) {}
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;
  Result<void> begin() {
    auto ok = store_.begin_read();
    open_ = ok.has_value();
    return ok;
  }
  ~Snapshot() {
    if (open_) (void)store_.rollback();
  }

 private:
  store::Store& store_;
  bool open_ = false;
};

// Reads every page of `list` (a list operation taking a PageRequest) into
// `sheet` through `row_of`, refusing more than kListExportRowsMax rows.
template <class List, class RowOf>
Result<void> read_all(store::Store& store, List list, RowOf row_of, print::ReportSheet& sheet) {
  Snapshot snapshot(store);
  if (auto ok = snapshot.begin(); !ok) return tl::unexpected(ok.error());
  int64_t total = -1;
  // Bounded: at most kListExportRowsMax / kReadPageRows + 1 pages pass the check.
  for (int64_t page_no = 1; total < 0 || (page_no - 1) * kReadPageRows < total; ++page_no) {
    auto page = list(PageRequest{page_no, kReadPageRows});
    if (!page) return tl::unexpected(page.error());
    if (total < 0) {
      total = page->total;
      if (total > kListExportRowsMax) return too_many(total);
    }
    if (page->items.empty()) break;
    for (const auto& item : page->items) {
      auto row = row_of(item);
      if (!row) return tl::unexpected(row.error());
      sheet.rows.push_back(std::move(*row));
    }
  }
  return {};
}

std::string file_name(App& app, std::string_view what, const Actor& actor) {
  return std::string(what) + "-" + actor.org_code + "-" + china_date(app.now_ms()).iso() + ".xlsx";
}

}  // namespace

Result<ListExportFile> export_students(App& app, store::Store& store, const Actor& actor, const StudentQuery& query) {
  print::ReportSheet sheet;
  sheet.name = "学生名单";
  sheet.header = {"学籍号（脱敏）", "姓名", "身份证件号（脱敏）", "性别", "学校标识码", "学校", "年级", "班级",
                  "寄宿", "监护人", "银行卡号（脱敏）"};
  sheet.widths = {22, 10, 22, 6, 14, 24, 8, 14, 6, 10, 24};
  auto list = [&](const PageRequest& page) { return list_students(app, store, actor, query, page); };
  // Only the masked view's fields: list_students never returns plain numbers.
  auto row_of = [](const StudentView& s) -> Result<std::vector<ReportCell>> {
    return std::vector<ReportCell>{ReportCell::of_text(s.student_no),
                                   ReportCell::of_text(s.name),
                                   ReportCell::of_text(s.id_number),
                                   ReportCell::of_text(s.gender),
                                   ReportCell::of_text(s.school_code),
                                   ReportCell::of_text(s.school_name),
                                   ReportCell::integer(s.grade),
                                   ReportCell::of_text(s.class_name),
                                   ReportCell::of_text(yes_no(s.boarding)),
                                   ReportCell::of_text(s.guardian_name),
                                   ReportCell::of_text(s.bank_card)};
  };
  if (auto ok = read_all(store, list, row_of, sheet); !ok) return tl::unexpected(ok.error());
  const int64_t rows = static_cast<int64_t>(sheet.rows.size());
  auto bytes = print::report_xlsx({sheet}, actor.org_name + " 学生名单", app.now_ms() / 1000);
  if (!bytes) return tl::unexpected(bytes.error());
  // The 学籍号 filter is a personal number: the log keeps its masked form.
  const std::string student_no = query.student_no ? mask_student_no(*query.student_no) : "";
  if (auto ok = record(app, store, actor,
                       {"student.export", "student", actor.org_code, "ok",
                        summary_json({{"school_code", query.school_code.value_or("")},
                                      {"grade", query.grade ? std::to_string(*query.grade) : ""},
                                      {"class_name", query.class_name.value_or("")},
                                      {"name", query.name_prefix.value_or("")},
                                      {"student_no", student_no},
                                      {"rows", std::to_string(rows)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return ListExportFile{std::move(*bytes), file_name(app, "students", actor), rows};
}

Result<ListExportFile> export_users(App& app, store::Store& store, const Actor& actor, const UserQuery& query) {
  print::ReportSheet sheet;
  sheet.name = "用户列表";
  sheet.header = {"用户名", "姓名", "机构代码", "机构", "角色", "已停用", "已锁定", "已绑定动态口令", "须修改密码",
                  "最近登录"};
  sheet.widths = {18, 12, 14, 24, 30, 8, 8, 14, 10, 18};
  auto list = [&](const PageRequest& page) { return list_users(app, store, actor, query, page); };
  auto row_of = [&](const UserView& u) -> Result<std::vector<ReportCell>> {
    std::string roles;
    for (const auto& key : u.roles) {
      if (!roles.empty()) roles += "、";
      auto role = parse_role(key);
      roles += role ? std::string(role_label(*role)) : key;
    }
    // The newest successful login (the log is read newest first).
    store::LoginEventFilter f;
    f.user_id = u.id;
    f.outcome = "ok";
    auto last = store.login_events_page(actor.org_path, f, 0, 1);
    if (!last) return tl::unexpected(last.error());
    return std::vector<ReportCell>{
        ReportCell::of_text(u.username),
        ReportCell::of_text(u.display_name),
        ReportCell::of_text(u.org_code),
        ReportCell::of_text(u.org_name),
        ReportCell::of_text(roles),
        ReportCell::of_text(yes_no(u.disabled)),
        ReportCell::of_text(yes_no(u.locked)),
        ReportCell::of_text(yes_no(u.totp_enabled)),
        ReportCell::of_text(yes_no(u.must_change_password)),
        last->items.empty() ? ReportCell::of_text("从未登录") : ReportCell::of_text(china_minute(last->items[0].at_ms))};
  };
  if (auto ok = read_all(store, list, row_of, sheet); !ok) return tl::unexpected(ok.error());
  const int64_t rows = static_cast<int64_t>(sheet.rows.size());
  auto bytes = print::report_xlsx({sheet}, actor.org_name + " 用户列表", app.now_ms() / 1000);
  if (!bytes) return tl::unexpected(bytes.error());
  if (auto ok = record(app, store, actor,
                       {"user.export", "user", actor.org_code, "ok",
                        summary_json({{"username", query.username_contains.value_or("")},
                                      {"org_code", query.org_code.value_or("")},
                                      {"rows", std::to_string(rows)}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  return ListExportFile{std::move(*bytes), file_name(app, "users", actor), rows};
}

}  // namespace zizhu::app

#include "app/dept_lists.h"

#include "app/audit_log.h"
#include "app/cycles.h"
#include "app/errors.h"
#include "app/uploads.h"
#include "core/resident_id.h"
#include "crypto/sm3.h"
#include "identify/input/fields.h"
#include "identify/input/schemas.h"
#include "io/table.h"
#include "store/import_columns.h"

namespace zizhu::app {

namespace {

constexpr std::string_view kShownAs = "上传的名单";
constexpr size_t kSourceBytesMax = 50;

DeptListImportView view_of(const store::DeptListImport& d) {
  return {d.id, d.source, d.file_sm3, d.accepted, d.rejected, d.imported_at_ms};
}

// Reads every row of the uploaded list; the accepted entries and the rejects.
Result<void> read_list(const std::string& path, const Policy& policy, std::string_view source,
                       std::vector<store::DeptListEntryInput>& entries, std::vector<store::Reject>& rejects) {
  using namespace identify::lists_col;
  namespace reason = identify::reason;
  auto table = io::open_table(path);
  if (!table) return tl::unexpected(table.error());
  auto cols = store::resolve_columns(**table, identify::kListColumns);
  if (!cols) return tl::unexpected(cols.error());
  io::Row row;
  for (;;) {
    auto more = (*table)->next(row);
    if (!more) return tl::unexpected(more.error());
    if (!*more) return {};
    auto cell = [&](int c) { return identify::cell_at(row, cols->position[static_cast<size_t>(c)]); };
    auto reject = [&](int c, std::string_view why) {
      rejects.push_back({std::string(kShownAs), row.number, cols->names[static_cast<size_t>(c)],
                         std::string(cell(c).text), std::string(why)});
    };
    const io::Cell id = cell(kIdNumber);
    if (id.text.empty()) { reject(kIdNumber, reason::kMissingValue); continue; }
    if (id.type == io::CellType::kNumber) { reject(kIdNumber, reason::kNumericCell); continue; }
    if (!resident_id_valid(id.text, policy.reference_date)) { reject(kIdNumber, reason::kBadId); continue; }
    const std::string_view category = cell(kCategory).text;
    if (category.empty()) { reject(kCategory, reason::kMissingValue); continue; }
    const int c = policy.category_index(category);
    if (c < 0) { reject(kCategory, reason::kUnknownCategory); continue; }
    store::DeptListEntryInput e;
    const io::Cell from = cell(kValidFrom);
    if (!from.text.empty() && !(e.valid_from = identify::parse_date_cell(from))) {
      reject(kValidFrom, reason::kBadDate);
      continue;
    }
    const io::Cell to = cell(kValidTo);
    if (!to.text.empty() && !(e.valid_to = identify::parse_date_cell(to))) {
      reject(kValidTo, reason::kBadDate);
      continue;
    }
    char buffer[32];
    e.row_number = row.number;
    e.id_number = store::SensitiveText(std::string(identify::upper_final_x(id.text, buffer)));
    e.name = std::string(cell(kName).text);
    e.category = policy.categories[static_cast<size_t>(c)].code;
    const std::string_view own_source = cell(kSource).text;
    e.source = std::string(own_source.empty() ? source : own_source);
    entries.push_back(std::move(e));
  }
}

}  // namespace

Result<DeptListResult> import_dept_list(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                        std::string_view content, std::string_view source) {
  // The cycle and its policy first (nothing is said about a cycle out of
  // scope); the rows are judged by that policy.
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  if (source.empty() || source.size() > kSourceBytesMax) {
    return field_error("BAD_VALUE", "请填写名单的来源部门（50 字节以内）", "source");
  }
  const std::string kind = table_kind(content);
  if (kind.empty() || content.empty()) return fail("NOT_A_LIST", "上传的文件不是 CSV 或 XLSX 格式的名单");
  auto policy = cycle_policy(store, *cycle);
  if (!policy) return tl::unexpected(policy.error());

  auto upload = TempUpload::save(content, kind);
  if (!upload) return tl::unexpected(upload.error());
  std::vector<store::DeptListEntryInput> entries;
  DeptListResult result;
  if (auto ok = read_list(upload->path().string(), *policy, source, entries, result.rejects); !ok) {
    return tl::unexpected(upload_error(ok.error(), kShownAs, "NOT_A_LIST"));
  }
  const std::string file_sm3 = crypto::to_hex(crypto::sm3(content));

  auto tx = store::Transaction::begin(store);
  if (!tx) return tl::unexpected(tx.error());
  // Checked again inside the write: the cycle may have moved on meanwhile.
  auto current = managed_cycle(store, actor, cycle_id);
  if (!current) return tl::unexpected(current.error());
  if (auto ok = require_state(*current, {store::CycleState::kDraft, store::CycleState::kOpen,
                                         store::CycleState::kReview},
                              "导入部门名单");
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (current->policy_version != cycle->policy_version) {
    return fail("STATE_CONFLICT", "导入期间资助政策已更改，请重新导入");
  }
  auto earlier = store.dept_list_imports(cycle_id);
  if (!earlier) return tl::unexpected(earlier.error());
  for (const auto& d : *earlier) {
    if (d.file_sm3 == file_sm3) return fail("CONFLICT", "同一文件已导入过本资助周期（导入编号 " + std::to_string(d.id) + "）");
  }
  store::DeptListImportInput head;
  head.cycle_id = cycle_id;
  head.source = std::string(source);
  head.file_sm3 = file_sm3;
  head.rejected = static_cast<int64_t>(result.rejects.size());
  if (actor.user_id != 0) head.imported_by = actor.user_id;
  head.imported_at_ms = app.now_ms();
  auto id = store.add_dept_list(head, entries);
  if (!id) return tl::unexpected(id.error());
  if (auto ok = record(app, store, actor,
                       {"list.import", "cycle", std::to_string(cycle_id), "ok",
                        summary_json({{"import_id", std::to_string(*id)},
                                      {"source", source},
                                      {"file_sm3", file_sm3},
                                      {"accepted", std::to_string(entries.size())},
                                      {"rejected", std::to_string(result.rejects.size())}})});
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok = tx->commit(); !ok) return tl::unexpected(ok.error());
  result.import = {*id, head.source, file_sm3, static_cast<int64_t>(entries.size()), head.rejected,
                   head.imported_at_ms};
  return result;
}

Result<std::vector<DeptListImportView>> dept_list_imports(App&, store::Store& store, const Actor& actor,
                                                          int64_t cycle_id) {
  auto cycle = managed_cycle(store, actor, cycle_id);
  if (!cycle) return tl::unexpected(cycle.error());
  auto imports = store.dept_list_imports(cycle_id);
  if (!imports) return tl::unexpected(imports.error());
  std::vector<DeptListImportView> out;
  for (const auto& d : *imports) out.push_back(view_of(d));
  return out;
}

}  // namespace zizhu::app

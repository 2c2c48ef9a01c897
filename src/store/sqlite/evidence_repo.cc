// SqliteStore: evidence rows of applications (migration 8).
#include <string>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

constexpr std::string_view kEvidenceSelect =
    "SELECT id, application_id, sm3, size_bytes, kind, note, uploaded_by, uploaded_at_ms, removed_at_ms"
    " FROM application_evidence";

Result<Evidence> read_evidence(const Statement& s) {
  Evidence e;
  e.id = s.int_at(0);
  e.application_id = s.int_at(1);
  e.sm3 = s.text_at(2);
  e.size_bytes = s.int_at(3);
  e.kind = s.text_at(4);
  e.note = s.text_at(5);
  e.uploaded_by = s.int_at(6);
  e.uploaded_at_ms = s.int_at(7);
  e.removed_at_ms = s.opt_int_at(8);
  return e;
}

}  // namespace

Result<int64_t> SqliteStore::add_evidence(const Evidence& e) {
  auto stmt = db_.prepare(
      "INSERT INTO application_evidence (application_id, sm3, size_bytes, kind, note, uploaded_by, uploaded_at_ms)"
      " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, e.application_id).bind_text(2, e.sm3).bind_int(3, e.size_bytes).bind_text(4, e.kind);
  stmt->bind_text(5, e.note).bind_int(6, e.uploaded_by).bind_int(7, e.uploaded_at_ms);
  return repo::single_int(*stmt);
}

Result<std::vector<Evidence>> SqliteStore::evidence_of(int64_t application_id) {
  static const std::string sql = std::string(kEvidenceSelect) + " WHERE application_id = ? ORDER BY id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, application_id);
  return repo::collect(*stmt, read_evidence);
}

Result<std::optional<Evidence>> SqliteStore::get_evidence(int64_t id) {
  static const std::string sql = std::string(kEvidenceSelect) + " WHERE id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return repo::first(*stmt, read_evidence);
}

Result<void> SqliteStore::remove_evidence(int64_t id, int64_t now_ms) {
  auto stmt = db_.prepare("UPDATE application_evidence SET removed_at_ms = ? WHERE id = ? AND removed_at_ms IS NULL");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, now_ms).bind_int(2, id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return require_changed("application_evidence", id);
}

}  // namespace zizhu::store::sqlite

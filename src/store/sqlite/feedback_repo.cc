// SqliteStore: feedback and complaints (migration 11).
#include <cstdint>
#include <string>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace {

// The school's path when the item is about a school, else the county's:
// what decides who sees it.
constexpr std::string_view kScopePath = "COALESCE(s.path, c.path)";

constexpr std::string_view kFeedbackFrom =
    " FROM feedback f JOIN org_node c ON c.id = f.county_id LEFT JOIN org_node s ON s.id = f.school_id";

constexpr std::string_view kFeedbackColumns =
    "SELECT f.id, f.county_id, f.school_id, f.student_id, f.channel, f.kind, f.text, f.contact_name,"
    " f.receipt_hash, f.guardian_user_id, f.owner_user_id, f.status, f.due_on, f.answer, f.answered_by,"
    " f.answered_at_ms, f.created_at_ms, f.updated_at_ms, c.code, c.name, c.path, COALESCE(s.code, ''),"
    " COALESCE(s.name, ''), COALESCE(s.path, ''), COALESCE(st.name, ''), COALESCE(g.display_name, ''),"
    " COALESCE(o.username, ''), COALESCE(o.display_name, ''), COALESCE(a.display_name, '')";

constexpr std::string_view kFeedbackJoins =
    " LEFT JOIN student st ON st.id = f.student_id LEFT JOIN app_user g ON g.id = f.guardian_user_id"
    " LEFT JOIN app_user o ON o.id = f.owner_user_id LEFT JOIN app_user a ON a.id = f.answered_by";

const std::string kFeedbackSelect =
    std::string(kFeedbackColumns) + std::string(kFeedbackFrom) + std::string(kFeedbackJoins);

Result<Feedback> read_feedback(const Connection& db, const Statement& s) {
  Feedback f;
  f.id = s.int_at(0);
  f.county_id = s.int_at(1);
  f.school_id = s.opt_int_at(2);
  f.student_id = s.opt_int_at(3);
  f.channel = s.text_at(4);
  f.kind = s.text_at(5);
  f.text = s.text_at(6);
  f.contact_name = s.opt_text_at(7);
  f.receipt_hash = s.text_at(8);
  f.guardian_user_id = s.opt_int_at(9);
  f.owner_user_id = s.opt_int_at(10);
  const std::string status = s.text_at(11);
  const auto parsed = parse_feedback_status(status);
  if (!parsed) return tl::unexpected(repo::corrupt(db, "feedback status '" + status + "'"));
  f.status = *parsed;
  const std::string due = s.text_at(12);
  const auto date = parse_date(due);
  if (!date) return tl::unexpected(repo::corrupt(db, "feedback due date '" + due + "'"));
  f.due_on = *date;
  f.answer = s.opt_text_at(13);
  f.answered_by = s.opt_int_at(14);
  f.answered_at_ms = s.opt_int_at(15);
  f.created_at_ms = s.int_at(16);
  f.updated_at_ms = s.int_at(17);
  f.county_code = s.text_at(18);
  f.county_name = s.text_at(19);
  f.county_path = s.text_at(20);
  f.school_code = s.text_at(21);
  f.school_name = s.text_at(22);
  f.school_path = s.text_at(23);
  f.student_name = s.text_at(24);
  f.guardian_name = s.text_at(25);
  f.owner_username = s.text_at(26);
  f.owner_name = s.text_at(27);
  f.answered_by_name = s.text_at(28);
  return f;
}

}  // namespace

Result<int64_t> SqliteStore::add_feedback(const Feedback& f) {
  return atomically<int64_t>([&]() -> Result<int64_t> {
    auto taken = find_feedback_by_receipt(f.receipt_hash);
    if (!taken) return tl::unexpected(taken.error());
    if (*taken) return fail("CONFLICT", "回执码已被使用 (receipt code taken)", {db_.path(), 0, "receipt"});
    auto stmt = db_.prepare(
        "INSERT INTO feedback (county_id, school_id, student_id, channel, kind, text, contact_name, receipt_hash,"
        " guardian_user_id, owner_user_id, status, due_on, answer, answered_by, answered_at_ms, created_at_ms,"
        " updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, f.county_id);
    repo::bind_opt_int(*stmt, 2, f.school_id);
    repo::bind_opt_int(*stmt, 3, f.student_id);
    stmt->bind_text(4, f.channel).bind_text(5, f.kind).bind_text(6, f.text).bind_opt_text(7, f.contact_name);
    stmt->bind_text(8, f.receipt_hash);
    repo::bind_opt_int(*stmt, 9, f.guardian_user_id);
    repo::bind_opt_int(*stmt, 10, f.owner_user_id);
    stmt->bind_text(11, feedback_status_key(f.status)).bind_text(12, f.due_on.iso()).bind_opt_text(13, f.answer);
    repo::bind_opt_int(*stmt, 14, f.answered_by);
    repo::bind_opt_int(*stmt, 15, f.answered_at_ms);
    stmt->bind_int(16, f.created_at_ms).bind_int(17, f.updated_at_ms);
    return repo::single_int(*stmt);
  });
}

Result<std::optional<Feedback>> SqliteStore::get_feedback(int64_t id) {
  static const std::string sql = kFeedbackSelect + " WHERE f.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return repo::first(*stmt, [this](const Statement& s) { return read_feedback(db_, s); });
}

Result<std::optional<Feedback>> SqliteStore::find_feedback_by_receipt(std::string_view receipt_hash) {
  static const std::string sql = kFeedbackSelect + " WHERE f.receipt_hash = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, receipt_hash);
  return repo::first(*stmt, [this](const Statement& s) { return read_feedback(db_, s); });
}

Result<void> SqliteStore::update_feedback(const Feedback& f, FeedbackStatus from) {
  auto stmt = db_.prepare(
      "UPDATE feedback SET owner_user_id = ?, status = ?, answer = ?, answered_by = ?, answered_at_ms = ?,"
      " updated_at_ms = ? WHERE id = ? AND status = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  repo::bind_opt_int(*stmt, 1, f.owner_user_id);
  stmt->bind_text(2, feedback_status_key(f.status)).bind_opt_text(3, f.answer);
  repo::bind_opt_int(*stmt, 4, f.answered_by);
  repo::bind_opt_int(*stmt, 5, f.answered_at_ms);
  stmt->bind_int(6, f.updated_at_ms).bind_int(7, f.id).bind_text(8, feedback_status_key(from));
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return require_changed("feedback", f.id);
}

Result<Page<Feedback>> SqliteStore::feedback_page(std::string_view path, const FeedbackFilter& filter,
                                                  int64_t offset, int64_t limit) {
  if (auto ok = repo::check_page(offset, limit); !ok) return tl::unexpected(ok.error());
  const repo::PathRange scope = repo::path_range(path);
  repo::Where where;
  where.add(std::string(kScopePath) + " >= ? AND " + std::string(kScopePath) + " < ?", {scope.low, scope.high});
  if (filter.status) where.add("f.status = ?", {std::string(feedback_status_key(*filter.status))});
  if (filter.school_id) where.add("f.school_id = ?", {*filter.school_id});
  if (filter.kind) where.add("f.kind = ?", {*filter.kind});
  if (filter.due_before) {
    where.add("f.status IN ('OPEN', 'IN_PROGRESS') AND f.due_on < ?", {filter.due_before->iso()});
  }
  Page<Feedback> page;
  {
    auto count = db_.prepare("SELECT COUNT(*)" + std::string(kFeedbackFrom) + where.sql());
    if (!count) return tl::unexpected(count.error());
    where.bind(*count, codec_);
    auto total = repo::single_int(*count);
    if (!total) return tl::unexpected(total.error());
    page.total = *total;
  }
  auto stmt = db_.prepare(kFeedbackSelect + where.sql() + " ORDER BY f.id DESC LIMIT ? OFFSET ?");
  if (!stmt) return tl::unexpected(stmt.error());
  const int next = where.bind(*stmt, codec_);
  stmt->bind_int(next, limit).bind_int(next + 1, offset);
  auto items = repo::collect(
      *stmt, [this](const Statement& s) { return read_feedback(db_, s); }, static_cast<size_t>(limit));
  if (!items) return tl::unexpected(items.error());
  page.items = std::move(*items);
  return page;
}

Result<std::vector<Feedback>> SqliteStore::feedback_of_guardian(int64_t guardian_user_id, int64_t limit) {
  static const std::string sql = kFeedbackSelect + " WHERE f.guardian_user_id = ? ORDER BY f.id DESC LIMIT ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, guardian_user_id).bind_int(2, limit);
  return repo::collect(*stmt, [this](const Statement& s) { return read_feedback(db_, s); });
}

}  // namespace zizhu::store::sqlite

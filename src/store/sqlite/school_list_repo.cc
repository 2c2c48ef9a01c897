// SqliteStore: a school's list after its review — stages, list changes,
// announcements, objections, filings (migration 10).
#include <cstdint>
#include <string>

#include "store/sqlite/repo_util.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

using repo::collect;
using repo::first;
using repo::bind_opt_level;
using repo::opt_level_at;

namespace {

Result<SchoolListState> read_stage(const Connection& db, const Statement& s) {
  SchoolListState st;
  st.cycle_id = s.int_at(0);
  st.school_id = s.int_at(1);
  st.round = static_cast<int>(s.int_at(2));
  auto stage = parse_list_stage(s.text_at(3));
  if (!stage) return tl::unexpected(repo::corrupt(db, "school_list_state.stage"));
  st.stage = *stage;
  st.updated_at_ms = s.int_at(4);
  return st;
}

constexpr std::string_view kChangeSelect =
    "SELECT id, cycle_id, school_id, student_id, round, level, amount_fen, from_term, cause, objection_id, reason,"
    " made_by, made_at_ms, votes FROM list_change";

Result<ListChange> read_change(const Statement& s) {
  ListChange c;
  c.id = s.int_at(0);
  c.cycle_id = s.int_at(1);
  c.school_id = s.int_at(2);
  c.student_id = s.int_at(3);
  c.round = static_cast<int>(s.int_at(4));
  c.level = opt_level_at(s, 5);
  c.amount = Fen::from_fen(s.int_at(6));
  c.from_term = static_cast<int>(s.int_at(7));
  c.cause = s.text_at(8);
  c.objection_id = s.opt_int_at(9);
  c.reason = s.text_at(10);
  c.made_by = s.int_at(11);
  c.made_at_ms = s.int_at(12);
  c.votes = s.text_at(13);
  return c;
}

constexpr std::string_view kAnnouncementSelect =
    "SELECT a.id, a.cycle_id, a.school_id, sc.school_code, n.name, n.path, a.round, a.kind, a.starts_on, a.ends_on,"
    " a.working_days, a.entries, a.entries_sm3, a.published_by, a.published_at_ms FROM announcement a"
    " JOIN school sc ON sc.org_id = a.school_id JOIN org_node n ON n.id = a.school_id";

Result<Announcement> read_announcement(const Statement& s) {
  Announcement a;
  a.id = s.int_at(0);
  a.cycle_id = s.int_at(1);
  a.school_id = s.int_at(2);
  a.school_code = s.text_at(3);
  a.school_name = s.text_at(4);
  a.school_path = s.text_at(5);
  a.round = static_cast<int>(s.int_at(6));
  a.kind = s.text_at(7);
  a.starts_on = s.text_at(8);
  a.ends_on = s.text_at(9);
  a.working_days = static_cast<int>(s.int_at(10));
  a.entries = s.text_at(11);
  a.entries_sm3 = s.text_at(12);
  a.published_by = s.int_at(13);
  a.published_at_ms = s.int_at(14);
  return a;
}

constexpr std::string_view kObjectionSelect =
    "SELECT id, cycle_id, school_id, announcement_id, entry_no, student_id, text, objector_name, receipt_hash, state,"
    " received_at_ms, answer_due_on, answer, answered_by, answered_at_ms, appeal_due_on, appeal_text, appealed_at_ms,"
    " decision_due_on, decision, decided_by, decided_at_ms FROM objection";

Result<Objection> read_objection(const Statement& s) {
  Objection o;
  o.id = s.int_at(0);
  o.cycle_id = s.int_at(1);
  o.school_id = s.int_at(2);
  o.announcement_id = s.int_at(3);
  o.entry_no = opt_level_at(s, 4);
  o.student_id = s.opt_int_at(5);
  o.text = s.text_at(6);
  o.objector_name = s.opt_text_at(7);
  o.receipt_hash = s.text_at(8);
  o.state = s.text_at(9);
  o.received_at_ms = s.int_at(10);
  o.answer_due_on = s.text_at(11);
  o.answer = s.opt_text_at(12);
  o.answered_by = s.opt_int_at(13);
  o.answered_at_ms = s.opt_int_at(14);
  o.appeal_due_on = s.opt_text_at(15);
  o.appeal_text = s.opt_text_at(16);
  o.appealed_at_ms = s.opt_int_at(17);
  o.decision_due_on = s.opt_text_at(18);
  o.decision = s.opt_text_at(19);
  o.decided_by = s.opt_int_at(20);
  o.decided_at_ms = s.opt_int_at(21);
  return o;
}

constexpr std::string_view kFilingSelect =
    "SELECT f.id, f.cycle_id, f.school_id, sc.school_code, n.name, f.round, f.state, f.snapshot, f.snapshot_sm3,"
    " f.entries, f.total_fen, f.submitted_by, f.submitted_at_ms, f.decided_by, f.decided_at_ms, f.reason FROM filing f"
    " JOIN school sc ON sc.org_id = f.school_id JOIN org_node n ON n.id = f.school_id";

Result<Filing> read_filing(const Statement& s) {
  Filing f;
  f.id = s.int_at(0);
  f.cycle_id = s.int_at(1);
  f.school_id = s.int_at(2);
  f.school_code = s.text_at(3);
  f.school_name = s.text_at(4);
  f.round = static_cast<int>(s.int_at(5));
  f.state = s.text_at(6);
  f.snapshot = s.text_at(7);
  f.snapshot_sm3 = s.text_at(8);
  f.entries = s.int_at(9);
  f.total = Fen::from_fen(s.int_at(10));
  f.submitted_by = s.int_at(11);
  f.submitted_at_ms = s.int_at(12);
  f.decided_by = s.opt_int_at(13);
  f.decided_at_ms = s.opt_int_at(14);
  f.reason = s.opt_text_at(15);
  return f;
}

}  // namespace

Result<std::optional<SchoolListState>> SqliteStore::school_list_state(int64_t cycle_id, int64_t school_id) {
  auto stmt = db_.prepare(
      "SELECT cycle_id, school_id, round, stage, updated_at_ms FROM school_list_state WHERE cycle_id = ? AND school_id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, school_id);
  return first(*stmt, [&](const Statement& s) { return read_stage(db_, s); });
}

Result<std::vector<SchoolListState>> SqliteStore::school_list_states(int64_t cycle_id) {
  auto stmt = db_.prepare(
      "SELECT cycle_id, school_id, round, stage, updated_at_ms FROM school_list_state WHERE cycle_id = ? ORDER BY school_id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  return collect(*stmt, [&](const Statement& s) { return read_stage(db_, s); });
}

Result<void> SqliteStore::put_school_list_state(const SchoolListState& st) {
  auto stmt = db_.prepare(
      "INSERT INTO school_list_state (cycle_id, school_id, round, stage, updated_at_ms) VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT (cycle_id, school_id) DO UPDATE SET round = excluded.round, stage = excluded.stage,"
      " updated_at_ms = excluded.updated_at_ms");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, st.cycle_id).bind_int(2, st.school_id).bind_int(3, st.round);
  stmt->bind_text(4, list_stage_key(st.stage)).bind_int(5, st.updated_at_ms);
  return stmt->run();
}

Result<int64_t> SqliteStore::add_list_change(const ListChange& c) {
  auto stmt = db_.prepare(
      "INSERT INTO list_change (cycle_id, school_id, student_id, round, level, amount_fen, from_term, cause,"
      " objection_id, reason, made_by, made_at_ms, votes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, c.cycle_id).bind_int(2, c.school_id).bind_int(3, c.student_id).bind_int(4, c.round);
  bind_opt_level(*stmt, 5, c.level);
  stmt->bind_int(6, c.amount.value()).bind_int(7, c.from_term).bind_text(8, c.cause);
  repo::bind_opt_int(*stmt, 9, c.objection_id);
  stmt->bind_text(10, c.reason).bind_int(11, c.made_by).bind_int(12, c.made_at_ms).bind_text(13, c.votes);
  return repo::single_int(*stmt);
}

Result<void> SqliteStore::put_change_vote(int64_t cycle_id, std::string_view basis, const ReviewVote& vote) {
  auto stmt = db_.prepare(
      "INSERT INTO change_vote (cycle_id, student_id, basis, user_id, level, cast_at_ms) VALUES (?, ?, ?, ?, ?, ?)"
      " ON CONFLICT (cycle_id, student_id, basis, user_id) DO UPDATE SET level = excluded.level,"
      " cast_at_ms = excluded.cast_at_ms");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, vote.student_id).bind_text(3, basis).bind_int(4, vote.user_id);
  bind_opt_level(*stmt, 5, vote.level);
  stmt->bind_int(6, vote.cast_at_ms);
  return stmt->run();
}

Result<std::vector<ReviewVote>> SqliteStore::change_votes(int64_t cycle_id, int64_t student_id,
                                                          std::string_view basis) {
  auto stmt = db_.prepare(
      "SELECT student_id, user_id, level, cast_at_ms FROM change_vote WHERE cycle_id = ? AND student_id = ?"
      " AND basis = ? ORDER BY user_id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, student_id).bind_text(3, basis);
  return collect(*stmt, [](const Statement& s) -> Result<ReviewVote> {
    return ReviewVote{s.int_at(0), s.int_at(1), opt_level_at(s, 2), s.int_at(3)};
  });
}

Result<std::vector<ListChange>> SqliteStore::list_changes(int64_t cycle_id, int64_t school_id) {
  static const std::string sql = std::string(kChangeSelect) + " WHERE cycle_id = ? AND school_id = ? ORDER BY id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, school_id);
  return collect(*stmt, read_change);
}

Result<int64_t> SqliteStore::add_announcement(const Announcement& a) {
  auto stmt = db_.prepare(
      "INSERT INTO announcement (cycle_id, school_id, round, kind, starts_on, ends_on, working_days, entries,"
      " entries_sm3, published_by, published_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, a.cycle_id).bind_int(2, a.school_id).bind_int(3, a.round).bind_text(4, a.kind);
  stmt->bind_text(5, a.starts_on).bind_text(6, a.ends_on).bind_int(7, a.working_days).bind_text(8, a.entries);
  stmt->bind_text(9, a.entries_sm3).bind_int(10, a.published_by).bind_int(11, a.published_at_ms);
  return repo::single_int(*stmt);
}

Result<std::optional<Announcement>> SqliteStore::get_announcement(int64_t id) {
  static const std::string sql = std::string(kAnnouncementSelect) + " WHERE a.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return first(*stmt, read_announcement);
}

Result<std::vector<Announcement>> SqliteStore::announcements_of(int64_t cycle_id, int64_t school_id) {
  static const std::string sql =
      std::string(kAnnouncementSelect) + " WHERE a.cycle_id = ? AND a.school_id = ? ORDER BY a.id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, school_id);
  return collect(*stmt, read_announcement);
}

Result<std::vector<Announcement>> SqliteStore::running_announcements(std::string_view path, std::string_view today,
                                                                     int64_t limit) {
  static const std::string sql = std::string(kAnnouncementSelect) +
                                 " WHERE a.ends_on >= ?1 AND a.starts_on <= ?1 AND n.path >= ?2 AND n.path < ?3"
                                 " ORDER BY a.published_at_ms DESC, a.id DESC LIMIT ?4";
  const repo::PathRange scope = repo::path_range(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, today).bind_text(2, scope.low).bind_text(3, scope.high).bind_int(4, limit);
  return collect(*stmt, read_announcement);
}

Result<int64_t> SqliteStore::add_objection(const Objection& o) {
  auto stmt = db_.prepare(
      "INSERT INTO objection (cycle_id, school_id, announcement_id, entry_no, student_id, text, objector_name,"
      " receipt_hash, state, received_at_ms, answer_due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, o.cycle_id).bind_int(2, o.school_id).bind_int(3, o.announcement_id);
  bind_opt_level(*stmt, 4, o.entry_no);
  repo::bind_opt_int(*stmt, 5, o.student_id);
  stmt->bind_text(6, o.text).bind_opt_text(7, o.objector_name).bind_text(8, o.receipt_hash).bind_text(9, o.state);
  stmt->bind_int(10, o.received_at_ms).bind_text(11, o.answer_due_on);
  return repo::single_int(*stmt);
}

Result<std::optional<Objection>> SqliteStore::get_objection(int64_t id) {
  static const std::string sql = std::string(kObjectionSelect) + " WHERE id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return first(*stmt, read_objection);
}

Result<std::optional<Objection>> SqliteStore::find_objection_by_receipt(std::string_view receipt_hash) {
  static const std::string sql = std::string(kObjectionSelect) + " WHERE receipt_hash = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, receipt_hash);
  return first(*stmt, read_objection);
}

Result<void> SqliteStore::update_objection(const Objection& o) {
  auto stmt = db_.prepare(
      "UPDATE objection SET state = ?, answer = ?, answered_by = ?, answered_at_ms = ?, appeal_due_on = ?,"
      " appeal_text = ?, appealed_at_ms = ?, decision_due_on = ?, decision = ?, decided_by = ?, decided_at_ms = ?"
      " WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, o.state).bind_opt_text(2, o.answer);
  repo::bind_opt_int(*stmt, 3, o.answered_by);
  repo::bind_opt_int(*stmt, 4, o.answered_at_ms);
  stmt->bind_opt_text(5, o.appeal_due_on).bind_opt_text(6, o.appeal_text);
  repo::bind_opt_int(*stmt, 7, o.appealed_at_ms);
  stmt->bind_opt_text(8, o.decision_due_on).bind_opt_text(9, o.decision);
  repo::bind_opt_int(*stmt, 10, o.decided_by);
  repo::bind_opt_int(*stmt, 11, o.decided_at_ms);
  stmt->bind_int(12, o.id);
  return stmt->run();
}

Result<std::vector<Objection>> SqliteStore::objections_of(int64_t cycle_id, std::optional<int64_t> school_id) {
  static const std::string sql =
      std::string(kObjectionSelect) + " WHERE cycle_id = ?1 AND (?2 IS NULL OR school_id = ?2) ORDER BY id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  repo::bind_opt_int(*stmt, 2, school_id);
  return collect(*stmt, read_objection);
}

Result<int64_t> SqliteStore::add_filing(const Filing& f) {
  auto stmt = db_.prepare(
      "INSERT INTO filing (cycle_id, school_id, round, state, snapshot, snapshot_sm3, entries, total_fen,"
      " submitted_by, submitted_at_ms) VALUES (?, ?, ?, 'SUBMITTED', ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, f.cycle_id).bind_int(2, f.school_id).bind_int(3, f.round).bind_text(4, f.snapshot);
  stmt->bind_text(5, f.snapshot_sm3).bind_int(6, f.entries).bind_int(7, f.total.value());
  stmt->bind_int(8, f.submitted_by).bind_int(9, f.submitted_at_ms);
  return repo::single_int(*stmt);
}

Result<std::optional<Filing>> SqliteStore::get_filing(int64_t id) {
  static const std::string sql = std::string(kFilingSelect) + " WHERE f.id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return first(*stmt, read_filing);
}

Result<std::vector<Filing>> SqliteStore::filings_of(int64_t cycle_id, std::optional<int64_t> school_id) {
  static const std::string sql =
      std::string(kFilingSelect) + " WHERE f.cycle_id = ?1 AND (?2 IS NULL OR f.school_id = ?2) ORDER BY f.id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id);
  repo::bind_opt_int(*stmt, 2, school_id);
  return collect(*stmt, read_filing);
}

Result<void> SqliteStore::decide_filing(int64_t id, std::string_view state, int64_t by, int64_t at_ms,
                                        const std::optional<std::string>& reason) {
  auto stmt = db_.prepare(
      "UPDATE filing SET state = ?, decided_by = ?, decided_at_ms = ?, reason = ? WHERE id = ? AND state = 'SUBMITTED'");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, state).bind_int(2, by).bind_int(3, at_ms).bind_opt_text(4, reason).bind_int(5, id);
  if (auto ok = stmt->run(); !ok) return ok;
  if (changes() != 1) return fail("STATE_CONFLICT", "该备案已处理");
  return {};
}

}  // namespace zizhu::store::sqlite

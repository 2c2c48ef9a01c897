// SqliteStore: the school's review — panels, votes, decisions, flag
// resolutions (migration 7).
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

constexpr std::string_view kDecisionSelect =
    "SELECT cycle_id, student_id, school_id, level, amount_fen, suggested_level, run_id, votes, reason, decided_by,"
    " decided_at_ms FROM review_decision";

Result<ReviewDecision> read_decision(const Statement& s) {
  ReviewDecision d;
  d.cycle_id = s.int_at(0);
  d.student_id = s.int_at(1);
  d.school_id = s.int_at(2);
  d.level = opt_level_at(s, 3);
  d.amount = Fen::from_fen(s.int_at(4));
  d.suggested_level = opt_level_at(s, 5);
  d.run_id = s.int_at(6);
  d.votes = s.text_at(7);
  d.reason = s.text_at(8);
  d.decided_by = s.int_at(9);
  d.decided_at_ms = s.int_at(10);
  return d;
}

}  // namespace

Result<void> SqliteStore::set_panel(int64_t cycle_id, int64_t school_id, const std::vector<int64_t>& user_ids,
                                    int64_t added_by, int64_t now_ms) {
  return atomically<void>([&]() -> Result<void> {
    auto clear = db_.prepare("DELETE FROM review_panel_member WHERE cycle_id = ? AND school_id = ?");
    if (!clear) return tl::unexpected(clear.error());
    clear->bind_int(1, cycle_id).bind_int(2, school_id);
    if (auto ok = clear->run(); !ok) return tl::unexpected(ok.error());
    for (int64_t user : user_ids) {
      auto add = db_.prepare(
          "INSERT INTO review_panel_member (cycle_id, school_id, user_id, added_by, added_at_ms) VALUES (?, ?, ?, ?, ?)");
      if (!add) return tl::unexpected(add.error());
      add->bind_int(1, cycle_id).bind_int(2, school_id).bind_int(3, user).bind_int(4, added_by).bind_int(5, now_ms);
      if (auto ok = add->run(); !ok) return tl::unexpected(ok.error());
    }
    return {};
  });
}

Result<std::vector<PanelMember>> SqliteStore::panel(int64_t cycle_id, int64_t school_id) {
  auto stmt = db_.prepare(
      "SELECT u.id, u.username, u.display_name FROM review_panel_member m JOIN app_user u ON u.id = m.user_id"
      " WHERE m.cycle_id = ? AND m.school_id = ? ORDER BY u.username");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, school_id);
  return collect(*stmt, [](const Statement& s) -> Result<PanelMember> {
    return PanelMember{s.int_at(0), s.text_at(1), s.text_at(2)};
  });
}

Result<void> SqliteStore::put_vote(int64_t cycle_id, const ReviewVote& vote) {
  auto stmt = db_.prepare(
      "INSERT INTO review_vote (cycle_id, student_id, user_id, level, cast_at_ms) VALUES (?, ?, ?, ?, ?)"
      " ON CONFLICT (cycle_id, student_id, user_id) DO UPDATE SET level = excluded.level,"
      " cast_at_ms = excluded.cast_at_ms");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, vote.student_id).bind_int(3, vote.user_id);
  bind_opt_level(*stmt, 4, vote.level);
  stmt->bind_int(5, vote.cast_at_ms);
  return stmt->run();
}

Result<std::vector<ReviewVote>> SqliteStore::votes(int64_t cycle_id, int64_t student_id) {
  auto stmt = db_.prepare(
      "SELECT student_id, user_id, level, cast_at_ms FROM review_vote WHERE cycle_id = ? AND student_id = ?"
      " ORDER BY user_id");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, student_id);
  return collect(*stmt, [](const Statement& s) -> Result<ReviewVote> {
    return ReviewVote{s.int_at(0), s.int_at(1), opt_level_at(s, 2), s.int_at(3)};
  });
}

Result<void> SqliteStore::add_decision(const ReviewDecision& d) {
  return atomically<void>([&]() -> Result<void> {
    auto existing = decision(d.cycle_id, d.student_id);
    if (!existing) return tl::unexpected(existing.error());
    if (*existing) return fail("CONFLICT", "该学生已有评审决定 (decided)", {db_.path(), 0, "student_id"});
    auto stmt = db_.prepare(
        "INSERT INTO review_decision (cycle_id, student_id, school_id, level, amount_fen, suggested_level, run_id,"
        " votes, reason, decided_by, decided_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, d.cycle_id).bind_int(2, d.student_id).bind_int(3, d.school_id);
    bind_opt_level(*stmt, 4, d.level);
    stmt->bind_int(5, d.amount.value());
    bind_opt_level(*stmt, 6, d.suggested_level);
    stmt->bind_int(7, d.run_id).bind_text(8, d.votes).bind_text(9, d.reason).bind_int(10, d.decided_by);
    stmt->bind_int(11, d.decided_at_ms);
    return stmt->run();
  });
}

Result<std::optional<ReviewDecision>> SqliteStore::decision(int64_t cycle_id, int64_t student_id) {
  static const std::string sql = std::string(kDecisionSelect) + " WHERE cycle_id = ? AND student_id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, student_id);
  return first(*stmt, read_decision);
}

Result<std::vector<ReviewDecision>> SqliteStore::school_decisions(int64_t cycle_id, int64_t school_id) {
  static const std::string sql =
      std::string(kDecisionSelect) + " WHERE cycle_id = ? AND school_id = ? ORDER BY student_id";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, school_id);
  return collect(*stmt, read_decision, SIZE_MAX);
}

Result<void> SqliteStore::add_flag_resolution(int64_t cycle_id, const FlagResolution& r) {
  return atomically<void>([&]() -> Result<void> {
    auto existing = flag_resolutions(cycle_id, r.student_id);
    if (!existing) return tl::unexpected(existing.error());
    for (const auto& e : *existing) {
      if (e.flag == r.flag) return fail("CONFLICT", "该标记已核实处理 (resolved)", {db_.path(), 0, "flag"});
    }
    auto stmt = db_.prepare(
        "INSERT INTO flag_resolution (cycle_id, student_id, flag, resolution, resolved_by, resolved_at_ms)"
        " VALUES (?, ?, ?, ?, ?, ?)");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, cycle_id).bind_int(2, r.student_id).bind_text(3, r.flag).bind_text(4, r.resolution);
    stmt->bind_int(5, r.resolved_by).bind_int(6, r.resolved_at_ms);
    return stmt->run();
  });
}

Result<std::vector<FlagResolution>> SqliteStore::flag_resolutions(int64_t cycle_id, int64_t student_id) {
  auto stmt = db_.prepare(
      "SELECT student_id, flag, resolution, resolved_by, resolved_at_ms FROM flag_resolution"
      " WHERE cycle_id = ? AND student_id = ? ORDER BY flag");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, cycle_id).bind_int(2, student_id);
  return collect(*stmt, [](const Statement& s) -> Result<FlagResolution> {
    return FlagResolution{s.int_at(0), s.text_at(1), s.text_at(2), s.int_at(3), s.int_at(4)};
  });
}

}  // namespace zizhu::store::sqlite

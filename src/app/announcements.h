// 结果公示 (aid-cycle.md ANNOUNCING): a school's decided list announced for at
// least five working days (the calendar's: weekends, holidays and make-up
// days), public only while it runs, showing only the masked name, school,
// grade, class and level. The first announcement of a round shows the funded
// list; later ones (after an upheld objection, a revision, an adjustment)
// show the changed entries only. Announcements are kept as published: the
// rows and their SM3 never change; "taken down" is the end date passing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

// The policy file has no key for it: aid-cycle.md's minimum.
inline constexpr int kAnnouncementWorkingDaysMin = 5;
inline constexpr int kAnnouncementWorkingDaysMax = 30;
inline constexpr int64_t kPublicAnnouncementsMax = 200;

// One row as the public sees it.
struct AnnouncedRow {
  int no = 0;               // 序号, from 1: objections name it
  std::string name_masked;  // 张*明
  std::string school_name;
  int grade = 0;
  std::string class_name;
  std::string level_label;  // the policy's level name, or 取消资助
  std::string change;       // "", 新增, 调整, 取消 (on change announcements)
};

struct AnnouncementView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  std::string school_code, school_name, school_year;
  int round = 1;
  std::string kind;  // list, change
  std::string starts_on, ends_on;
  int working_days = 0;
  bool running = false;  // public today
  std::string entries_sm3;
  std::vector<AnnouncedRow> rows;
  // Staff only (never on a public route).
  std::vector<int64_t> student_ids;  // beside rows
  int64_t published_at_ms = 0;
};

// The school officer announces the school's list (REVIEW → ANNOUNCING): in
// round 1 every candidate must be decided. What is announced is what changed
// since the school's last announcement (all funded entries the first time).
Result<AnnouncementView> announce(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                  const std::optional<std::string>& school_code, std::optional<int> working_days);
// What announce() would publish now, by the same code and checks, written
// nowhere: the rows as the public will see them, the period, the content's
// SM3 (the published one has the same unless the list or the date changes
// in between). The id is 0; refused exactly when announcing would be.
Result<AnnouncementView> preview_announcement(App& app, store::Store& store, const Actor& actor, int64_t cycle_id,
                                              const std::optional<std::string>& school_code,
                                              std::optional<int> working_days);
// In the caller's transaction: announces the given students' entries (an
// upheld objection's change) for the full period, without a stage change.
Result<int64_t> announce_changes(App& app, store::Store& store, const Actor& actor, const store::Cycle& cycle,
                                 int64_t school_id, const std::vector<int64_t>& student_ids);

// How many entries of the school's list changed since last announced.
Result<int64_t> entries_to_announce(store::Store& store, int64_t cycle_id, int64_t school_id);

// Staff: a school's announcements (or every school's in scope when the
// school is not named and the actor is above schools).
Result<std::vector<AnnouncementView>> list_announcements(App& app, store::Store& store, const Actor& actor,
                                                         int64_t cycle_id, const std::optional<std::string>& school_code);
Result<AnnouncementView> get_announcement(App& app, store::Store& store, const Actor& actor, int64_t announcement_id);
// The notice-board copies.
Result<std::string> announcement_pdf(App& app, store::Store& store, const Actor& actor, int64_t announcement_id);
Result<std::string> announcement_xlsx(App& app, store::Store& store, const Actor& actor, int64_t announcement_id);

// The public: announcements running today (of one county by its code, or
// all), and one of them; NOT_FOUND once it has ended.
Result<std::vector<AnnouncementView>> public_announcements(App& app, store::Store& store,
                                                           const std::optional<std::string>& county_code);
Result<AnnouncementView> public_announcement(App& app, store::Store& store, int64_t announcement_id);

// Internal: an announcement as stored, read back (rows and student ids).
Result<AnnouncementView> announcement_view(App& app, store::Store& store, const store::Announcement& a);

}  // namespace zizhu::app

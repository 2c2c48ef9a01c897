// Records of the follow-up of funded students (跟踪管理) and of feedback and
// complaints (意见反馈), aid-cycle.md "Follow-up and the family's side"
// (migration 11), as the store reads and writes them. What each role and
// state allows is decided in app/followups.cc and app/feedback.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"

namespace zizhu::store {

// The kinds of follow-up aid-cycle.md lists.
enum class FollowupKind : uint8_t { kHomeVisit, kTalk, kStudyLiving, kPsychReferral, kCareerGuidance };
inline constexpr int kFollowupKindCount = 5;
std::string_view followup_kind_key(FollowupKind kind);  // "home_visit", "talk", ...
std::optional<FollowupKind> parse_followup_kind(std::string_view key);

// One follow-up of one funded student, kept as recorded (a correction is a
// new record).
struct FollowupRecord {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t student_id = 0;
  int64_t school_id = 0;
  int term = 1;  // 1 autumn (秋季学期), 2 spring (春季学期)
  FollowupKind kind = FollowupKind::kHomeVisit;
  Date happened_on;
  std::string note;
  int64_t recorded_by = 0;
  int64_t recorded_at_ms = 0;
  // Read back only (joined): for lists.
  std::string student_name;
  std::string school_code, school_name;
  std::string recorded_by_name;  // the user's display name
};

// Filters of a follow-up listing; every given part must match.
struct FollowupFilter {
  std::optional<int64_t> school_id;
  std::optional<int64_t> student_id;
  std::optional<int> term;
};

enum class FeedbackStatus : uint8_t { kOpen, kInProgress, kAnswered, kClosed };
std::string_view feedback_status_key(FeedbackStatus status);  // "OPEN", "IN_PROGRESS", ...
std::optional<FeedbackStatus> parse_feedback_status(std::string_view key);

// A feedback item or complaint. Who sent it (channel) and what it says never
// change; its owner, status and answer move on, each move in the audit log.
struct Feedback {
  int64_t id = 0;
  int64_t county_id = 0;
  std::optional<int64_t> school_id;   // none: about the county in general
  std::optional<int64_t> student_id;  // a guardian's item about one child
  std::string channel;                // "guardian", "public", "staff"
  std::string kind;                   // "feedback" (意见建议), "complaint" (投诉)
  std::string text;
  std::optional<std::string> contact_name;
  std::string receipt_hash;  // SM3 hex of the receipt code; the code itself is never kept
  std::optional<int64_t> guardian_user_id;
  std::optional<int64_t> owner_user_id;
  FeedbackStatus status = FeedbackStatus::kOpen;
  Date due_on;
  std::optional<std::string> answer;
  std::optional<int64_t> answered_by;
  std::optional<int64_t> answered_at_ms;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  // Read back only (joined).
  std::string county_code, county_name, county_path;
  std::string school_code, school_name, school_path;  // empty without a school
  std::string student_name;
  std::string guardian_name, owner_username, owner_name, answered_by_name;
  // The path that decides who sees the item: the school's, or the county's.
  const std::string& scope_path() const { return school_id ? school_path : county_path; }
};

// Filters of the staff listing; every given part must match.
struct FeedbackFilter {
  std::optional<FeedbackStatus> status;
  std::optional<int64_t> school_id;
  std::optional<std::string> kind;
  // Only items still waiting for an answer (OPEN, IN_PROGRESS) whose due
  // date is before this one (today: the overdue ones).
  std::optional<Date> due_before;
};

}  // namespace zizhu::store

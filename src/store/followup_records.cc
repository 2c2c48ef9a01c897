#include "store/followup_records.h"

#include <array>

namespace zizhu::store {

namespace {

constexpr std::array<std::string_view, kFollowupKindCount> kFollowupKindKeys = {
    "home_visit", "talk", "study_living", "psych_referral", "career_guidance"};
constexpr std::array<std::string_view, 4> kFeedbackStatusKeys = {"OPEN", "IN_PROGRESS", "ANSWERED", "CLOSED"};

}  // namespace

std::string_view followup_kind_key(FollowupKind kind) { return kFollowupKindKeys[static_cast<size_t>(kind)]; }

std::optional<FollowupKind> parse_followup_kind(std::string_view key) {
  for (size_t i = 0; i < kFollowupKindKeys.size(); ++i) {
    if (kFollowupKindKeys[i] == key) return static_cast<FollowupKind>(i);
  }
  return std::nullopt;
}

std::string_view feedback_status_key(FeedbackStatus status) {
  return kFeedbackStatusKeys[static_cast<size_t>(status)];
}

std::optional<FeedbackStatus> parse_feedback_status(std::string_view key) {
  for (size_t i = 0; i < kFeedbackStatusKeys.size(); ++i) {
    if (kFeedbackStatusKeys[i] == key) return static_cast<FeedbackStatus>(i);
  }
  return std::nullopt;
}

}  // namespace zizhu::store

// Feedback and complaints (意见反馈, aid-cycle.md "Follow-up and the family's
// side"): guardians (from their portal), anyone without logging in
// (anonymous or with a name; rate-limited per client address) and staff (on
// behalf of someone who phoned or came in) send an item about a school or a
// county; each gets a receipt code, shown once, to follow it on the public
// page (only the code's SM3 is kept). Each item has an owner, a status
// (OPEN → IN_PROGRESS → ANSWERED → CLOSED) and a due date five working days
// after it was received, and is answered; school staff handle their
// school's items, county staff the county's (items about its schools too).
// Every change is in the audit log; the texts are free text kept out of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/paging.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr size_t kFeedbackTextBytesMax = 2000;
inline constexpr size_t kFeedbackAnswerBytesMax = 2000;
inline constexpr size_t kContactNameBytesMax = 60;
// The answer is due this many working days after the item was received.
inline constexpr int kFeedbackAnswerWorkingDays = 5;
inline constexpr int64_t kGuardianFeedbackMax = 200;

struct FeedbackInput {
  std::string kind;  // "feedback" (意见建议) or "complaint" (投诉)
  std::string text;
  std::optional<int64_t> student_id;        // guardian (own child), staff
  std::optional<std::string> school_code;   // optional: about a school
  std::optional<std::string> county_code;   // the public: required
  std::optional<std::string> contact_name;  // the public, staff: optional
};

struct FeedbackView {
  int64_t id = 0;
  std::string county_code, county_name;
  std::string school_code, school_name;  // empty: about the county in general
  std::optional<int64_t> student_id;
  std::string student_name;
  std::string channel, channel_label;
  std::string kind, kind_label;
  std::string text;
  std::string contact_name;
  std::string guardian_name;
  std::string owner_username, owner_name;
  std::string status, status_label;
  std::string received_on, due_on;  // YYYY-MM-DD, China time
  bool overdue = false;             // not answered and past its due date
  std::string answer, answered_by_name, answered_on;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// A new item and its receipt code (shown this once).
struct FeedbackReceipt {
  FeedbackView item;
  std::string receipt_code;
};

// A guardian about one of their children (student_id), a school of one of
// their children (school_code), or their county in general.
Result<FeedbackReceipt> submit_guardian_feedback(App& app, store::Store& store, const Actor& actor,
                                                 const FeedbackInput& input);
// Anyone, no login: the county by its code, a school of it optionally. The
// route limits how often one address may send (app.public_limiter(), as for
// objections); the demo calls this directly.
Result<FeedbackReceipt> submit_public_feedback(App& app, store::Store& store, const Actor& actor,
                                               const FeedbackInput& input);
// Staff record an item received by phone, letter or in person: about a
// student or a school in scope, their own school, or (county staff) the
// county in general.
Result<FeedbackReceipt> submit_staff_feedback(App& app, store::Store& store, const Actor& actor,
                                              const FeedbackInput& input);

// What the public page shows for a receipt code.
struct PublicFeedbackStatus {
  std::string status, status_label;
  std::string received_on, due_on;
  std::string answer, answered_on;
};
Result<PublicFeedbackStatus> public_feedback_status(App& app, store::Store& store, std::string_view receipt_code);

struct FeedbackQuery {
  std::optional<std::string> status;  // OPEN, IN_PROGRESS, ANSWERED, CLOSED
  bool overdue = false;               // only the overdue ones
  std::optional<std::string> school_code;
  std::optional<std::string> kind;
};
// Staff: the items in scope, newest first.
Result<Page<FeedbackView>> list_feedback(App& app, store::Store& store, const Actor& actor, const FeedbackQuery& query,
                                         const PageRequest& page);
Result<FeedbackView> get_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id);
// OPEN or IN_PROGRESS → IN_PROGRESS with the owner: an active user who may
// manage feedback, of a node in the actor's scope, who can see the item.
Result<FeedbackView> assign_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id,
                                     std::string_view owner_username);
// OPEN or IN_PROGRESS → ANSWERED; the answer is given once.
Result<FeedbackView> answer_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id,
                                     std::string_view answer);
// ANSWERED → CLOSED (final).
Result<FeedbackView> close_feedback(App& app, store::Store& store, const Actor& actor, int64_t feedback_id);

// A guardian's own items, newest first.
Result<std::vector<FeedbackView>> guardian_feedback(App& app, store::Store& store, const Actor& actor);

}  // namespace zizhu::app

// Students as users see them: lists and details masked, reveal with a reason
// (audited), the roster import within the user's scope, a guardian's own
// children. A student outside the actor's subtree does not exist for them
// (NOT_FOUND, never FORBIDDEN).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "app/paging.h"
#include "store/import_rejects.h"
#include "store/import_students.h"
#include "store/store.h"

namespace zizhu::app {

struct StudentQuery {
  std::optional<std::string> school_code;
  std::optional<int> grade;
  std::optional<std::string> class_name;
  std::optional<std::string> name_prefix;
  std::optional<std::string> student_no;  // exact, through the blind index
};

// What the API shows of a student. Sensitive fields are masked unless
// `masked` is false (only from reveal_student).
struct StudentView {
  int64_t id = 0;
  std::string student_no;
  std::string name;
  std::string id_number;  // empty when none
  std::string gender;     // "男" / "女" / ""
  std::string birth_date;
  std::string school_code;
  std::string school_name;
  int grade = 0;
  std::string class_name;
  bool boarding = false;
  std::string guardian_name;
  std::string bank_card;
  bool masked = true;
};

Result<Page<StudentView>> list_students(App& app, store::Store& store, const Actor& actor, const StudentQuery& query,
                                        const PageRequest& page);
Result<StudentView> get_student(App& app, store::Store& store, const Actor& actor, int64_t student_id);
// Unmasked, recorded in the audit log with the reason (required).
Result<StudentView> reveal_student(App& app, store::Store& store, const Actor& actor, int64_t student_id,
                                   std::string_view reason);
Result<Page<StudentView>> guardian_children(App& app, store::Store& store, const Actor& actor);

// The longest reason a bank card change may give (bytes).
inline constexpr size_t kBankCardReasonBytesMax = 500;

// Replaces a student's bank card (a family's new account, a lost card): the
// card a payment goes to. Needs student.import (the roster's roles); a
// student outside the actor's subtree is NOT_FOUND. The card must be 12–19
// digits (spaces are dropped; BAD_VALUE on "bank_card"), differ from the
// current one (RULE), and a reason is required (BAD_VALUE on "reason"; no
// ID or card numbers in it). One transaction writes the card, the
// bank_card_change row (masked old and new, for the payment approver's
// check) and the audit record "student.bank_card". Returns the masked view.
Result<StudentView> change_bank_card(App& app, store::Store& store, const Actor& actor, int64_t student_id,
                                     std::string_view new_card, std::string_view reason);

struct RosterImport {
  store::ImportSummary summary;
  std::vector<store::Reject> rejects;
};

// A roster uploaded as bytes: CSV (UTF-8 or GB18030) or XLSX, told apart by
// content; anything else is refused (NOT_A_ROSTER). Rows outside the actor's
// subtree are rejected row by row; the rest is written in one transaction.
Result<RosterImport> import_roster(App& app, store::Store& store, const Actor& actor, std::string_view content,
                                   const Date& reference_date);

}  // namespace zizhu::app

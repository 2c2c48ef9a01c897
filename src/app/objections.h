// 异议 (aid-cycle.md Objections): anyone may object to a running
// announcement — one of its rows or the whole list — with or without a name,
// and gets a receipt code (only its hash is kept) to follow the objection
// and appeal. The school answers within 3 working days: upheld (the entry is
// changed or removed and the change announced again for the full period) or
// dismissed with a reason. The objector may appeal to the county within 3
// working days of the answer; the county decides within 3 working days. A
// school's list with an open objection (unanswered, appealed, or dismissed
// with the appeal window still open) cannot be filed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

inline constexpr int kObjectionWorkingDays = 3;
inline constexpr size_t kObjectionTextBytesMax = 2000;
inline constexpr size_t kObjectorNameBytesMax = 60;

struct ObjectionView {
  int64_t id = 0;
  int64_t cycle_id = 0;
  int64_t announcement_id = 0;
  std::string school_code, school_name;
  std::optional<int> entry_no;
  std::string entry_name_masked;  // the row's masked name, when about a row
  std::string text;
  std::optional<std::string> objector_name;
  std::string state;
  std::string state_label;
  std::string received_on;
  std::string answer_due_on;
  std::optional<std::string> answer;
  std::optional<std::string> appeal_due_on, appeal_text, decision_due_on, decision;
  bool overdue = false;  // an answer or decision past its date
  bool open = false;     // blocks filing
  // Staff only: the student the row is about.
  std::optional<int64_t> student_id;
};

struct NewObjection {
  ObjectionView objection;
  std::string receipt;  // shown once
};

// The public (no login): about announcement `announcement_id`, row
// `entry_no` (1-based) or the whole list. Only while it runs. (The routes
// rate-limit these public writes per client address.)
Result<NewObjection> submit_objection(App& app, store::Store& store, const Actor& actor, int64_t announcement_id,
                                      std::optional<int> entry_no, std::string_view text,
                                      const std::optional<std::string>& objector_name);
// The objector, by receipt: the objection's state, answer and dates.
Result<ObjectionView> objection_by_receipt(App& app, store::Store& store, std::string_view receipt);
// The objector appeals a dismissed objection within its window.
Result<ObjectionView> appeal_objection(App& app, store::Store& store, const Actor& actor, std::string_view receipt,
                                       std::string_view text);

// Staff: the objections of the schools in scope (one school when named).
Result<std::vector<ObjectionView>> list_objections(App& app, store::Store& store, const Actor& actor,
                                                   int64_t cycle_id, const std::optional<std::string>& school_code);
// The school officer answers. Upholding an objection about a row needs the
// entry's new level (none = removed from the list).
// `change`: the entry's new level (its inner none: removed); required when
// upholding an objection about a row, refused otherwise.
using EntryChange = std::optional<std::optional<int>>;
Result<ObjectionView> answer_objection(App& app, store::Store& store, const Actor& actor, int64_t objection_id,
                                       bool upheld, std::string_view answer, const EntryChange& change);
// The county decides an appeal (upholding one about a row changes the
// entry as above).
Result<ObjectionView> decide_appeal(App& app, store::Store& store, const Actor& actor, int64_t objection_id,
                                    bool upheld, std::string_view decision, const EntryChange& change);

// For filing: the school's objections that are still open today.
Result<int> open_objections(App& app, store::Store& store, int64_t cycle_id, int64_t school_id);

}  // namespace zizhu::app

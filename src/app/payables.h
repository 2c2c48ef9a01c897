// What is to be paid in a term (funds.md "Paying": "The frozen list of an
// approved school gives each funded student a term amount"): for every
// school of the cycle with an approved list, the newest approved snapshot
// (a term adjustment's keeps term 1 as it was) and each entry's amount for
// the term. The basis of payment batches (not built yet).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/app.h"
#include "core/error.h"
#include "store/store.h"

namespace zizhu::app {

struct PayableLine {
  int64_t filing_id = 0;
  std::string school_code, school_name;
  int64_t student_id = 0;
  std::string student_no_masked, name;
  int grade = 0;
  std::string class_name;
  int level = 0;
  int64_t amount_fen = 0;
};

struct TermPayables {
  int64_t cycle_id = 0;
  int term = 1;
  std::vector<PayableLine> lines;  // by school, then student
  int64_t total_fen = 0;
  // Schools of the county with candidates whose list is not approved yet:
  // nothing of theirs can be paid.
  std::vector<std::string> schools_not_approved;
};

// County users with funds.read (finance, the county officer, the auditor).
Result<TermPayables> term_payables(App& app, store::Store& store, const Actor& actor, int64_t cycle_id, int term);

}  // namespace zizhu::app

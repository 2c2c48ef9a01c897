// `zizhu demo`: a demo county with everything a visitor needs to try every
// role — two neighbouring counties of 兰州市 (the second one lets the data
// scope be seen at work), schools, students with guardians from the seeded
// generator, and a user for every role. Passwords are random and printed; the
// second factor of the roles that need it is enrolled with a printed secret.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/error.h"

namespace zizhu::app {

struct DemoOptions {
  uint64_t students = 6000;  // in the main county
  uint32_t schools = 30;
  uint64_t other_county_students = 800;
  uint64_t seed = 2026;
  // Demo only: accounts do not have to change their password at first login
  // (documented in docs/demo.md; never for real accounts).
  bool skip_first_change = false;
  // Where the generated files go while they are imported (removed after).
  std::string work_dir;
};

struct DemoUser {
  std::string key;  // "county_officer", "school_officer@other", ...
  int64_t id = 0;
  std::string username;
  std::string password;
  std::string display_name;
  std::string org_code;
  std::vector<std::string> roles;
  std::string totp_secret;  // base32, empty when the role needs none
};

// Objects inside and outside the demo users' subtrees, for tests and tours.
struct DemoObjects {
  std::string school_own, school_other, school_other_county;
  int64_t student_own = 0, student_other_school = 0, student_other_county = 0;
  int64_t user_victim = 0, user_other_county = 0;
  int64_t api_token_own = 0, api_token_other_county = 0;
  std::vector<int64_t> guardian_children;
  int64_t cycle_own = 0, cycle_other_county = 0;
  // The guardian's child's application (in the own school), one of another
  // school of the county, one of the other county.
  int64_t application_own = 0, application_other_school = 0, application_other_county = 0;
  // Evidence of those three applications.
  int64_t evidence_own = 0, evidence_other_school = 0, evidence_other_county = 0;
  int64_t notice_own = 0, notice_other_county = 0;
  // Last school year's cycle in the own county (school_own filed and
  // approved); its announcement (ended), objection (dismissed) and filing.
  int64_t cycle_past_own = 0, announcement_own = 0, objection_own = 0, filing_own = 0;
  // The other county: last year's filing and objection, and this year's
  // announcement running today with an open objection (and its receipt).
  int64_t filing_other_county = 0, objection_past_other_county = 0;
  int64_t announcement_other_county = 0, objection_other_county = 0;
  std::string objection_receipt_other_county;
  // Money in motion in the other county's last year (demo_money.h): its
  // cycle, term 1's batch (settled, exactly one line refused by the bank:
  // that student is still to pay, waiting for a corrected card), term 2's
  // batch, and the cycle's fund-use publication.
  int64_t cycle_past_other_county = 0, payment_batch_other_county = 0, payment_batch_term2_other_county = 0;
  int64_t payment_line_failed_other_county = 0, payment_student_failed_other_county = 0;
  int64_t fund_publication_other_county = 0;
  // Feedback (意见反馈): the guardian's item about the own school, a public
  // one about the other school of the county (and its receipt code), one in
  // the other county.
  int64_t feedback_own = 0, feedback_other_school = 0, feedback_other_county = 0;
  std::string feedback_receipt;
};

struct DemoResult {
  std::string county_code, county_name, other_county_code;
  std::vector<DemoUser> users;
  DemoObjects objects;
  int64_t students = 0;
  int64_t schools = 0;
};

// Fills an empty database. STATE_CONFLICT when it holds users already.
Result<DemoResult> create_demo(App& app, const DemoOptions& options);

// The credentials as JSON (written to a 0600 file for tests and the browser
// tour) and as a table for the terminal.
std::string demo_credentials_json(const DemoResult& demo);
std::string demo_credentials_table(const DemoResult& demo);

}  // namespace zizhu::app

// The identification engine: flags, scores, levels, statuses and the budget
// walk of identify.md, decided on a loaded Dataset. No I/O.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/fen.h"
#include "core/policy.h"
#include "identify/dataset.h"

namespace zizhu::identify {

// Flags, numbered in the byte order of their codes so that walking the bits
// from low to high writes them in the order results.csv wants.
enum Flag : uint16_t {
  kAgeGrade = 1u << 0,
  kBankCardLuhn = 1u << 1,
  kClaimUnverified = 1u << 2,
  kDowngraded = 1u << 3,
  kDupEnrollment = 1u << 4,
  kDupFunding = 1u << 5,
  kGenderMismatch = 1u << 6,
  kIdInvalid = 1u << 7,
  kIdMismatch = 1u << 8,
  kListExpired = 1u << 9,
  kNotEnrolled = 1u << 10,
  kNoBudget = 1u << 11,
  kSharedBankCard = 1u << 12,
};
inline constexpr std::array<std::string_view, 13> kFlagNames = {
    "AGE_GRADE",      "BANK_CARD_LUHN", "CLAIM_UNVERIFIED", "DOWNGRADED",   "DUP_ENROLLMENT",
    "DUP_FUNDING",    "GENDER_MISMATCH", "ID_INVALID",     "ID_MISMATCH",  "LIST_EXPIRED",
    "NOT_ENROLLED",   "NO_BUDGET",      "SHARED_BANK_CARD"};
// The bit of a flag code, or 0 for an unknown code.
uint16_t flag_bit(std::string_view code);

enum class Status : uint8_t { kBlocked, kNotApplied, kNotEligible, kFunded, kWaitlist };
std::string_view status_code(Status s);

struct SchoolSummary {
  int64_t students = 0, applicants = 0, candidates = 0, funded = 0, waitlist = 0, blocked = 0;
  std::vector<int64_t> funded_by_level;  // per policy level, in level order
  Fen budget, allocated, remaining;
};

// The decision for every accepted roster student (indexed like
// Dataset::students) and for the applications naming no roster row.
struct Outcome {
  std::vector<Status> status;
  std::vector<int16_t> level;         // index into Policy::levels: funded level if FUNDED, else assessed; -1 none
  std::vector<int32_t> score;
  std::vector<uint64_t> verified;     // bit per policy category
  std::vector<uint64_t> matched;      // bit per category matched by any entry, in force or not
  std::vector<uint16_t> flags;
  std::vector<int32_t> rank;          // 1-based place in the school's order; 0 for non-candidates
  std::vector<Fen> amount;            // FUNDED only
  std::vector<int32_t> application;   // index into Dataset::applications, or -1
  std::vector<uint32_t> not_enrolled; // applications whose 学籍号 is on no accepted roster row
  std::vector<SchoolSummary> schools; // indexed like Dataset::school_codes
};

// The level a score and a set of verified categories earn (index into
// Policy::levels, -1 for none): the best level whose min_score the score
// reaches, lifted by each verified category's min_level.
int assess_level(int32_t score, uint64_t verified, const Policy& policy);

// `threads` only changes the speed: the outcome is the same for any value.
Outcome decide(const Dataset& data, const Policy& policy, int threads);

}  // namespace zizhu::identify

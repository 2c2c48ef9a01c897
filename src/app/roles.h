// The roles of aid-cycle.md, the permissions they carry, and the rules on who
// may hold which role (separation of duties, where in the tree). The one table
// every authorisation check reads: a route names a Permission, never a role.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/records.h"

namespace zizhu::app {

enum class Role : uint8_t {
  kSysadmin,       // 系统管理员
  kAuditor,        // 安全审计员
  kCountyOfficer,  // 区县资助专干
  kFinance,        // 财务
  kSchoolOfficer,  // 学校资助专干
  kReviewer,       // 评审小组成员
  kGuardian,       // 监护人
};
inline constexpr int kRoleCount = 7;

std::string_view role_key(Role role);    // "sysadmin", ... (as stored and in the API)
std::string_view role_label(Role role);  // "系统管理员", ...
std::optional<Role> parse_role(std::string_view key);

// A set of roles as a bitmask: cheap to copy into every request.
class RoleSet {
 public:
  RoleSet() = default;
  void add(Role role) { bits_ = static_cast<uint8_t>(bits_ | bit(role)); }
  bool has(Role role) const { return (bits_ & bit(role)) != 0; }
  bool empty() const { return bits_ == 0; }
  uint8_t bits() const { return bits_; }
  std::vector<Role> list() const;
  bool operator==(const RoleSet&) const = default;

 private:
  static uint8_t bit(Role role) { return static_cast<uint8_t>(1u << static_cast<unsigned>(role)); }
  uint8_t bits_ = 0;
};

// What a route may ask for. Data scope (the organisation subtree) and object
// state are checked by the operation itself; this says whether the role may
// try at all.
enum class Permission : uint8_t {
  kOrgRead,
  kOrgWrite,
  kSchoolRead,
  kStudentRead,
  kStudentReveal,
  kStudentImport,
  kUserRead,
  kUserWrite,
  kAuditRead,
  kApiTokenManage,
  kGuardianSelf,  // a guardian's own children and applications
  kCycleRead,        // the county's aid cycles, their policy, dates and budgets
  kCycleManage,      // create a cycle, set policy, budgets, dates; move it on
  kListImport,       // import the departments' lists into a cycle
  kApplicationRead,  // applications of the schools in scope
  kApplicationWrite, // enter, edit and withdraw applications for families
  kIdentifyRun,      // run the identification over a cycle's data (county, or own school)
  kReviewVote,       // a panel member's vote
  kReviewDecide,     // the school's panel, decisions, flag resolutions, announcement, answers, filing submission
  kListApprove,      // county: approve or return a school's list (备案), decide appeals
  kFollowupWrite,    // follow-up records of funded students (跟踪管理)
  kFeedbackManage,   // feedback and complaints: assign, answer
  kFundsRead,        // the county's fund accounts and their balances
  kFundsManage,      // finance: receipts, allocations, commitments, payment batches, bank returns
  kFundsApprove,     // the second person of a payment batch (maker-checker): approve what finance prepared
  kFundsSchoolPay,   // a school paying its students itself (through-school channel): record each payment
};
inline constexpr int kPermissionCount = 26;

std::string_view permission_key(Permission permission);  // "student.read", ...
std::optional<Permission> parse_permission(std::string_view key);

bool role_grants(Role role, Permission permission);
bool roles_grant(RoleSet roles, Permission permission);

// Roles that must pass a TOTP second factor (server.md: 等保 level 3).
bool needs_second_factor(RoleSet roles);

// May a user at a node of `kind` hold `roles`? Refuses (code ROLE_CONFLICT,
// Chinese message) a sysadmin who is also an auditor, county roles at a
// school node, school roles above a school, a guardian with staff roles, and
// an empty set.
Result<void> check_role_assignment(RoleSet roles, store::OrgKind kind);

}  // namespace zizhu::app

#include "app/roles.h"

#include <array>

namespace zizhu::app {

namespace {

struct RoleInfo {
  Role role;
  std::string_view key;
  std::string_view label;
};

constexpr std::array<RoleInfo, kRoleCount> kRoles = {{
    {Role::kSysadmin, "sysadmin", "系统管理员"},
    {Role::kAuditor, "auditor", "安全审计员"},
    {Role::kCountyOfficer, "county_officer", "区县资助专干"},
    {Role::kFinance, "finance", "财务"},
    {Role::kSchoolOfficer, "school_officer", "学校资助专干"},
    {Role::kReviewer, "reviewer", "评审小组成员"},
    {Role::kGuardian, "guardian", "监护人"},
}};

constexpr std::array<std::string_view, kPermissionCount> kPermissionKeys = {
    "org.read",   "org.write",  "school.read", "student.read", "student.reveal", "student.import",
    "user.read",  "user.write", "audit.read",  "api_token.manage", "guardian.self", "cycle.read",
    "cycle.manage", "list.import", "application.read", "application.write", "identify.run",
    "review.vote", "review.decide", "list.approve", "followup.write", "feedback.manage",
    "funds.read", "funds.manage", "funds.approve", "funds.school_pay",
};

// The matrix. Rows are roles, in enum order; a permission is granted when its
// bit is set. The sysadmin runs the system but sees no student data; the
// auditor reads the record and changes nothing (aid-cycle.md).
constexpr uint32_t p(Permission permission) { return 1u << static_cast<unsigned>(permission); }

constexpr std::array<uint32_t, kRoleCount> kGrants = {
    /* sysadmin */ p(Permission::kOrgRead) | p(Permission::kOrgWrite) | p(Permission::kSchoolRead) |
        p(Permission::kUserRead) | p(Permission::kUserWrite) | p(Permission::kApiTokenManage),
    /* auditor */ p(Permission::kOrgRead) | p(Permission::kSchoolRead) | p(Permission::kAuditRead) |
        p(Permission::kCycleRead) | p(Permission::kFundsRead),
    /* county officer */ p(Permission::kOrgRead) | p(Permission::kSchoolRead) | p(Permission::kStudentRead) |
        p(Permission::kStudentReveal) | p(Permission::kStudentImport) | p(Permission::kCycleRead) |
        p(Permission::kCycleManage) | p(Permission::kListImport) | p(Permission::kApplicationRead) |
        p(Permission::kIdentifyRun) | p(Permission::kListApprove) | p(Permission::kFeedbackManage) |
        p(Permission::kFundsRead) | p(Permission::kFundsApprove),
    /* finance */ p(Permission::kOrgRead) | p(Permission::kSchoolRead) | p(Permission::kCycleRead) |
        p(Permission::kFundsRead) | p(Permission::kFundsManage) | p(Permission::kFundsApprove),
    /* school officer */ p(Permission::kOrgRead) | p(Permission::kSchoolRead) | p(Permission::kStudentRead) |
        p(Permission::kStudentReveal) | p(Permission::kStudentImport) | p(Permission::kCycleRead) |
        p(Permission::kApplicationRead) | p(Permission::kApplicationWrite) | p(Permission::kIdentifyRun) |
        p(Permission::kReviewDecide) | p(Permission::kFollowupWrite) | p(Permission::kFeedbackManage) |
        p(Permission::kFundsSchoolPay),
    /* reviewer */ p(Permission::kOrgRead) | p(Permission::kSchoolRead) | p(Permission::kStudentRead) |
        p(Permission::kCycleRead) | p(Permission::kApplicationRead) | p(Permission::kReviewVote),
    /* guardian */ p(Permission::kGuardianSelf),
};

}  // namespace

std::string_view role_key(Role role) { return kRoles[static_cast<size_t>(role)].key; }
std::string_view role_label(Role role) { return kRoles[static_cast<size_t>(role)].label; }

std::optional<Role> parse_role(std::string_view key) {
  for (const RoleInfo& info : kRoles) {
    if (info.key == key) return info.role;
  }
  return std::nullopt;
}

std::vector<Role> RoleSet::list() const {
  std::vector<Role> out;
  for (const RoleInfo& info : kRoles) {
    if (has(info.role)) out.push_back(info.role);
  }
  return out;
}

std::string_view permission_key(Permission permission) {
  return kPermissionKeys[static_cast<size_t>(permission)];
}

std::optional<Permission> parse_permission(std::string_view key) {
  for (size_t i = 0; i < kPermissionKeys.size(); ++i) {
    if (kPermissionKeys[i] == key) return static_cast<Permission>(i);
  }
  return std::nullopt;
}

bool role_grants(Role role, Permission permission) {
  return (kGrants[static_cast<size_t>(role)] & p(permission)) != 0;
}

bool roles_grant(RoleSet roles, Permission permission) {
  for (const RoleInfo& info : kRoles) {
    if (roles.has(info.role) && role_grants(info.role, permission)) return true;
  }
  return false;
}

bool needs_second_factor(RoleSet roles) {
  return roles.has(Role::kSysadmin) || roles.has(Role::kAuditor) || roles.has(Role::kCountyOfficer) ||
         roles.has(Role::kFinance);
}

Result<void> check_role_assignment(RoleSet roles, store::OrgKind kind) {
  if (roles.empty()) return fail("ROLE_CONFLICT", "用户至少需要一个角色");
  if (roles.has(Role::kSysadmin) && roles.has(Role::kAuditor)) {
    return fail("ROLE_CONFLICT", "系统管理员不能同时担任安全审计员（职责分离）");
  }
  if (roles.has(Role::kGuardian) && roles.list().size() > 1) {
    return fail("ROLE_CONFLICT", "监护人账号不能同时担任工作人员角色");
  }
  const bool at_school = kind == store::OrgKind::kSchool;
  if ((roles.has(Role::kCountyOfficer) || roles.has(Role::kFinance)) && at_school) {
    return fail("ROLE_CONFLICT", "区县资助专干和财务必须属于区县或以上机构，不能属于学校");
  }
  if ((roles.has(Role::kSchoolOfficer) || roles.has(Role::kReviewer)) && !at_school) {
    return fail("ROLE_CONFLICT", "学校资助专干和评审小组成员必须属于某一所学校");
  }
  // A school officer sits at a school node and a county officer above it, so
  // one account can never both prepare and file a school's list (aid-cycle.md).
  return {};
}

}  // namespace zizhu::app

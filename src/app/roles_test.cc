#include "app/roles.h"

#include <gtest/gtest.h>

namespace zizhu::app {
namespace {

RoleSet of(std::initializer_list<Role> roles) {
  RoleSet set;
  for (Role r : roles) set.add(r);
  return set;
}

TEST(Roles, KeysRoundTrip) {
  for (int i = 0; i < kRoleCount; ++i) {
    const auto role = static_cast<Role>(i);
    EXPECT_EQ(parse_role(role_key(role)), role);
  }
  for (int i = 0; i < kPermissionCount; ++i) {
    const auto permission = static_cast<Permission>(i);
    EXPECT_EQ(parse_permission(permission_key(permission)), permission);
  }
  EXPECT_FALSE(parse_role("root").has_value());
}

TEST(Roles, SysadminSeesNoStudentData) {
  EXPECT_FALSE(role_grants(Role::kSysadmin, Permission::kStudentRead));
  EXPECT_FALSE(role_grants(Role::kSysadmin, Permission::kStudentReveal));
  EXPECT_TRUE(role_grants(Role::kSysadmin, Permission::kUserWrite));
}

TEST(Roles, AuditorChangesNothing) {
  for (Permission w : {Permission::kOrgWrite, Permission::kUserWrite, Permission::kStudentImport,
                       Permission::kApiTokenManage, Permission::kStudentReveal}) {
    EXPECT_FALSE(role_grants(Role::kAuditor, w)) << permission_key(w);
  }
  EXPECT_TRUE(role_grants(Role::kAuditor, Permission::kAuditRead));
}

TEST(Roles, SeparationOfDuties) {
  EXPECT_FALSE(check_role_assignment(of({Role::kSysadmin, Role::kAuditor}), store::OrgKind::kCounty));
  EXPECT_FALSE(check_role_assignment(of({Role::kCountyOfficer}), store::OrgKind::kSchool));
  EXPECT_FALSE(check_role_assignment(of({Role::kSchoolOfficer}), store::OrgKind::kCounty));
  EXPECT_FALSE(check_role_assignment(of({Role::kGuardian, Role::kReviewer}), store::OrgKind::kSchool));
  EXPECT_FALSE(check_role_assignment(RoleSet{}, store::OrgKind::kCounty));
  EXPECT_TRUE(check_role_assignment(of({Role::kCountyOfficer, Role::kFinance}), store::OrgKind::kCounty));
  EXPECT_TRUE(check_role_assignment(of({Role::kSchoolOfficer, Role::kReviewer}), store::OrgKind::kSchool));
}

TEST(Roles, SecondFactorRoles) {
  EXPECT_TRUE(needs_second_factor(of({Role::kFinance})));
  EXPECT_TRUE(needs_second_factor(of({Role::kAuditor})));
  EXPECT_FALSE(needs_second_factor(of({Role::kSchoolOfficer, Role::kReviewer})));
  EXPECT_FALSE(needs_second_factor(of({Role::kGuardian})));
}

}  // namespace
}  // namespace zizhu::app

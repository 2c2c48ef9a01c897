#include "core/error.h"

#include <gtest/gtest.h>

namespace zizhu {
namespace {

TEST(Error, DescribeNamesFileRowAndColumn) {
  Error e = Error::make("BAD_DATE", "cannot read date '2026-02-30'", {"students.csv", 7, "出生日期"});
  EXPECT_EQ(e.describe(), "students.csv:7: column '出生日期': cannot read date '2026-02-30'");
}

TEST(Error, DescribeWithoutLocation) {
  EXPECT_EQ(Error::make("IO", "disk full").describe(), "disk full");
}

TEST(Error, ResultCarriesError) {
  Result<int> r = fail("POLICY", "missing key", {"p.toml", 0, "school_year"});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "POLICY");
  EXPECT_EQ(r.error().describe(), "p.toml: column 'school_year': missing key");
}

}  // namespace
}  // namespace zizhu

#include "core/code_list.h"

#include <gtest/gtest.h>

namespace zizhu {
namespace {

TEST(CodeList, JoinAndSplitRoundTrip) {
  EXPECT_EQ(join_codes({}), "");
  EXPECT_EQ(join_codes({"DIBAO"}), "DIBAO");
  EXPECT_EQ(join_codes({"DIBAO", "ORPHAN"}), "DIBAO;ORPHAN");
  EXPECT_TRUE(split_codes("").empty());
  EXPECT_EQ(split_codes("DIBAO;ORPHAN"), (std::vector<std::string>{"DIBAO", "ORPHAN"}));
  for (const std::vector<std::string>& codes : {std::vector<std::string>{"A"}, {"ID_INVALID", "NOT_ENROLLED", "X"}}) {
    EXPECT_EQ(split_codes(join_codes(codes)), codes);
  }
}

}  // namespace
}  // namespace zizhu

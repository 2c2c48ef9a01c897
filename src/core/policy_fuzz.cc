// libFuzzer target for the policy loader: any bytes give a policy or a POLICY
// error, never an exception or a crash, and an accepted policy keeps its
// invariants (levels ascend, brackets strictly ascend, min_level names a level).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = zizhu::parse_policy(text, "fuzz.toml");
  if (!policy) {
    if (policy.error().code != "POLICY") std::abort();
    return 0;
  }
  const zizhu::Policy& p = *policy;
  for (size_t i = 1; i < p.levels.size(); ++i) {
    if (!(p.levels[i - 1].number < p.levels[i].number)) std::abort();
  }
  for (size_t i = 1; i < p.income_brackets.size(); ++i) {
    if (!(p.income_brackets[i - 1].below < p.income_brackets[i].below)) std::abort();
  }
  for (const auto& c : p.categories) {
    if (c.min_level && p.level_index(*c.min_level) < 0) std::abort();
    if (p.category_index(c.code) < 0 || p.category_index(c.name) < 0) std::abort();
  }
  for (const auto& level : p.levels) {
    if (level.amount.value() < 0) std::abort();
  }
  for (const auto& flag : p.checks.blocking) {
    if (!zizhu::is_flag_code(flag)) std::abort();
  }
  return 0;
}

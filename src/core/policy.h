// The identification policy (identify.md "The policy"; data/policy-default.toml):
// loaded from TOML and validated in full before any run starts, so that a bad
// policy stops the run with one message naming the file and the key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/fen.h"

namespace zizhu {

enum class MatchRule : uint8_t { kStudent, kHousehold };

// Per stage (primary: grades 1-6, junior: 7-9) and boarding status; each
// optional, the level's `amount` applies where one is not given.
struct LevelAmounts {
  std::optional<Fen> primary_day, primary_boarding, junior_day, junior_boarding;
};

struct PolicyLevel {
  int number = 0;  // `level`: the smallest number is the best level
  std::string name;
  int min_score = 0;
  Fen amount;  // annual aid
  LevelAmounts amounts;
};

struct PolicyCategory {
  std::string code;
  std::string name;
  MatchRule match = MatchRule::kStudent;
  int points = 0;
  std::optional<int> min_level;  // a level number that names a level
};

struct IncomeBracket {
  Fen below;  // per-capita annual household income, strictly ascending
  int points = 0;
};

struct PolicyFactors {
  int serious_illness = 0, sudden_hardship = 0, single_parent = 0, siblings_in_school = 0, siblings_min = 0;
};

struct PolicyChecks {
  int age_grade_tolerance = 0;
  int shared_bank_card_max_households = 0;
  std::vector<std::string> blocking;  // flag codes, each one of kFlagCodes
};

struct Policy {
  std::string school_year;  // as written, compared as text with history rows
  Date reference_date;
  bool direct_identification = false;
  std::vector<PolicyLevel> levels;         // sorted by number ascending (best first)
  std::vector<PolicyCategory> categories;  // in file (priority) order
  std::vector<IncomeBracket> income_brackets;  // in file order
  PolicyFactors factors;
  PolicyChecks checks;
  bool allow_downgrade = false;

  // Lookups used by the engine.
  int level_index(int number) const;  // index into levels, -1 if none
  // By code or by name, exact (with regard to case); -1 if none. Codes and
  // names are unique and no name equals another category's code, so at most
  // one category answers.
  int category_index(std::string_view code_or_name) const;
  // The stage/boarding amount where the level gives one, else its amount.
  Fen amount_for(int level_index, bool junior, bool boarding) const;
  bool is_blocking(std::string_view flag_code) const;
};

// A policy file is small; a larger one is refused rather than read.
inline constexpr size_t kPolicyMaxBytes = 1 << 20;

// Reads and validates a policy file. Errors: code "IO" when the file cannot be
// read, else "POLICY", with a message naming the file and the key (in Chinese,
// with the English reason) and where = {file, line (TOML syntax errors only), key}.
Result<Policy> load_policy(const std::string& path);
Result<Policy> parse_policy(std::string_view toml_text, const std::string& name);

// Every flag code of identify.md's Flags table, in the table's order.
extern const std::vector<std::string_view> kFlagCodes;
bool is_flag_code(std::string_view code);

}  // namespace zizhu

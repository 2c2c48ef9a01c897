#include "core/policy.h"

#include <string>

#include <gtest/gtest.h>

namespace zizhu {
namespace {

const std::string kSourceDir = ZIZHU_SOURCE_DIR;

// A small valid policy; each refusal test changes one thing in it.
const std::string kBase = R"(school_year = "2026-2027"
reference_date = 2026-09-01
direct_identification = true

[[level]]
level = 1
name = "一级"
min_score = 70
amount = 2000

[[level]]
level = 2
name = "二级"
min_score = 45
amount = 1500

[[category]]
code = "POVERTY"
name = "脱贫家庭"
match = "household"
points = 40
min_level = 2

[[category]]
code = "ORPHAN"
name = "孤儿"
match = "student"
points = 60

[[income_bracket]]
below = 4000
points = 40

[[income_bracket]]
below = 8000
points = 25

[factors]
serious_illness = 15
sudden_hardship = 15
single_parent = 10
siblings_in_school = 5
siblings_min = 2

[checks]
age_grade_tolerance = 2
shared_bank_card_max_households = 3
blocking = ["ID_INVALID", "NOT_ENROLLED"]

[allocation]
allow_downgrade = true
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

Policy ok(const std::string& text) {
  auto got = parse_policy(text, "p.toml");
  EXPECT_TRUE(got.has_value()) << (got ? "" : got.error().message);
  return got ? *got : Policy{};
}

// The policy is refused with code POLICY, naming the file and the key.
void refused(const std::string& text, const std::string& key) {
  auto got = parse_policy(text, "p.toml");
  ASSERT_FALSE(got.has_value()) << "accepted, expected refusal at " << key;
  const Error& e = got.error();
  EXPECT_EQ(e.code, "POLICY");
  EXPECT_EQ(e.where.file, "p.toml");
  EXPECT_EQ(e.where.column, key) << e.message;
  EXPECT_NE(e.message.find("p.toml"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find(key), std::string::npos) << e.message;
}

TEST(Policy, BaseIsValid) {
  const Policy p = ok(kBase);
  EXPECT_EQ(p.levels.size(), 2u);
  EXPECT_EQ(p.categories.size(), 2u);
}

TEST(Policy, DefaultFileLoadsWithExactValues) {
  for (const std::string& path : {kSourceDir + "/data/policy-default.toml",
                                 std::string(ZIZHU_SPEC_DIR) + "/policy-default.toml"}) {
    auto got = load_policy(path);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    const Policy& p = *got;
    EXPECT_EQ(p.school_year, "2026-2027");
    EXPECT_EQ(p.reference_date, *Date::from_ymd(2026, 9, 1));
    EXPECT_TRUE(p.direct_identification);
    ASSERT_EQ(p.levels.size(), 3u);
    EXPECT_EQ(p.levels[0].number, 1);
    EXPECT_EQ(p.levels[0].name, "一级（特别困难）");
    EXPECT_EQ(p.levels[0].min_score, 70);
    EXPECT_EQ(p.levels[0].amount.value(), 200000);
    EXPECT_EQ(p.levels[1].number, 2);
    EXPECT_EQ(p.levels[1].name, "二级（比较困难）");
    EXPECT_EQ(p.levels[1].min_score, 45);
    EXPECT_EQ(p.levels[1].amount.value(), 150000);
    EXPECT_EQ(p.levels[2].number, 3);
    EXPECT_EQ(p.levels[2].name, "三级（一般困难）");
    EXPECT_EQ(p.levels[2].min_score, 25);
    EXPECT_EQ(p.levels[2].amount.value(), 100000);
    for (const auto& level : p.levels) {
      EXPECT_FALSE(level.amounts.primary_day || level.amounts.primary_boarding || level.amounts.junior_day ||
                   level.amounts.junior_boarding);
    }
    struct Cat {
      const char* code;
      const char* name;
      MatchRule match;
      int points;
      int min_level;
    };
    const Cat cats[] = {
        {"POVERTY", "脱贫家庭（原建档立卡）", MatchRule::kHousehold, 40, 2},
        {"ORPHAN", "孤儿", MatchRule::kStudent, 60, 1},
        {"UNSUPPORTED", "事实无人抚养儿童", MatchRule::kStudent, 60, 1},
        {"DISABLED", "残疾学生", MatchRule::kStudent, 40, 2},
        {"DIBAO", "城乡低保家庭", MatchRule::kHousehold, 40, 2},
        {"DESTITUTE", "特困供养", MatchRule::kHousehold, 60, 1},
        {"MARTYR", "烈士子女、优抚对象家庭", MatchRule::kHousehold, 30, 3},
    };
    ASSERT_EQ(p.categories.size(), std::size(cats));
    for (size_t i = 0; i < std::size(cats); ++i) {
      EXPECT_EQ(p.categories[i].code, cats[i].code);
      EXPECT_EQ(p.categories[i].name, cats[i].name);
      EXPECT_EQ(p.categories[i].match, cats[i].match) << i;
      EXPECT_EQ(p.categories[i].points, cats[i].points) << i;
      EXPECT_EQ(p.categories[i].min_level, cats[i].min_level) << i;
    }
    ASSERT_EQ(p.income_brackets.size(), 3u);
    EXPECT_EQ(p.income_brackets[0].below.value(), 400000);
    EXPECT_EQ(p.income_brackets[0].points, 40);
    EXPECT_EQ(p.income_brackets[1].below.value(), 800000);
    EXPECT_EQ(p.income_brackets[1].points, 25);
    EXPECT_EQ(p.income_brackets[2].below.value(), 1200000);
    EXPECT_EQ(p.income_brackets[2].points, 10);
    EXPECT_EQ(p.factors.serious_illness, 15);
    EXPECT_EQ(p.factors.sudden_hardship, 15);
    EXPECT_EQ(p.factors.single_parent, 10);
    EXPECT_EQ(p.factors.siblings_in_school, 5);
    EXPECT_EQ(p.factors.siblings_min, 2);
    EXPECT_EQ(p.checks.age_grade_tolerance, 2);
    EXPECT_EQ(p.checks.shared_bank_card_max_households, 3);
    EXPECT_EQ(p.checks.blocking,
              (std::vector<std::string>{"ID_INVALID", "ID_MISMATCH", "DUP_ENROLLMENT", "DUP_FUNDING", "NOT_ENROLLED"}));
    EXPECT_TRUE(p.allow_downgrade);
    // Lookups.
    EXPECT_EQ(p.level_index(3), 2);
    EXPECT_EQ(p.level_index(4), -1);
    EXPECT_EQ(p.category_index("DIBAO"), 4);
    EXPECT_EQ(p.category_index("城乡低保家庭"), 4);
    EXPECT_EQ(p.category_index("dibao"), -1);
    EXPECT_EQ(p.amount_for(1, true, true).value(), 150000);
    EXPECT_TRUE(p.is_blocking("DUP_FUNDING"));
    EXPECT_FALSE(p.is_blocking("AGE_GRADE"));
  }
}

TEST(Policy, MissingFileIsIo) {
  auto got = load_policy("/nonexistent/policy.toml");
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, "IO");
  EXPECT_NE(got.error().message.find("/nonexistent/policy.toml"), std::string::npos);
}

// Removes one line of the base text (the first with exactly this content).
std::string without(const std::string& line) { return replaced(kBase, line + "\n", ""); }

// Cuts the base text from the first `from` up to (not including) `to`.
std::string cut(const std::string& from, const std::string& to) {
  std::string text = kBase;
  const size_t a = text.find(from);
  const size_t b = text.find(to, a);
  EXPECT_NE(a, std::string::npos);
  EXPECT_NE(b, std::string::npos);
  text.erase(a, b - a);
  return text;
}

TEST(Policy, RefusesEveryMissingRequiredKey) {
  refused(without("school_year = \"2026-2027\""), "school_year");
  refused(without("reference_date = 2026-09-01"), "reference_date");
  refused(without("direct_identification = true"), "direct_identification");
  refused(cut("[[level]]", "[[category]]"), "level");
  refused(without("level = 2"), "level[2].level");
  refused(without("name = \"二级\""), "level[2].name");
  refused(without("min_score = 70"), "level[1].min_score");
  refused(cut("[[category]]", "[[income_bracket]]"), "category");
  refused(without("code = \"ORPHAN\""), "category[2].code");
  refused(without("name = \"孤儿\""), "category[2].name");
  refused(without("match = \"student\""), "category[2].match");
  refused(without("points = 60"), "category[2].points");
  refused(cut("[[income_bracket]]", "[factors]"), "income_bracket");
  refused(without("below = 8000"), "income_bracket[2].below");
  refused(without("points = 25"), "income_bracket[2].points");
  refused(cut("[factors]", "[checks]"), "factors");
  refused(without("serious_illness = 15"), "factors.serious_illness");
  refused(without("sudden_hardship = 15"), "factors.sudden_hardship");
  refused(without("single_parent = 10"), "factors.single_parent");
  refused(without("siblings_in_school = 5"), "factors.siblings_in_school");
  refused(without("siblings_min = 2"), "factors.siblings_min");
  refused(cut("[checks]", "[allocation]"), "checks");
  refused(without("age_grade_tolerance = 2"), "checks.age_grade_tolerance");
  refused(without("shared_bank_card_max_households = 3"), "checks.shared_bank_card_max_households");
  refused(without("blocking = [\"ID_INVALID\", \"NOT_ENROLLED\"]"), "checks.blocking");
  refused(replaced(kBase, "[allocation]\nallow_downgrade = true\n", ""), "allocation");
  refused(without("allow_downgrade = true"), "allocation.allow_downgrade");
}

TEST(Policy, RefusesALevelWithoutAnAmount) {
  refused(without("amount = 1500"), "level[2].amount");
  // Stage amounts do not stand in for the level's own amount.
  refused(replaced(kBase, "amount = 1500\n", "[level.amounts]\nprimary_day = 1000\nprimary_boarding = 1200\n"
                                             "junior_day = 1300\njunior_boarding = 1500\n"),
          "level[2].amount");
}

TEST(Policy, RefusesDuplicateLevelNumbers) {
  refused(replaced(kBase, "level = 2\n", "level = 1\n"), "level[2].level");
}

TEST(Policy, RefusesDuplicateCategoryCode) {
  refused(replaced(kBase, "code = \"ORPHAN\"", "code = \"POVERTY\""), "category[2].code");
}

TEST(Policy, RefusesDuplicateCategoryName) {
  refused(replaced(kBase, "name = \"孤儿\"", "name = \"脱贫家庭\""), "category[2].name");
}

TEST(Policy, RefusesANameEqualToAnotherCategorysCode) {
  refused(replaced(kBase, "name = \"孤儿\"", "name = \"POVERTY\""), "category[2].name");
  refused(replaced(kBase, "code = \"ORPHAN\"", "code = \"脱贫家庭\""), "category[2].code");
  // A category whose name is its own code is fine.
  const Policy p = ok(replaced(kBase, "name = \"孤儿\"", "name = \"ORPHAN\""));
  EXPECT_EQ(p.category_index("ORPHAN"), 1);
}

TEST(Policy, RefusesAMinLevelNamingNoLevel) {
  refused(replaced(kBase, "min_level = 2", "min_level = 3"), "category[1].min_level");
  refused(replaced(kBase, "min_level = 2", "min_level = \"2\""), "category[1].min_level");
}

TEST(Policy, RefusesIncomeBracketsNotStrictlyAscending) {
  refused(replaced(kBase, "below = 8000", "below = 4000"), "income_bracket[2].below");
  refused(replaced(kBase, "below = 8000", "below = 3999.99"), "income_bracket[2].below");
  EXPECT_EQ(ok(replaced(kBase, "below = 8000", "below = 4000.01")).income_brackets[1].below.value(), 400001);
}

TEST(Policy, RefusesAnUnknownBlockingFlag) {
  refused(replaced(kBase, "\"NOT_ENROLLED\"]", "\"NOT_ENROLED\"]"), "checks.blocking[2]");
  refused(replaced(kBase, "\"NOT_ENROLLED\"]", "\"not_enrolled\"]"), "checks.blocking[2]");
  refused(replaced(kBase, "\"NOT_ENROLLED\"]", "3]"), "checks.blocking[2]");
  // Every flag of the Flags table may block.
  std::string all = "blocking = [";
  for (std::string_view code : kFlagCodes) all += "\"" + std::string(code) + "\",";
  all += "]";
  EXPECT_EQ(ok(replaced(kBase, "blocking = [\"ID_INVALID\", \"NOT_ENROLLED\"]", all)).checks.blocking.size(), 13u);
  EXPECT_EQ(ok(replaced(kBase, "blocking = [\"ID_INVALID\", \"NOT_ENROLLED\"]", "blocking = []")).checks.blocking.size(),
            0u);
}

TEST(Policy, RefusesWrongTypes) {
  refused(replaced(kBase, "school_year = \"2026-2027\"", "school_year = 2026"), "school_year");
  refused(replaced(kBase, "reference_date = 2026-09-01", "reference_date = 20260901"), "reference_date");
  refused(replaced(kBase, "reference_date = 2026-09-01", "reference_date = 2026-09-01T00:00:00"), "reference_date");
  refused(replaced(kBase, "reference_date = 2026-09-01", "reference_date = \"2026/09/01\""), "reference_date");
  refused(replaced(kBase, "reference_date = 2026-09-01", "reference_date = \"2026-02-30\""), "reference_date");
  refused(replaced(kBase, "direct_identification = true", "direct_identification = \"true\""),
          "direct_identification");
  refused(replaced(kBase, "direct_identification = true", "direct_identification = 1"), "direct_identification");
  refused(replaced(kBase, "min_score = 70", "min_score = 70.0"), "level[1].min_score");
  refused(replaced(kBase, "min_score = 70", "min_score = \"70\""), "level[1].min_score");
  refused(replaced(kBase, "min_score = 70", "min_score = 3000000000"), "level[1].min_score");
  refused(replaced(kBase, "level = 1\n", "level = \"1\"\n"), "level[1].level");
  refused(replaced(kBase, "name = \"一级\"", "name = 1"), "level[1].name");
  refused(replaced(kBase, "amount = 2000", "amount = true"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = 2000\namounts = 5"), "level[1].amounts");
  refused(replaced(kBase, "points = 40\nmin_level", "points = \"40\"\nmin_level"), "category[1].points");
  refused(replaced(kBase, "siblings_min = 2", "siblings_min = [2]"), "factors.siblings_min");
  refused(replaced(kBase, "blocking = [\"ID_INVALID\", \"NOT_ENROLLED\"]", "blocking = \"ID_INVALID\""),
          "checks.blocking");
  refused(replaced(kBase, "allow_downgrade = true", "allow_downgrade = \"yes\""), "allocation.allow_downgrade");
  refused(replaced(kBase, "[factors]\n", "factors = 1\n[xfactors]\n"), "factors");
  refused("school_year = \"2026-2027\"\nreference_date = 2026-09-01\ndirect_identification = true\nlevel = 1\n",
          "level");
  refused("school_year = \"2026-2027\"\nreference_date = 2026-09-01\ndirect_identification = true\nlevel = [1]\n",
          "level[1]");
}

TEST(Policy, RefusesAMatchOtherThanStudentOrHousehold) {
  refused(replaced(kBase, "match = \"student\"", "match = \"Student\""), "category[2].match");
  refused(replaced(kBase, "match = \"student\"", "match = \"family\""), "category[2].match");
  refused(replaced(kBase, "match = \"student\"", "match = 1"), "category[2].match");
  EXPECT_EQ(ok(kBase).categories[0].match, MatchRule::kHousehold);
  EXPECT_EQ(ok(kBase).categories[1].match, MatchRule::kStudent);
}

TEST(Policy, MoneyForms) {
  auto amount = [](const std::string& spelled) {
    return ok(replaced(kBase, "amount = 2000", "amount = " + spelled)).levels[0].amount.value();
  };
  EXPECT_EQ(amount("1500.5"), 150050);
  EXPECT_EQ(amount("1500.50"), 150050);
  EXPECT_EQ(amount("0.1"), 10);
  EXPECT_EQ(amount("0.29"), 29);  // 0.29 is not exact in binary; the decimal text is
  EXPECT_EQ(amount("1234567.89"), 123456789);
  EXPECT_EQ(amount("200000.0"), 20000000);
  EXPECT_EQ(amount("1e3"), 100000);
  EXPECT_EQ(amount("0"), 0);
  EXPECT_EQ(amount("0.0"), 0);
  EXPECT_EQ(amount("\"1500.50\""), 150050);
  EXPECT_EQ(amount("\"1,500.50\""), 150050);
  EXPECT_EQ(amount("1_500"), 150000);
  refused(replaced(kBase, "amount = 2000", "amount = 1500.505"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = -1"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = -0.5"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = -0.0"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = inf"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = nan"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = 1e300"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = 9223372036854775807"), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = \"1500.505\""), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = \"-5\""), "level[1].amount");
  refused(replaced(kBase, "amount = 2000", "amount = \"\""), "level[1].amount");
  refused(replaced(kBase, "below = 4000", "below = 4000.001"), "income_bracket[1].below");
}

TEST(Policy, StageAmounts) {
  const Policy p = ok(replaced(kBase, "amount = 1500\n",
                               "amount = 1500\n[level.amounts]\nprimary_boarding = 1750.5\njunior_day = \"1,600\"\n"
                               "unknown = 1\n"));
  const int i = p.level_index(2);
  ASSERT_EQ(i, 1);
  EXPECT_EQ(p.amount_for(i, false, false).value(), 150000);
  EXPECT_EQ(p.amount_for(i, false, true).value(), 175050);
  EXPECT_EQ(p.amount_for(i, true, false).value(), 160000);
  EXPECT_EQ(p.amount_for(i, true, true).value(), 150000);
  refused(replaced(kBase, "amount = 1500\n", "amount = 1500\n[level.amounts]\njunior_boarding = -3\n"),
          "level[2].amounts.junior_boarding");
}

TEST(Policy, LevelsSortedByNumber) {
  // Levels are numbered freely and taken in number order, whatever the file order.
  const Policy p = ok(replaced(replaced(kBase, "level = 1\n", "level = 7\n"), "min_level = 2", "min_level = 7"));
  ASSERT_EQ(p.levels.size(), 2u);
  EXPECT_EQ(p.levels[0].number, 2);
  EXPECT_EQ(p.levels[1].number, 7);
  EXPECT_EQ(p.levels[1].name, "一级");
  EXPECT_EQ(p.level_index(7), 1);
}

TEST(Policy, UnknownKeysIgnored) {
  const Policy p = ok("title = \"x\"\n" + replaced(kBase, "[factors]\n", "[factors]\nextra = \"y\"\n") +
                      "[more]\nanything = [1, 2]\n[[extra_block]]\nlevel = \"x\"\n");
  EXPECT_EQ(p.levels.size(), 2u);
}

TEST(Policy, OptionalKeys) {
  const Policy p = ok(kBase);
  EXPECT_EQ(p.categories[0].min_level, 2);
  EXPECT_FALSE(p.categories[1].min_level.has_value());
  EXPECT_FALSE(p.levels[0].amounts.primary_day.has_value());
}

TEST(Policy, DateAsString) {
  const Policy p = ok(replaced(kBase, "reference_date = 2026-09-01", "reference_date = \"2026-03-15\""));
  EXPECT_EQ(p.reference_date, *Date::from_ymd(2026, 3, 15));
}

TEST(Policy, TomlSyntaxErrorsNameLineAndColumn) {
  auto got = parse_policy("school_year = \"2026-2027\"\nreference_date = \n", "bad.toml");
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code, "POLICY");
  EXPECT_EQ(got.error().where.row, 2);
  EXPECT_NE(got.error().message.find("bad.toml:2:"), std::string::npos) << got.error().message;
  EXPECT_NE(got.error().message.find("line 2, column"), std::string::npos) << got.error().message;
  // A key given twice is a TOML error too.
  auto twice = parse_policy("school_year = \"x\"\n" + kBase, "bad.toml");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, "POLICY");
  // Bytes that are not UTF-8 are refused, not thrown.
  EXPECT_FALSE(parse_policy("a = \"\xff\"\n", "bad.toml").has_value());
  EXPECT_FALSE(parse_policy(std::string("a = 1\0b", 7), "bad.toml").has_value());
}

TEST(Policy, FlagCodes) {
  EXPECT_EQ(kFlagCodes.size(), 13u);
  EXPECT_TRUE(is_flag_code("SHARED_BANK_CARD"));
  EXPECT_FALSE(is_flag_code("shared_bank_card"));
}

}  // namespace
}  // namespace zizhu

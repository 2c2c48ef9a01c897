#include "core/policy.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <exception>
#include <fstream>
#include <limits>
#include <system_error>
#include <utility>

#include <toml++/toml.h>

namespace zizhu {

const std::vector<std::string_view> kFlagCodes = {
    "ID_INVALID",     "ID_MISMATCH",      "DUP_ENROLLMENT",   "DUP_FUNDING", "NOT_ENROLLED",
    "GENDER_MISMATCH", "AGE_GRADE",       "BANK_CARD_LUHN",   "SHARED_BANK_CARD",
    "CLAIM_UNVERIFIED", "LIST_EXPIRED",   "DOWNGRADED",       "NO_BUDGET",
};

bool is_flag_code(std::string_view code) {
  return std::find(kFlagCodes.begin(), kFlagCodes.end(), code) != kFlagCodes.end();
}

int Policy::level_index(int number) const {
  for (size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].number == number) return static_cast<int>(i);
  }
  return -1;
}

int Policy::category_index(std::string_view code_or_name) const {
  for (size_t i = 0; i < categories.size(); ++i) {
    if (categories[i].code == code_or_name || categories[i].name == code_or_name) return static_cast<int>(i);
  }
  return -1;
}

Fen Policy::amount_for(int index, bool junior, bool boarding) const {
  const PolicyLevel& level = levels.at(static_cast<size_t>(index));
  const LevelAmounts& a = level.amounts;
  const std::optional<Fen>& specific =
      junior ? (boarding ? a.junior_boarding : a.junior_day) : (boarding ? a.primary_boarding : a.primary_day);
  return specific.value_or(level.amount);
}

bool Policy::is_blocking(std::string_view flag_code) const {
  return std::find(checks.blocking.begin(), checks.blocking.end(), flag_code) != checks.blocking.end();
}

namespace {

// Builds the key paths used in messages: `level[2].amount` (1-based, as an
// aid officer counts the [[level]] blocks of the file).
std::string item_path(std::string_view array, size_t index) {
  return std::string(array) + "[" + std::to_string(index + 1) + "]";
}

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

class PolicyReader {
 public:
  explicit PolicyReader(const std::string& file) : file_(file) {}

  tl::unexpected<Error> refuse(const std::string& key, std::string_view zh, std::string_view en) const {
    std::string msg = file_ + ": " + key + ": " + std::string(zh) + " (" + std::string(en) + ")";
    return fail("POLICY", std::move(msg), Location{file_, 0, key});
  }

  Result<const toml::node*> required(const toml::table& t, std::string_view key, const std::string& path) const {
    const toml::node* n = t.get(key);
    if (n == nullptr) return refuse(path, "缺少必填项", "missing key");
    return n;
  }

  Result<int> to_int(const toml::node& n, const std::string& path) const {
    const auto* v = n.as_integer();
    if (v == nullptr) return refuse(path, "应为整数", "wrong type: integer expected");
    const int64_t x = v->get();
    if (x < std::numeric_limits<int>::min() || x > std::numeric_limits<int>::max()) {
      return refuse(path, "整数超出范围", "integer out of range");
    }
    return static_cast<int>(x);
  }

  Result<int> get_int(const toml::table& t, std::string_view key, const std::string& parent) const {
    const std::string path = child_path(parent, key);
    auto n = required(t, key, path);
    if (!n) return tl::unexpected(n.error());
    return to_int(**n, path);
  }

  Result<bool> get_bool(const toml::table& t, std::string_view key, const std::string& parent) const {
    const std::string path = child_path(parent, key);
    auto n = required(t, key, path);
    if (!n) return tl::unexpected(n.error());
    const auto* v = (*n)->as_boolean();
    if (v == nullptr) return refuse(path, "应为 true 或 false", "wrong type: boolean expected");
    return v->get();
  }

  Result<std::string> get_string(const toml::table& t, std::string_view key, const std::string& parent) const {
    const std::string path = child_path(parent, key);
    auto n = required(t, key, path);
    if (!n) return tl::unexpected(n.error());
    const auto* v = (*n)->as_string();
    if (v == nullptr) return refuse(path, "应为字符串", "wrong type: string expected");
    return v->get();
  }

  Result<const toml::table*> get_table(const toml::table& t, std::string_view key, const std::string& parent) const {
    const std::string path = child_path(parent, key);
    auto n = required(t, key, path);
    if (!n) return tl::unexpected(n.error());
    const auto* v = (*n)->as_table();
    if (v == nullptr) return refuse(path, "应为表", "wrong type: table expected");
    return v;
  }

  Result<const toml::array*> get_array(const toml::table& t, std::string_view key, const std::string& parent) const {
    const std::string path = child_path(parent, key);
    auto n = required(t, key, path);
    if (!n) return tl::unexpected(n.error());
    const auto* v = (*n)->as_array();
    if (v == nullptr) return refuse(path, "应为数组", "wrong type: array expected");
    return v;
  }

  // An array of tables ([[level]] blocks); each element must be a table.
  Result<std::vector<const toml::table*>> get_tables(const toml::table& t, std::string_view key) const {
    auto arr = get_array(t, key, "");
    if (!arr) return tl::unexpected(arr.error());
    std::vector<const toml::table*> out;
    for (size_t i = 0; i < (*arr)->size(); ++i) {
      const auto* item = (*arr)->get(i)->as_table();
      if (item == nullptr) return refuse(item_path(key, i), "应为表", "wrong type: table expected");
      out.push_back(item);
    }
    return out;
  }

  // Money: >= 0 yuan with at most two fraction digits, as a TOML integer, a
  // float or a string. A float is turned into its shortest round-trip decimal
  // text and read like any other yuan text: 1500.5 is 150050 fen exactly,
  // and 1500.505 is refused, with no multiplying of doubles.
  Result<Fen> to_money(const toml::node& n, const std::string& path) const {
    constexpr std::string_view kZh = "金额应为不小于 0、最多两位小数的元数";
    constexpr std::string_view kEn = "money must be yuan >= 0 with at most two decimals";
    if (const auto* i = n.as_integer()) {
      const int64_t yuan = i->get();
      if (yuan < 0) return refuse(path, kZh, kEn);
      auto fen = fen_from_yuan(yuan);
      if (!fen) return refuse(path, "金额过大", "amount too large");
      return *fen;
    }
    if (const auto* f = n.as_floating_point()) {
      const double d = f->get();
      if (!std::isfinite(d) || std::signbit(d)) return refuse(path, kZh, kEn);
      char buf[400];  // fixed notation of the largest double needs 309 digits
      const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
      if (res.ec != std::errc()) return refuse(path, "金额过大", "amount too large");
      auto fen = parse_yuan(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
      if (!fen) return refuse(path, kZh, kEn);
      return *fen;
    }
    if (const auto* s = n.as_string()) {
      auto fen = parse_yuan(s->get());
      if (!fen) return refuse(path, kZh, kEn);
      return *fen;
    }
    return refuse(path, "应为金额（数字或字符串）", "wrong type: money expected");
  }

  Result<Fen> get_money(const toml::table& t, std::string_view key, const std::string& parent) const {
    const std::string path = child_path(parent, key);
    auto n = required(t, key, path);
    if (!n) return tl::unexpected(n.error());
    return to_money(**n, path);
  }

  Result<Date> get_date(const toml::table& t, std::string_view key) const {
    const std::string path(key);
    auto n = required(t, key, path);
    if (!n) return tl::unexpected(n.error());
    if (const auto* d = (*n)->as_date()) {
      const toml::date v = d->get();
      auto date = Date::from_ymd(v.year, v.month, v.day);
      if (!date) return refuse(path, "日期不存在", "not a calendar date");
      return *date;
    }
    if (const auto* s = (*n)->as_string()) {
      const std::string& text = s->get();
      std::optional<Date> date;
      if (text.size() == 10 && text[4] == '-' && text[7] == '-') date = parse_date(text);
      if (!date) return refuse(path, "日期应为 YYYY-MM-DD", "date must be YYYY-MM-DD");
      return *date;
    }
    return refuse(path, "应为日期", "wrong type: date expected");
  }

  Result<Policy> read(const toml::table& root) const;

 private:
  Result<std::vector<PolicyLevel>> read_levels(const toml::table& root) const;
  Result<std::vector<PolicyCategory>> read_categories(const toml::table& root) const;
  Result<std::vector<IncomeBracket>> read_brackets(const toml::table& root) const;
  Result<LevelAmounts> read_amounts(const toml::table& level, const std::string& parent) const;

  const std::string& file_;
};

Result<LevelAmounts> PolicyReader::read_amounts(const toml::table& level, const std::string& parent) const {
  LevelAmounts out;
  const toml::node* n = level.get("amounts");
  if (n == nullptr) return out;
  const std::string path = child_path(parent, "amounts");
  const auto* t = n->as_table();
  if (t == nullptr) return refuse(path, "应为表", "wrong type: table expected");
  const std::pair<std::string_view, std::optional<Fen> LevelAmounts::*> keys[] = {
      {"primary_day", &LevelAmounts::primary_day},
      {"primary_boarding", &LevelAmounts::primary_boarding},
      {"junior_day", &LevelAmounts::junior_day},
      {"junior_boarding", &LevelAmounts::junior_boarding},
  };
  for (const auto& [key, member] : keys) {
    const toml::node* v = t->get(key);
    if (v == nullptr) continue;
    auto fen = to_money(*v, child_path(path, key));
    if (!fen) return tl::unexpected(fen.error());
    out.*member = *fen;
  }
  return out;
}

Result<std::vector<PolicyLevel>> PolicyReader::read_levels(const toml::table& root) const {
  auto tables = get_tables(root, "level");
  if (!tables) return tl::unexpected(tables.error());
  std::vector<PolicyLevel> out;
  for (size_t i = 0; i < tables->size(); ++i) {
    const toml::table& t = *(*tables)[i];
    const std::string path = item_path("level", i);
    PolicyLevel level;
    auto number = get_int(t, "level", path);
    if (!number) return tl::unexpected(number.error());
    level.number = *number;
    for (const PolicyLevel& earlier : out) {
      if (earlier.number == level.number) {
        return refuse(child_path(path, "level"), "等级编号重复", "duplicate level number");
      }
    }
    auto name = get_string(t, "name", path);
    if (!name) return tl::unexpected(name.error());
    level.name = std::move(*name);
    auto min_score = get_int(t, "min_score", path);
    if (!min_score) return tl::unexpected(min_score.error());
    level.min_score = *min_score;
    auto amount = get_money(t, "amount", path);
    if (!amount) return tl::unexpected(amount.error());
    level.amount = *amount;
    auto amounts = read_amounts(t, path);
    if (!amounts) return tl::unexpected(amounts.error());
    level.amounts = *amounts;
    out.push_back(std::move(level));
  }
  std::sort(out.begin(), out.end(), [](const PolicyLevel& a, const PolicyLevel& b) { return a.number < b.number; });
  return out;
}

Result<std::vector<PolicyCategory>> PolicyReader::read_categories(const toml::table& root) const {
  auto tables = get_tables(root, "category");
  if (!tables) return tl::unexpected(tables.error());
  std::vector<PolicyCategory> out;
  for (size_t i = 0; i < tables->size(); ++i) {
    const toml::table& t = *(*tables)[i];
    const std::string path = item_path("category", i);
    PolicyCategory c;
    auto code = get_string(t, "code", path);
    if (!code) return tl::unexpected(code.error());
    c.code = std::move(*code);
    auto name = get_string(t, "name", path);
    if (!name) return tl::unexpected(name.error());
    c.name = std::move(*name);
    // A list names a category by code or by name, so no text may name two.
    for (const PolicyCategory& earlier : out) {
      if (earlier.code == c.code) return refuse(child_path(path, "code"), "类别代码重复", "duplicate category code");
      if (earlier.name == c.code) {
        return refuse(child_path(path, "code"), "类别代码与另一类别的名称相同", "code equals another category's name");
      }
      if (earlier.name == c.name) return refuse(child_path(path, "name"), "类别名称重复", "duplicate category name");
      if (earlier.code == c.name) {
        return refuse(child_path(path, "name"), "类别名称与另一类别的代码相同", "name equals another category's code");
      }
    }
    auto match = get_string(t, "match", path);
    if (!match) return tl::unexpected(match.error());
    if (*match == "student") {
      c.match = MatchRule::kStudent;
    } else if (*match == "household") {
      c.match = MatchRule::kHousehold;
    } else {
      return refuse(child_path(path, "match"), "应为 \"student\" 或 \"household\"",
                    "match must be \"student\" or \"household\"");
    }
    auto points = get_int(t, "points", path);
    if (!points) return tl::unexpected(points.error());
    c.points = *points;
    if (const toml::node* n = t.get("min_level")) {
      auto min_level = to_int(*n, child_path(path, "min_level"));
      if (!min_level) return tl::unexpected(min_level.error());
      c.min_level = *min_level;
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<IncomeBracket>> PolicyReader::read_brackets(const toml::table& root) const {
  auto tables = get_tables(root, "income_bracket");
  if (!tables) return tl::unexpected(tables.error());
  std::vector<IncomeBracket> out;
  for (size_t i = 0; i < tables->size(); ++i) {
    const toml::table& t = *(*tables)[i];
    const std::string path = item_path("income_bracket", i);
    IncomeBracket b;
    auto below = get_money(t, "below", path);
    if (!below) return tl::unexpected(below.error());
    b.below = *below;
    if (!out.empty() && !(out.back().below < b.below)) {
      return refuse(child_path(path, "below"), "收入档次必须严格递增", "income brackets must strictly ascend");
    }
    auto points = get_int(t, "points", path);
    if (!points) return tl::unexpected(points.error());
    b.points = *points;
    out.push_back(b);
  }
  return out;
}

Result<Policy> PolicyReader::read(const toml::table& root) const {
  Policy p;
  auto school_year = get_string(root, "school_year", "");
  if (!school_year) return tl::unexpected(school_year.error());
  p.school_year = std::move(*school_year);
  auto reference_date = get_date(root, "reference_date");
  if (!reference_date) return tl::unexpected(reference_date.error());
  p.reference_date = *reference_date;
  auto direct = get_bool(root, "direct_identification", "");
  if (!direct) return tl::unexpected(direct.error());
  p.direct_identification = *direct;

  auto levels = read_levels(root);
  if (!levels) return tl::unexpected(levels.error());
  p.levels = std::move(*levels);
  auto categories = read_categories(root);
  if (!categories) return tl::unexpected(categories.error());
  p.categories = std::move(*categories);
  for (size_t i = 0; i < p.categories.size(); ++i) {
    const auto& min_level = p.categories[i].min_level;
    if (min_level && p.level_index(*min_level) < 0) {
      return refuse(child_path(item_path("category", i), "min_level"), "没有这个等级", "names no level");
    }
  }
  auto brackets = read_brackets(root);
  if (!brackets) return tl::unexpected(brackets.error());
  p.income_brackets = std::move(*brackets);

  auto factors = get_table(root, "factors", "");
  if (!factors) return tl::unexpected(factors.error());
  const std::pair<std::string_view, int PolicyFactors::*> factor_keys[] = {
      {"serious_illness", &PolicyFactors::serious_illness},
      {"sudden_hardship", &PolicyFactors::sudden_hardship},
      {"single_parent", &PolicyFactors::single_parent},
      {"siblings_in_school", &PolicyFactors::siblings_in_school},
      {"siblings_min", &PolicyFactors::siblings_min},
  };
  for (const auto& [key, member] : factor_keys) {
    auto v = get_int(**factors, key, "factors");
    if (!v) return tl::unexpected(v.error());
    p.factors.*member = *v;
  }

  auto checks = get_table(root, "checks", "");
  if (!checks) return tl::unexpected(checks.error());
  auto tolerance = get_int(**checks, "age_grade_tolerance", "checks");
  if (!tolerance) return tl::unexpected(tolerance.error());
  p.checks.age_grade_tolerance = *tolerance;
  auto max_households = get_int(**checks, "shared_bank_card_max_households", "checks");
  if (!max_households) return tl::unexpected(max_households.error());
  p.checks.shared_bank_card_max_households = *max_households;
  auto blocking = get_array(**checks, "blocking", "checks");
  if (!blocking) return tl::unexpected(blocking.error());
  for (size_t i = 0; i < (*blocking)->size(); ++i) {
    const std::string path = item_path("checks.blocking", i);
    const auto* s = (*blocking)->get(i)->as_string();
    if (s == nullptr) return refuse(path, "应为字符串", "wrong type: string expected");
    if (!is_flag_code(s->get())) return refuse(path, "未知的标记代码 " + s->get(), "unknown flag code");
    p.checks.blocking.push_back(s->get());
  }

  auto allocation = get_table(root, "allocation", "");
  if (!allocation) return tl::unexpected(allocation.error());
  auto downgrade = get_bool(**allocation, "allow_downgrade", "allocation");
  if (!downgrade) return tl::unexpected(downgrade.error());
  p.allow_downgrade = *downgrade;
  return p;
}

}  // namespace

Result<Policy> parse_policy(std::string_view toml_text, const std::string& name) {
  if (toml_text.size() > kPolicyMaxBytes) {
    return fail("POLICY", name + ": 策略文件过大 (policy file larger than 1 MiB)", Location{name, 0, ""});
  }
  // toml++ reports syntax errors by throwing; nothing may leave this function.
  try {
    const toml::table root = toml::parse(toml_text, std::string_view(name));
    return PolicyReader(name).read(root);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    const std::string where = std::to_string(begin.line) + ":" + std::to_string(begin.column);
    return fail("POLICY",
                name + ":" + where + ": 策略文件不是有效的 TOML (invalid TOML at line " + std::to_string(begin.line) +
                    ", column " + std::to_string(begin.column) + ": " + std::string(e.description()) + ")",
                Location{name, static_cast<long>(begin.line), ""});
  } catch (const std::exception& e) {
    return fail("POLICY", name + ": 无法读取策略文件 (cannot read the policy: " + std::string(e.what()) + ")",
                Location{name, 0, ""});
  }
}

Result<Policy> load_policy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("IO", path + ": 无法读取策略文件 (cannot read the policy file)", Location{path, 0, ""});
  std::string text;
  char buf[8192];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kPolicyMaxBytes) {
      return fail("POLICY", path + ": 策略文件过大 (policy file larger than 1 MiB)", Location{path, 0, ""});
    }
  }
  if (in.bad()) return fail("IO", path + ": 无法读取策略文件 (cannot read the policy file)", Location{path, 0, ""});
  return parse_policy(text, path);
}

}  // namespace zizhu

#include "identify/explain.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "core/resident_id.h"
#include "core/student_no.h"
#include "identify/input/fields.h"

namespace zizhu::identify {

std::string mask_id(std::string_view id) {
  if (id.size() < 10) return std::string(id.size(), '*');
  return std::string(id.substr(0, 6)) + std::string(id.size() - 10, '*') + std::string(id.substr(id.size() - 4));
}

namespace {

std::string yuan(Fen f) { return format_yuan(f); }

std::string date_text(int32_t days) {
  if (days == INT32_MIN || days == INT32_MAX) return "不限";
  return Date::from_days(days).iso();
}

const char* status_label(Status s) {
  switch (s) {
    case Status::kBlocked: return "已拦截 BLOCKED（有阻断性标记，须先核实）";
    case Status::kNotApplied: return "未申请 NOT_APPLIED";
    case Status::kNotEligible: return "不符合条件 NOT_ELIGIBLE（得分未达到任何等级）";
    case Status::kFunded: return "已资助 FUNDED";
    case Status::kWaitlist: return "候补 WAITLIST（预算不足）";
  }
  return "";
}

}  // namespace

Result<std::string> explain_student(std::string_view student_no, const Dataset& data, const Policy& policy,
                                    const Outcome& out) {
  char buf[64];
  const std::string_view no = student_no.size() < sizeof buf ? upper_final_x(student_no, buf) : student_no;
  std::ostringstream o;
  const Students& st = data.students;
  const auto key = student_no_key(no);
  size_t i = st.size();
  if (key)
    for (size_t k = 0; k < st.size(); ++k)
      if (st.no_key[k] == *key) i = k;
  if (i == st.size()) {
    for (uint32_t a : out.not_enrolled) {
      if (data.side_text.get(data.applications.student_no[a]) == no) {
        o << "学籍号 " << no << "：有资助申请（" << data.file_names[static_cast<size_t>(data.applications_file)] << " 第 " << data.applications.row[a]
          << " 行），但不在名册的有效行中 → 标记 NOT_ENROLLED，状态 BLOCKED。\n"
          << "请核对学籍号是否填错，或名册中该生的行是否被拒收（见 rejects.csv）。\n";
        return o.str();
      }
    }
    return fail("NOT_FOUND", "名册和申请中都没有学籍号 " + std::string(no) + "（也可能该行被拒收，见 rejects.csv）");
  }

  const std::string id = st.id_text(i);
  const std::string no_text = student_no_from_key(st.no_key[i]);
  o << "学籍号 " << no << "  姓名 " << data.text.get(st.name[i]) << "  学校 " << data.school_codes[st.school[i]]
    << "  " << static_cast<int>(st.grade[i]) << " 年级" << (st.boarding[i] ? "（寄宿）" : "") << "\n";
  o << "名册：" << data.file_names[0] << " 第 " << st.row[i] << " 行；有效身份证号 "
    << (id.empty() ? "无" : mask_id(id)) << (id.empty() ? "" : (st.id_valid[i] ? "（校验通过）" : "（校验不通过）"))
    << "；监护人身份证号 " << (st.guardian_key[i] == kNoKey ? "无（或无效）" : mask_id(resident_id_from_key(st.guardian_key[i])))
    << "\n\n";

  // Categories.
  o << "一、认定类别\n";
  const ListEntries& le = data.lists;
  const int32_t ref = policy.reference_date.days();
  bool any = false;
  for (size_t e = 0; e < le.size(); ++e) {
    const auto& cat = policy.categories[le.category[e]];
    const bool by_student = le.id_key[e] == st.id_key[i] && st.id_key[i] != kNoKey;
    const bool by_guardian = !by_student && cat.match == MatchRule::kHousehold && le.id_key[e] == st.guardian_key[i] &&
                             st.guardian_key[i] != kNoKey;
    if (!by_student && !by_guardian) continue;
    any = true;
    const bool in_force = le.valid_from_days[e] <= ref && ref <= le.valid_to_days[e];
    o << "  " << cat.code << " " << cat.name << "：" << data.file_names[le.file[e]] << " 第 " << le.row[e] << " 行";
    const auto source = data.side_text.get(le.source[e]);
    if (!source.empty()) o << "，来源 " << source;
    o << "，有效期 " << date_text(le.valid_from_days[e]) << " 至 " << date_text(le.valid_to_days[e]) << "，按"
      << (by_student ? "学生本人" : "监护人") << "身份证号匹配 → " << (in_force ? "在有效期内，认定" : "不在有效期内，不认定")
      << "\n";
  }
  if (!any) o << "  没有任何部门名单记录与该生（或其监护人）匹配。\n";

  // Score.
  o << "\n二、得分 " << out.score[i] << "\n";
  int32_t cat_points = 0;
  for (size_t c = 0; c < policy.categories.size(); ++c)
    if (out.verified[i] >> c & 1) cat_points = std::max(cat_points, static_cast<int32_t>(policy.categories[c].points));
  o << "  类别分（已认定类别中最高的一项）：" << cat_points << "\n";
  const int32_t a = out.application[i];
  if (a < 0) {
    o << "  没有资助申请：收入分与家庭因素分不计。\n";
  } else {
    const auto ai = static_cast<size_t>(a);
    const auto& apps = data.applications;
    o << "  申请（" << data.file_names[static_cast<size_t>(data.applications_file)] << " 第 " << apps.row[ai] << " 行）家庭人口 " << apps.household_size[ai] << "，家庭年收入 "
      << yuan(apps.income[ai]) << " 元，人均 " << yuan(Fen::from_fen(apps.income[ai].value() / apps.household_size[ai]))
      << " 元\n";
    bool bracket = false;
    for (const auto& b : policy.income_brackets) {
      if (b.below.value() * apps.household_size[ai] > apps.income[ai].value()) {
        o << "  收入分：人均收入低于 " << yuan(b.below) << " 元 → " << b.points << "\n";
        bracket = true;
        break;
      }
    }
    if (!bracket) o << "  收入分：人均收入不低于任何档次 → 0\n";
    const auto& f = policy.factors;
    if (apps.serious_illness[ai]) o << "  家庭成员重病 +" << f.serious_illness << "\n";
    if (apps.sudden_hardship[ai]) o << "  突发变故 +" << f.sudden_hardship << "\n";
    if (apps.single_parent[ai]) o << "  单亲家庭 +" << f.single_parent << "\n";
    if (apps.siblings[ai] >= f.siblings_min && apps.siblings[ai] >= 0)
      o << "  在校子女 " << apps.siblings[ai] << " 人（不少于 " << f.siblings_min << "）+" << f.siblings_in_school << "\n";
  }

  // Level.
  o << "\n三、等级\n";
  if (out.level[i] < 0) {
    o << "  得分未达到任何等级的最低分，也没有带最低等级的认定类别 → 无等级。\n";
  } else {
    const auto& lv = policy.levels[static_cast<size_t>(out.level[i])];
    o << "  " << (out.status[i] == Status::kFunded ? "资助等级 " : "评定等级 ") << lv.number << " " << lv.name << "\n";
    for (size_t c = 0; c < policy.categories.size(); ++c)
      if ((out.verified[i] >> c & 1) && policy.categories[c].min_level)
        o << "  类别 " << policy.categories[c].code << " 保证至少为 " << *policy.categories[c].min_level << " 级\n";
  }

  // Flags, each with its evidence.
  o << "\n四、标记\n";
  if (out.flags[i] == 0) o << "  无\n";
  const std::string_view school = data.school_codes[st.school[i]];
  for (size_t b = 0; b < kFlagNames.size(); ++b) {
    if (!(out.flags[i] >> b & 1)) continue;
    const bool blocking = policy.is_blocking(kFlagNames[b]);
    o << "  " << kFlagNames[b] << (blocking ? "（阻断）" : "（提示）");
    const uint16_t bit = static_cast<uint16_t>(1u << b);
    if (bit == kIdInvalid) {
      o << "：有效身份证号 " << mask_id(id) << " 未通过 GB 11643 校验（长度、省份代码、出生日期或校验位）";
    } else if (bit == kIdMismatch) {
      o << "：学籍号 G 后的 18 位与“身份证号”一栏（" << mask_id(id) << "）不一致";
    } else if (bit == kGenderMismatch) {
      o << "：名册性别 " << (st.gender[i] == 'M' ? "男" : "女") << "，身份证号第 17 位表示 "
        << (st.id_male[i] ? "男" : "女");
    } else if (bit == kDupEnrollment) {
      o << "：同一身份证号也在";
      for (size_t k = 0; k < st.size(); ++k)
        if (k != i && st.id_valid[k] && st.id_key[k] == st.id_key[i])
          o << " 名册第 " << st.row[k] << " 行（学籍号 " << student_no_from_key(st.no_key[k]) << "，学校 "
            << data.school_codes[st.school[k]] << "）";
    } else if (bit == kAgeGrade) {
      const int32_t birth = st.id_valid[i] ? st.id_birth_days[i] : st.birth_days[i];
      o << "：出生日期 " << Date::from_days(birth).iso() << (st.id_valid[i] ? "（取自身份证号）" : "（取自出生日期一栏）")
        << "，" << policy.reference_date.iso() << " 时 " << age_years(Date::from_days(birth), policy.reference_date)
        << " 岁；" << static_cast<int>(st.grade[i]) << " 年级应约为 " << st.grade[i] + 5 << " 岁，允许相差 "
        << policy.checks.age_grade_tolerance << " 岁";
    } else if (bit == kDupFunding) {
      o << "：本学年（" << policy.school_year << "）已资助记录显示在其他学校受助：";
      const History& h = data.history;
      const std::string history_file =
          data.history_file >= 0 ? data.file_names[static_cast<size_t>(data.history_file)] : std::string();
      for (size_t r = 0; r < h.size(); ++r) {
        const std::string_view hid = data.side_text.get(h.id_text[r]);
        const std::string_view hno = data.side_text.get(h.student_no[r]);
        const bool by_id = !hid.empty() && !id.empty() && hid == id;
        const bool by_no = (hid.empty() || id.empty()) && hno == no_text;
        const std::string_view hs = data.side_text.get(h.school_code[r]);
        if ((by_id || by_no) && hs != school)
          o << " " << history_file << " 第 " << h.row[r] << " 行（学校 " << hs << "，按" << (by_id ? "身份证号" : "学籍号")
            << "匹配）";
      }
    } else if (bit == kBankCardLuhn) {
      o << "：银行卡号未通过 Luhn 校验（并非所有国内银行卡都遵循，仅作提示，请核对卡号）";
    } else if (bit == kSharedBankCard) {
      o << "：同一银行卡号出现在超过 " << policy.checks.shared_bank_card_max_households << " 个家庭的名册行中：";
      for (size_t k = 0; k < st.size(); ++k)
        if (st.card_digits[k] == st.card_digits[i] && st.card_value[k] == st.card_value[i])
          o << " 第 " << st.row[k] << " 行（学籍号 " << student_no_from_key(st.no_key[k]) << "，监护人 "
            << (st.guardian_key[k] == kNoKey ? "无，按学生本人计一户" : mask_id(resident_id_from_key(st.guardian_key[k])))
            << "）";
    } else if (bit == kClaimUnverified) {
      o << "：申报的类别未被在有效期内的部门名单证实：";
      const auto ai = static_cast<size_t>(out.application[i]);
      const uint64_t unverified = data.applications.claimed[ai] & ~out.verified[i];
      for (size_t c = 0; c < policy.categories.size(); ++c)
        if (unverified >> c & 1) o << " " << policy.categories[c].code;
      if (data.applications.claimed_unknown[ai]) o << " （另有政策中没有的类别）";
    } else if (bit == kListExpired) {
      o << "：匹配到的名单记录不在有效期内（见“一、认定类别”）";
    } else if (bit == kDowngraded) {
      o << "：预算不足以按评定等级资助，降档资助（见“五、结果”）";
    } else if (bit == kNoBudget) {
      o << "：本校预算为 0";
    }
    o << "\n";
  }

  // Status and the budget walk.
  o << "\n五、结果：" << status_label(out.status[i]) << "\n";
  const uint32_t sc = st.school[i];
  if (out.status[i] == Status::kBlocked) {
    o << "  有阻断性标记（策略 checks.blocking），不参加预算分配；核实更正后重新识别。\n";
  } else if (out.status[i] == Status::kNotApplied) {
    o << "  没有资助申请，且" << (policy.direct_identification ? "没有已认定的类别（直接认定只适用于名单中的学生）"
                                                                : "策略未开启直接认定")
      << "，不参加预算分配。\n";
  } else if (out.status[i] == Status::kNotEligible) {
    o << "  没有等级，不参加预算分配。\n";
  }
  if (out.rank[i] > 0) {
    o << "  在本校候选人中排第 " << out.rank[i]
      << " 位（排序：有认定类别优先，其次等级高、得分高、人均收入低、学籍号小）\n";
    // Replay the school's walk up to this student.
    std::vector<uint32_t> order;
    for (size_t k = 0; k < st.size(); ++k)
      if (st.school[k] == sc && out.rank[k] > 0 && out.rank[k] < out.rank[i]) order.push_back(static_cast<uint32_t>(k));
    Fen remaining = data.budget[sc];
    int64_t funded_before = 0;
    for (uint32_t k : order)
      if (out.status[k] == Status::kFunded) {
        remaining = *remaining.checked_sub(out.amount[k]);
        ++funded_before;
      }
    o << "  本校预算 " << yuan(data.budget[sc]) << " 元；排在前面的 " << order.size() << " 人中 " << funded_before
      << " 人已获资助，轮到该生时剩余 " << yuan(remaining) << " 元\n";
    const int assessed = assess_level(out.score[i], out.verified[i], policy);
    const bool junior = st.grade[i] >= 7;
    const bool boarding = st.boarding[i] != 0;
    const int last = policy.allow_downgrade ? static_cast<int>(policy.levels.size()) - 1 : assessed;
    for (int l = assessed; l >= 0 && l <= last; ++l) {
      const Fen want = policy.amount_for(l, junior, boarding);
      const bool fits = want <= remaining;
      o << "  尝试 " << policy.levels[static_cast<size_t>(l)].number << " 级（" << (junior ? "初中" : "小学")
        << (boarding ? "寄宿" : "走读") << "）" << yuan(want) << " 元 → " << (fits ? "够，资助" : "不够") << "\n";
      if (fits) break;
    }
    if (out.status[i] == Status::kFunded) {
      o << "  资助 " << yuan(out.amount[i]) << " 元（" << policy.levels[static_cast<size_t>(out.level[i])].number
        << " 级" << ((out.flags[i] & kDowngraded) ? "，降档" : "") << "）\n";
    } else {
      o << "  剩余预算不足："
        << (policy.allow_downgrade ? "各等级的金额都超出剩余预算" : "策略不允许降档，该等级的金额超出剩余预算")
        << "，列入候补；后面金额更低的学生仍可能获得资助。\n";
    }
  }
  return o.str();
}

}  // namespace zizhu::identify

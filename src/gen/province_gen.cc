#include "gen/province_gen.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <span>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/region.h"
#include "core/resident_id.h"
#include "gen/names.h"
#include "gen/out_buffer.h"
#include "gen/rng.h"

namespace zizhu::gen {
namespace {

// The default policy's reference date and school year (policy-default.toml).
constexpr int kRefYear = 2026;
constexpr int kRefMonth = 9;
constexpr int kRefDay = 1;

constexpr uint64_t kPow10[20] = {1ULL,
                                 10ULL,
                                 100ULL,
                                 1000ULL,
                                 10000ULL,
                                 100000ULL,
                                 1000000ULL,
                                 10000000ULL,
                                 100000000ULL,
                                 1000000000ULL,
                                 10000000000ULL,
                                 100000000000ULL,
                                 1000000000000ULL,
                                 10000000000000ULL,
                                 100000000000000ULL,
                                 1000000000000000ULL,
                                 10000000000000000ULL,
                                 100000000000000000ULL,
                                 1000000000000000000ULL,
                                 10000000000000000000ULL};

struct Category {
  std::string_view code;
  std::string_view name;
  std::string_view source;
  bool household;
  uint32_t weight;  // share of list entries, per 1000
};

// policy-default.toml's categories (same order), with the department that
// keeps each list.
constexpr std::array<Category, 7> kCategories = {{
    {"POVERTY", "脱贫家庭（原建档立卡）", "乡村振兴局", true, 420},
    {"ORPHAN", "孤儿", "民政局", false, 25},
    {"UNSUPPORTED", "事实无人抚养儿童", "民政局", false, 25},
    {"DISABLED", "残疾学生", "残联", false, 60},
    {"DIBAO", "城乡低保家庭", "民政局", true, 330},
    {"DESTITUTE", "特困供养", "民政局", true, 80},
    {"MARTYR", "烈士子女、优抚对象家庭", "退役军人事务局", true, 60},
}};

// What the generator keeps of each roster student for the later files.
struct Kid {
  uint64_t id17 = 0;   // the person's real ID (first 17 digits)
  uint64_t gid17 = 0;  // the guardian's ID, 0 when not given
  uint32_t school = 0;
  uint8_t kind = 0;    // 0 = G, 1 = J, 2 = L
  uint8_t bits = 0;    // kIdGiven, kListed, kSibling, kRejected
  uint8_t cat = 0xFF;  // category index of a list entry naming the household
  uint8_t grade = 1;
};
constexpr uint8_t kIdGiven = 1;
constexpr uint8_t kListed = 2;
constexpr uint8_t kSibling = 4;
constexpr uint8_t kRejected = 8;

// Unique IDs: a counter per (county, birth day, sex) bucket. Buckets may share
// a counter (hashed into a fixed table); that only uses sequence numbers faster.
class IdMaker {
 public:
  IdMaker() : counters_(kBuckets * 2, 0) {}

  uint64_t make(uint32_t county, Date birth, bool male) {
    const Ymd d = birth.ymd();
    const uint64_t key = (static_cast<uint64_t>(county) * 1000003ULL +
                          static_cast<uint64_t>(static_cast<int64_t>(birth.days()) + 100000)) %
                         kBuckets;
    uint16_t& c = counters_[key * 2 + (male ? 1 : 0)];
    const uint64_t seq = static_cast<uint64_t>(c % 500) * 2 + (male ? 1U : 0U);
    ++c;
    const uint64_t ymd = static_cast<uint64_t>(d.year) * 10000 + static_cast<uint64_t>(d.month) * 100 +
                         static_cast<uint64_t>(d.day);
    return static_cast<uint64_t>(county) * 100000000000ULL + ymd * 1000 + seq;
  }

 private:
  static constexpr uint64_t kBuckets = uint64_t{1} << 22;
  std::vector<uint16_t> counters_;
};

void put_id(OutBuffer& out, uint64_t id17) {
  out.put_digits(id17, 17);
  out.put(id_check_char(id17));
}

// An ID whose check character is wrong (ID_INVALID / BAD_ID).
void put_bad_id(OutBuffer& out, uint64_t id17) {
  out.put_digits(id17, 17);
  const char good = id_check_char(id17);
  out.put(good == '0' ? '1' : '0');
}

void put_name(OutBuffer& out, Rng& rng, size_t surname) {
  const auto sn = surnames();
  const auto gv = given_name_chars();
  out.put(sn[surname % sn.size()]);
  out.put(gv[rng.below(gv.size())]);
  if (rng.chance(6500)) out.put(gv[rng.below(gv.size())]);
}

void put_date(OutBuffer& out, Date d) {
  const Ymd y = d.ymd();
  out.put_digits(static_cast<uint64_t>(y.year), 4);
  out.put('-');
  out.put_digits(static_cast<uint64_t>(y.month), 2);
  out.put('-');
  out.put_digits(static_cast<uint64_t>(y.day), 2);
}

Date random_day(Rng& rng, Date from, Date to) {
  return Date::from_days(static_cast<int32_t>(rng.between(from.days(), to.days())));
}

Date ymd(int y, int m, int d) { return *Date::from_ymd(y, m, d); }

uint64_t school_code(uint32_t school, std::span<const uint32_t> counties) {
  const auto county_count = static_cast<uint32_t>(counties.size());
  const uint32_t county = school % county_count;
  const uint64_t seq = school / county_count + 1;  // 1..999 within the county
  return 1000000000ULL + static_cast<uint64_t>(counties[county]) * 1000 + seq % 1000;
}

struct Card {
  uint64_t digits = 0;  // without the check digit
  int length = 0;       // with it; 0 = no card
  bool luhn_ok = true;
};

Card random_card(Rng& rng) {
  Card c;
  c.length = rng.chance(7000) ? 19 : 16;
  const int body = c.length - 1;
  c.digits = 62 * kPow10[body - 2] + rng.below(kPow10[body - 2]);
  c.luhn_ok = !rng.chance(200);
  return c;
}

void put_card(OutBuffer& out, const Card& c) {
  out.put_digits(c.digits, c.length - 1);
  const int check = luhn_check_digit(c.digits);
  out.put(static_cast<char>('0' + (c.luhn_ok ? check : (check + 1) % 10)));
}

// The 学籍号 as written for kid k (J/L numbers are derived from the index).
void put_student_no(OutBuffer& out, const Kid& k, uint64_t index, uint64_t seed) {
  if (k.kind == 0) {
    out.put('G');
    put_id(out, k.id17);
    return;
  }
  out.put(k.kind == 1 ? 'J' : 'L');
  uint64_t x = seed ^ (index * 0x9E3779B97F4A7C15ULL);
  out.put_digits(Rng::splitmix64(x) % kPow10[18], 18);
}

size_t pick_category(Rng& rng) {
  uint64_t r = rng.below(1000);
  for (size_t i = 0; i < kCategories.size(); ++i) {
    if (r < kCategories[i].weight) return i;
    r -= kCategories[i].weight;
  }
  return 0;
}

struct Writer {
  const GenOptions& opt;
  GenSummary sum;
  std::vector<Kid> kids;
  IdMaker ids;
  std::span<const uint32_t> counties;
  uint32_t county_count = 0;
  uint32_t schools = 0;
  Date ref;

  explicit Writer(const GenOptions& o) : opt(o), ref(ymd(kRefYear, kRefMonth, kRefDay)) {}

  uint64_t dirty_per_10000() const { return static_cast<uint64_t>(opt.dirty_percent) * 100; }

  // A birth date giving age grade + 5 on the reference date.
  Date birth_for_grade(Rng& rng, int grade) {
    const int age = grade + 5;
    const Date latest = ymd(kRefYear - age, kRefMonth, kRefDay);
    const Date earliest = ymd(kRefYear - age - 1, kRefMonth, kRefDay).plus_days(1);
    return random_day(rng, earliest, latest);
  }

  uint64_t adult_id(Rng& rng, uint32_t county) {
    return ids.make(county, random_day(rng, ymd(1972, 1, 1), ymd(1998, 12, 31)), rng.chance(5000));
  }

  Result<bool> students(const std::string& path);
  Result<bool> lists(const std::string& path);
  Result<bool> applications(const std::string& path);
  Result<bool> history(const std::string& path);
  Result<bool> budgets(const std::string& path);
  Result<bool> school_list(const std::string& path);
};

Result<bool> Writer::students(const std::string& path) {
  OutBuffer out;
  if (auto r = out.open(path); !r) return r;
  Rng rng(opt.seed ^ 0x53545544454E5453ULL);
  out.put("学籍号,姓名,身份证号,性别,出生日期,学校标识码,年级,班级,是否寄宿,监护人姓名,监护人身份证号,银行卡号\n");
  kids.resize(opt.students);

  size_t surname = 0;
  uint64_t guardian = 0;
  size_t guardian_surname = 0;
  Card household_card;
  uint64_t prev_index = 0;
  const uint64_t dirty = dirty_per_10000();
  for (uint64_t i = 0; i < opt.students; ++i) {
    Kid& k = kids[i];
    k.school = static_cast<uint32_t>(i / opt.students_per_school);
    const uint32_t county_index = k.school % county_count;
    // About 18% of students follow an elder sibling of the same household in
    // the same school, so about 30% share a guardian with a sibling.
    const bool sibling = i > 0 && kids[i - 1].school == k.school && rng.chance(1800);
    if (sibling) {
      k.bits |= kSibling;
      kids[i - 1].bits |= kSibling;
    } else {
      surname = static_cast<size_t>(rng.below(surnames().size()));
      guardian_surname = rng.chance(8500) ? surname : static_cast<size_t>(rng.below(surnames().size()));
      guardian = rng.chance(8500) ? adult_id(rng, counties[county_index]) : 0;
      household_card = rng.chance(8000) ? random_card(rng) : Card{};
    }
    k.gid17 = guardian;
    k.grade = static_cast<uint8_t>(rng.between(1, 9));
    const uint32_t id_county = rng.chance(9000) ? counties[county_index] : counties[rng.below(counties.size())];
    Date birth = birth_for_grade(rng, k.grade);
    if (rng.chance(150)) birth = Date::from_days(birth.days() + static_cast<int32_t>(rng.chance(5000) ? 3 * 365 : -3 * 365));
    const bool male = rng.chance(5150);
    k.id17 = ids.make(id_county, birth, male);
    const uint64_t kind_roll = rng.below(100);
    k.kind = kind_roll < 96 ? 0 : (kind_roll < 98 ? 1 : 2);
    if (k.kind == 0 ? rng.chance(7000) : rng.chance(5000)) k.bits |= kIdGiven;
    const bool birth_given = (k.bits & kIdGiven) == 0 || rng.chance(3000);
    const uint64_t boarding_roll = rng.below(10);
    const Card card = (sibling && rng.chance(7000)) || rng.chance(3000) ? household_card
                      : rng.chance(8000)                                  ? random_card(rng)
                                                                           : Card{};

    // One dirty kind for this row, or none.
    int bad = -1;
    if (dirty > 0 && rng.chance(dirty)) bad = static_cast<int>(rng.below(18));
    if (bad == 12) {  // a row Excel once formatted: all fields empty
      out.put(",,,,,,,,,,,\n");
      k.bits |= kRejected;
      continue;
    }
    if (bad == 1 || bad == 2 || bad == 4 || bad == 5 || bad == 6 || bad == 7 || bad == 8 || bad == 9 ||
        bad == 13 || bad == 14 || bad == 15) {
      k.bits |= kRejected;
    }
    // 学籍号
    if (bad == 1) {
      out.put('g');
      put_id(out, k.id17);
    } else if (bad == 15) {
      out.put('J');
      out.put_digits(k.id17, 17);
    } else if (bad == 9 && i > 0) {
      put_student_no(out, kids[prev_index], prev_index, opt.seed);
      kids[prev_index].bits |= kRejected;
    } else {
      put_student_no(out, k, i, opt.seed);
    }
    out.put(',');
    if (bad != 2) put_name(out, rng, surname);
    out.put(',');
    // 身份证号
    if (bad == 0) {
      put_bad_id(out, k.id17);
    } else if (bad == 10 && k.kind == 0) {
      put_id(out, ids.make(id_county, birth, male));
    } else if (bad == 17 && i > 0) {
      put_id(out, kids[prev_index].id17);  // enrolled twice under one ID (DUP_ENROLLMENT)
    } else if ((k.bits & kIdGiven) != 0) {
      put_id(out, k.id17);
    }
    out.put(',');
    // 性别
    if (bad == 3) {
      out.put("未知");
    } else if (rng.chance(9000)) {
      out.put((male != (bad == 11)) ? "男" : "女");
    }
    out.put(',');
    if (bad == 4) {
      out.put("2019-02-30");
    } else if (bad == 13) {
      out.put("2027-01-15");
    } else if (birth_given) {
      put_date(out, birth);
    }
    out.put(',');
    if (bad == 5) {
      out.put_digits(school_code(k.school, counties) / 10, 9);
    } else if (bad != 14) {
      out.put_digits(school_code(k.school, counties), 10);
    }
    out.put(',');
    if (bad == 6) {
      out.put("10");
    } else {
      out.put_uint(k.grade);
    }
    out.put(',');
    out.put_uint(k.grade);
    out.put("年级");
    out.put_uint(1 + rng.below(6));
    out.put("班,");
    if (bad == 7) {
      out.put("可能");
    } else if (boarding_roll < 2) {
      out.put("是");
    } else if (boarding_roll < 7) {
      out.put("否");
    }
    out.put(',');
    if (guardian != 0 || rng.chance(5000)) put_name(out, rng, guardian_surname);
    out.put(',');
    if (guardian != 0) put_id(out, guardian);
    out.put(',');
    if (bad == 8) {
      out.put_digits(rng.below(kPow10[11]), 11);
    } else if (bad == 16) {
      // A card an agent collects aid on for many households (SHARED_BANK_CARD).
      Card agent;
      agent.length = 19;
      agent.digits = 621700000000000000ULL + k.school;
      put_card(out, agent);
    } else if (card.length != 0) {
      put_card(out, card);
    }
    out.put('\n');
    if (bad != 9) prev_index = i;
  }
  sum.students = opt.students;
  if (auto r = out.close(); !r) return r;
  sum.bytes += out.bytes_written();
  return true;
}

Result<bool> Writer::lists(const std::string& path) {
  OutBuffer out;
  if (auto r = out.open(path); !r) return r;
  Rng rng(opt.seed ^ 0x4C49535453000000ULL);
  out.put("身份证号,姓名,类别,有效期起,有效期止,来源部门\n");
  const uint64_t entries = opt.students * 3 / 10;
  const uint64_t dirty = dirty_per_10000();
  for (uint64_t e = 0; e < entries; ++e) {
    size_t cat = pick_category(rng);
    uint64_t id17 = 0;
    if (opt.students == 0 || rng.chance(1500)) {
      // Someone not on the roster: an adult, or a child of another province's roll.
      const uint32_t county = counties[rng.below(counties.size())];
      id17 = rng.chance(6000) ? adult_id(rng, county)
                              : ids.make(county, random_day(rng, ymd(2010, 1, 1), ymd(2020, 8, 31)), rng.chance(5000));
    } else {
      Kid& k = kids[rng.below(opt.students)];
      if (kCategories[cat].household && k.gid17 != 0 && rng.chance(6000)) {
        id17 = k.gid17;
      } else {
        if (!kCategories[cat].household && rng.chance(3000)) cat = 3;  // student categories are mostly disability
        id17 = k.id17;
      }
      k.bits |= kListed;
      k.cat = static_cast<uint8_t>(cat);
    }
    int bad = -1;
    if (dirty > 0 && rng.chance(dirty)) bad = static_cast<int>(rng.below(5));
    if (bad == 0) {
      put_bad_id(out, id17);
    } else if (bad != 1) {
      put_id(out, id17);
    }
    out.put(',');
    put_name(out, rng, static_cast<size_t>(rng.below(surnames().size())));
    out.put(',');
    if (bad == 2) {
      out.put("低保户");
    } else {
      out.put(rng.chance(9000) ? kCategories[cat].code : kCategories[cat].name);
    }
    out.put(',');
    // Validity: mostly in force, some expired, some not yet begun.
    const uint64_t v = rng.below(100);
    Date from;
    Date to;
    bool has_from = rng.chance(5000);
    bool has_to = false;
    if (v < 80) {
      from = random_day(rng, ymd(2014, 1, 1), ref);
      if (rng.chance(4000)) {
        has_to = true;
        to = random_day(rng, ref, ymd(2030, 12, 31));
      }
    } else if (v < 93) {
      has_to = true;
      to = random_day(rng, ymd(2019, 1, 1), ref.plus_days(-1));
      from = random_day(rng, ymd(2014, 1, 1), to);
    } else {
      has_from = true;
      from = random_day(rng, ref.plus_days(1), ymd(2027, 6, 30));
    }
    if (bad == 3) {
      out.put("2025-13-01");
    } else if (has_from) {
      put_date(out, from);
    }
    out.put(',');
    if (bad == 4) {
      out.put("长期");
    } else if (has_to) {
      if (rng.chance(1000)) {  // the other accepted spellings
        const Ymd y = to.ymd();
        out.put_uint(static_cast<uint64_t>(y.year));
        out.put('/');
        out.put_uint(static_cast<uint64_t>(y.month));
        out.put('/');
        out.put_uint(static_cast<uint64_t>(y.day));
      } else {
        put_date(out, to);
      }
    }
    out.put(',');
    out.put(kCategories[cat].source);
    out.put('\n');
  }
  sum.list_entries = entries;
  if (auto r = out.close(); !r) return r;
  sum.bytes += out.bytes_written();
  return true;
}

Result<bool> Writer::applications(const std::string& path) {
  OutBuffer out;
  if (auto r = out.open(path); !r) return r;
  Rng rng(opt.seed ^ 0x4150504C59000000ULL);
  out.put("学籍号,家庭人口,家庭年收入,申报类别,家庭成员重病,突发变故,单亲家庭,在校子女数\n");
  const uint64_t dirty = dirty_per_10000();
  const char* yes_no[3] = {"", "否", "是"};
  uint64_t rows = 0;
  uint64_t last = 0;
  bool have_last = false;
  for (uint64_t i = 0; i < opt.students; ++i) {
    const Kid& k = kids[i];
    const bool listed = (k.bits & kListed) != 0;
    if (!rng.chance(listed ? 4000 : 1400)) continue;
    int bad = -1;
    if (dirty > 0 && rng.chance(dirty)) bad = static_cast<int>(rng.below(7));
    // 学籍号
    if (bad == 5 && have_last) {
      put_student_no(out, kids[last], last, opt.seed);  // a second application (DUPLICATE_APPLICATION)
    } else if (bad == 6) {
      out.put("G");  // a student on no roster row (NOT_ENROLLED)
      put_id(out, k.id17 + 1000);
    } else if (bad != 0) {
      put_student_no(out, k, i, opt.seed);
    }
    out.put(',');
    const bool sibling = (k.bits & kSibling) != 0;
    const uint64_t size = static_cast<uint64_t>(rng.between(sibling ? 3 : 2, 8));
    if (bad == 1) {
      out.put('0');
    } else {
      out.put_uint(size);
    }
    out.put(',');
    // Per-capita income: a quarter below 4000 yuan, a quarter 4000-8000, ...
    const uint64_t band = rng.below(100);
    const uint64_t pc_yuan = band < 25   ? static_cast<uint64_t>(rng.between(800, 3999))
                             : band < 50 ? static_cast<uint64_t>(rng.between(4000, 7999))
                             : band < 70 ? static_cast<uint64_t>(rng.between(8000, 11999))
                                         : static_cast<uint64_t>(rng.between(12000, 60000));
    const uint64_t income_fen = pc_yuan * size * 100 + (rng.chance(3000) ? 50 : 0);
    if (bad == 2) {
      out.put("12k");
    } else {
      out.put_yuan(income_fen);
    }
    out.put(',');
    // 申报类别: the household's listed category (mostly), sometimes a wrong one.
    if (listed && k.cat < kCategories.size() && rng.chance(7000)) {
      out.put(rng.chance(9500) ? kCategories[k.cat].code : kCategories[k.cat].name);
      if (rng.chance(500)) {
        out.put(rng.chance(5000) ? ";" : "；");
        out.put(kCategories[rng.below(kCategories.size())].code);
      }
    } else if (rng.chance(400)) {
      out.put(kCategories[rng.below(kCategories.size())].code);
    }
    out.put(',');
    out.put(yes_no[rng.chance(500) ? 2 : rng.below(2)]);
    out.put(',');
    if (bad == 3) {
      out.put("也许");
    } else {
      out.put(yes_no[rng.chance(300) ? 2 : rng.below(2)]);
    }
    out.put(',');
    out.put(yes_no[rng.chance(800) ? 2 : rng.below(2)]);
    out.put(',');
    if (bad == 4) {
      out.put("-1");
    } else if (!rng.chance(1000)) {
      out.put_uint(sibling ? 2 : static_cast<uint64_t>(rng.between(1, 3)));
    }
    out.put('\n');
    ++rows;
    last = i;
    have_last = true;
  }
  sum.applications = rows;
  if (auto r = out.close(); !r) return r;
  sum.bytes += out.bytes_written();
  return true;
}

Result<bool> Writer::history(const std::string& path) {
  OutBuffer out;
  if (auto r = out.open(path); !r) return r;
  Rng rng(opt.seed ^ 0x484953544F525900ULL);
  out.put("学籍号,身份证号,学校标识码,学年,项目,金额\n");
  const uint64_t dirty = dirty_per_10000();
  const std::string_view programs[3] = {"营养改善计划", "寄宿生生活补助", "国家助学金"};
  uint64_t rows = 0;
  for (uint64_t i = 0; i < opt.students; ++i) {
    const Kid& k = kids[i];
    const uint64_t roll = rng.below(10000);
    if (roll >= 900) continue;
    // 0.3% of students were paid by another school this year (DUP_FUNDING).
    const bool other_school = roll < 30;
    const bool last_year = roll >= 600;
    int bad = -1;
    if (dirty > 0 && rng.chance(dirty)) bad = static_cast<int>(rng.below(3));
    const uint64_t how = rng.below(3);  // 0: both, 1: 学籍号 only, 2: ID only
    if (how != 2 && bad != 0) put_student_no(out, k, i, opt.seed);
    out.put(',');
    if (how != 1 && bad != 0) put_id(out, k.id17);
    out.put(',');
    if (bad != 1) {
      uint32_t school = k.school;
      if (other_school) school = (school + 1 + static_cast<uint32_t>(rng.below(schools))) % schools;
      if (other_school && school == k.school) school = (school + 1) % schools;
      out.put_digits(school_code(school, counties), 10);
    }
    out.put(',');
    if (bad != 2) out.put(last_year ? "2025-2026" : "2026-2027");
    out.put(',');
    out.put(programs[rng.below(3)]);
    out.put(',');
    out.put_uint(static_cast<uint64_t>(rng.between(5, 20)) * 100);
    out.put('\n');
    ++rows;
  }
  sum.history_rows = rows;
  if (auto r = out.close(); !r) return r;
  sum.bytes += out.bytes_written();
  return true;
}

Result<bool> Writer::budgets(const std::string& path) {
  OutBuffer out;
  if (auto r = out.open(path); !r) return r;
  Rng rng(opt.seed ^ 0x4255444745545300ULL);
  out.put("学校标识码,预算金额\n");
  const uint64_t dirty = dirty_per_10000();
  uint64_t rows = 0;
  // One more school than the roster has: a budget for a school with no students.
  for (uint32_t s = 0; s <= schools; ++s) {
    const uint64_t students_here =
        s < schools ? std::min<uint64_t>(opt.students_per_school, opt.students - uint64_t{s} * opt.students_per_school)
                    : 0;
    // Roughly a quarter of the students at about 1,400 yuan, give or take.
    uint64_t budget_yuan = students_here * 28 / 100 * 1400 * static_cast<uint64_t>(rng.between(60, 110)) / 100;
    budget_yuan = budget_yuan / 100 * 100;
    if (rng.chance(100)) budget_yuan = 0;
    if (s == schools) budget_yuan = 12000;
    int bad = -1;
    if (dirty > 0 && rng.chance(dirty * 5)) bad = static_cast<int>(rng.below(3));
    if (bad == 0) {
      out.put_digits(school_code(s, counties) / 10, 9);
    } else {
      out.put_digits(school_code(s, counties), 10);
    }
    out.put(',');
    if (bad == 1) {
      out.put("\"1,5000\"");  // quoted: a thousands separator in a wrong place (BAD_MONEY)
    } else {
      out.put_yuan(budget_yuan * 100 + (rng.chance(500) ? 50 : 0));
    }
    out.put('\n');
    ++rows;
    if (bad == 2) {  // the same school twice (DUPLICATE_SCHOOL)
      out.put_digits(school_code(s, counties), 10);
      out.put(",1000\n");
      ++rows;
    }
  }
  sum.budget_rows = rows;
  if (auto r = out.close(); !r) return r;
  sum.bytes += out.bytes_written();
  return true;
}

// 1 → 一, 12 → 十二, 105 → 一百零五: how a school's number is written in its name.
std::string chinese_number(uint32_t n) {
  static constexpr std::array<std::string_view, 10> kDigits = {"零", "一", "二", "三", "四",
                                                             "五", "六", "七", "八", "九"};
  std::string out;
  const uint32_t hundreds = n / 100;
  const uint32_t tens = n / 10 % 10;
  const uint32_t ones = n % 10;
  if (hundreds > 0) out += std::string(kDigits[hundreds]) + "百";
  if (tens > 0) {
    if (hundreds > 0 || tens > 1) out += kDigits[tens];
    out += "十";
  } else if (hundreds > 0 && ones > 0) {
    out += "零";
  }
  if (ones > 0 || n == 0) out += kDigits[ones];
  return out;
}

// Every school of the roster, named after its county and number. Grades run
// 1-9 in every school, so each is a nine-year school.
Result<bool> Writer::school_list(const std::string& path) {
  OutBuffer out;
  if (auto r = out.open(path); !r) return r;
  out.put("学校标识码,学校名称,区县代码,学段\n");
  for (uint32_t s = 0; s < schools; ++s) {
    const uint64_t code = school_code(s, counties);
    const auto county = static_cast<int>(code / 1000 % 1000000);
    out.put_digits(code, 10);
    out.put(',');
    out.put(county_name(county).value_or("某县"));
    out.put("第");
    out.put(chinese_number(static_cast<uint32_t>(code % 1000)));
    out.put("学校,");
    out.put_digits(static_cast<uint64_t>(county), 6);
    out.put(",九年一贯制\n");
  }
  if (auto r = out.close(); !r) return r;
  sum.bytes += out.bytes_written();
  return true;
}

}  // namespace

char id_check_char(uint64_t first17) {
  // The 17 digits as text for core's one definition of the check character.
  char digits[17];
  for (int i = 16; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + first17 % 10);
    first17 /= 10;
  }
  return resident_id_check_char(std::string_view(digits, sizeof digits));
}

int luhn_check_digit(uint64_t digits) {
  // Doubling starts with the rightmost digit of `digits` (the check digit
  // itself will be the rightmost undoubled one).
  int sum = 0;
  bool twice = true;
  while (digits != 0) {
    int d = static_cast<int>(digits % 10);
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
    digits /= 10;
  }
  return (10 - sum % 10) % 10;
}

Result<GenSummary> generate_province(const GenOptions& options) {
  if (options.out_dir.empty()) return fail("ARGS", "no output folder");
  if (options.dirty_percent > 100) return fail("ARGS", "--dirty-percent must be 0-100");
  if (options.students_per_school == 0) return fail("ARGS", "students per school must be positive");
  std::error_code ec;
  std::filesystem::create_directories(options.out_dir, ec);
  if (ec) return fail("IO", "cannot create " + options.out_dir + ": " + ec.message());

  Writer w(options);
  w.counties = options.counties.empty() ? county_codes() : std::span<const uint32_t>(options.counties);
  w.county_count = static_cast<uint32_t>(w.counties.size());
  w.schools = static_cast<uint32_t>((options.students + options.students_per_school - 1) / options.students_per_school);
  if (w.schools == 0) w.schools = 1;
  if (w.schools > w.county_count * 999) return fail("ARGS", "too many students for the county list");
  const auto file = [&](const char* name) { return (std::filesystem::path(options.out_dir) / name).string(); };
  if (auto r = w.students(file("students.csv")); !r) return tl::unexpected(r.error());
  if (auto r = w.lists(file("lists.csv")); !r) return tl::unexpected(r.error());
  if (auto r = w.applications(file("applications.csv")); !r) return tl::unexpected(r.error());
  if (auto r = w.history(file("history.csv")); !r) return tl::unexpected(r.error());
  if (auto r = w.budgets(file("budgets.csv")); !r) return tl::unexpected(r.error());
  if (auto r = w.school_list(file("schools.csv")); !r) return tl::unexpected(r.error());
  w.sum.schools = w.schools;
  return w.sum;
}

}  // namespace zizhu::gen

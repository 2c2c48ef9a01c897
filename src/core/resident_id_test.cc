// Resident ID validation exactly as identify.md "Resident ID validation" puts
// it, the spec's test vectors, the error-detecting property of the check
// character, and the 64-bit keys.
#include "core/resident_id.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/bank_card.h"
#include "core/region.h"
#include "core/school_code.h"
#include "core/student_no.h"

// Counts this thread's heap allocations through operator new, so that a test
// can show that the per-row functions allocate nothing (they run tens of
// millions of times in an identification run). Replacing the global operator
// new is allowed once per program; this one only forwards to malloc. Not under
// AddressSanitizer, whose own operator new variants would then be paired with
// these (the sanitizer build checks memory, the plain build allocations).
#if defined(__SANITIZE_ADDRESS__)
#define ZIZHU_COUNT_ALLOCATIONS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZIZHU_COUNT_ALLOCATIONS 0
#endif
#endif
#ifndef ZIZHU_COUNT_ALLOCATIONS
#define ZIZHU_COUNT_ALLOCATIONS 1
#endif

namespace {
thread_local long g_allocations = 0;
}  // namespace

#if ZIZHU_COUNT_ALLOCATIONS
// GCC sees the inlined malloc/free pairs as mismatched new/delete: they are not.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
#endif

namespace zizhu {
namespace {

const Date kRef = *Date::from_ymd(2026, 9, 1);

std::string with_check(const std::string& first17) { return first17 + resident_id_check_char(first17); }

// A small deterministic generator (PCG-style LCG), so every run tests the
// same IDs and a failure can be reproduced.
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}
  uint32_t next(uint32_t bound) {
    state_ = state_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>((state_ >> 33) % bound);
  }

 private:
  uint64_t state_;
};

const std::vector<int> kProvinces = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
                                     43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82};

std::string two(int n) { return std::string{static_cast<char>('0' + n / 10), static_cast<char>('0' + n % 10)}; }

// A valid ID with a random province, region digits, birth date (1900..2026,
// before the reference date) and sequence digits.
std::string random_valid_id(Lcg& rng) {
  for (;;) {
    std::string body = two(kProvinces[rng.next(static_cast<uint32_t>(kProvinces.size()))]);
    for (int i = 0; i < 4; ++i) body += static_cast<char>('0' + rng.next(10));
    const int year = 1900 + static_cast<int>(rng.next(127));
    const int month = 1 + static_cast<int>(rng.next(12));
    const int day = 1 + static_cast<int>(rng.next(static_cast<uint32_t>(days_in_month(year, month))));
    body += std::to_string(year) + two(month) + two(day);
    for (int i = 0; i < 3; ++i) body += static_cast<char>('0' + rng.next(10));
    const std::string id = with_check(body);
    if (resident_id_valid(id, kRef)) return id;  // only a date after kRef fails
  }
}

struct VectorRow {
  std::string id;
  std::string expected;
  std::string source;
};

std::vector<VectorRow> read_vectors() {
  const std::string path = std::string(ZIZHU_SPEC_DIR) + "/testdata/resident-ids.csv";
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<VectorRow> rows;
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line.rfind("id_number,expected", 0), 0u) << line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t a = line.find(',');
    const size_t b = line.find(',', a + 1);
    EXPECT_NE(b, std::string::npos) << line;
    if (b == std::string::npos) continue;
    rows.push_back({line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return rows;
}

TEST(ResidentId, SpecTestVectors) {
  const auto rows = read_vectors();
  ASSERT_GE(rows.size(), 9u);
  for (const auto& r : rows) {
    ASSERT_TRUE(r.expected == "valid" || r.expected == "invalid") << r.expected;
    EXPECT_EQ(resident_id_valid(r.id, kRef), r.expected == "valid") << r.id << " (" << r.source << ")";
    EXPECT_EQ(resident_id_info(r.id, kRef).has_value(), r.expected == "valid") << r.id;
  }
}

TEST(ResidentId, CheckCharacterKnownValues) {
  EXPECT_EQ(resident_id_check_char("11010519491231002"), 'X');
  EXPECT_EQ(resident_id_check_char("44011320141005001"), 'X');
  EXPECT_EQ(resident_id_check_char("36042619910101007"), '1');
  EXPECT_EQ(resident_id_check_char("00000000000000000"), '1');  // sum 0 → index 0
  // Every one of the 11 sums mod 11 is reached and maps to "10X98765432".
  const std::string table = "10X98765432";
  std::vector<bool> seen(11, false);
  for (int d = 0; d <= 9; ++d) {
    for (size_t pos = 0; pos < 17; ++pos) {
      std::string body(17, '0');
      body[pos] = static_cast<char>('0' + d);
      const char c = resident_id_check_char(body);
      const auto at = table.find(c);
      ASSERT_NE(at, std::string::npos) << c;
      seen[at] = true;
    }
  }
  EXPECT_TRUE(std::all_of(seen.begin(), seen.end(), [](bool b) { return b; }));
}

TEST(ResidentId, InfoGivesProvinceRegionBirthAndGender) {
  const auto info = resident_id_info(with_check("62010220160229003"), kRef);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->province, 62);
  EXPECT_EQ(info->region_code, 620102);
  EXPECT_EQ(info->birth, *Date::from_ymd(2016, 2, 29));
  // The 17th digit is odd for a man, even for a woman.
  for (int d = 0; d <= 9; ++d) {
    const auto i = resident_id_info(with_check("1101052016090100" + std::to_string(d)), kRef);
    ASSERT_TRUE(i.has_value()) << d;
    EXPECT_EQ(i->male, d % 2 == 1) << d;
  }
  // The same for the lower-case x form.
  const auto x = resident_id_info("44011320141005001x", kRef);
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(x->region_code, 440113);
  EXPECT_TRUE(x->male);
  // Nothing for an invalid ID.
  ASSERT_NE(resident_id_check_char("11010520160901003"), 'X');
  EXPECT_FALSE(resident_id_info("11010520160901003X", kRef));
  EXPECT_FALSE(resident_id_info("", kRef));
}

TEST(ResidentId, EarliestBirthDateIs1900) {
  EXPECT_EQ(Date::from_days(-25567), *Date::from_ymd(1900, 1, 1));
  EXPECT_TRUE(resident_id_valid(with_check("11010519000101001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010518991231001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010500000101001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010508000101001"), kRef));
}

TEST(ResidentId, BirthUpToTheReferenceDate) {
  EXPECT_TRUE(resident_id_valid(with_check("11010520260901001"), kRef));   // on the reference date
  EXPECT_FALSE(resident_id_valid(with_check("11010520260902001"), kRef));  // the day after
  EXPECT_FALSE(resident_id_valid(with_check("11010520270101001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010599991231001"), kRef));
  // The same ID is valid or not depending on the reference date alone.
  const std::string id = with_check("11010520240229001");
  EXPECT_FALSE(resident_id_valid(id, *Date::from_ymd(2024, 2, 28)));
  EXPECT_TRUE(resident_id_valid(id, *Date::from_ymd(2024, 2, 29)));
  EXPECT_FALSE(resident_id_valid(with_check("11010519000101001"), *Date::from_ymd(1899, 12, 31)));
}

TEST(ResidentId, BirthMustBeACalendarDate) {
  EXPECT_TRUE(resident_id_valid(with_check("11010520160229001"), kRef));   // leap year
  EXPECT_FALSE(resident_id_valid(with_check("11010520150229001"), kRef));  // not a leap year
  EXPECT_TRUE(resident_id_valid(with_check("11010520000229001"), kRef));   // 400-year leap
  EXPECT_FALSE(resident_id_valid(with_check("11010519000229001"), kRef));  // century, not leap
  EXPECT_FALSE(resident_id_valid(with_check("11010520160230001"), kRef));
  EXPECT_TRUE(resident_id_valid(with_check("11010520150131001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520150132001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520150431001"), kRef));
  EXPECT_TRUE(resident_id_valid(with_check("11010520151231001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520151301001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520150001001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520150100001"), kRef));
  // Every day of two whole years, one of them a leap year.
  for (int year : {2015, 2016}) {
    for (int month = 0; month <= 13; ++month) {
      for (int day = 0; day <= 32; ++day) {
        const std::string id = with_check("110105" + std::to_string(year) + two(month) + two(day) + "001");
        EXPECT_EQ(resident_id_valid(id, kRef), Date::valid_ymd(year, month, day)) << id;
      }
    }
  }
}

TEST(ResidentId, ProvinceCodes) {
  std::vector<bool> listed(100, false);
  for (int p : kProvinces) listed[static_cast<size_t>(p)] = true;
  for (int p = 0; p < 100; ++p) {
    EXPECT_EQ(is_province_code(p), listed[static_cast<size_t>(p)]) << p;
    EXPECT_EQ(resident_id_valid(with_check(two(p) + "010520100101001"), kRef), listed[static_cast<size_t>(p)]) << p;
  }
  for (int p : {10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 90, 99}) EXPECT_FALSE(is_province_code(p)) << p;
  for (int p : {11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82}) EXPECT_TRUE(is_province_code(p)) << p;
  for (int p : {-11, 111, 1100, 1 << 30}) EXPECT_FALSE(is_province_code(p)) << p;
}

// The full six-digit region code is not checked: abolished (320103 白下区) and
// never-issued (110199) region codes stay valid.
TEST(ResidentId, RegionCodeBeyondTheProvinceIsNotChecked) {
  EXPECT_TRUE(resident_id_valid(with_check("32010319800101001"), kRef));
  EXPECT_TRUE(resident_id_valid(with_check("11019919800101001"), kRef));
  EXPECT_TRUE(resident_id_valid(with_check("11000019800101001"), kRef));
}

TEST(ResidentId, Shape) {
  const std::string id = "44011320141005001X";
  ASSERT_TRUE(resident_id_valid(id, kRef));
  EXPECT_TRUE(resident_id_valid("44011320141005001x", kRef));  // lower-case x accepted
  // Every length but 18, by cutting or padding a valid ID.
  const std::string valid = with_check("11010520100101001");
  for (size_t n = 0; n <= 40; ++n) {
    if (n == 18) continue;
    std::string s = n < 18 ? valid.substr(0, n) : valid + std::string(n - 18, '0');
    EXPECT_FALSE(resident_id_valid(s, kRef)) << s;
    EXPECT_FALSE(resident_id_key(s)) << s;
  }
  // Wrong characters in the body or at the end.
  EXPECT_FALSE(resident_id_valid("4401132014100500XX", kRef));
  EXPECT_FALSE(resident_id_valid("X40113201410050019", kRef));
  EXPECT_FALSE(resident_id_valid(" 44011320141005001X", kRef));
  EXPECT_FALSE(resident_id_valid("44011320141005001X ", kRef));
  EXPECT_FALSE(resident_id_valid(" 4011320141005001X", kRef));
  EXPECT_FALSE(resident_id_valid("44011320141005001Y", kRef));
  EXPECT_FALSE(resident_id_valid(std::string_view("44011320141005001\0", 18), kRef));
  // Full-width digits (UTF-8, three bytes each) are not digits.
  EXPECT_FALSE(resident_id_valid("４4011320141005001X", kRef));
  EXPECT_FALSE(resident_id_valid("44011320141005001Ｘ", kRef));
  EXPECT_FALSE(resident_id_key("４4011320141005001X"));
  // A single non-ASCII byte or a neighbour of '0'..'9' at any place, length kept.
  for (size_t pos = 0; pos < 18; ++pos) {
    for (char c : {'/', ':', '\xEF', '\xB9', '\xD9', 'a', 'x', 'X'}) {
      if (pos == 17 && (c == 'x' || c == 'X')) continue;
      std::string s = valid;
      s[pos] = c;
      EXPECT_FALSE(resident_id_valid(s, kRef)) << pos << " " << static_cast<int>(c);
      EXPECT_FALSE(resident_id_key(s)) << pos;
    }
  }
}

// ISO 7064 MOD 11-2 catches every single-digit substitution and every
// transposition of adjacent distinct digits in the 17 body digits.
TEST(ResidentId, CheckCharCatchesEverySingleErrorAndAdjacentSwap) {
  Lcg rng(20260901);
  int substitutions = 0;
  int swaps = 0;
  for (int n = 0; n < 2000; ++n) {
    const std::string id = random_valid_id(rng);
    for (size_t pos = 0; pos < 17; ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == id[pos]) continue;
        std::string bad = id;
        bad[pos] = d;
        ASSERT_NE(resident_id_check_char(std::string_view(bad).substr(0, 17)), id[17]) << id << " → " << bad;
        ASSERT_FALSE(resident_id_valid(bad, kRef)) << id << " → " << bad;
        ++substitutions;
      }
      if (pos + 1 < 17 && id[pos] != id[pos + 1]) {
        std::string bad = id;
        std::swap(bad[pos], bad[pos + 1]);
        ASSERT_NE(resident_id_check_char(std::string_view(bad).substr(0, 17)), id[17]) << id << " → " << bad;
        ASSERT_FALSE(resident_id_valid(bad, kRef)) << id << " → " << bad;
        ++swaps;
      }
    }
  }
  EXPECT_EQ(substitutions, 2000 * 17 * 9);
  EXPECT_GT(swaps, 2000 * 16 * 8 / 10);
}

// The check sum is linear in the digits, so a change at one place shifts it by
// the same amount whatever the other digits are: trying every place and every
// pair of digits on one body proves the property for all IDs.
TEST(ResidentId, CheckCharCatchesErrorsForEveryPlaceAndDigitPair) {
  for (size_t pos = 0; pos < 17; ++pos) {
    for (char a = '0'; a <= '9'; ++a) {
      for (char b = '0'; b <= '9'; ++b) {
        if (a == b) continue;
        std::string x(17, '0');
        std::string y(17, '0');
        x[pos] = a;
        y[pos] = b;
        EXPECT_NE(resident_id_check_char(x), resident_id_check_char(y)) << pos << a << b;
        if (pos + 1 < 17) {
          std::string s(17, '0');
          std::string t(17, '0');
          s[pos] = a;
          s[pos + 1] = b;
          t[pos] = b;
          t[pos + 1] = a;
          EXPECT_NE(resident_id_check_char(s), resident_id_check_char(t)) << pos << a << b;
        }
      }
    }
  }
}

TEST(ResidentId, ValidityNeedsTheRightCheckCharacter) {
  Lcg rng(7);
  for (int n = 0; n < 500; ++n) {
    const std::string id = random_valid_id(rng);
    for (char c : std::string("0123456789Xx")) {
      std::string other = id;
      other[17] = c;
      const bool right = c == id[17] || (c == 'x' && id[17] == 'X');
      EXPECT_EQ(resident_id_valid(other, kRef), right) << other;
    }
  }
}

TEST(ResidentId, KeysRoundTrip) {
  for (const std::string id : {"000000000000000000", "999999999999999999", "99999999999999999X", "11010520160901001X",
                               "990426199112010074", "110105201613450010"}) {
    const auto key = resident_id_key(id);
    ASSERT_TRUE(key) << id;  // valid or not, every well-shaped text has a key
    EXPECT_EQ(resident_id_from_key(*key), id);
  }
  EXPECT_EQ(*resident_id_key("000000000000000000"), 0u);
  EXPECT_EQ(*resident_id_key("99999999999999999X"), 1099999999999999999u);  // the largest
  EXPECT_LT(*resident_id_key("99999999999999999X"), uint64_t{1} << 60);
  EXPECT_EQ(*resident_id_key("11010520160901001x"), *resident_id_key("11010520160901001X"));
  EXPECT_EQ(resident_id_from_key(*resident_id_key("11010520160901001x")), "11010520160901001X");
  Lcg rng(99);
  for (int n = 0; n < 2000; ++n) {
    const std::string id = random_valid_id(rng);
    const auto key = resident_id_key(id);
    ASSERT_TRUE(key);
    EXPECT_EQ(resident_id_from_key(*key), id);
  }
}

TEST(ResidentId, KeyOrderIsByteOrderOfUpperCasedText) {
  Lcg rng(3);
  const std::string alphabet = "0123456789";
  std::vector<std::string> ids;
  for (int n = 0; n < 3000; ++n) {
    std::string s;
    // Few distinct digits, so that many pairs share long prefixes.
    for (int i = 0; i < 17; ++i) s += alphabet[rng.next(n % 2 == 0 ? 2 : 10)];
    s += "0123456789Xx"[rng.next(12)];
    ids.push_back(s);
  }
  auto upper = [](std::string s) {
    if (s[17] == 'x') s[17] = 'X';
    return s;
  };
  for (size_t i = 1; i < ids.size(); ++i) {
    const auto a = *resident_id_key(ids[i - 1]);
    const auto b = *resident_id_key(ids[i]);
    const auto ta = upper(ids[i - 1]);
    const auto tb = upper(ids[i]);
    EXPECT_EQ(a < b, ta < tb) << ta << " " << tb;
    EXPECT_EQ(a == b, ta == tb) << ta << " " << tb;
  }
  // Sorting by key sorts the text.
  std::vector<std::string> by_text;
  std::vector<uint64_t> keys;
  for (const auto& s : ids) {
    by_text.push_back(upper(s));
    keys.push_back(*resident_id_key(s));
  }
  std::sort(by_text.begin(), by_text.end());
  std::sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(resident_id_from_key(keys[i]), by_text[i]);
  // X sorts after 9 at the end.
  EXPECT_LT(*resident_id_key("110105201609010019"), *resident_id_key("11010520160901001X"));
  EXPECT_LT(*resident_id_key("11010520160901001X"), *resident_id_key("110105201609010020"));
}

TEST(ResidentId, HotFunctionsDoNotAllocate) {
  if (!ZIZHU_COUNT_ALLOCATIONS) GTEST_SKIP() << "allocations are not counted under AddressSanitizer";
  const Date ref = kRef;
  const std::string id = "44011320141005001x";
  const std::string bad = "44011320141005001Y";
  const std::string g = "G44011320141005001x";
  const std::string card = "6222021234567890123";
  // The counter works: a vector allocates.
  long before = g_allocations;
  { std::vector<int> v(100, 1); EXPECT_EQ(v.size(), 100u); }
  EXPECT_GT(g_allocations, before);

  before = g_allocations;
  uint64_t sink = 0;
  for (int n = 0; n < 100; ++n) {
    sink += resident_id_valid(id, ref) ? 1u : 0u;
    sink += resident_id_valid(bad, ref) ? 1u : 0u;
    sink += resident_id_info(id, ref) ? 1u : 0u;
    sink += resident_id_key(id).value_or(0);
    sink += static_cast<uint64_t>(resident_id_check_char(std::string_view(id).substr(0, 17)));
    sink += student_no_key(g).value_or(0);
    sink += student_no_kind(g) ? 1u : 0u;
    sink += bank_card_valid(card) ? 1u : 0u;
    sink += luhn_valid(card) ? 1u : 0u;
    sink += school_code_valid("1621221001") ? 1u : 0u;
    sink += county_name(620102) ? 1u : 0u;
  }
  EXPECT_EQ(g_allocations, before);
  EXPECT_NE(sink, 0u);
}

}  // namespace
}  // namespace zizhu

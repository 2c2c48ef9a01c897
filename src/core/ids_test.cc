// Resident IDs, 学籍号, school codes and bank cards.
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/bank_card.h"
#include "core/resident_id.h"
#include "core/school_code.h"
#include "core/student_no.h"

namespace zizhu {
namespace {

const Date kRef = *Date::from_ymd(2026, 9, 1);

std::vector<std::vector<std::string>> read_vectors(const std::string& name) {
  std::ifstream in(std::string(ZIZHU_SPEC_DIR) + "/testdata/" + name);
  EXPECT_TRUE(in) << name;
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!cells.empty()) rows.push_back(cells);
  }
  return rows;
}

std::string with_check(std::string first17) {
  return first17 + resident_id_check_char(first17);
}

TEST(ResidentId, SpecTestVectors) {
  const auto rows = read_vectors("resident-ids.csv");
  ASSERT_GE(rows.size(), 5u);
  for (const auto& r : rows) {
    EXPECT_EQ(resident_id_valid(r[0], kRef), r[1] == "valid") << r[0] << " (" << r[2] << ")";
  }
}

TEST(ResidentId, InfoGivesBirthGenderAndProvince) {
  const auto info = resident_id_info("11010520160901003X", kRef);
  ASSERT_FALSE(info.has_value());  // wrong check char on purpose
  const std::string id = with_check("11010520160901003");
  const auto ok = resident_id_info(id, kRef);
  ASSERT_TRUE(ok.has_value()) << id;
  EXPECT_EQ(ok->province, 11);
  EXPECT_EQ(ok->region_code, 110105);
  EXPECT_EQ(ok->birth.iso(), "2016-09-01");
  EXPECT_TRUE(ok->male);  // 17th digit 3 is odd
  const auto woman = resident_id_info(with_check("11010520160901002"), kRef);
  ASSERT_TRUE(woman.has_value());
  EXPECT_FALSE(woman->male);
}

TEST(ResidentId, BirthDateBounds) {
  EXPECT_TRUE(resident_id_valid(with_check("11010519000101001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010518991231001"), kRef));
  EXPECT_TRUE(resident_id_valid(with_check("11010520260901001"), kRef));   // on the reference date
  EXPECT_FALSE(resident_id_valid(with_check("11010520260902001"), kRef));  // the day after
  EXPECT_TRUE(resident_id_valid(with_check("11010520160229001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520150229001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520151301001"), kRef));
  EXPECT_FALSE(resident_id_valid(with_check("11010520150100001"), kRef));
}

TEST(ResidentId, ProvinceCodes) {
  const std::vector<int> valid = {11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82};
  const std::vector<int> invalid = {0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 99};
  for (int p : valid) {
    EXPECT_TRUE(is_province_code(p)) << p;
    EXPECT_TRUE(resident_id_valid(with_check(std::to_string(p) + "010520100101001"), kRef)) << p;
  }
  for (int p : invalid) {
    EXPECT_FALSE(is_province_code(p)) << p;
    char buf[3] = {static_cast<char>('0' + p / 10), static_cast<char>('0' + p % 10), 0};
    EXPECT_FALSE(resident_id_valid(with_check(std::string(buf) + "010520100101001"), kRef)) << p;
  }
}

TEST(ResidentId, ShapeRules) {
  std::string id = "44011320141005001X";
  ASSERT_TRUE(resident_id_valid(id, kRef));
  EXPECT_TRUE(resident_id_valid("44011320141005001x", kRef));  // lower-case x accepted
  EXPECT_FALSE(resident_id_valid(id.substr(0, 17), kRef));
  EXPECT_FALSE(resident_id_valid(id + "0", kRef));
  EXPECT_FALSE(resident_id_valid("", kRef));
  EXPECT_FALSE(resident_id_valid("４4011320141005001X", kRef));  // full-width digit
  EXPECT_FALSE(resident_id_valid("4401132014100500XX", kRef));
  EXPECT_FALSE(resident_id_valid(" 44011320141005001X", kRef));
}

// ISO 7064 MOD 11-2 catches every single-digit error and every transposition
// of adjacent distinct digits in the body.
TEST(ResidentId, CheckCharCatchesSingleErrorsAndAdjacentSwaps) {
  uint64_t state = 12345;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<int>((state >> 33) % 10);
  };
  for (int n = 0; n < 300; ++n) {
    std::string body = "110105";
    body += "2012";
    body += "0" + std::to_string(1 + n % 9);
    body += std::to_string(10 + n % 18);
    for (int i = 0; i < 3; ++i) body += static_cast<char>('0' + next());
    ASSERT_EQ(body.size(), 17u);
    const std::string id = with_check(body);
    ASSERT_TRUE(resident_id_valid(id, kRef)) << id;
    for (size_t pos = 0; pos < 17; ++pos) {
      for (char d = '0'; d <= '9'; ++d) {
        if (d == id[pos]) continue;
        std::string bad = id;
        bad[pos] = d;
        EXPECT_NE(resident_id_check_char(bad.substr(0, 17)), id[17]) << id << " pos " << pos;
      }
      if (pos + 1 < 17 && id[pos] != id[pos + 1]) {
        std::string swapped = id;
        std::swap(swapped[pos], swapped[pos + 1]);
        EXPECT_NE(resident_id_check_char(swapped.substr(0, 17)), id[17]) << id << " swap " << pos;
      }
    }
  }
}

TEST(ResidentId, KeysRoundTripAndSortLikeText) {
  const std::vector<std::string> ids = {"110105201609010010", "110105201609010019", "11010520160901001X",
                                        "110105201609010020", "999999999999999999", "000000000000000000"};
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto k = resident_id_key(ids[i]);
    ASSERT_TRUE(k) << ids[i];
    EXPECT_EQ(resident_id_from_key(*k), ids[i]);
    if (i > 0 && i < 4) {
      EXPECT_LT(*resident_id_key(ids[i - 1]), *k);
    }
  }
  EXPECT_EQ(resident_id_key("11010520160901001x"), resident_id_key("11010520160901001X"));
  EXPECT_FALSE(resident_id_key("11010520160901001"));
  EXPECT_FALSE(resident_id_key("1101052016090100Y1"));
}

TEST(StudentNo, Shapes) {
  EXPECT_EQ(student_no_kind("G11010520160901001X"), StudentNoKind::kG);
  EXPECT_EQ(student_no_kind("G11010520160901001x"), StudentNoKind::kG);
  EXPECT_EQ(student_no_kind("J110105201609010011"), StudentNoKind::kJ);
  EXPECT_EQ(student_no_kind("L110105201609010011"), StudentNoKind::kL);
  for (const char* bad : {"g11010520160901001X", "j110105201609010011", "J11010520160901001X",
                          "L11010520160901001x", "G1101052016090100", "G1101052016090100123", "X110105201609010011",
                          "", "G", "110105201609010011"}) {
    EXPECT_FALSE(student_no_kind(bad)) << bad;
  }
}

TEST(StudentNo, KeysRoundTripUpperCaseAndSortLikeText) {
  const std::vector<std::string> sorted = {"G110105201609010010", "G11010520160901001X", "G990105201609010010",
                                           "J000000000000000000", "J999999999999999999", "L000000000000000001"};
  for (size_t i = 0; i < sorted.size(); ++i) {
    const auto k = student_no_key(sorted[i]);
    ASSERT_TRUE(k) << sorted[i];
    EXPECT_EQ(student_no_from_key(*k), sorted[i]);
    if (i > 0) {
      EXPECT_LT(*student_no_key(sorted[i - 1]), *k) << sorted[i];
    }
  }
  EXPECT_EQ(student_no_from_key(*student_no_key("G11010520160901001x")), "G11010520160901001X");
}

TEST(SchoolCode, TenDigits) {
  EXPECT_TRUE(school_code_valid("1621221001"));
  EXPECT_TRUE(school_code_valid("0000000000"));
  EXPECT_FALSE(school_code_valid("162122100"));
  EXPECT_FALSE(school_code_valid("16212210011"));
  EXPECT_FALSE(school_code_valid("162122100A"));
  EXPECT_FALSE(school_code_valid(""));
}

TEST(BankCard, LengthsAndLuhn) {
  EXPECT_FALSE(bank_card_valid("12345678901"));
  EXPECT_TRUE(bank_card_valid("123456789012"));
  EXPECT_TRUE(bank_card_valid("1234567890123456789"));
  EXPECT_FALSE(bank_card_valid("12345678901234567890"));
  EXPECT_FALSE(bank_card_valid("12345678901a"));
  const auto rows = read_vectors("bank-cards.csv");
  ASSERT_GE(rows.size(), 3u);
  for (const auto& r : rows) EXPECT_EQ(luhn_valid(r[0]), r[1] == "pass") << r[0];
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("4992a39871"));
}

}  // namespace
}  // namespace zizhu

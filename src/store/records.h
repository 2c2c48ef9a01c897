// The records the store holds, as the domain sees them: plain C++ values, no
// SQL. Sensitive fields are SensitiveText (store/sensitive.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "store/sensitive.h"

namespace zizhu::store {

// The organisation tree: province → city → county → school (aid-cycle.md).
enum class OrgKind : uint8_t { kProvince, kCity, kCounty, kSchool };

std::string_view org_kind_name(OrgKind kind);  // "province", "city", "county", "school"
std::optional<OrgKind> parse_org_kind(std::string_view text);

// One segment of a node's materialised path, taken from its code: the
// significant digits of a GB/T 2260 code (2 for a province, 4 for a city, 6 for
// a county) or the whole 10-digit 学校标识码. "620102" as a county gives
// "620102", "620000" as a province gives "62".
std::string path_segment(OrgKind kind, std::string_view code);

struct OrgNodeInput {
  std::optional<int64_t> parent_id;  // empty only for a province
  OrgKind kind = OrgKind::kProvince;
  std::string code;  // six-digit region code, or the 10-digit 学校标识码
  std::string name;
};

struct OrgNode {
  int64_t id = 0;
  std::optional<int64_t> parent_id;
  OrgKind kind = OrgKind::kProvince;
  std::string code;
  std::string name;
  // '/62/6201/620102/1620102001/': the parent's path + this node's segment +
  // '/'. Everything under a node has the node's path as a prefix (data scope).
  std::string path;
  bool operator==(const OrgNode&) const = default;
};

enum class SchoolStage : uint8_t { kPrimary, kJunior, kNineYear };

std::string_view school_stage_name(SchoolStage stage);  // "primary", "junior", "nine_year"
std::optional<SchoolStage> parse_school_stage(std::string_view text);

struct SchoolInput {
  std::string school_code;  // 10 digits, unique
  std::string name;
  std::optional<SchoolStage> stage;
  int64_t county_id = 0;  // the county org node
};

struct School {
  int64_t org_id = 0;  // the school's own org node (kind school, code = school_code)
  std::string school_code;
  std::string name;
  std::optional<SchoolStage> stage;
  int64_t county_id = 0;
  std::string path;  // the school node's path
  bool operator==(const School&) const = default;
};

// A guardian is the household's contact: students link to one. Known by the
// guardian's resident ID (through its blind index).
struct GuardianInput {
  std::string name;
  SensitiveText id_number;  // required: a guardian without an ID stays a name on the student
  std::optional<SensitiveText> phone;
};

struct Guardian {
  int64_t id = 0;
  std::string name;
  SensitiveText id_number;
  std::optional<SensitiveText> phone;
  bool operator==(const Guardian&) const = default;
};

enum class Gender : uint8_t { kMale, kFemale };

struct StudentInput {
  SensitiveText student_no;  // normalised (prefix and a final x upper-case); the key
  std::string name;
  std::optional<SensitiveText> id_number;  // kept as given even when invalid (identify.md)
  std::optional<Gender> gender;
  std::optional<Date> birth_date;
  int64_t school_id = 0;  // the school's org node id
  int grade = 0;          // 1-9
  std::string class_name;
  bool boarding = false;
  std::string guardian_name;
  std::optional<int64_t> guardian_id;
  std::optional<SensitiveText> bank_card;
  bool operator==(const StudentInput&) const = default;
};

struct Student {
  int64_t id = 0;
  StudentInput data;
  bool operator==(const Student&) const = default;
};

// A student as lists and masked details show them: the masked display forms
// written with the sealed values (migration 4; core/masking.h), so reading
// one opens no sealed value. No birth date: it is part of the ID number.
struct StudentListing {
  int64_t id = 0;
  std::string student_no_masked;
  std::string name;
  std::optional<std::string> id_number_masked;
  std::optional<Gender> gender;
  int64_t school_id = 0;
  int grade = 0;
  std::string class_name;
  bool boarding = false;
  std::string guardian_name;
  std::optional<int64_t> guardian_id;
  std::optional<std::string> bank_card_masked;
  bool operator==(const StudentListing&) const = default;
};

// What an upsert did. kUnchanged means every column already held the value:
// nothing was written.
enum class Outcome : uint8_t { kInserted, kUpdated, kUnchanged };

struct Upserted {
  Upserted() = default;
  Upserted(int64_t id_, Outcome outcome_, std::optional<std::string> replaced = std::nullopt)
      : id(id_), outcome(outcome_), replaced_card_masked(std::move(replaced)) {}
  int64_t id = 0;
  Outcome outcome = Outcome::kUnchanged;
  // A student's update that replaced one bank card by another (or removed
  // it): the old card, masked, for the change log (docs/payments.md).
  std::optional<std::string> replaced_card_masked;
};

// One page of a longer list, with the size of the whole list (for "第 3 页，
// 共 1234 条"). Every listing that can grow with the data is paged.
template <class T>
struct Page {
  int64_t total = 0;  // rows matching the filter, over all pages
  std::vector<T> items;
};

// The largest page a store hands out (server.md: the API asks for at most 500).
inline constexpr int64_t kPageRowsMax = 10'000;

// A student's place in the paging order (school code, student id): pass the
// last row of a page to continue after it without counting the rows before it
// (keyset paging).
struct StudentKey {
  std::string school_code;
  int64_t id = 0;
};

// Filters of a student listing; every given part must match.
struct StudentFilter {
  std::optional<std::string> school_code;
  std::optional<int> grade;
  std::optional<std::string> class_name;  // exact
  std::optional<std::string> name_prefix;  // the name starts with it (byte-wise; whole UTF-8 characters)
  std::optional<SensitiveText> student_no;  // exact, through the blind index
  std::optional<StudentKey> after;  // only rows after this one (the offset then counts from here)
};

}  // namespace zizhu::store

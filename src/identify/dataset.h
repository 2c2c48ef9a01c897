// The identification run's input, loaded and checked, in columns. The engine
// (engine.h) decides on this alone; loading it from files (load.h) or, later,
// from the database is a separate step.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/fen.h"

namespace zizhu::identify {

inline constexpr uint64_t kNoKey = ~uint64_t{0};
inline constexpr int32_t kNoDate = INT32_MIN;

// Text of many rows in one buffer, so that ten million names cost no
// allocation each.
class TextArena {
 public:
  struct Ref {
    uint64_t offset = 0;
    uint32_t size = 0;
  };
  Ref add(std::string_view s) {
    Ref r{bytes_.size(), static_cast<uint32_t>(s.size())};
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return r;
  }
  std::string_view get(Ref r) const { return {bytes_.data() + r.offset, r.size}; }
  void reserve(size_t n) { bytes_.reserve(n); }
  size_t size() const { return bytes_.size(); }
  // Appends all of `other`; its refs move by the returned offset.
  uint64_t append(const TextArena& other) {
    const uint64_t base = bytes_.size();
    bytes_.insert(bytes_.end(), other.bytes_.begin(), other.bytes_.end());
    return base;
  }

 private:
  std::vector<char> bytes_;
};

// A row that could not be used, as rejects.csv writes it.
struct Reject {
  uint32_t file = 0;  // index into Dataset::file_names (command-line order)
  long row = 0;
  std::string column;
  std::string value;
  std::string_view reason;
};

// Accepted roster rows, in file order.
struct Students {
  std::vector<uint64_t> no_key;         // student_no_key
  std::vector<TextArena::Ref> name;
  std::vector<uint32_t> school;         // index into Dataset::school_codes
  std::vector<uint8_t> grade;           // 1–9
  std::vector<uint8_t> boarding;
  std::vector<char> gender;             // 0, 'M', 'F'
  std::vector<int32_t> birth_days;      // 出生日期, or kNoDate
  std::vector<uint8_t> has_id;          // an effective ID exists (身份证号 given, or a G number)
  std::vector<uint64_t> id_key;         // resident_id_key of the effective ID, or kNoKey for another shape
  std::vector<uint8_t> id_valid;        // the effective ID passes validation
  std::vector<int32_t> id_birth_days;   // from a valid effective ID, or kNoDate
  std::vector<uint8_t> id_male;         // from a valid effective ID
  std::vector<uint8_t> id_mismatch;     // G number and 身份证号 both given and different
  std::vector<uint64_t> guardian_key;   // a valid guardian ID, or kNoKey
  std::vector<uint64_t> card_value;     // bank card digits as a number (with card_digits: exact)
  std::vector<uint8_t> card_digits;     // 0 when no card
  std::vector<uint8_t> card_luhn_bad;   // the card fails the Luhn check
  std::vector<long> row;                // row in the roster file
  // Effective IDs that are not 17 digits + [0-9X] (rare): roster index -> text.
  std::vector<std::pair<uint32_t, std::string>> odd_ids;
  size_t size() const { return no_key.size(); }
  // The effective ID as text ("" when none).
  std::string id_text(size_t i) const;
};

// Accepted list entries (部门名单).
struct ListEntries {
  std::vector<uint64_t> id_key;
  std::vector<uint8_t> category;        // index into Policy::categories
  std::vector<int32_t> valid_from_days; // INT32_MIN when open
  std::vector<int32_t> valid_to_days;   // INT32_MAX when open
  std::vector<uint32_t> file;           // index into Dataset::file_names
  std::vector<long> row;
  std::vector<TextArena::Ref> source;
  size_t size() const { return id_key.size(); }
};

// Accepted applications, first one per 学籍号.
struct Applications {
  std::vector<TextArena::Ref> student_no;  // x upper-cased, as given otherwise
  std::vector<uint64_t> no_key;            // student_no_key, or kNoKey for another shape
  std::vector<int32_t> household_size;
  std::vector<Fen> income;
  std::vector<uint64_t> claimed;           // bit per policy category
  std::vector<uint8_t> claimed_unknown;    // a claim the policy does not know
  std::vector<uint8_t> serious_illness, sudden_hardship, single_parent;
  std::vector<int32_t> siblings;           // -1 when not given
  std::vector<long> row;
  size_t size() const { return no_key.size(); }
};

// History rows of the policy's school year (the only ones that matter).
struct History {
  std::vector<TextArena::Ref> student_no;  // x upper-cased; empty when not given
  std::vector<TextArena::Ref> id_text;     // x upper-cased; empty when not given
  std::vector<TextArena::Ref> school_code;
  std::vector<long> row;
  size_t size() const { return row.size(); }
};

struct Dataset {
  std::vector<std::string> file_names;     // as given on the command line, in its order
  std::vector<std::string> school_codes;   // every school with a roster or budget row, sorted
  std::vector<Fen> budget;                 // per school; 0 without a budget row
  Students students;
  ListEntries lists;
  Applications applications;
  History history;
  std::vector<Reject> rejects;             // in file order, then row
  TextArena text;                          // roster text (Students)
  TextArena side_text;                     // text of ListEntries, Applications and History
  long roster_rows = 0;                    // rows read (for the summary)
  int applications_file = -1;              // index into file_names, -1 when not given
  int history_file = -1;                   // index into file_names, -1 when not given
};

}  // namespace zizhu::identify

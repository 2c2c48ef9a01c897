// The frozen list's format ("zizhu-filing-1", docs/aid-cycle.md "Filing"):
// canonical JSON written once when a school files its list (its SM3 is the
// content hash the county approves) and read back by what pays from it. One
// place knows the format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/school_list.h"
#include "core/error.h"
#include "core/fen.h"
#include "store/store.h"

namespace zizhu::app {

struct SnapshotTerm {
  std::optional<int> level;  // none: no aid in the term
  int64_t amount_fen = 0;    // the term's share of the annual amount
};

struct SnapshotEntry {
  int64_t student_id = 0;
  std::string student_no_masked, name;
  int grade = 0;
  std::string class_name;
  std::string source;  // "d" (the decision) or "c<id>" (a list change)
  SnapshotTerm terms[2];
};

// The funded entries of `list` with the school's and cycle's facts, as
// canonical JSON (fixed key order, entries by student id); `entries` and
// `total` are set to the count and what the list pays over the year.
Result<std::string> write_list_snapshot(store::Store& store, const store::Cycle& cycle, const store::School& school,
                                        int round, const std::vector<ListEntry>& list, int64_t* entries, Fen* total);

// The entries of a stored snapshot; DB_CORRUPT naming `filing_id` when the
// text is not one.
Result<std::vector<SnapshotEntry>> read_list_snapshot(std::string_view json, int64_t filing_id);

}  // namespace zizhu::app

// `zizhu import students`: a roster in identify.md's students format into the
// store. Every row is validated first (by identify's roster validator, the
// same rules as the identification run); the good rows are then written in ONE
// transaction, upserting by 学籍号, so a failure anywhere leaves the database
// as it was, and importing the same file twice changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "store/import_rejects.h"
#include "store/store.h"

namespace zizhu::store {

// The reason for a roster row whose 学校标识码 is well formed but names no
// school in the database (import the schools first).
inline constexpr std::string_view kUnknownSchool = "UNKNOWN_SCHOOL";
// The reason for a row the importing user may not write: its school lies
// outside the user's organisation subtree, or its 学籍号 belongs to a student
// of a school outside it (a transfer is not an import).
inline constexpr std::string_view kOutsideScope = "OUTSIDE_SCOPE";

struct ImportSummary {
  int64_t rows_read = 0;  // data rows with at least one value (the header not counted)
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
};

// One roster row that passed validation, in the shape the store needs.
struct RosterStudent {
  long row = 0;  // the file's row number, for rejects
  std::string student_no;  // normalised: prefix and a final x upper-case
  std::string name;
  std::optional<std::string> id_number;  // as given (a final x upper-cased), even if invalid
  std::optional<Gender> gender;
  std::optional<Date> birth_date;
  std::string school_code;
  std::string school_code_value;  // as written in the file (for a reject)
  int grade = 0;
  std::string class_name;
  bool boarding = false;
  std::string guardian_name;
  std::optional<std::string> guardian_id_number;  // only a usable (valid, text) guardian ID
  std::optional<std::string> bank_card;
};

// Writes validated rows in one transaction. A row whose school is not in the
// database is not written: it is added to `rejects` (reason UNKNOWN_SCHOOL,
// column `school_code_column`). A guardian named by several rows takes the
// name of the first. Returns the counts (rows_read is left to the caller).
// `scope_path` is the importing user's data scope: rows outside it are
// rejected (OUTSIDE_SCOPE). "/" (the default) is everything. A row that
// replaces a student's bank card is logged in bank_card_change at `now_ms` by
// `user_id` (reason "花名册导入").
Result<ImportSummary> store_students(Store& store, const std::vector<RosterStudent>& rows, const std::string& file,
                                     const std::string& school_code_column, std::vector<Reject>& rejects,
                                     std::string_view scope_path = "/", int64_t now_ms = 0, int64_t user_id = 0);

struct StudentImportOptions {
  // The day a birth date may not be after (identify.md's reference date).
  Date reference_date;
  // Where the rejects go; written after a successful import.
  std::string rejects_path;
  // The importing user's organisation path (data scope); "/" is everything.
  std::string scope_path = "/";
  // Who imports, and when: a bank card that a row replaces is logged
  // (bank_card_change) with these, for the payment approver's risk check.
  int64_t now_ms = 0;
  int64_t user_id = 0;
};

// Reads, validates and stores `path` (.csv or .xlsx). An error means nothing
// was written to the database: the file could not be read, a required column
// is missing, or the database failed.
Result<ImportSummary> import_students(Store& store, const std::string& path, const StudentImportOptions& options,
                                      std::vector<Reject>* rejects_out = nullptr);

}  // namespace zizhu::store

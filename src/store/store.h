// The storage interface. The domain and the commands talk to a Store; SQL lives
// only behind it (store/sqlite/, later store/postgres/). Every operation returns
// a Result: a database error is a value whose message carries the database's
// own error text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/records.h"

namespace zizhu::store {

class Store {
 public:
  virtual ~Store() = default;

  // --- transactions -------------------------------------------------------
  // One write transaction at a time per Store; operations outside a
  // transaction commit on their own. Prefer the Transaction guard below.
  virtual Result<void> begin() = 0;
  virtual Result<void> commit() = 0;
  // Safe to call when no transaction is open (does nothing).
  virtual Result<void> rollback() = 0;
  virtual bool in_transaction() const = 0;

  // The highest migration applied (store/migrations.h).
  virtual int schema_version() const = 0;

  // --- organisation tree --------------------------------------------------
  // Inserts or updates the node with this code. The path is computed here
  // (parent's path + segment); a node moved to another parent takes its whole
  // subtree along.
  virtual Result<Upserted> upsert_org_node(const OrgNodeInput& node) = 0;
  virtual Result<std::optional<OrgNode>> find_org_node(std::string_view code) = 0;
  virtual Result<std::optional<OrgNode>> get_org_node(int64_t id) = 0;
  // The node with this path and everything below it, in path order: the data
  // scope of a user who belongs to that node.
  virtual Result<std::vector<OrgNode>> org_subtree(std::string_view path) = 0;

  // --- schools --------------------------------------------------------------
  // Inserts or updates the school with this 学校标识码: its org node (kind
  // school, under the county) and its school row.
  virtual Result<Upserted> upsert_school(const SchoolInput& school) = 0;
  virtual Result<std::optional<School>> find_school(std::string_view school_code) = 0;
  // Schools whose path starts with `path`, in school-code order.
  virtual Result<std::vector<School>> schools_under(std::string_view path) = 0;

  // --- guardians (households) -----------------------------------------------
  // Inserts or updates the guardian with this resident ID (by blind index).
  virtual Result<Upserted> upsert_guardian(const GuardianInput& guardian) = 0;
  virtual Result<std::optional<Guardian>> find_guardian(const SensitiveText& id_number) = 0;

  // --- students -------------------------------------------------------------
  // Inserts or updates the student with this 学籍号 (by blind index).
  virtual Result<Upserted> upsert_student(const StudentInput& student) = 0;
  virtual Result<std::optional<Student>> find_student(const SensitiveText& student_no) = 0;
  // Students of the schools under `path`, in (school code, 学籍号 index) order.
  virtual Result<std::vector<Student>> students_under(std::string_view path) = 0;
  virtual Result<int64_t> count_students() = 0;
};

// Rolls back on destruction unless commit() succeeded, so an early return or
// an error anywhere leaves the database as it was.
class Transaction {
 public:
  static Result<Transaction> begin(Store& store);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Result<void> commit();

 private:
  explicit Transaction(Store* store) : store_(store) {}
  Store* store_;  // null once committed or moved from
};

}  // namespace zizhu::store

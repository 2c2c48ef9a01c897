// The SQLite implementation of Store: one file, WAL journal, foreign keys on,
// a busy timeout, prepared statements cached per connection, migrations
// applied at open.
#pragma once

#include <memory>
#include <string>

#include "store/sensitive.h"
#include "store/sqlite/db.h"
#include "store/store.h"

namespace zizhu::store::sqlite {

struct SqliteOptions {
  // How long a writer waits for another process's lock before SQLITE_BUSY.
  int busy_timeout_ms = 5000;
  // The one place sensitive values are encoded; null means identity_codec().
  const SensitiveCodec* codec = nullptr;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the database at `path` (":memory:" for a private
  // in-memory one), sets the pragmas and applies the missing migrations.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, SqliteOptions options = {});

  Result<void> begin() override;
  Result<void> commit() override;
  Result<void> rollback() override;
  bool in_transaction() const override;
  int schema_version() const override { return schema_version_; }

  Result<Upserted> upsert_org_node(const OrgNodeInput& node) override;
  Result<std::optional<OrgNode>> find_org_node(std::string_view code) override;
  Result<std::optional<OrgNode>> get_org_node(int64_t id) override;
  Result<std::vector<OrgNode>> org_subtree(std::string_view path) override;

  Result<Upserted> upsert_school(const SchoolInput& school) override;
  Result<std::optional<School>> find_school(std::string_view school_code) override;
  Result<std::vector<School>> schools_under(std::string_view path) override;

  Result<Upserted> upsert_guardian(const GuardianInput& guardian) override;
  Result<std::optional<Guardian>> find_guardian(const SensitiveText& id_number) override;

  Result<Upserted> upsert_student(const StudentInput& student) override;
  Result<std::optional<Student>> find_student(const SensitiveText& student_no) override;
  Result<std::vector<Student>> students_under(std::string_view path) override;
  Result<int64_t> count_students() override;

  // For maintenance and tests: the connection itself.
  Connection& connection() { return db_; }

 private:
  SqliteStore(Connection db, const SensitiveCodec& codec) : db_(std::move(db)), codec_(codec) {}

  Connection db_;
  const SensitiveCodec& codec_;
  int schema_version_ = 0;
};

// The smallest string greater than every string that starts with `prefix`
// (its last byte incremented): `path >= prefix AND path < bound` selects a
// subtree with an ordinary index range on every backend, without LIKE.
std::string prefix_upper_bound(std::string_view prefix);

}  // namespace zizhu::store::sqlite

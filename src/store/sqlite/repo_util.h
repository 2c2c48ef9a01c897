// Helpers shared by the SqliteStore repository files (users_repo.cc,
// sessions_repo.cc, audit_repo.cc, students_repo.cc). Internal to the SQLite
// backend.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "store/records.h"
#include "store/sensitive.h"
#include "store/sqlite/db.h"

namespace zizhu::store::sqlite::repo {

// Upper bound on rows of a listing that is not paged (tokens of a subtree,
// a household's children): anything larger is a mistake, not data.
inline constexpr size_t kListRowsMax = 100'000;

inline Error corrupt(const Connection& db, std::string what) {
  return Error::make("DB_CORRUPT", "数据库内容不正确 (unexpected value in the database): " + what, {db.path(), 0, ""});
}

// Every row of `stmt`, read by `read` (returning Result<T>), up to `rows_max`.
template <class Read>
auto collect(Statement& stmt, Read&& read, size_t rows_max = kListRowsMax)
    -> Result<std::vector<typename decltype(read(stmt))::value_type>> {
  using T = typename decltype(read(stmt))::value_type;
  std::vector<T> out;
  for (;;) {
    auto row = stmt.step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    if (out.size() >= rows_max) return fail("DB", "查询结果过多 (too many rows)");
    auto value = read(stmt);
    if (!value) return tl::unexpected(value.error());
    out.push_back(std::move(*value));
  }
}

// The first row of `stmt`, read by `read`, or nullopt.
template <class Read>
auto first(Statement& stmt, Read&& read) -> Result<std::optional<typename decltype(read(stmt))::value_type>> {
  using T = typename decltype(read(stmt))::value_type;
  auto row = stmt.step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<T>();
  auto value = read(stmt);
  if (!value) return tl::unexpected(value.error());
  return std::optional<T>(std::move(*value));
}

// The one integer a statement answers (COUNT(*), RETURNING id).
Result<int64_t> single_int(Statement& stmt);

// The scope `path` ("" means everything) and its upper bound, for
// `path >= ? AND path < ?`.
struct PathRange {
  std::string low;
  std::string high;
  bool everything() const { return low == "/"; }
};
PathRange path_range(std::string_view path);

// BAD_VALUE unless 0 <= offset and 0 <= limit <= kPageRowsMax.
Result<void> check_page(int64_t offset, int64_t limit);

// At most `bytes_max` bytes of `text`, cut before a UTF-8 character that
// would not fit whole (a cut never leaves half a character).
std::string cut_utf8(std::string_view text, size_t bytes_max);

// `text` with ASCII letters lower-cased.
std::string ascii_lowered(std::string_view text);

// `text` with LIKE's wildcards escaped by '\' (use with ESCAPE '\').
std::string like_escaped(std::string_view text);

void bind_opt_int(Statement& stmt, int param, const std::optional<int64_t>& value);
// A small optional integer (an aid level, a row number): NULL when absent.
void bind_opt_level(Statement& stmt, int param, const std::optional<int>& level);
std::optional<int> opt_level_at(const Statement& s, int column);

// A WHERE clause assembled from the filters that are set, with its
// parameters numbered in order. The SQL texts vary only with which filters
// are set, so the prepared-statement cache holds a bounded number of them.
class Where {
 public:
  // A sensitive value compared through its blind index: bound by
  // sensitive_columns.h, the one boundary where the codec meets SQL.
  struct BlindIndex {
    SensitiveKind kind;
    SensitiveText value;
  };
  struct Value {
    Value(std::string t) : text(std::move(t)) {}               // NOLINT: implicit by design
    Value(int64_t i) : is_text(false), integer(i) {}           // NOLINT
    Value(BlindIndex b) : is_text(false), blind(std::move(b)) {}  // NOLINT
    bool is_text = true;
    std::string text;
    int64_t integer = 0;
    std::optional<BlindIndex> blind;
  };

  // Appends "AND (<condition>)"; its '?' placeholders take `values` in order.
  Where& add(std::string_view condition, std::initializer_list<Value> values = {});

  const std::string& sql() const { return sql_; }
  // Binds the parameters from 1 (blind indexes through `codec`); the next
  // free parameter number.
  int bind(Statement& stmt, const SensitiveCodec& codec) const;

 private:
  std::string sql_;
  std::vector<Value> params_;
};

}  // namespace zizhu::store::sqlite::repo

#include "store/sqlite/repo_util.h"

#include "store/sqlite/sensitive_columns.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::store::sqlite {

namespace repo {

Result<int64_t> single_int(Statement& stmt) {
  auto row = stmt.step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail("DB", "语句没有返回结果 (no row returned)");
  const int64_t value = stmt.int_at(0);
  if (auto done = stmt.run(); !done) return tl::unexpected(done.error());
  return value;
}

PathRange path_range(std::string_view path) {
  PathRange r;
  r.low = path.empty() ? std::string("/") : std::string(path);
  r.high = prefix_upper_bound(r.low);
  return r;
}

Result<void> check_page(int64_t offset, int64_t limit) {
  if (offset < 0 || limit < 0 || limit > kPageRowsMax) {
    return fail("BAD_VALUE", "分页参数不正确 (bad page): offset " + std::to_string(offset) + ", limit " +
                                 std::to_string(limit) + " (at most " + std::to_string(kPageRowsMax) + ")");
  }
  return {};
}

std::string cut_utf8(std::string_view text, size_t bytes_max) {
  if (text.size() <= bytes_max) return std::string(text);
  size_t end = bytes_max;
  // Step back over continuation bytes (10xxxxxx) to the start of the
  // character that would be cut, and cut before it.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

std::string ascii_lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string like_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

void bind_opt_int(Statement& stmt, int param, const std::optional<int64_t>& value) {
  if (value) {
    stmt.bind_int(param, *value);
  } else {
    stmt.bind_null(param);
  }
}

void bind_opt_level(Statement& stmt, int param, const std::optional<int>& level) {
  if (level) {
    stmt.bind_int(param, *level);
  } else {
    stmt.bind_null(param);
  }
}

std::optional<int> opt_level_at(const Statement& s, int column) {
  if (auto v = s.opt_int_at(column)) return static_cast<int>(*v);
  return std::nullopt;
}

Where& Where::add(std::string_view condition, std::initializer_list<Value> values) {
  sql_ += sql_.empty() ? " WHERE (" : " AND (";
  sql_ += condition;
  sql_ += ')';
  params_.insert(params_.end(), values.begin(), values.end());
  return *this;
}

int Where::bind(Statement& stmt, const SensitiveCodec& codec) const {
  int param = 1;
  for (const Value& p : params_) {
    if (p.blind) {
      bind_blind_index(stmt, param, codec, p.blind->kind, p.blind->value);
    } else if (p.is_text) {
      stmt.bind_text(param, p.text);
    } else {
      stmt.bind_int(param, p.integer);
    }
    ++param;
  }
  return param;
}

}  // namespace repo

// --- SqliteStore members shared by the repository files --------------------------

Result<void> SqliteStore::begin_read() {
  if (!db_.autocommit()) return fail("DB", "事务已开始 (a transaction is already open)", {db_.path(), 0, ""});
  // Deferred: the snapshot is taken at the first read and kept until the end;
  // in WAL mode writers carry on meanwhile.
  return db_.exec("BEGIN");
}

int64_t SqliteStore::changes() const { return sqlite3_changes64(db_.handle()); }

Result<void> SqliteStore::require_changed(std::string_view what, int64_t id) const {
  if (changes() == 0) {
    return fail("NOT_FOUND", std::string(what) + " 不存在 (not found): " + std::to_string(id), {db_.path(), 0, ""});
  }
  return {};
}

}  // namespace zizhu::store::sqlite

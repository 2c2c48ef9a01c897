#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/student_rows.h"

#include "core/masking.h"
#include "store/migrations.h"
#include "store/sqlite/migrate.h"
#include "store/sqlite/sensitive_columns.h"

namespace zizhu::store::sqlite {

namespace {

// Upper bound on rows returned by one listing call: a province holds about ten
// million students; anything larger is a mistake, not data.
constexpr size_t kRowsMax = 50'000'000;

Error corrupt(const Connection& db, std::string what) {
  return Error::make("DB_CORRUPT", "数据库内容不正确 (unexpected value in the database): " + what, {db.path(), 0, ""});
}

Result<std::string> pragma_text(Connection& db, std::string_view sql) {
  auto stmt = db.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::string();
  return stmt->text_at(0);
}

// --- org_node rows -------------------------------------------------------------

constexpr std::string_view kOrgColumns = "id, parent_id, kind, code, name, path";

Result<OrgNode> read_org(const Connection& db, const Statement& stmt) {
  OrgNode node;
  node.id = stmt.int_at(0);
  node.parent_id = stmt.opt_int_at(1);
  auto kind = parse_org_kind(stmt.text_at(2));
  if (!kind) return tl::unexpected(corrupt(db, "org_node.kind = '" + stmt.text_at(2) + "'"));
  node.kind = *kind;
  node.code = stmt.text_at(3);
  node.name = stmt.text_at(4);
  node.path = stmt.text_at(5);
  return node;
}

template <class Read>
auto collect(Statement& stmt, Read&& read) -> Result<std::vector<typename decltype(read(stmt))::value_type>> {
  using T = typename decltype(read(stmt))::value_type;
  std::vector<T> out;
  while (out.size() < kRowsMax) {
    auto row = stmt.step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return out;
    auto value = read(stmt);
    if (!value) return tl::unexpected(value.error());
    out.push_back(std::move(*value));
  }
  return fail("DB", "查询结果过多 (too many rows)");
}

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

// --- school rows ---------------------------------------------------------------

constexpr std::string_view kSchoolSelect =
    "SELECT s.org_id, s.school_code, s.name, s.stage, s.county_id, n.path"
    " FROM school s JOIN org_node n ON n.id = s.org_id";

Result<School> read_school(const Connection& db, const Statement& stmt) {
  School school;
  school.org_id = stmt.int_at(0);
  school.school_code = stmt.text_at(1);
  school.name = stmt.text_at(2);
  if (auto stage = stmt.opt_text_at(3)) {
    auto parsed = parse_school_stage(*stage);
    if (!parsed) return tl::unexpected(corrupt(db, "school.stage = '" + *stage + "'"));
    school.stage = *parsed;
  }
  school.county_id = stmt.int_at(4);
  school.path = stmt.text_at(5);
  return school;
}

void bind_opt_stage(Statement& stmt, int param, const std::optional<SchoolStage>& stage) {
  if (stage) {
    stmt.bind_text(param, school_stage_name(*stage));
  } else {
    stmt.bind_null(param);
  }
}

// --- student rows --------------------------------------------------------------

const std::string kStudentSelect = "SELECT " + std::string(kStudentColumns) + " FROM student st";

// Parameters 1-15 of both the INSERT and the UPDATE.
void bind_student(Statement& stmt, const SensitiveCodec& codec, const StudentInput& s) {
  bind_sensitive(stmt, 1, 2, codec, SensitiveKind::kStudentNo, s.student_no);
  stmt.bind_text(3, s.name);
  bind_sensitive(stmt, 4, 5, codec, SensitiveKind::kResidentId, s.id_number);
  if (s.gender) {
    stmt.bind_text(6, *s.gender == Gender::kMale ? "M" : "F");
  } else {
    stmt.bind_null(6);
  }
  if (s.birth_date) {
    stmt.bind_text(7, s.birth_date->iso());
  } else {
    stmt.bind_null(7);
  }
  stmt.bind_int(8, s.school_id);
  stmt.bind_int(9, s.grade);
  stmt.bind_text(10, s.class_name);
  stmt.bind_int(11, s.boarding ? 1 : 0);
  stmt.bind_text(12, s.guardian_name);
  if (s.guardian_id) {
    stmt.bind_int(13, *s.guardian_id);
  } else {
    stmt.bind_null(13);
  }
  bind_sensitive(stmt, 14, 15, codec, SensitiveKind::kBankCard, s.bank_card);
  bind_masked_forms(stmt, 16, s);
}

Result<int64_t> returning_id(Statement& stmt) {
  auto row = stmt.step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return fail("DB", "INSERT 没有返回 id (no id returned)");
  const int64_t id = stmt.int_at(0);
  if (auto done = stmt.run(); !done) return tl::unexpected(done.error());
  return id;
}

std::string scope_path(std::string_view path) { return path.empty() ? std::string("/") : std::string(path); }

}  // namespace

std::string prefix_upper_bound(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty()) {
    auto& last = bound.back();
    if (static_cast<unsigned char>(last) != 0xFF) {
      last = static_cast<char>(static_cast<unsigned char>(last) + 1);
      return bound;
    }
    bound.pop_back();
  }
  // Every string starts with the empty prefix; a bound above all UTF-8 text.
  return std::string(1, static_cast<char>(0xFF));
}

// --- open --------------------------------------------------------------------

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, SqliteOptions options) {
  auto db = Connection::open(path);
  if (!db) return tl::unexpected(db.error());
  sqlite3_busy_timeout(db->handle(), options.busy_timeout_ms);

  // WAL: readers never block the writer. ":memory:" answers "memory".
  auto mode = pragma_text(*db, "PRAGMA journal_mode=WAL");
  if (!mode) return tl::unexpected(mode.error());
  if (*mode != "wal" && *mode != "memory") {
    return fail("DB", "无法启用 WAL 日志模式 (cannot enable WAL), journal_mode = " + *mode, {path, 0, ""});
  }
  // In WAL mode NORMAL is durable against application crashes and keeps the
  // database consistent on power loss (the last commits may be lost).
  if (auto ok = db->exec("PRAGMA synchronous=NORMAL"); !ok) return tl::unexpected(ok.error());
  if (auto ok = db->exec("PRAGMA foreign_keys=ON"); !ok) return tl::unexpected(ok.error());
  // Deleted personal data is overwritten, not left readable in free pages.
  if (auto ok = db->exec("PRAGMA secure_delete=ON"); !ok) return tl::unexpected(ok.error());
  auto fk = pragma_text(*db, "PRAGMA foreign_keys");
  if (!fk) return tl::unexpected(fk.error());
  if (*fk != "1") return fail("DB", "SQLite 不支持外键 (foreign keys unavailable)", {path, 0, ""});

  const SensitiveCodec& codec = options.codec != nullptr ? *options.codec : identity_codec();
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(*db), codec));
  auto version = migrate(store->db_, migrations());
  if (!version) return tl::unexpected(version.error());
  store->schema_version_ = *version;
  // Rows from before migration 4 get their masked display forms, once. Only
  // with a real codec: the identity codec would "decode" sealed text as it
  // is and store masks of ciphertext (those rows are read through the
  // fallback of read_student_listing instead).
  if (&codec != &identity_codec()) {
    if (auto filled = fill_masked_forms(store->db_, codec); !filled) return tl::unexpected(filled.error());
  }
  return store;
}

// --- transactions ------------------------------------------------------------

Result<void> SqliteStore::begin() {
  if (!db_.autocommit()) return fail("DB", "事务已开始 (a transaction is already open)", {db_.path(), 0, ""});
  // IMMEDIATE takes the write lock now, so two writers never deadlock on an
  // upgrade from a read lock; the busy timeout makes the second one wait.
  return db_.exec("BEGIN IMMEDIATE");
}

Result<void> SqliteStore::commit() { return db_.exec("COMMIT"); }

Result<void> SqliteStore::rollback() {
  if (db_.autocommit()) return {};
  return db_.exec("ROLLBACK");
}

bool SqliteStore::in_transaction() const { return !db_.autocommit(); }

// --- organisation tree -----------------------------------------------------

Result<std::optional<OrgNode>> SqliteStore::get_org_node(int64_t id) {
  static const std::string sql = "SELECT " + std::string(kOrgColumns) + " FROM org_node WHERE id = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_int(1, id);
  return first(*stmt, [this](const Statement& s) { return read_org(db_, s); });
}

Result<std::optional<OrgNode>> SqliteStore::find_org_node(std::string_view code) {
  static const std::string sql = "SELECT " + std::string(kOrgColumns) + " FROM org_node WHERE code = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, code);
  return first(*stmt, [this](const Statement& s) { return read_org(db_, s); });
}

Result<std::vector<OrgNode>> SqliteStore::org_subtree(std::string_view path) {
  static const std::string sql =
      "SELECT " + std::string(kOrgColumns) + " FROM org_node WHERE path >= ? AND path < ? ORDER BY path";
  const std::string low = scope_path(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, low).bind_text(2, prefix_upper_bound(low));
  return collect(*stmt, [this](const Statement& s) { return read_org(db_, s); });
}

Result<Upserted> SqliteStore::upsert_org_node(const OrgNodeInput& node) {
  const Location where{db_.path(), 0, "org_node"};
  if (node.code.empty()) return fail("BAD_VALUE", "组织节点缺少代码 (org node without a code)", where);
  if ((node.kind == OrgKind::kProvince) != !node.parent_id) {
    return fail("BAD_VALUE", "只有省级节点没有上级 (only a province has no parent): " + node.code, where);
  }
  std::string path = "/";
  if (node.parent_id) {
    auto parent = get_org_node(*node.parent_id);
    if (!parent) return tl::unexpected(parent.error());
    if (!*parent) {
      return fail("NOT_FOUND", "上级组织节点不存在 (parent org node not found): " + std::to_string(*node.parent_id),
                  where);
    }
    if (static_cast<int>((*parent)->kind) >= static_cast<int>(node.kind)) {
      return fail("BAD_VALUE",
                  "上级节点的层级不对 (a " + std::string(org_kind_name(node.kind)) + " cannot be under a " +
                      std::string(org_kind_name((*parent)->kind)) + "): " + node.code,
                  where);
    }
    path = (*parent)->path;
  }
  path += path_segment(node.kind, node.code);
  path += '/';

  auto existing = find_org_node(node.code);
  if (!existing) return tl::unexpected(existing.error());
  if (!*existing) {
    auto stmt = db_.prepare("INSERT INTO org_node (parent_id, kind, code, name, path) VALUES (?, ?, ?, ?, ?) RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    if (node.parent_id) {
      stmt->bind_int(1, *node.parent_id);
    } else {
      stmt->bind_null(1);
    }
    stmt->bind_text(2, org_kind_name(node.kind)).bind_text(3, node.code).bind_text(4, node.name).bind_text(5, path);
    auto id = returning_id(*stmt);
    if (!id) return tl::unexpected(id.error());
    return Upserted{*id, Outcome::kInserted};
  }
  const OrgNode& old = **existing;
  if (old.parent_id == node.parent_id && old.kind == node.kind && old.name == node.name && old.path == path) {
    return Upserted{old.id, Outcome::kUnchanged};
  }
  {
    auto stmt = db_.prepare("UPDATE org_node SET parent_id = ?, kind = ?, name = ?, path = ? WHERE id = ?");
    if (!stmt) return tl::unexpected(stmt.error());
    if (node.parent_id) {
      stmt->bind_int(1, *node.parent_id);
    } else {
      stmt->bind_null(1);
    }
    stmt->bind_text(2, org_kind_name(node.kind)).bind_text(3, node.name).bind_text(4, path).bind_int(5, old.id);
    if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  }
  if (old.path != path) {
    // The node moved: its descendants' paths follow (substr is 1-based in
    // SQLite and PostgreSQL alike).
    auto stmt = db_.prepare("UPDATE org_node SET path = ? || substr(path, ?) WHERE path > ? AND path < ?");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_text(1, path)
        .bind_int(2, static_cast<int64_t>(old.path.size()) + 1)
        .bind_text(3, old.path)
        .bind_text(4, prefix_upper_bound(old.path));
    if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  }
  return Upserted{old.id, Outcome::kUpdated};
}

// --- schools -----------------------------------------------------------------

Result<std::optional<School>> SqliteStore::find_school(std::string_view school_code) {
  static const std::string sql = std::string(kSchoolSelect) + " WHERE s.school_code = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, school_code);
  return first(*stmt, [this](const Statement& s) { return read_school(db_, s); });
}

Result<std::vector<School>> SqliteStore::schools_under(std::string_view path) {
  static const std::string sql =
      std::string(kSchoolSelect) + " WHERE n.path >= ? AND n.path < ? ORDER BY s.school_code";
  const std::string low = scope_path(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, low).bind_text(2, prefix_upper_bound(low));
  return collect(*stmt, [this](const Statement& s) { return read_school(db_, s); });
}

Result<Upserted> SqliteStore::upsert_school(const SchoolInput& school) {
  const Location where{db_.path(), 0, "school"};
  auto county = get_org_node(school.county_id);
  if (!county) return tl::unexpected(county.error());
  if (!*county || (*county)->kind != OrgKind::kCounty) {
    return fail("NOT_FOUND", "学校的区县节点不存在 (county org node not found) for " + school.school_code, where);
  }
  auto node = upsert_org_node({school.county_id, OrgKind::kSchool, school.school_code, school.name});
  if (!node) return tl::unexpected(node.error());

  auto existing = find_school(school.school_code);
  if (!existing) return tl::unexpected(existing.error());
  if (!*existing) {
    auto stmt = db_.prepare("INSERT INTO school (org_id, school_code, name, stage, county_id) VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_int(1, node->id).bind_text(2, school.school_code).bind_text(3, school.name);
    bind_opt_stage(*stmt, 4, school.stage);
    stmt->bind_int(5, school.county_id);
    if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
    return Upserted{node->id, Outcome::kInserted};
  }
  const School& old = **existing;
  if (old.name == school.name && old.stage == school.stage && old.county_id == school.county_id) {
    return Upserted{old.org_id, node->outcome == Outcome::kUnchanged ? Outcome::kUnchanged : Outcome::kUpdated};
  }
  auto stmt = db_.prepare("UPDATE school SET name = ?, stage = ?, county_id = ? WHERE org_id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, school.name);
  bind_opt_stage(*stmt, 2, school.stage);
  stmt->bind_int(3, school.county_id).bind_int(4, old.org_id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return Upserted{old.org_id, Outcome::kUpdated};
}

// --- guardians -----------------------------------------------------------------

Result<std::optional<Guardian>> SqliteStore::find_guardian(const SensitiveText& id_number) {
  auto stmt = db_.prepare("SELECT id, name, id_number, phone FROM guardian WHERE id_number_index = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  bind_blind_index(*stmt, 1, codec_, SensitiveKind::kResidentId, id_number);
  return first(*stmt, [this](const Statement& s) -> Result<Guardian> {
    Guardian g;
    g.id = s.int_at(0);
    g.name = s.text_at(1);
    auto id = read_sensitive(s, 2, codec_, SensitiveKind::kResidentId);
    if (!id) return tl::unexpected(id.error());
    if (!*id) return tl::unexpected(corrupt(db_, "guardian.id_number is NULL"));
    g.id_number = std::move(**id);
    auto phone = read_sensitive(s, 3, codec_, SensitiveKind::kPhone);
    if (!phone) return tl::unexpected(phone.error());
    g.phone = std::move(*phone);
    return g;
  });
}

Result<Upserted> SqliteStore::upsert_guardian(const GuardianInput& guardian) {
  if (guardian.id_number.empty()) {
    return fail("BAD_VALUE", "监护人缺少身份证号 (guardian without an ID number)", {db_.path(), 0, "guardian"});
  }
  auto existing = find_guardian(guardian.id_number);
  if (!existing) return tl::unexpected(existing.error());
  if (!*existing) {
    auto stmt = db_.prepare(
        "INSERT INTO guardian (name, id_number, id_number_index, phone, phone_index) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    stmt->bind_text(1, guardian.name);
    bind_sensitive(*stmt, 2, 3, codec_, SensitiveKind::kResidentId, guardian.id_number);
    bind_sensitive(*stmt, 4, 5, codec_, SensitiveKind::kPhone, guardian.phone);
    auto id = returning_id(*stmt);
    if (!id) return tl::unexpected(id.error());
    return Upserted{*id, Outcome::kInserted};
  }
  const Guardian& old = **existing;
  // An absent phone keeps the stored one: a roster carries no phones, and
  // importing it must not erase what a guardian entered.
  const std::optional<SensitiveText> phone = guardian.phone ? guardian.phone : old.phone;
  if (old.name == guardian.name && old.phone == phone) return Upserted{old.id, Outcome::kUnchanged};
  auto stmt = db_.prepare("UPDATE guardian SET name = ?, phone = ?, phone_index = ? WHERE id = ?");
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, guardian.name);
  bind_sensitive(*stmt, 2, 3, codec_, SensitiveKind::kPhone, phone);
  stmt->bind_int(4, old.id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  return Upserted{old.id, Outcome::kUpdated};
}

// --- students ------------------------------------------------------------------

Result<std::optional<Student>> SqliteStore::find_student(const SensitiveText& student_no) {
  static const std::string sql = std::string(kStudentSelect) + " WHERE st.student_no_index = ?";
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  bind_blind_index(*stmt, 1, codec_, SensitiveKind::kStudentNo, student_no);
  return first(*stmt, [this](const Statement& s) { return read_student_row(db_, codec_, s); });
}

Result<std::vector<Student>> SqliteStore::students_under(std::string_view path) {
  static const std::string sql = std::string(kStudentSelect) +
                                 " JOIN school sc ON sc.org_id = st.school_id JOIN org_node n ON n.id = sc.org_id"
                                 " WHERE n.path >= ? AND n.path < ? ORDER BY sc.school_code, st.student_no_index";
  const std::string low = scope_path(path);
  auto stmt = db_.prepare(sql);
  if (!stmt) return tl::unexpected(stmt.error());
  stmt->bind_text(1, low).bind_text(2, prefix_upper_bound(low));
  return collect(*stmt, [this](const Statement& s) { return read_student_row(db_, codec_, s); });
}

Result<int64_t> SqliteStore::count_students() {
  auto stmt = db_.prepare("SELECT COUNT(*) FROM student");
  if (!stmt) return tl::unexpected(stmt.error());
  auto row = stmt->step();
  if (!row) return tl::unexpected(row.error());
  return stmt->int_at(0);
}

Result<Upserted> SqliteStore::upsert_student(const StudentInput& student) {
  if (student.student_no.empty()) {
    return fail("BAD_VALUE", "学生缺少学籍号 (student without a 学籍号)", {db_.path(), 0, "student"});
  }
  auto existing = find_student(student.student_no);
  if (!existing) return tl::unexpected(existing.error());
  if (!*existing) {
    auto stmt = db_.prepare(
        "INSERT INTO student (student_no, student_no_index, name, id_number, id_number_index, gender, birth_date,"
        " school_id, grade, class_name, boarding, guardian_name, guardian_id, bank_card, bank_card_index,"
        " student_no_masked, id_number_masked, bank_card_masked)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) RETURNING id");
    if (!stmt) return tl::unexpected(stmt.error());
    bind_student(*stmt, codec_, student);
    auto id = returning_id(*stmt);
    if (!id) return tl::unexpected(id.error());
    return Upserted{*id, Outcome::kInserted};
  }
  const Student& old = **existing;
  // Compared as decoded values: a real codec stores each value differently
  // every time (a fresh IV), so stored texts say nothing about equality.
  if (old.data == student) return Upserted{old.id, Outcome::kUnchanged};
  auto stmt = db_.prepare(
      "UPDATE student SET student_no = ?1, student_no_index = ?2, name = ?3, id_number = ?4, id_number_index = ?5,"
      " gender = ?6, birth_date = ?7, school_id = ?8, grade = ?9, class_name = ?10, boarding = ?11,"
      " guardian_name = ?12, guardian_id = ?13, bank_card = ?14, bank_card_index = ?15,"
      " student_no_masked = ?16, id_number_masked = ?17, bank_card_masked = ?18 WHERE id = ?19");
  if (!stmt) return tl::unexpected(stmt.error());
  bind_student(*stmt, codec_, student);
  stmt->bind_int(19, old.id);
  if (auto ok = stmt->run(); !ok) return tl::unexpected(ok.error());
  Upserted done{old.id, Outcome::kUpdated, std::nullopt};
  if (old.data.bank_card && old.data.bank_card != student.bank_card) {
    done.replaced_card_masked = mask_bank_card(old.data.bank_card->plain());
  }
  return done;
}

}  // namespace zizhu::store::sqlite

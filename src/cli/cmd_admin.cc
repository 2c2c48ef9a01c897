// Administration without the web front end (server.md): `zizhu user add`,
// `zizhu migrate`, `zizhu backup`.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "app/users.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "store/blob_store.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::cli {

namespace {

struct UserAddArgs {
  std::string db;
  std::string key_file;
  std::string username;
  std::string name;
  std::string org;
  std::vector<std::string> roles;
};

int user_add(const UserAddArgs& a) {
  app::AppOptions o;
  o.db_path = a.db;
  o.key_file = a.key_file;
  o.stores_max = 1;
  auto opened = app::App::open(o);
  if (!opened) {
    std::cerr << "zizhu user add: " << opened.error().message << "\n";
    return kExitCannotStart;
  }
  app::App& application = **opened;
  auto store = application.store();
  if (!store) {
    std::cerr << "zizhu user add: " << store.error().message << "\n";
    return kExitCannotStart;
  }
  app::NewUser n;
  n.username = a.username;
  n.display_name = a.name;
  n.org_code = a.org;
  n.roles = a.roles;
  auto created = app::create_user(application, **store, app::system_actor("cli"), n);
  if (!created) {
    const Error& e = created.error();
    std::cerr << "zizhu user add: " << e.message << (e.where.column.empty() ? "" : " (" + e.where.column + ")")
              << "\n";
    return kExitFailed;
  }
  std::cout << "已创建用户 " << created->user.username << "（" << created->user.org_name << "）\n"
            << "临时密码 (temporary password, to be changed at first login): " << created->temporary_password
            << "\n";
  return kExitOk;
}

int migrate(const std::string& db) {
  // Opening applies every missing migration, forward only, in one
  // transaction each (store/sqlite/migrate.h).
  auto opened = store::sqlite::SqliteStore::open(db);
  if (!opened) {
    std::cerr << "zizhu migrate: " << opened.error().message << "\n";
    return kExitFailed;
  }
  std::cout << "数据库结构版本 (schema version): " << (*opened)->schema_version() << "\n";
  return kExitOk;
}

int backup(const std::string& db, const std::string& out, const std::string& files) {
  if (std::filesystem::exists(out) || std::filesystem::exists(out + ".files")) {
    std::cerr << "zizhu backup: " << out << " 已存在，不覆盖 (exists; not overwritten)\n";
    return kExitCannotStart;
  }
  if (!std::filesystem::is_regular_file(db)) {
    std::cerr << "zizhu backup: 数据库不存在 (no database at) " << db << "\n";
    return kExitCannotStart;
  }
  auto opened = store::sqlite::SqliteStore::open(db);
  if (!opened) {
    std::cerr << "zizhu backup: " << opened.error().message << "\n";
    return kExitFailed;
  }
  // VACUUM INTO writes a consistent snapshot while the server keeps running
  // (a read transaction), compacted, with sealed values as they are: the
  // backup is as safe as the database, and useless without the key file.
  auto stmt = (*opened)->connection().prepare("VACUUM INTO ?1");
  if (!stmt) {
    std::cerr << "zizhu backup: " << stmt.error().message << "\n";
    return kExitFailed;
  }
  stmt->bind_text(1, out);
  if (auto ok = stmt->run(); !ok) {
    std::cerr << "zizhu backup: " << ok.error().message << "\n";
    return kExitFailed;
  }
  std::filesystem::permissions(out, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // The evidence files (sealed, content-named, never changed once written)
  // after the snapshot: every file a row of the snapshot names was written
  // before its row, so it is there to copy.
  auto copied = store::BlobStore::copy_files(files.empty() ? db + ".files" : files, out + ".files");
  if (!copied) {
    std::cerr << "zizhu backup: 证明材料文件未能备份 (evidence files not copied): " << copied.error().message << "\n";
    return kExitFailed;
  }
  std::cout << "已备份到 (backed up to) " << out << "，证明材料 " << *copied << " 个文件到 (evidence files to) " << out
            << ".files；密钥文件须另行备份 (back the key file up separately)\n";
  return kExitOk;
}

}  // namespace

void add_admin_commands(CLI::App& app, int& exit_code) {
  auto* user = app.add_subcommand("user", "用户管理 (user administration)");
  user->require_subcommand(1);
  auto args = std::make_shared<UserAddArgs>();
  auto* add = user->add_subcommand("add", "新增用户，打印临时密码 (add a user; prints a temporary password)");
  add->add_option("--db", args->db, "SQLite database file")->required();
  add->add_option("--key-file", args->key_file, "key file (default: ZIZHU_KEYS)");
  add->add_option("--username", args->username, "login name (a-z 0-9 . _ -)")->required();
  add->add_option("--name", args->name, "display name")->required();
  add->add_option("--org", args->org, "organisation code (region code or 学校标识码)")->required();
  add->add_option("--role", args->roles, "role key, repeatable: sysadmin auditor county_officer finance school_officer reviewer")
      ->required();
  add->callback([args, &exit_code] { exit_code = user_add(*args); });

  auto db = std::make_shared<std::string>();
  auto* mig = app.add_subcommand("migrate", "应用数据库结构迁移 (apply the schema migrations)");
  mig->add_option("--db", *db, "SQLite database file")->required();
  mig->callback([db, &exit_code] { exit_code = migrate(*db); });

  auto bdb = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto files = std::make_shared<std::string>();
  auto* bak = app.add_subcommand("backup", "在线备份数据库 (a consistent copy while serving)");
  bak->add_option("--db", *bdb, "SQLite database file")->required();
  bak->add_option("--out", *out, "backup file (must not exist); the evidence files go to OUT.files")->required();
  bak->add_option("--files", *files, "the evidence files folder (default: DB.files)");
  bak->callback([bdb, out, files, &exit_code] { exit_code = backup(*bdb, *out, *files); });
}

}  // namespace zizhu::cli

// `zizhu keys init|rotate|seal|status`: the key file of encryption at rest
// (docs/crypto.md). No subcommand ever prints key material.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/sealed_db.h"
#include "crypto/key_ring.h"
#include "store/sealed_codec.h"
#include "store/sqlite/reseal.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::cli {

namespace {

struct KeysArgs {
  std::string key_file;
  std::string db;
};

int report(std::string_view command, const Error& e, int code) {
  std::cerr << "zizhu keys " << command << ": " << e.message << "\n";
  return code;
}

int run_init(const KeysArgs& a) {
  auto id = crypto::KeyRing::generate_file(a.key_file);
  if (!id) return report("init", id.error(), kExitCannotStart);
  std::cout << "已创建密钥文件 " << a.key_file << "（权限 600，当前密钥 " << *id << "）\n"
            << "created key file " << a.key_file << " (mode 600, active key " << *id << ")\n"
            << "请另行备份此文件，不要与数据库放在同一备份中：丢失密钥即丢失加密数据。\n"
            << "Back it up apart from the database: without it the sealed data cannot be read.\n";
  return kExitOk;
}

void print_counts(const std::map<std::string, int64_t>& counts, const crypto::KeyRing& ring) {
  for (const auto& [id, n] : counts) {
    std::string note;
    if (id.empty()) {
      note = "未加密 (not sealed)";
    } else if (!ring.contains(id)) {
      note = "密钥不在密钥环中 (key NOT in the ring)";
    } else if (id == ring.active_id()) {
      note = "当前密钥 (active)";
    } else {
      note = "旧密钥 (older key in the ring)";
    }
    std::cout << "  " << (id.empty() ? "-" : id) << "\t" << n << "\t" << note << "\n";
  }
}

int run_status(const KeysArgs& a) {
  auto ring = crypto::KeyRing::load(a.key_file);
  if (!ring) return report("status", ring.error(), kExitCannotStart);
  if (!std::filesystem::exists(a.db)) {
    return report("status", Error::make("IO", "数据库不存在 (no database at) " + a.db), kExitCannotStart);
  }
  const store::SealedCodec codec(*ring);
  auto db = store::sqlite::SqliteStore::open(a.db, {.codec = &codec});
  if (!db) return report("status", db.error(), kExitCannotStart);
  auto counts = store::sqlite::count_values_by_key((*db)->connection());
  if (!counts) return report("status", counts.error(), kExitFailed);
  std::cout << "密钥环 (key ring): ";
  for (const std::string& id : ring->ids()) std::cout << id << (id == ring->active_id() ? "* " : " ");
  std::cout << "\n各密钥加密的值 (sealed values per key):\n";
  print_counts(*counts, *ring);
  for (const auto& [id, n] : *counts) {
    // Values this ring cannot read: say so in the exit code, for scripts.
    if (id.empty() || !ring->contains(id)) return kExitFailed;
  }
  return kExitOk;
}

// Rotation: the new key file is written beside the old one (PATH.new), the
// database resealed under the new key in one transaction, and only then the
// new file renamed over the old. A failure before the rename leaves both the
// database and the key file as they were.
int run_rotate(const KeysArgs& a) {
  const std::string staged = a.key_file + ".new";
  auto old_ring = crypto::KeyRing::load_file(a.key_file);
  if (!old_ring) return report("rotate", old_ring.error(), kExitCannotStart);
  if (!std::filesystem::exists(a.db)) {
    return report("rotate", Error::make("IO", "数据库不存在 (no database at) " + a.db), kExitCannotStart);
  }
  if (std::filesystem::exists(staged)) {
    std::cerr << "zizhu keys rotate: " << staged
              << " 已存在：上一次轮换没有完成 (a previous rotation did not finish).\n"
              << "  查看数据库使用的密钥 (see which keys the database uses):\n"
              << "    zizhu keys status --db " << a.db << " --key-file " << staged << "\n"
              << "  若有值使用 " << staged << " 中的最新密钥 (if values use its newest key): mv " << staged << " "
              << a.key_file << "\n"
              << "  否则删除它后重试 (otherwise delete it and run rotate again): rm " << staged << "\n";
    return kExitCannotStart;
  }
  auto new_id = crypto::KeyRing::write_with_new_key(a.key_file, staged);
  if (!new_id) return report("rotate", new_id.error(), kExitCannotStart);
  auto discard_staged = [&staged] {
    std::error_code ignored;
    std::filesystem::remove(staged, ignored);
  };
  auto new_ring = crypto::KeyRing::load_file(staged);
  if (!new_ring) {
    discard_staged();
    return report("rotate", new_ring.error(), kExitFailed);
  }
  const store::SealedCodec from(*old_ring);
  const store::SealedCodec to(*new_ring);
  auto db = store::sqlite::SqliteStore::open(a.db, {.codec = &to});
  if (!db) {
    discard_staged();
    return report("rotate", db.error(), kExitCannotStart);
  }
  auto resealed = store::sqlite::reseal_all((*db)->connection(), from, to);
  if (!resealed) {
    discard_staged();
    std::cerr << "zizhu keys rotate: " << resealed.error().message << "\n"
              << "数据库与密钥文件均未改变 (the database and the key file are unchanged).\n";
    return kExitFailed;
  }
  db->reset();  // closed before the key file changes
  if (auto replaced = crypto::KeyRing::replace_file(staged, a.key_file); !replaced) {
    std::cerr << "zizhu keys rotate: " << replaced.error().message << "\n"
              << "!! 数据库已用新密钥 " << *new_id << " 重新加密，新密钥只在 " << staged << " 中。\n"
              << "!! The database is now sealed with " << *new_id << ", which is only in " << staged << ".\n"
              << "!! 请立即执行 (do this now): mv " << staged << " " << a.key_file << "\n";
    return kExitFailed;
  }
  // The rotation itself goes into the audit chain (under the new key).
  if (auto audited = open_sealed_db(a.db, a.key_file); audited) {
    if (auto ok = audit_cli_action(*audited, "keys.rotate", "key", *new_id,
                                   "{\"values\":" + std::to_string(resealed->values_total) + "}");
        !ok) {
      std::cerr << "zizhu keys rotate: 审计记录写入失败 (the audit record failed): " << ok.error().message << "\n";
    }
  }
  std::cout << "当前密钥 (active key): " << *new_id << "\n";
  for (const auto& c : resealed->columns) {
    std::cout << "  " << c.table << "." << c.column << "\t" << c.values << "\n";
  }
  std::cout << "重新加密 " << resealed->values_total << " 个值 (values resealed: " << resealed->values_total << ")\n";
  if (!resealed->wal_emptied) {
    std::cout << "注意：另一连接占用数据库，旧密文暂留在 " << a.db << "-wal 中，直到下次检查点 "
              << "(another connection held the WAL; old forms stay in it until its next checkpoint)\n";
  }
  std::cout << "请重启服务器以使用新密钥 (restart the server: it reads the keys at start).\n"
            << "旧密钥仍在密钥文件中：轮换之前的数据库备份需要它来读取。\n"
            << "The older keys stay in the key file: backups made before this rotation need them.\n";
  return kExitOk;
}

// A database written without keys (the identity codec: plain values) sealed
// in place under the active key. Refused when any value is sealed already,
// since the identity codec would take sealed text for plain and seal it twice.
int run_seal(const KeysArgs& a) {
  auto ring = crypto::KeyRing::load(a.key_file);
  if (!ring) return report("seal", ring.error(), kExitCannotStart);
  if (!std::filesystem::exists(a.db)) {
    return report("seal", Error::make("IO", "数据库不存在 (no database at) " + a.db), kExitCannotStart);
  }
  const store::SealedCodec to(*ring);
  auto db = store::sqlite::SqliteStore::open(a.db, {.codec = &to});
  if (!db) return report("seal", db.error(), kExitCannotStart);
  auto counts = store::sqlite::count_values_by_key((*db)->connection());
  if (!counts) return report("seal", counts.error(), kExitFailed);
  for (const auto& [id, n] : *counts) {
    if (!id.empty()) {
      std::cerr << "zizhu keys seal: 数据库中已有 " << n << " 个值由密钥 " << id
                << " 加密，拒绝再次加密；请用 keys rotate (values already sealed with " << id << "; use keys rotate)\n";
      return kExitCannotStart;
    }
  }
  auto sealed = store::sqlite::reseal_all((*db)->connection(), store::identity_codec(), to);
  if (!sealed) {
    std::cerr << "zizhu keys seal: " << sealed.error().message << "\n数据库未改变 (the database is unchanged).\n";
    return kExitFailed;
  }
  std::cout << "已用密钥 " << ring->active_id() << " 加密 " << sealed->values_total << " 个值 (values sealed under "
            << ring->active_id() << ": " << sealed->values_total << ")\n";
  if (!sealed->wal_emptied) {
    std::cout << "注意：另一连接占用数据库，明文暂留在 " << a.db << "-wal 中，直到下次检查点 "
              << "(another connection held the WAL; plain values stay in it until its next checkpoint)\n";
  }
  std::cout << "此前的数据库备份仍含明文，请按规定销毁 (backups made before hold plain values: destroy them).\n";
  return kExitOk;
}

}  // namespace

void add_keys_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("keys", "加密密钥：创建、轮换、查看 (encryption keys: create, rotate, inspect)");
  cmd->require_subcommand(1);

  auto init_args = std::make_shared<KeysArgs>();
  auto* init = cmd->add_subcommand("init", "创建新的密钥文件 (create a new key file, mode 600; never overwrites)");
  init->add_option("--key-file", init_args->key_file, "key file to create")->required();
  init->callback([init_args, &exit_code] { exit_code = run_init(*init_args); });

  auto rotate_args = std::make_shared<KeysArgs>();
  auto* rotate = cmd->add_subcommand(
      "rotate", "添加新密钥并用它重新加密数据库 (add a key and reseal the database under it; stop the server first)");
  rotate->add_option("--db", rotate_args->db, "SQLite database file")->required();
  rotate->add_option("--key-file", rotate_args->key_file, "key file (gets the new key)")->required();
  rotate->callback([rotate_args, &exit_code] { exit_code = run_rotate(*rotate_args); });

  auto seal_args = std::make_shared<KeysArgs>();
  auto* seal = cmd->add_subcommand(
      "seal", "加密未加密的数据库 (seal a database written without keys, under the active key; stop the server first)");
  seal->add_option("--db", seal_args->db, "SQLite database file")->required();
  seal->add_option("--key-file", seal_args->key_file, "key file (default: ZIZHU_KEYS)");
  seal->callback([seal_args, &exit_code] { exit_code = run_seal(*seal_args); });

  auto status_args = std::make_shared<KeysArgs>();
  auto* status = cmd->add_subcommand(
      "status", "各密钥加密了多少值 (how many values each key sealed; exit 1 if some cannot be read with these keys)");
  status->add_option("--db", status_args->db, "SQLite database file")->required();
  status->add_option("--key-file", status_args->key_file, "key file (default: ZIZHU_KEYS)");
  status->callback([status_args, &exit_code] { exit_code = run_status(*status_args); });
}

}  // namespace zizhu::cli

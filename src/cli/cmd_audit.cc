// `zizhu audit verify --db PATH [--key-file PATH]`: walks the audit chain
// (oversight/audit_chain.h) and names the first bad record. Exit 0 when the
// chain is intact, 1 when it is not (or cannot be read to the end), 2 when the
// check cannot start (arguments, keys, database refused).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/commands.h"
#include "crypto/key_ring.h"
#include "oversight/audit_chain.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::cli {

namespace {

struct AuditArgs {
  std::string db;
  std::string key_file;
};

int cannot_start(const Error& e) {
  std::cerr << "zizhu audit verify: " << e.message << "\n";
  return kExitCannotStart;
}

// The audit keys of the installation's key ring (--key-file, else ZIZHU_KEYS).
// The one place this command meets the key ring: verify itself only sees a
// lookup by key id.
Result<oversight::KeyLookup> audit_keys(const std::string& key_file) {
  auto ring = crypto::KeyRing::load(key_file);
  if (!ring) return tl::unexpected(ring.error());
  auto shared = std::make_shared<crypto::KeyRing>(std::move(*ring));
  return oversight::KeyLookup([shared](std::string_view key_id) -> std::optional<std::vector<uint8_t>> {
    auto key = shared->audit_key(key_id);
    if (!key) return std::nullopt;
    return std::vector<uint8_t>(key->begin(), key->end());
  });
}

// Verifies the chain in the database at `db_path` with `keys`; prints the
// outcome and returns the exit code.
int audit_verify(const std::string& db_path, const oversight::KeyLookup& keys) {
  // Opening would create a missing file: a database that is not there is not
  // an empty, intact log.
  if (!std::filesystem::is_regular_file(db_path)) {
    return cannot_start(Error::make("IO", "数据库不存在 (no database at) " + db_path));
  }
  auto db = store::sqlite::SqliteStore::open(db_path);
  if (!db) return cannot_start(db.error());
  auto report = oversight::AuditChain::verify(**db, keys);
  if (!report) {
    std::cerr << "zizhu audit verify: 无法读完审计日志 (cannot read the audit log to its end): "
              << report.error().message << "\n";
    return kExitFailed;
  }
  if (report->intact()) {
    std::cout << "审计日志完整：共 " << report->records << " 条记录，末条为第 " << report->last_seq << " 条\n"
              << "audit log intact: " << report->records << " records, last seq " << report->last_seq << "\n";
    return kExitOk;
  }
  const oversight::ChainProblem& p = *report->problem;
  std::cout << "审计日志被篡改：第 " << p.seq << " 条记录，" << oversight::chain_fault_label(p.fault) << "\n"
            << "audit log broken at record seq " << p.seq << ": " << oversight::chain_fault_key(p.fault) << "\n"
            << p.detail << "\n";
  return kExitFailed;
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("audit", "审计日志 (the audit log)");
  cmd->require_subcommand(1);

  auto args = std::make_shared<AuditArgs>();
  auto* verify = cmd->add_subcommand(
      "verify", "校验审计日志链，指出第一条有问题的记录 (check the audit chain; name the first bad record)");
  verify->add_option("--db", args->db, "SQLite database file")->required();
  verify->add_option("--key-file", args->key_file, "key file (default: the ZIZHU_KEYS environment variable)");
  verify->callback([args, &exit_code] {
    auto keys = audit_keys(args->key_file);
    if (!keys) {
      exit_code = cannot_start(keys.error());
      return;
    }
    exit_code = audit_verify(args->db, *keys);
  });
}

}  // namespace zizhu::cli

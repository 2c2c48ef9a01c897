// `zizhu ledger check --db PATH [--key-file PATH]`: replays the ledger and
// checks its invariants (funds/ledger_check.h, docs/ledger.md). Exit 0 when
// every invariant holds, 1 naming each broken one (Chinese and English), 2
// when the check cannot start (arguments, keys, database refused).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/sealed_db.h"
#include "funds/ledger_check.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::cli {

namespace {

struct LedgerArgs {
  std::string db;
  std::string key_file;
};

int cannot_start(const Error& e) {
  std::cerr << "zizhu ledger check: " << e.message << "\n";
  return kExitCannotStart;
}

int ledger_check(const LedgerArgs& args) {
  // Opening would create a missing file: a database that is not there is not
  // an empty, balanced ledger.
  if (!std::filesystem::is_regular_file(args.db)) {
    return cannot_start(Error::make("IO", "数据库不存在 (no database at) " + args.db));
  }
  // The ledger holds no personal data, so the keys are needed only to open a
  // database the installation opens with them; without --key-file the file is
  // opened as it is.
  SealedDb sealed;
  std::unique_ptr<store::sqlite::SqliteStore> plain;
  store::Store* db = nullptr;
  if (!args.key_file.empty()) {
    auto opened = open_sealed_db(args.db, args.key_file);
    if (!opened) return cannot_start(opened.error());
    sealed = std::move(*opened);
    db = sealed.store.get();
  } else {
    auto opened = store::sqlite::SqliteStore::open(args.db);
    if (!opened) return cannot_start(opened.error());
    plain = std::move(*opened);
    db = plain.get();
  }
  auto report = funds::check_ledger(*db);
  if (!report) {
    std::cerr << "zizhu ledger check: 无法读完账本 (cannot read the ledger): " << report.error().message << "\n";
    return kExitFailed;
  }
  std::cout << "账户 " << report->accounts << " 个，转账 " << report->transfers << " 笔，未结预留 "
            << report->pending_open << " 笔\n"
            << "accounts " << report->accounts << ", transfers " << report->transfers << ", open pending "
            << report->pending_open << "\n";
  if (report->ok()) {
    std::cout << "账本一致：所有不变量成立\nledger consistent: every invariant holds\n";
    return kExitOk;
  }
  for (const funds::LedgerProblem& p : report->problems) {
    std::cout << "不成立：" << funds::ledger_invariant_label(p.invariant) << " (broken: "
              << funds::ledger_invariant_key(p.invariant) << "): " << p.detail << "\n";
  }
  if (report->problems_total > static_cast<int64_t>(report->problems.size())) {
    std::cout << "另有 " << report->problems_total - static_cast<int64_t>(report->problems.size())
              << " 处未列出 (more not listed)\n";
  }
  std::cout << "账本不一致：共 " << report->problems_total << " 处\nledger inconsistent: " << report->problems_total
            << " problems\n";
  return kExitFailed;
}

}  // namespace

void add_ledger_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("ledger", "资金账本 (the ledger)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<LedgerArgs>();
  auto* check = cmd->add_subcommand(
      "check", "重算所有余额并检查账本不变量 (replay the transfers and check every ledger invariant)");
  check->add_option("--db", args->db, "SQLite database file")->required();
  check->add_option("--key-file", args->key_file, "key file, for a database opened with keys");
  check->callback([args, &exit_code] { exit_code = ledger_check(*args); });
}

}  // namespace zizhu::cli

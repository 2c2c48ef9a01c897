// `zizhu cycle export --db PATH --cycle ID [--school CODE] --out DIR
// [--key-file PATH]`: writes an aid cycle's data as the files `zizhu
// identify` reads (students.csv, lists.csv, applications.csv, budgets.csv,
// policy.toml) — exactly the tables the server's identification run reads
// (docs/aid-cycle.md), so a run can be repeated outside the server. The files
// hold plain ID numbers: the folder is created 0700, the files 0600, and the
// export is recorded in the audit chain. Exit 0 on success, 2 when it cannot
// start or write.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/identification.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/sealed_db.h"

namespace zizhu::cli {

namespace {

struct CycleExportArgs {
  std::string db;
  std::string key_file;
  int64_t cycle = 0;
  std::string school;
  std::string out;
};

int cannot(const Error& e) {
  std::cerr << "zizhu cycle export: " << e.describe() << "\n";
  return kExitCannotStart;
}

int cycle_export(const CycleExportArgs& a) {
  auto db = open_sealed_db(a.db, a.key_file);
  if (!db) return cannot(db.error());
  auto cycle = db->store->get_cycle(a.cycle);
  if (!cycle) return cannot(cycle.error());
  if (!*cycle) return cannot(Error::make("NOT_FOUND", "资助周期不存在 (no such cycle): " + std::to_string(a.cycle)));
  std::optional<store::School> school;
  if (!a.school.empty()) {
    auto found = db->store->find_school(a.school);
    if (!found) return cannot(found.error());
    if (!*found || (*found)->county_id != (*cycle)->county_id) {
      return cannot(Error::make("NOT_FOUND", "学校不属于该资助周期的区县 (school not in the cycle's county): " + a.school));
    }
    school = **found;
  }
  if (auto ok = app::export_cycle_files(*db->store, **cycle, school, a.out); !ok) return cannot(ok.error());
  if (auto ok = audit_cli_action(*db, "cycle.export", "cycle", std::to_string(a.cycle),
                                 "{\"school\":\"" + (school ? school->school_code : std::string()) + "\"}");
      !ok) {
    return cannot(ok.error());
  }
  std::cout << "已导出到 " << a.out << " (exported to " << a.out << ")\n";
  return kExitOk;
}

}  // namespace

void add_cycle_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("cycle", "资助周期 (aid cycles)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<CycleExportArgs>();
  auto* exp = cmd->add_subcommand(
      "export", "导出资助周期的数据为 zizhu identify 的输入文件 (export a cycle as the identify input files)");
  exp->add_option("--db", args->db, "SQLite database file")->required();
  exp->add_option("--key-file", args->key_file, "key file (default: the ZIZHU_KEYS environment variable)");
  exp->add_option("--cycle", args->cycle, "资助周期编号 (cycle id)")->required();
  exp->add_option("--school", args->school, "只导出一所学校 (one school's 学校标识码)");
  exp->add_option("--out", args->out, "输出目录 (output folder, created 0700)")->required();
  exp->callback([args, &exit_code] { exit_code = cycle_export(*args); });
}

}  // namespace zizhu::cli

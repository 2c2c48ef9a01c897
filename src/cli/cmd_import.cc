// `zizhu import schools|students FILE --db PATH`: thin wrappers over
// store/import_schools.h and store/import_students.h.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/audit_log.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/sealed_db.h"
#include "core/date.h"
#include "core/policy.h"
#include "store/import_schools.h"
#include "store/import_students.h"
#include "store/sqlite/sqlite_store.h"

namespace zizhu::cli {

namespace {

struct ImportArgs {
  std::string file;
  std::string db;
  std::string rejects;
  std::string reference_date;
  std::string policy;
  std::string key_file;
};

Date today_local() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&now, &tm);
  return *Date::from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

// Records the import in the audit chain; false (after saying so) when the
// record could not be written.
bool audited(SealedDb& db, const std::string& action, std::string_view kind, const std::string& file,
             int64_t inserted, int64_t updated, int64_t rejected) {
  const std::string counts = app::summary_json({{"file", std::filesystem::path(file).filename().string()},
                                                {"inserted", std::to_string(inserted)},
                                                {"updated", std::to_string(updated)},
                                                {"rejected", std::to_string(rejected)}});
  if (auto ok = audit_cli_action(db, action, "file", "", counts); !ok) {
    std::cerr << "zizhu import " << kind << ": 已导入，但审计记录写入失败 (imported, but the audit record failed): "
              << ok.error().message << "\n";
    return false;
  }
  return true;
}

// The reference date for the birth-date rule: --reference-date, else the
// policy's reference_date, else today.
Result<Date> reference_date(const ImportArgs& args) {
  if (!args.reference_date.empty()) {
    auto date = parse_date(args.reference_date);
    if (!date) return fail("BAD_DATE", "--reference-date 不是有效日期 (not a date): " + args.reference_date);
    return *date;
  }
  if (!args.policy.empty()) {
    // The whole policy is validated, as the identification run would: an
    // import must not accept a reference date from a file identify refuses.
    auto policy = load_policy(args.policy);
    if (!policy) return tl::unexpected(policy.error());
    return policy->reference_date;
  }
  return today_local();
}

int cannot_start(std::string_view command, const Error& e) {
  std::cerr << "zizhu import " << command << ": " << e.message << "\n";
  return kExitCannotStart;
}

// Errors before anything was written (file, columns, database refused) cannot
// start; a database failure during the writes ran and failed, rolled back.
int exit_for(const Error& e) {
  return (e.code == "DB" || e.code == "DB_CORRUPT" || e.code == "REJECTS_WRITE") ? kExitFailed : kExitCannotStart;
}

void print_summary(int64_t read, int64_t inserted, int64_t updated, int64_t unchanged, int64_t rejected,
                   const std::string& rejects_path) {
  std::cout << "读取 " << read << " 行，新增 " << inserted << "，更新 " << updated << "，未变 " << unchanged
            << "，拒收 " << rejected << "\n"
            << "rows read " << read << ", inserted " << inserted << ", updated " << updated << ", unchanged "
            << unchanged << ", rejected " << rejected << "\n"
            << "拒收明细 (rejects): " << rejects_path << "\n";
}

}  // namespace

void add_import_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("import", "导入学校或学生名册 (import schools or a student roster into the database)");
  cmd->require_subcommand(1);

  auto schools_args = std::make_shared<ImportArgs>();
  auto* schools = cmd->add_subcommand(
      "schools", "导入学校与组织机构 (schools and the organisation tree): 学校标识码 学校名称 区县代码 [学段]");
  schools->add_option("FILE", schools_args->file, ".csv or .xlsx")->required();
  schools->add_option("--db", schools_args->db, "SQLite database file (created if absent)")->required();
  schools->add_option("--key-file", schools_args->key_file, "key file (default: the ZIZHU_KEYS environment variable)");
  schools->add_option("--rejects", schools_args->rejects, "rejects file (default: <db>.schools-rejects.csv)");
  schools->callback([schools_args, &exit_code] {
    const ImportArgs& a = *schools_args;
    const std::string rejects = a.rejects.empty() ? store::default_rejects_path(a.db, "schools") : a.rejects;
    auto db = open_sealed_db(a.db, a.key_file);
    if (!db) {
      exit_code = cannot_start("schools", db.error());
      return;
    }
    auto summary = store::import_schools(*db->store, a.file, rejects);
    if (!summary) {
      std::cerr << "zizhu import schools: " << summary.error().message << "\n";
      exit_code = exit_for(summary.error());
      return;
    }
    if (!audited(*db, "school.import", "schools", a.file, summary->inserted, summary->updated,
                 summary->rejected)) {
      exit_code = kExitFailed;
      return;
    }
    print_summary(summary->rows_read, summary->inserted, summary->updated, summary->unchanged, summary->rejected,
                  rejects);
    exit_code = kExitOk;
  });

  auto students_args = std::make_shared<ImportArgs>();
  auto* students = cmd->add_subcommand("students", "导入学生名册 (a roster in identify.md's students format)");
  students->add_option("FILE", students_args->file, ".csv or .xlsx")->required();
  students->add_option("--db", students_args->db, "SQLite database file (created if absent)")->required();
  students->add_option("--key-file", students_args->key_file, "key file (default: the ZIZHU_KEYS environment variable)");
  students->add_option("--rejects", students_args->rejects, "rejects file (default: <db>.students-rejects.csv)");
  auto* ref = students->add_option("--reference-date", students_args->reference_date,
                                   "birth dates after this day are rejected (default: the policy's, else today)");
  auto* policy = students->add_option("--policy", students_args->policy, "policy file giving reference_date");
  ref->excludes(policy);
  students->callback([students_args, &exit_code] {
    const ImportArgs& a = *students_args;
    auto date = reference_date(a);
    if (!date) {
      exit_code = cannot_start("students", date.error());
      return;
    }
    store::StudentImportOptions options;
    options.reference_date = *date;
    options.rejects_path = a.rejects.empty() ? store::default_rejects_path(a.db, "students") : a.rejects;
    // A replaced bank card is logged as changed now, by the system (user 0).
    options.now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto db = open_sealed_db(a.db, a.key_file);
    if (!db) {
      exit_code = cannot_start("students", db.error());
      return;
    }
    auto summary = store::import_students(*db->store, a.file, options);
    if (!summary) {
      std::cerr << "zizhu import students: " << summary.error().message << "\n";
      exit_code = exit_for(summary.error());
      return;
    }
    if (!audited(*db, "student.import", "students", a.file, summary->inserted, summary->updated,
                 summary->rejected)) {
      exit_code = kExitFailed;
      return;
    }
    print_summary(summary->rows_read, summary->inserted, summary->updated, summary->unchanged, summary->rejected,
                  options.rejects_path);
    exit_code = kExitOk;
  });
}

}  // namespace zizhu::cli

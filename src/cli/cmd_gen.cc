// `zizhu gen`: writes a seeded, realistic province for the identification run
// (see docs/bench.md).
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "cli/commands.h"
#include "gen/province_gen.h"

namespace zizhu::cli {

void add_gen_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("gen", "生成模拟数据：写出一个省的学生名册、部门名单、申请、资助记录和预算 (CSV)");
  auto opt = std::make_shared<gen::GenOptions>();
  cmd->add_option("--students", opt->students, "number of roster rows")->required();
  cmd->add_option("--seed", opt->seed, "seed; the same seed gives the same bytes")->required();
  cmd->add_option("--out", opt->out_dir, "output folder (created)")->required();
  cmd->add_option("--dirty-percent", opt->dirty_percent, "percent of rows given a bad value (0-100)")
      ->default_val(1)
      ->check(CLI::Range(0, 100));
  cmd->add_option("--per-school", opt->students_per_school, "students per school")->default_val(500)->check(CLI::Range(1, 100000));
  cmd->callback([opt, &exit_code] {
    auto result = gen::generate_province(*opt);
    if (!result) {
      std::cerr << "zizhu gen: " << result.error().message << "\n";
      exit_code = kExitCannotStart;
      return;
    }
    const auto& s = *result;
    std::cerr << "zizhu gen: " << s.students << " students, " << s.schools << " schools, " << s.list_entries
              << " list entries, " << s.applications << " applications, " << s.history_rows << " history rows, "
              << s.budget_rows << " budget rows, " << s.bytes << " bytes in " << opt->out_dir << "\n";
    exit_code = kExitOk;
  });
}

}  // namespace zizhu::cli

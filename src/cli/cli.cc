#include "cli/cli.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/version.h"

namespace zizhu::cli {

int run(int argc, char** argv) {
  CLI::App app{"zizhu 资助 — 义务教育学生资助管理 (student financial aid for compulsory education)"};
  app.set_version_flag("--version", std::string("zizhu ") + kVersion);
  app.require_subcommand(1);
  int exit_code = kExitOk;

  auto* help = app.add_subcommand("help", "show the commands and their options");
  help->callback([&app] { std::cout << app.get_formatter()->make_help(&app, "zizhu", CLI::AppFormatMode::Normal); });

  add_identify_command(app, exit_code);
  add_gen_command(app, exit_code);
  add_import_command(app, exit_code);
  add_keys_command(app, exit_code);
  add_audit_command(app, exit_code);
  add_cycle_command(app, exit_code);
  add_ledger_command(app, exit_code);
  add_admin_commands(app, exit_code);
  add_serve_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    // CLI11 answers --help/--version with 0; wrong arguments cannot start a run.
    return rc == 0 ? kExitOk : kExitCannotStart;
  }
  return exit_code;
}

}  // namespace zizhu::cli

// Placeholder registration, replaced by the real command.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "cli/commands.h"

namespace zizhu::cli {

void add_identify_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("identify", "(not built yet)");
  cmd->allow_extras();
  cmd->callback([&exit_code] {
    std::cerr << "zizhu identify: not built yet\n";
    exit_code = kExitCannotStart;
  });
}

}  // namespace zizhu::cli

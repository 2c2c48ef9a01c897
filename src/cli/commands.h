// Registration of the subcommands. Each add_* function adds its subcommand to
// the app and sets a callback that stores the exit code in `exit_code`.
#pragma once

namespace CLI {
class App;
}

namespace zizhu::cli {

void add_identify_command(CLI::App& app, int& exit_code);
void add_gen_command(CLI::App& app, int& exit_code);
void add_import_command(CLI::App& app, int& exit_code);
void add_keys_command(CLI::App& app, int& exit_code);
void add_audit_command(CLI::App& app, int& exit_code);
void add_admin_commands(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);
void add_cycle_command(CLI::App& app, int& exit_code);
void add_ledger_command(CLI::App& app, int& exit_code);

}  // namespace zizhu::cli

// The zizhu command: one program with subcommands (CLI11). Each subcommand
// lives in its own cmd_<name>.cc and registers itself through commands.h.
#pragma once

namespace zizhu::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;    // the work ran and found something wrong
inline constexpr int kExitCannotStart = 2;  // bad arguments, missing file, invalid policy

int run(int argc, char** argv);

}  // namespace zizhu::cli

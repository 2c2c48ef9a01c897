#include "cli/cli.h"

int main(int argc, char** argv) { return zizhu::cli::run(argc, argv); }

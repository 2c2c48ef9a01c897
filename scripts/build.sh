#!/usr/bin/env bash
# Configures and builds one build folder. Usage: scripts/build.sh [DIR] [cmake args...]
# DIR defaults to build/ (optimised, with debug info).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
shift || true
if [ ! -f "$dir/build.ninja" ]; then
  cmake -S . -B "$dir" -G Ninja "$@"
fi
cmake --build "$dir" --parallel "$(nproc)"

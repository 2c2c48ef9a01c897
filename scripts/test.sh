#!/usr/bin/env bash
# The second README command: installs everything, builds, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/build.sh build
ctest --test-dir build --output-on-failure --parallel "$(nproc)" --timeout 600

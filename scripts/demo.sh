#!/usr/bin/env bash
# The first README command: installs everything, builds, generates a small demo
# county and runs the identification on it, printing a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/build.sh build
out=${1:-demo}
rm -rf "$out"
./build/zizhu gen --students 5000 --seed 2026 --out "$out/input"
./build/zizhu identify --policy data/policy-default.toml \
  --students "$out/input/students.csv" \
  --lists "$out/input/lists.csv" \
  --applications "$out/input/applications.csv" \
  --history "$out/input/history.csv" \
  --budgets "$out/input/budgets.csv" \
  --out "$out/result" --verbose
echo
echo "结果文件 / outputs: $out/result/results.csv, schools.csv, rejects.csv"

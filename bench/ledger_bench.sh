#!/usr/bin/env bash
# Runs bench/ledger_bench.cc (durable ledger transfers per second, batched
# against one SQL transaction each, synchronous=NORMAL and FULL) RUNS times,
# printing the machine first and the load average before each run, so that
# docs/performance.md can say how loaded the machine was.
#
#   bench/ledger_bench.sh [RUNS=3] [TRANSFERS_BATCHED=245700] [TRANSFERS_SINGLE=3000] [ROUNDS=3]
#
# Env: LEDGER_BENCH (the program, default build/bench/ledger_bench; build it
# with `cmake --build build --target ledger_bench`), ZIZHU_BENCH_DIR (folder
# for the database, default the temp folder: put it on the disk you mean to
# measure).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
batched=${2:-245700}
single=${3:-3000}
rounds=${4:-3}
bench=${LEDGER_BENCH:-build/bench/ledger_bench}

[ -x "$bench" ] || { echo "ledger_bench.sh: no program at $bench (set LEDGER_BENCH=...)" >&2; exit 2; }

echo "== machine"
date -u '+%Y-%m-%d %H:%M UTC'
echo "nproc $(nproc); $(lscpu | sed -n 's/^Model name: *//p'); $(free -g | awk '/^Mem:/ {print $2 " GiB RAM"}')"
df -h "${ZIZHU_BENCH_DIR:-${TMPDIR:-/tmp}}" | tail -1

for ((i = 1; i <= runs; i++)); do
  echo "== run $i of $runs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$bench" "$batched" "$single" "$rounds"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

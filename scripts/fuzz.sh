#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 and runs each for SECONDS (default 60)
# from its seed corpus in tests/fuzz/<target>/ (if any). Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
CC=clang-14 CXX=clang++-14 scripts/build.sh build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DZIZHU_FUZZ=ON -DZIZHU_BENCH=OFF -DZIZHU_WERROR=OFF
shopt -s nullglob
n=0
for bin in build-fuzz/*_fuzz; do
  name=$(basename "$bin")
  corpus=$(mktemp -d)
  [ -d "tests/fuzz/$name" ] && cp -r "tests/fuzz/$name/." "$corpus/"
  echo "fuzz: $name for ${secs}s"
  "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=0 "$corpus" >"build-fuzz/$name.log" 2>&1 \
    || { tail -50 "build-fuzz/$name.log"; exit 1; }
  rm -rf "$corpus"
  n=$((n+1))
done
echo "fuzz: $n targets ran clean"

#!/usr/bin/env bash
# Runs `zizhu identify` and the DuckDB peer (bench/duckdb/run.mjs) on the same
# generated province, alternately, and prints wall time, peak memory and the
# ratio (median DuckDB / median zizhu). Checks the three outputs are identical.
#
#   bench/identify_bench.sh [STUDENTS=2000000] [SEED=1] [ROUNDS=3]
#
# Env: ZIZHU_BENCH_DATA (dataset cache root, default /tmp/zizhu-bench; the data
# is generated once into $ZIZHU_BENCH_DATA/N-S and reused), ZIZHU (the zizhu
# program, default build/zizhu), THREADS (default 2, for both sides), TIMEOUT
# (seconds; a run that takes longer is stopped and reported as "did not
# finish", and the ratio becomes a lower bound). Each run also prints its CPU
# time (user + system) and the load average before it: on a machine shared
# with other work, wall times are only comparable within one run of this script.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

students=${1:-2000000}
seed=${2:-1}
rounds=${3:-3}
threads=${THREADS:-2}
zizhu=${ZIZHU:-$root/build/zizhu}
data=${ZIZHU_BENCH_DATA:-/tmp/zizhu-bench}/$students-$seed
policy=$root/data/policy-default.toml
timer=/usr/bin/time

[ -x "$timer" ] || { echo "identify_bench: needs GNU time at /usr/bin/time (Debian package 'time')" >&2; exit 2; }
[ -x "$zizhu" ] || { echo "identify_bench: no zizhu program at $zizhu (set ZIZHU=...)" >&2; exit 2; }

if [ ! -f "$data/.complete" ]; then
  echo "generating $students students (seed $seed) into $data" >&2
  rm -rf "$data"
  "$zizhu" gen --students "$students" --seed "$seed" --out "$data"
  touch "$data/.complete"
fi
echo "data: $data ($(du -sh "$data" | cut -f1))" >&2

inputs=(--policy "$policy" --students "$data/students.csv" --lists "$data/lists.csv"
        --applications "$data/applications.csv" --history "$data/history.csv"
        --budgets "$data/budgets.csv")
out=$(mktemp -d /tmp/zizhu-bench-out.XXXXXX)
trap 'rm -rf "$out"' EXIT

limit=()
[ -n "${TIMEOUT:-}" ] && limit=(timeout "$TIMEOUT")
unfinished=""

# run NAME OUTDIR COMMAND...: appends "seconds kilobytes user system" to $out/NAME.times
run() {
  local name=$1 dir=$2 load
  shift 2
  rm -rf "$dir"
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  if ! "$timer" -f '%e %M %U %S' -o "$out/$name.last" "${limit[@]}" "$@" > "$out/$name.log" 2>&1; then
    if [ -n "${TIMEOUT:-}" ] && [ "$(tail -1 "$out/$name.last" | cut -d' ' -f1 | cut -d. -f1)" -ge "$TIMEOUT" ] 2>/dev/null; then
      echo "  $name did not finish within $TIMEOUT s (load $load)" >&2
      unfinished="$unfinished $name"
      return
    fi
    echo "identify_bench: $name failed:" >&2
    tail -20 "$out/$name.log" >&2
    exit 1
  fi
  tail -1 "$out/$name.last" >> "$out/$name.times"
  read -r wall kb user sys < <(tail -1 "$out/$name.last")
  printf '  %-7s %8s s %10s KB  cpu %7.2f s  (load before: %s)\n' "$name" "$wall" "$kb" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$load" >&2
}

for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds" >&2
  run zizhu "$out/z" "$zizhu" identify "${inputs[@]}" --threads "$threads" --out "$out/z"
  run duckdb "$out/d" node "$root/bench/duckdb/run.mjs" "${inputs[@]}" --threads "$threads" --out "$out/d"
done

if [ -n "$unfinished" ]; then
  zt=$(cut -d' ' -f1 "$out/zizhu.times" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo
  echo "students=$students seed=$seed rounds=$rounds threads=$threads ($(nproc) cores, $(uname -m))"
  echo "did not finish within $TIMEOUT s:$unfinished; zizhu median wall ${zt} s"
  awk -v z="$zt" -v d="$TIMEOUT" 'BEGIN { printf "ratio (duckdb / zizhu): more than %.1f (outputs not compared)\n", d / z }'
  exit 0
fi

same=yes
for f in results.csv schools.csv rejects.csv; do
  if ! cmp -s "$out/z/$f" "$out/d/$f"; then
    same=no
    echo "DIFFER: $f (first differing lines below)" >&2
    diff "$out/z/$f" "$out/d/$f" | head -10 >&2 || true
  fi
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
zt=$(cut -d' ' -f1 "$out/zizhu.times" | median)
dt=$(cut -d' ' -f1 "$out/duckdb.times" | median)
zm=$(cut -d' ' -f2 "$out/zizhu.times" | sort -n | tail -1)
zc=$(awk '{print $3 + $4}' "$out/zizhu.times" | median)
dc=$(awk '{print $3 + $4}' "$out/duckdb.times" | median)
dm=$(cut -d' ' -f2 "$out/duckdb.times" | sort -n | tail -1)

echo
echo "students=$students seed=$seed rounds=$rounds threads=$threads ($(nproc) cores, $(uname -m))"
printf '%-8s %14s %16s %14s\n' "" "median wall s" "peak RSS MiB" "median cpu s"
printf '%-8s %14s %16s %14s\n' zizhu "$zt" "$((zm / 1024))" "$zc"
printf '%-8s %14s %16s %14s\n' duckdb "$dt" "$((dm / 1024))" "$dc"
awk -v z="$zt" -v d="$dt" 'BEGIN { if (z > 0) printf "ratio (duckdb / zizhu): %.2f\n", d / z; else print "ratio: n/a" }'
echo "outputs identical: $same"
[ "$same" = yes ]

#!/usr/bin/env bash
# Load benchmark of `zizhu serve` (issue 4): authenticated GETs of a student
# list page and of one student, on a county of 1 million students, with wrk at
# 64 and 256 connections. Prints throughput and latency percentiles.
#
#   bench/server_bench.sh            # uses build/zizhu, data in /tmp/zizhu-server-bench
#   ZIZHU=build-x/zizhu STUDENTS=1000000 DURATION=20 bench/server_bench.sh
#
# The server and wrk share the machine's cores: the figures are for both on
# one box, as docs/performance.md says. The per-address rate limit is turned
# off (every request comes from 127.0.0.1); everything else is as deployed.
set -euo pipefail
cd "$(dirname "$0")/.."
ZIZHU=${ZIZHU:-build/zizhu}
DIR=${ZIZHU_BENCH_DIR:-/tmp/zizhu-server-bench}
STUDENTS=${STUDENTS:-1000000}
DURATION=${DURATION:-20}
PORT=${PORT:-18480}
WORKERS=${WORKERS:-2}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install.sh installs it" >&2; exit 2; }
mkdir -p "$DIR"
DB="$DIR/bench-$STUDENTS.db"
if [ ! -f "$DB" ]; then
  echo "== creating $DB ($STUDENTS students)" >&2
  "$ZIZHU" demo --db "$DB" --students "$STUDENTS" --skip-first-change --no-serve >&2
fi
"$ZIZHU" serve --db "$DB" --key-file "$DB.keys" --listen "127.0.0.1:$PORT" --rate-per-ip 0 --workers "$WORKERS" \
  > "$DIR/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break
  sleep 0.1
done

# Log in as the county officer (whose scope is the whole county) with the
# second factor, as a browser would; keep the session cookie.
COOKIE=$(node --input-type=module -e '
import { readFileSync } from "node:fs";
import { Client, freshTotp } from "./tests/api/harness.mjs";
const creds = JSON.parse(readFileSync(process.argv[1] + ".credentials.json", "utf8"));
const u = creds.users.find((x) => x.key === "county_officer");
const c = new Client(process.argv[2]);
await c.login(u);
const list = await c.get("/api/v1/students?page=1&page_size=1");
console.log(`zizhu_session=${c.cookies.get("zizhu_session")} ${list.data.total} ${list.data.items[0].id}`);
' "$DB" "http://127.0.0.1:$PORT")
read -r SESSION TOTAL ONE_ID <<<"$COOKIE"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "students visible to the county officer: $TOTAL; server workers: $WORKERS"

run() {
  local name=$1 url=$2 conns=$3
  echo "== $name, $conns connections, ${DURATION}s"
  wrk -t2 -c"$conns" -d"${DURATION}s" --latency -H "Cookie: $SESSION" "$url" |
    grep -E "Requests/sec|Non-2xx|Socket errors|^ +(50|75|90|99)%"
}
for conns in 64 256; do
  run "list page (page 50 of 20)" "http://127.0.0.1:$PORT/api/v1/students?page=50&page_size=20" "$conns"
  run "one student" "http://127.0.0.1:$PORT/api/v1/students/$ONE_ID" "$conns"
done

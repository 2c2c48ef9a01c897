#!/usr/bin/env bash
# The first README command: installs everything, builds, creates the demo
# county in demo/zizhu.db on first run (schools, students with guardians, a
# user for every role — passwords and TOTP secrets are printed), then serves
# the API and the web front end (web/dist, built by scripts/install.sh) until
# Ctrl-C.
#
#   scripts/demo.sh [LISTEN]        # default 127.0.0.1:8080
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
scripts/build.sh build
listen=${1:-127.0.0.1:8080}
mkdir -p demo
host=${listen%:*}; port=${listen##*:}
case "$host" in 0.0.0.0|'') host=127.0.0.1 ;; esac
echo "demo: when it says \"listening\", open http://$host:$port/ in a browser (公示 without login; staff log in with the accounts printed below)" >&2
exec ./build/zizhu demo --db demo/zizhu.db --listen "$listen"

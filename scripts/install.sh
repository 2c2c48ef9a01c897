#!/usr/bin/env bash
# Installs everything zizhu needs on Debian 12: Debian packages and npm packages,
# nothing else. Idempotent: a second run only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libsqlite3-dev sqlite3 libzip-dev libexpat1-dev libxlsxwriter-dev
  libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev libexpected-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsodium-dev libqrencode-dev
  libpango1.0-dev libcairo2-dev fonts-noto-cjk poppler-utils
  john-data wrk
  clang-14 libclang-rt-14-dev
  nodejs npm
  chromium
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  # nodejs/npm may come from elsewhere on a developer machine: a working
  # command is enough.
  case "$p" in
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install: Debian packages: ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages (region codes as data, the DuckDB peer for benchmarks, the web
# front end and playwright-core for the browser tests). `npm ci` follows
# package-lock.json exactly; skip it when the lock file has not changed since
# the last install. playwright-core drives Debian's chromium (above): it
# downloads no browser of its own.
stamp=node_modules/.zizhu-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "install: npm ci" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# The web front end (docs/web.md): Vite builds web/ into web/dist, which
# `zizhu serve` / `zizhu demo` serve. Skipped when neither the sources under
# web/ nor the lock file changed since the last build.
web_stamp=web/dist/.zizhu-src-sha256
web_want=$( (find web -path web/dist -prune -o -type f -print | LC_ALL=C sort | xargs sha256sum; sha256sum package-lock.json) \
  | sha256sum | cut -d' ' -f1)
if [ ! -f "$web_stamp" ] || [ "$(cat "$web_stamp")" != "$web_want" ]; then
  echo "install: building the web front end (vite)" >&2
  node web/build.mjs
  echo "$web_want" > "$web_stamp"
fi

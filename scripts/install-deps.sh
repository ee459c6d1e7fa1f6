#!/usr/bin/env bash
# Installs the Debian 12 packages Hoist builds, runs and tests with, when missing.
# Usage: scripts/install-deps.sh [run|test]   (test adds what only the tests need)
set -euo pipefail
purpose=${1:-run}

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6svg6 qcoro-qt6-dev qtkeychain-qt6-dev
  libcpp-httplib-dev libssl-dev libsqlite3-dev nlohmann-json3-dev libexpected-dev
)
# The client engine sends chunk bodies with libcurl (core/curl_multi.h).
packages+=(libcurl4-openssl-dev)
# Several nodes (issue #10): the PostgreSQL client library to build, the server and a
# load balancer for the tests that start their own.
packages+=(libpq-dev)
if [ "$purpose" = test ]; then
  packages+=(postgresql haproxy)
fi
if [ "$purpose" = test ]; then
  packages+=(python3 xvfb xauth openssl clang-format clang-14 libclang-rt-14-dev nginx-light)
fi

# The web app (web/), built into hoistd with Node.js and npm; its browser test drives
# Debian's Chromium. A Node.js from elsewhere (with its own npm) is kept as it is.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [ "$purpose" = test ]; then
  packages+=(chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Each Node.js folder's node_modules follows its package-lock.json: npm ci whenever the
# lockfile is newer than what is installed.
npm_ci() {
  local dir
  dir="$(dirname "$0")/../$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
    [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund)
  fi
}
# The web app, built into hoistd.
npm_ci web
if [ "$purpose" = test ]; then
  # The pinned tus-js-client that tests/server/tus drives against hoistd's /tus/.
  npm_ci tests/server/tus
  # The real tus server (@tus/server) hoist's tus client is tested against.
  npm_ci tests/integration/tus-peer
fi

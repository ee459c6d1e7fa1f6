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
if [ "$purpose" = test ]; then
  packages+=(python3 xvfb xauth openssl clang-format clang-14 libclang-rt-14-dev nginx-light)
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

# tus client tests (issue #11): the real tus server hoist's tus client is tested
# against, pinned by tests/integration/tus-peer/package-lock.json.
if [ "$purpose" = test ]; then
  command -v npm >/dev/null || { echo "install Node.js >= 20.19 with npm for the tus tests" >&2; exit 1; }
  (cd "$(dirname "$0")/../tests/integration/tus-peer" && npm ci --no-audit --no-fund)
fi

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
# Several nodes (issue #10): the PostgreSQL client library to build, the server and a
# load balancer for the tests that start their own.
packages+=(libpq-dev)
if [ "$purpose" = test ]; then
  packages+=(postgresql haproxy)
fi
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

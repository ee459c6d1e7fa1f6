#!/usr/bin/env bash
# The WAN benchmark in one command (see bench/wan/README.md):
#
#   bench/wan/run.sh BUILD_DIR [run_wan.py options: --rounds N, --rtt-ms 10,50,150,
#                               --rate-mbit 400, --size-mib 1024, --skip-s3]
#
# BUILD_DIR is a build tree configured with -DHOIST_BUILD_CLIENT=ON (hoist and hoistd
# are built in it). Environment: WAN_PROXY (the link emulator, default
# ../shared/tools/wan_proxy.py next to the repository), HOIST_ARGS (added to
# `hoist upload`, e.g. "--chunks 4"), HOIST_PATH / HOISTD_PATH (other binaries).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "${1:?usage: run.sh BUILD_DIR [options]}")
shift
cmake --build "$build" -j2 --target hoist hoistd
# package-lock.json pins every package; npm ci installs exactly those.
[[ -d "$root/bench/server/node_modules" ]] || (cd "$root/bench/server" && npm ci --no-audit --no-fund)
exec python3 "$root/bench/wan/run_wan.py" --hoist "${HOIST_PATH:-$build/app/hoist}" \
    --hoistd "${HOISTD_PATH:-$build/server/hoistd}" "$@"

#!/usr/bin/env bash
# The server benchmark in one command (see bench/README.md):
#
#   bench/server/run.sh [BUILD_DIR] [run_bench.py options: --rounds N, --skip-s3]
#
# Builds hoistd in BUILD_DIR (default build-bench; an existing build tree of the
# project works too) and the bench tools in BUILD_DIR/bench-server, installs the
# pinned Node.js tus packages, then runs every case and writes bench/results/.
# RelWithDebInfo is what scripts/run.sh and the packages ship, and its symbols let
# perf name the functions when a target is missed.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/server"
build="${1:-build-bench}"
[[ $# -gt 0 ]] && shift
[[ "$build" = /* ]] || build="$root/$build"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHOIST_BUILD_CLIENT=OFF -DHOIST_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j2 --target hoistd
cmake -S "$here" -B "$build/bench-server" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build/bench-server" -j2

# package-lock.json pins every package; npm ci installs exactly those.
if [[ ! -d "$here/node_modules" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

cd "$here"
exec python3 run_bench.py --hoistd "$build/server/hoistd" --tools "$build/bench-server" "$@"

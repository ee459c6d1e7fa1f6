#!/usr/bin/env bash
# The run command (README): installs what is missing, builds, and starts hoistd on
# its embedded defaults (127.0.0.1:8080, local disk, a generated development token)
# together with the app, connected to it. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOIST_BUILD_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc)" --target hoistd
exec build/server/hoistd "$@"

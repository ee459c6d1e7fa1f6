#!/usr/bin/env bash
# Builds and runs the 10,000-row queue benchmark offscreen (Release build in
# build-bench-ui/). Usage: bench/ui/run.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake -S bench/ui -B build-bench-ui -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench-ui -j2 --target bench_ui_queue
QT_QPA_PLATFORM=offscreen build-bench-ui/bench_ui_queue "${1:-10000}"

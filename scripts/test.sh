#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, builds everything
# with -Wall -Wextra -Werror, runs every test, then builds the server and the client
# engine again under ASan+UBSan and runs their tests there too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
jobs=${HOIST_JOBS:-$(nproc)}

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOIST_BUILD_CLIENT=ON -DHOIST_BUILD_UI=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 900

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHOIST_SANITIZE=ON -DHOIST_BUILD_UI=OFF
cmake --build build-asan -j "$jobs"
ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900 -L sanitized

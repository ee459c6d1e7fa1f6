#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, checks that our C++
# follows .clang-format, builds everything with -Wall -Wextra -Werror, runs every test, then builds the server and the client
# engine again under ASan+UBSan and runs their tests there too, and last fuzzes the
# server's parsers with clang's libFuzzer for a bounded time each (tests/fuzz).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/check-format.sh
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

# The fuzzers (clang only): the server rooms instrumented, each harness run for
# HOIST_FUZZ_SECONDS (20 by default) on a scratch copy of its checked-in corpus.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
  -DHOIST_FUZZ=ON -DHOIST_BUILD_CLIENT=OFF -DHOIST_FUZZ_SECONDS="${HOIST_FUZZ_SECONDS:-20}"
cmake --build build-fuzz -j "$jobs" --target fuzzers
ctest --test-dir build-fuzz --output-on-failure -j "$jobs" -L fuzz

#!/usr/bin/env bash
# run_fuzzer.sh FUZZER SEED_CORPUS SECONDS: runs FUZZER for SECONDS on a scratch copy of
# SEED_CORPUS (the checked-in corpus is only read). A finding leaves its input in the
# scratch dir's artifacts/ and is printed with the path, then the test fails.
set -euo pipefail
fuzzer=$1
seeds=$2
seconds=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/hoist-fuzz.XXXXXX")
mkdir -p "$scratch/corpus" "$scratch/artifacts"
cp -r "$seeds"/. "$scratch/corpus/"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
  -print_final_stats=1 -artifact_prefix="$scratch/artifacts/" "$scratch/corpus" || status=$?
if [ "$status" -ne 0 ]; then
  echo "FINDING: inputs kept in $scratch/artifacts:" >&2
  ls -l "$scratch/artifacts" >&2
  exit "$status"
fi
rm -rf "$scratch"

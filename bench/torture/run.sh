#!/usr/bin/env bash
# bench/torture/run.sh [BUILD_DIR] [--disk-kills N] [--s3-kills N] [--seed S]
# kill -9 torture at benchmark scale: 200 kills by default (140 on disk, 60 on S3), then
# reports kills, uploads and bytes verified per backend. See README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=build-bench
disk_kills=140
s3_kills=60
while [ $# -gt 0 ]; do
  case $1 in
    --disk-kills) disk_kills=$2; shift 2 ;;
    --s3-kills) s3_kills=$2; shift 2 ;;
    --seed) export HOIST_TORTURE_SEED=$2; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) build=$1; shift ;;
  esac
done

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOIST_BUILD_CLIENT=OFF >/dev/null
cmake --build "$build" -j "${HOIST_JOBS:-2}" --target hoistd tst_torture

mkdir -p bench/results
log=bench/results/torture-$(date +%Y%m%d-%H%M%S).log
start=$(date +%s)
status=0
HOISTD_PATH=$PWD/$build/server/hoistd HOIST_TORTURE_DISK_KILLS=$disk_kills \
  HOIST_TORTURE_S3_KILLS=$s3_kills QT_QPA_PLATFORM=offscreen \
  "$build/tests/server/integration/tst_torture" >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

grep -E 'torture seed|SKIP|FAIL' "$log" | sed 's/^[A-Z]* *: //' || true
echo "backend  kills  uploads  bytes verified"
awk '/torture (disk|s3): seed/ {
       for (i = 1; i <= NF; ++i) {
         if ($i == "kills") k = $(i + 1); if ($i == "uploads") u = $(i + 1)
         if ($i == "verified") b = $(i + 1)
       }
       sub(":", "", $3); printf "%-8s %5d  %7d  %14d\n", $3, k, u, b
       tk += k; tu += u; tb += b
     }
     END { printf "%-8s %5d  %7d  %14d\n", "total", tk, tu, tb }' "$log"
echo "wall time ${elapsed}s, log $log"
exit "$status"

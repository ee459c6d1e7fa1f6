#!/usr/bin/env bash
# End-to-end cost of `hoist upload` for one large file (hash + upload) against, in the
# same round and to the same hoistd, the least any client must do: `openssl dgst
# -sha256` of the file, then min_driver.py (init, one sendfile PUT per chunk, complete).
# Also each side's CPU time and hoist's peak RSS. See bench/engine/README.md.
#
#   bench/engine/run.sh BUILD_DIR [SIZE_MIB=512] [ROUNDS=3]
#
# Environment: HOIST_PATH / HOISTD_PATH override BUILD_DIR/app/hoist and
# BUILD_DIR/server/hoistd; HOIST_ARGS is added to `hoist upload` (e.g. "--chunks 4").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(realpath "${1:?usage: run.sh BUILD_DIR [SIZE_MIB] [ROUNDS]}")
size_mib=${2:-512}
rounds=${3:-3}
hoist="${HOIST_PATH:-$build/app/hoist}"
hoistd="${HOISTD_PATH:-$build/server/hoistd}"
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
work=$(mktemp -d /tmp/hoist-bench.XXXXXX)
server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

"$hoistd" --listen 127.0.0.1:0 --data-dir "$work/data" --token bench:bench --log-level warn \
    >"$work/hoistd.out" 2>"$work/hoistd.err" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/hoistd.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/hoistd.out")

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# timed NAME CMD...: appends "wall cpu" (seconds; cpu = user + system) to $work/NAME.
timed() {
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@"
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time" >>"$work/$name"
}
fresh() { head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$1"; }

baseline() { # the file: hash it, then upload it with the minimal driver
    openssl dgst -sha256 "$1" >/dev/null
    python3 "$here/min_driver.py" "$url" bench "$1" >/dev/null
}
hoist_upload() { # HOIST_ARGS split on spaces on purpose
    # shellcheck disable=SC2086
    XDG_DATA_HOME="$work/xdg" XDG_CONFIG_HOME="$work/xdg" HOIST_TOKEN=bench \
        "$hoist" upload "$1" --server "$url" ${HOIST_ARGS:-} >/dev/null 2>>"$work/hoist.err"
}
export -f baseline hoist_upload
export here url work hoist

for round in $(seq "$rounds"); do
    # Fresh content for each side (no dedup hit), both files just written (in the page
    # cache alike); the side that goes first alternates.
    fresh "$work/a.bin"
    fresh "$work/b.bin"
    sync
    if ((round % 2)); then
        timed base bash -c 'baseline "$0"' "$work/a.bin"
        timed hoist bash -c 'hoist_upload "$0"' "$work/b.bin"
    else
        timed hoist bash -c 'hoist_upload "$0"' "$work/b.bin"
        timed base bash -c 'baseline "$0"' "$work/a.bin"
    fi
    h=$(tail -1 "$work/hoist" | cut -d' ' -f1)
    b=$(tail -1 "$work/base" | cut -d' ' -f1)
    echo "$h $b" | awk '{print $1 / $2}' >>"$work/ratio"
    printf 'round %d: hoist %s s, openssl + driver %s s\n' "$round" "$h" "$b" >&2
    rm -f "$work/a.bin" "$work/b.bin"
done

col() { cut -d' ' -f"$2" <"$work/$1" | median; }
printf 'file: %d MiB, rounds: %d (medians), load: %s, commit: %s\n' "$size_mib" "$rounds" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(git -C "$here" rev-parse --short HEAD)"
printf '| | wall s | CPU s (user+sys) |\n| --- | --- | --- |\n'
printf '| openssl dgst + min_driver.py | %.2f | %.2f |\n' "$(col base 1)" "$(col base 2)"
printf '| hoist upload %s | %.2f | %.2f |\n' "${HOIST_ARGS:-}" "$(col hoist 1)" "$(col hoist 2)"
printf '| **ratio hoist / baseline (median of rounds)** | **%.2f×** (target ≤ 1.15) | |\n' \
    "$(median <"$work/ratio")"
printf 'hoist peak RSS: %.0f MiB\n' "$(echo "$(col hoist 3) / 1024" | bc -l)"

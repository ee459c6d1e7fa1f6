#!/usr/bin/env bash
# End-to-end cost of `hoist upload` for one large file (hash + upload) against, in
# the same run and to the same hoistd: `sha256sum` of the file plus a raw upload of
# the same bytes (curl, 8 MiB PUTs into one session: what any client must send).
# Also the engine's peak RSS. Usage: bench/engine/run.sh BUILD_DIR [SIZE_MIB] [RUNS]
set -euo pipefail
build=$(realpath "${1:?usage: run.sh BUILD_DIR [SIZE_MIB] [RUNS]}")
size_mib=${2:-1024}
runs=${3:-3}
hoist="$build/app/hoist"
hoistd="${HOISTD_PATH:-$build/server/hoistd}"
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null
work=$(mktemp -d /tmp/hoist-bench.XXXXXX)
trap 'kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT

"$hoistd" --listen 127.0.0.1:0 --data-dir "$work/data" --token bench:bench >"$work/hoistd.out" 2>"$work/hoistd.err" &
server_pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/hoistd.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/hoistd.out")

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

raw_upload() { # file size: init a session, then PUT 8 MiB pieces as the server asks
    local file=$1 size=$2 session chunk offset=0
    session=$(curl -sf -H "Authorization: Bearer bench" -H "Content-Type: application/json" \
        -d "{\"fileName\":\"raw.bin\",\"size\":$size}" "$url/upload/init")
    chunk=$(sed 's/.*"chunkSize":\([0-9]*\).*/\1/' <<<"$session")
    session=$(sed 's/.*"sessionId":"\([^"]*\)".*/\1/' <<<"$session")
    while [ "$offset" -lt "$size" ]; do
        local length=$(( size - offset < chunk ? size - offset : chunk ))
        dd if="$file" iflag=skip_bytes,count_bytes skip="$offset" count="$length" bs=4M status=none |
            curl -sf -X PUT -H "Authorization: Bearer bench" -H "X-Upload-Offset: $offset" \
                -H "Content-Type: application/octet-stream" --data-binary @- \
                "$url/upload/$session" >/dev/null
        offset=$(( offset + length ))
    done
}

: >"$work/hoist.times"; : >"$work/baseline.times"; : >"$work/sha.times"; : >"$work/raw.times"; : >"$work/rss"
for run in $(seq "$runs"); do
    file="$work/file-$run.bin"   # fresh content each run: no dedup hit
    head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$file"
    size=$(stat -c %s "$file")

    t0=$(now); sha256sum "$file" >/dev/null; t1=$(now); raw_upload "$file" "$size"; t2=$(now)
    echo "$t1 - $t0" | bc >>"$work/sha.times"
    echo "$t2 - $t1" | bc >>"$work/raw.times"
    echo "$t2 - $t0" | bc >>"$work/baseline.times"

    t0=$(now)
    XDG_DATA_HOME="$work/xdg-$run" /usr/bin/time -v -o "$work/time-$run" \
        "$hoist" upload "$file" --server "$url" --token bench >/dev/null 2>"$work/hoist-$run.err"
    t1=$(now)
    echo "$t1 - $t0" | bc >>"$work/hoist.times"
    sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time-$run" >>"$work/rss"
    rm -f "$file"
done

hoist_s=$(median <"$work/hoist.times")
base_s=$(median <"$work/baseline.times")
printf 'file: %d MiB, runs: %d (medians)\n' "$size_mib" "$runs"
printf 'sha256sum:                 %6.2f s\n' "$(median <"$work/sha.times")"
printf 'raw upload (curl, 8 MiB):  %6.2f s\n' "$(median <"$work/raw.times")"
printf 'sha256sum + raw upload:    %6.2f s\n' "$base_s"
printf 'hoist upload (hash+upload): %5.2f s  (%.2fx the baseline, %.0f MiB/s)\n' \
    "$hoist_s" "$(echo "$hoist_s / $base_s" | bc -l)" "$(echo "$size_mib / $hoist_s" | bc -l)"
printf 'hoist peak RSS:            %6.1f MiB\n' "$(echo "$(median <"$work/rss") / 1024" | bc -l)"

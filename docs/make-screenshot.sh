#!/usr/bin/env bash
# Makes docs/screenshot.png reproducibly: starts a private hoistd, uploads a few
# files with the command line so that the queue holds finished, already-on-server,
# failed and paused jobs, then lets the app itself (`hoist --screenshot`) run for
# a few seconds with more files, one uploading under a bandwidth limit, and
# render its window offscreen. Nothing touches the real user's settings or queue.
# Usage: docs/make-screenshot.sh [OUTPUT.png]
#   builds hoist and hoistd in $BUILD_DIR (default build), unless HOIST and
#   HOISTD name binaries to use instead.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/screenshot.png}")
build=${BUILD_DIR:-build}
if [ -z "${HOIST:-}" ] || [ -z "${HOISTD:-}" ]; then
  [ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja -DHOIST_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" -j2 --target hoist hoistd >/dev/null
fi
hoist=$(realpath "${HOIST:-$build/app/hoist}")
hoistd=$(realpath "${HOISTD:-$build/server/hoistd}")

work=$(mktemp -d)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data
mkdir -p "$HOME" "$XDG_CONFIG_HOME/hoist" "$XDG_DATA_HOME"

"$hoistd" --listen 127.0.0.1:0 --data-dir "$work/hoistd" --token demo:alice --max-size 64M \
  >"$work/hoistd.out" 2>"$work/hoistd.err" &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/hoistd.out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/hoistd.out")
[ -n "$url" ] || { cat "$work/hoistd.err" >&2; exit 1; }

files=$work/files
mkdir -p "$files/holiday-2026"
random() { head -c "$2" /dev/urandom >"$files/$1"; }
random "holiday-2026/beach.jpg" 3100000
random "holiday-2026/sunset.jpg" 4200000
random "report-q3.pdf" 1250000
cp "$files/report-q3.pdf" "$files/report-q3 (copy).pdf"
truncate -s 90M "$files/backup-2026-11.tar"
random "interview.mp4" 50000000
random "raw-footage.mov" 40000000
random "notes.txt" 12000
random "slides.odp" 2600000

upload() { "$hoist" upload "$@" --server "$url" --token demo >/dev/null 2>&1 || true; }
upload "$files/report-q3.pdf" "$files/holiday-2026/beach.jpg" "$files/holiday-2026/sunset.jpg"
upload "$files/report-q3 (copy).pdf"
upload "$files/backup-2026-11.tar"
# Interrupted part-way: Ctrl-C pauses the job and keeps its session and offset.
"$hoist" upload "$files/interview.mp4" --server "$url" --token demo --limit 4000000 \
  >/dev/null 2>&1 &
cli=$!
sleep 5.5
kill -INT "$cli"
wait "$cli" || true

# One upload at a time, slowed down, so the picture has speed, ETA and a graph.
cat >"$XDG_CONFIG_HOME/hoist/hoist.conf" <<CONF
[queue]
maxConcurrent=1
bandwidthLimit=3000000

[server]
url=$url
CONF
"$hoist" --screenshot "$out" --screenshot-delay 9000 --token demo \
  "$files/raw-footage.mov" "$files/notes.txt" "$files/slides.odp"
echo "wrote $out"

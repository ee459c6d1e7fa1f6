#!/usr/bin/env bash
# The run command (README): installs what is missing, builds, and starts hoistd on
# its embedded defaults (127.0.0.1:8080, local disk and SQLite under
# ~/.local/share/hoistd, a generated development token) together with the desktop
# app, connected to it with that token. Closing the app (or Ctrl-C) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh run
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOIST_BUILD_CLIENT=ON -DHOIST_BUILD_UI=ON >/dev/null
cmake --build build -j "$(nproc)" --target hoistd hoist

data_dir=${XDG_DATA_HOME:-$HOME/.local/share}/hoistd
log=$(mktemp -t hoistd-log.XXXXXX)
build/server/hoistd "$@" > >(tee "$log") &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null' EXIT INT TERM

url=
for _ in $(seq 1 100); do
  url=$(sed -n 's/^listening on //p' "$log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { echo "hoistd did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "hoistd did not report its address" >&2; exit 1; }

echo "web app: $url/ (sign in with the access token hoistd printed; the desktop app starts now)"
token_args=()
[ -r "$data_dir/dev-token" ] && token_args=(--token "$(cat "$data_dir/dev-token")")
build/app/hoist --server "$url" "${token_args[@]}"

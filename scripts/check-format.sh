#!/usr/bin/env bash
# Fails when a C++ file of ours differs from .clang-format (the test command runs it first).
# Usage: scripts/check-format.sh [--fix]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [ "${1:-}" = --fix ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/hoist-format.$$; then
  grep -E '^[^ ].*: (error|warning):' /tmp/hoist-format.$$ | cut -d: -f1 | sort -u | sed 's/^/  not formatted: /' >&2
  rm -f /tmp/hoist-format.$$
  echo "clang-format differences: run scripts/check-format.sh --fix" >&2
  exit 1
fi
rm -f /tmp/hoist-format.$$

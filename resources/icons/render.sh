#!/usr/bin/env bash
# Regenerates the checked-in renders of hoist.svg after the SVG changes. They are
# checked in so that no platform's build needs an SVG renderer: the PNGs feed the
# hicolor theme (Linux) and the macOS iconset, hoist.ico the Windows installer and
# executable. Needs rsvg-convert (librsvg2-bin) and icotool (icoutils).
set -euo pipefail
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" hoist.svg -o "png/hoist-$size.png"
done
# Small sizes as classic bitmaps and 256 as PNG: the mix every Windows version and
# NSIS accept.
icotool -c -o hoist.ico png/hoist-16.png png/hoist-24.png png/hoist-32.png png/hoist-48.png \
  png/hoist-64.png -r png/hoist-256.png

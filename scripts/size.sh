#!/usr/bin/env bash
# Builds the optimized package (scripts/build.sh) and prints the size of the
# wasm and of its JS glue, raw and after `gzip -9`, one figure per line:
#   <file> <raw|gzip-9> <bytes>
# Build output goes to stderr, so stdout holds only the figures.
# Usage: scripts/size.sh [--no-build] [extra cargo args for build.sh]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  bash scripts/build.sh "$@" >&2
fi
for file in pkg/triggerkit_bg.wasm pkg/triggerkit.js; do
  [ -f "$file" ] || { echo "size.sh: $file is missing (run without --no-build)" >&2; exit 1; }
  printf '%s raw %d\n' "$(basename "$file")" "$(wc -c <"$file")"
  printf '%s gzip-9 %d\n' "$(basename "$file")" "$(gzip -9 -c "$file" | wc -c)"
done

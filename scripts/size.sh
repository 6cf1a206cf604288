#!/usr/bin/env bash
# Builds the package (scripts/build.sh: every variant into pkg/) and checks
# it against the size budgets in size-budget.json: prints each entry's
# files raw and gzip -9 (the livechat glue minified with esbuild, as a
# bundler ships it) and exits 1 when an entry is over its limit.
# Usage: scripts/size.sh [--no-build] [extra args for build.sh]
#   --no-build  measure the existing pkg/ as it is
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
if [ "${1:-}" = "--no-build" ]; then
  shift
else
  bash scripts/build.sh "$@" >&2
fi
node scripts/size.mjs

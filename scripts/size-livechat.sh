#!/usr/bin/env bash
# Sizes of the livechat entries of the package (pkg/livechat/: the
# livechat-only build, `--no-default-features --features livechat`, opt-level
# z, wasm-opt size passes), raw and gzip -9: the wasm, the glue as shipped
# (readable) and as a bundler ships it (minified with esbuild), and the embed
# script.
# Builds the livechat variant first unless --no-build is given.
# Usage: scripts/size-livechat.sh [--no-build]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
if [ "${1:-}" = "--no-build" ]; then
  [ -f pkg/livechat/triggerkit_livechat_bg.wasm ] || { echo "pkg/livechat is missing: run scripts/build.sh" >&2; exit 1; }
else
  bash scripts/build.sh livechat >&2
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cp pkg/livechat/triggerkit_livechat.js "$OUT/glue.min.js"
minify_glue "$OUT/glue.min.js"
size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
WASM=pkg/livechat/triggerkit_livechat_bg.wasm
JS=pkg/livechat/triggerkit_livechat.js
MIN="$OUT/glue.min.js"
EMBED=pkg/livechat/embed.js
row() { printf '%-40s %10s %12s\n' "$@"; }
printf '\n'
row "triggerkit/livechat" "raw bytes" "gzip -9"
row "triggerkit_livechat_bg.wasm" "$(size "$WASM")" "$(gz "$WASM")"
row "triggerkit_livechat.js (glue, shipped)" "$(size "$JS")" "$(gz "$JS")"
row "glue minified (as bundlers ship it)" "$(size "$MIN")" "$(gz "$MIN")"
row "wasm + minified glue" "$(( $(size "$WASM") + $(size "$MIN") ))" "$(( $(gz "$WASM") + $(gz "$MIN") ))"
row "embed.js (minified)" "$(size "$EMBED")" "$(gz "$EMBED")"
row "embed.js + wasm" "$(( $(size "$WASM") + $(size "$EMBED") ))" "$(( $(gz "$WASM") + $(gz "$EMBED") ))"

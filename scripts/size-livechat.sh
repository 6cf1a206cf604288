#!/usr/bin/env bash
# Measures the livechat-only build (`--no-default-features`: the livechat
# engine and runtime with the Rocket.Chat model and validator, without the
# other formats, the Zendesk engine and the clients). Builds it into a
# temporary directory with wasm-pack, optimizes it with wasm-opt and
# minifies the JS glue as scripts/build.sh does, and prints raw and gzip -9
# sizes.
# Usage: scripts/size-livechat.sh [extra cargo args]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
step "wasm-pack build --no-default-features (release, target web) into $OUT"
wasm-pack --quiet build --release --target web --out-dir "$OUT" --out-name triggerkit \
  --mode no-install . --no-default-features "$@"
step "wasm-opt ${WASM_OPT_FLAGS[*]:0:5}"
wasm-opt "${WASM_OPT_FLAGS[@]}" "$OUT/triggerkit_bg.wasm" -o "$OUT/triggerkit_bg.wasm"
step "minify the JS glue"
minify_glue "$OUT/triggerkit.js"
size() { wc -c <"$1" | tr -d ' '; }
gz() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
WASM="$OUT/triggerkit_bg.wasm"
JS="$OUT/triggerkit.js"
printf '\n%-28s %10s %12s\n' "livechat-only build" "raw bytes" "gzip -9"
printf '%-28s %10s %12s\n' "triggerkit_bg.wasm" "$(size "$WASM")" "$(gz "$WASM")"
printf '%-28s %10s %12s\n' "triggerkit.js (glue)" "$(size "$JS")" "$(gz "$JS")"
printf '%-28s %10s %12s\n' "wasm + glue" "$(( $(size "$WASM") + $(size "$JS") ))" "$(( $(gz "$WASM") + $(gz "$JS") ))"

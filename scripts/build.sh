#!/usr/bin/env bash
# Builds the npm package into pkg/ (wasm-pack, --target web) and optimizes
# the wasm with binaryen's wasm-opt. Usage: scripts/build.sh [extra cargo args]
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
# Speed over size for the full package (see the release profile in Cargo.toml);
# TRIGGERKIT_OPT_LEVEL=z builds it for size instead.
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${TRIGGERKIT_OPT_LEVEL:-3}"
step "wasm-pack build (release, opt-level $CARGO_PROFILE_RELEASE_OPT_LEVEL, target web)"
wasm-pack build --release --target web --out-dir pkg --out-name triggerkit --mode no-install "$@"
FLAGS=("${WASM_OPT_FLAGS[@]}")
# A speed build gets binaryen's speed passes too (size passes would undo it).
case "$CARGO_PROFILE_RELEASE_OPT_LEVEL" in z | s) ;; *) FLAGS=(-O3 "${FLAGS[@]:1}") ;; esac
step "wasm-opt ${FLAGS[*]:0:5}"
wasm-opt "${FLAGS[@]}" pkg/triggerkit_bg.wasm -o pkg/triggerkit_bg.wasm
step "minify the JS glue"
minify_glue pkg/triggerkit.js
ls -l pkg/triggerkit_bg.wasm pkg/triggerkit.js

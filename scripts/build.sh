#!/usr/bin/env bash
# Builds the npm package "triggerkit" into pkg/: each wasm variant of the
# table below once (cargo + wasm-bindgen --target web + binaryen's wasm-opt),
# then the entry points, types and package.json (scripts/package.mjs).
#
# Usage: scripts/build.sh [--if-changed] [VARIANT...]
#   no VARIANT       builds all five (what the package needs)
#   VARIANT...       rebuilds only these (fast iteration), e.g. `scripts/build.sh livechat`;
#                    the entries of the other variants are regenerated from what pkg/ has
#   --if-changed     does nothing when pkg/ was built by a full build from the same
#                    sources (hash of src/, Cargo.*, scripts/build.sh, lib.sh, package.mjs, cli/)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

# ---------------------------------------------------------------------------
# Variants: cargo features, rustc opt-level, wasm-opt flags, output name.
# node: speed (Node users evaluate in bulk) with the name section kept (-g), so
# stack traces name Rust functions instead of `wasm-function[685]`.
# web, zendesk, clients, livechat: size (browsers download them; see
# size-budget.json). The browser `triggerkit` (web) is the validators, filter
# language and Pocketflows matching; `triggerkit/zendesk` adds the Zendesk
# condition engine; `triggerkit/clients` adds the server clients to the
# validators; `triggerkit/livechat` is the livechat runtime with the
# Rocket.Chat validator. The Node build has everything (default features).
# livechat also caps binaryen's inlining of functions with one caller at 30
# (by default any size is inlined): the calls left in place compress better
# than the inlined bodies, about 1.5 KB gzip less for a slightly larger raw file;
# then flattens and re-loops the code and optimizes it again (0.17 KB less),
# and once more after a whole-program flow analysis (--gufa; 42 bytes less).
# web and zendesk cap it at 20: binaryen's default inlines every one-caller function of
# any size, which in the validators + filter build cost 14.5 KB gzip (15 to
# 30 are within 0.3 KB of each other); re-looping then saves 0.7 KB more.
declare -A FEATURES=(
  [node]=""
  [web]="--no-default-features --features validators"
  [zendesk]="--no-default-features --features zendesk"
  [clients]="--no-default-features --features clients"
  [livechat]="--no-default-features --features livechat"
)
declare -A OPT_LEVEL=([node]=3 [web]=z [zendesk]=z [clients]=z [livechat]=z)
declare -A WASM_OPT=(
  [node]="-O3 -g ${WASM_OPT_FEATURES[*]}"
  [web]="${WASM_OPT_FLAGS[*]} --one-caller-inline-max-function-size=20 --flatten --rereloop -Oz"
  [zendesk]="${WASM_OPT_FLAGS[*]} --one-caller-inline-max-function-size=20 --flatten --rereloop -Oz"
  [clients]="${WASM_OPT_FLAGS[*]}"
  [livechat]="${WASM_OPT_FLAGS[*]} --one-caller-inline-max-function-size=30 --flatten --rereloop -Oz --gufa --flatten --rereloop -Oz"
)
declare -A OUT_NAME=([node]=triggerkit [web]=triggerkit [zendesk]=triggerkit_zendesk
  [clients]=triggerkit_clients [livechat]=triggerkit_livechat)
ALL_VARIANTS=(node web zendesk clients livechat)
# ---------------------------------------------------------------------------

STAMP="target/pkg.stamp"
# Hash of everything the package is built from.
source_hash() {
  { git ls-files -co --exclude-standard -- src Cargo.toml Cargo.lock cli 2>/dev/null
    echo scripts/build.sh scripts/lib.sh scripts/package.mjs; } |
    tr ' ' '\n' | sort -u | while read -r f; do [ -f "$f" ] && { echo "$f"; cat "$f"; }; done |
    sha256sum | cut -d' ' -f1
}

IF_CHANGED=0
VARIANTS=()
for arg in "$@"; do
  case "$arg" in
    --if-changed) IF_CHANGED=1 ;;
    node | web | zendesk | clients | livechat) VARIANTS+=("$arg") ;;
    *) echo "build.sh: unknown argument '$arg' (variants: ${ALL_VARIANTS[*]})" >&2; exit 2 ;;
  esac
done
FULL=0
[ ${#VARIANTS[@]} -eq 0 ] && { VARIANTS=("${ALL_VARIANTS[@]}"); FULL=1; }

HASH="$(source_hash)"
if [ "$IF_CHANGED" = 1 ] && [ "$FULL" = 1 ] && [ -f pkg/package.json ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$HASH" ]; then
  echo "pkg/ is up to date with the sources ($STAMP); not rebuilding"
  exit 0
fi
rm -f "$STAMP"

# wasm-bindgen's raw output per variant, before the entries are written.
RAW="target/pkg-raw"
for variant in "${VARIANTS[@]}"; do
  # shellcheck disable=SC2086 # the features are several words on purpose
  step "$variant: cargo build (opt-level ${OPT_LEVEL[$variant]}) ${FEATURES[$variant]}"
  CARGO_PROFILE_RELEASE_OPT_LEVEL="${OPT_LEVEL[$variant]}" \
    cargo build --lib --release --target wasm32-unknown-unknown ${FEATURES[$variant]}
  out="$RAW/$variant"
  rm -rf "$out" && mkdir -p "$out"
  step "$variant: wasm-bindgen --target web"
  wasm-bindgen --target web --out-dir "$out" --out-name "${OUT_NAME[$variant]}" \
    target/wasm32-unknown-unknown/release/triggerkit.wasm
  wasm="$out/${OUT_NAME[$variant]}_bg.wasm"
  step "$variant: wasm-opt ${WASM_OPT[$variant]}"
  # shellcheck disable=SC2086
  wasm-opt ${WASM_OPT[$variant]} "$wasm" -o "$wasm"
done

step "entries, types and package.json (scripts/package.mjs)"
node scripts/package.mjs "$RAW" pkg "${VARIANTS[@]}"
[ "$FULL" = 1 ] && echo "$HASH" >"$STAMP"
ls -l pkg/*/*.wasm

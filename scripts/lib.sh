# Shared shell helpers for the scripts in this folder (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# Features every release wasm uses (rustc's wasm32 defaults); wasm-opt must accept them.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-multivalue --enable-mutable-globals)
# Size passes: -Oz run to a fixed point; rustc's wasm32 layout never uses the
# first KB of memory (data starts after the 1 MB stack), so binaryen may fold
# addresses there; the producers and target-features sections are metadata.
WASM_OPT_FLAGS=(-Oz --converge --low-memory-unused --strip-producers --strip-target-features
  "${WASM_OPT_FEATURES[@]}")

# Minifies wasm-bindgen's JS glue in place (esbuild, an npm devDependency):
# about 2 KB less to download; the .d.ts next to it keeps the API docs.
minify_glue() { esbuild "$1" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$1"; }

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

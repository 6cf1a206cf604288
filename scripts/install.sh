#!/usr/bin/env bash
# Installs everything the build, tests and demo need on a fresh machine of
# this kind, skipping whatever is already there at the right version.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
[ -f Cargo.lock ] || cargo generate-lockfile
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  step "cargo install wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  step "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver
fi

# npm ci in DIR unless its node_modules already matches its lockfile.
npm_ci_in() {
  local dir="$1"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
    [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    step "npm ci in $dir"
    npm ci --no-audit --no-fund --prefix "$dir"
  fi
}
# npm dependencies (binaryen's wasm-opt, playwright-core, benchmark peers, and
# the bundlers and checkers the package tests run on the npm pack tarball).
npm_ci_in .
# Node 18 for the CommonJS package test, in its own folder: the node package's
# bin would otherwise shadow the current Node on node_modules/.bin.
npm_ci_in tests/package/node18

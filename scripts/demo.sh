#!/usr/bin/env bash
# Runs the demo: installs what is missing, builds pkg/ (unless it is up to date
# with the sources: scripts/build.sh --if-changed), starts the local API
# emulator (when it builds and starts) and serves www/ on 127.0.0.1, printing
# the URL to open.
# Usage: scripts/demo.sh [PORT]   (default 8080; 0 picks a free port)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/install.sh
bash scripts/build.sh --if-changed
EMULATOR_URL=""
EMULATOR_LOG="$(mktemp)"
# The demo pages that need no server work without the emulator, so a failure
# here is reported, not fatal.
if cargo build -q --release -p triggerkit-emulator; then
  target/release/triggerkit-emulator --port 0 >"$EMULATOR_LOG" 2>&1 &
  EMULATOR_PID=$!
  trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT INT TERM
  for _ in $(seq 1 100); do
    EMULATOR_URL=$(head -n1 "$EMULATOR_LOG" | grep -oE 'http://127\.0\.0\.1:[0-9]+' || true)
    [ -n "$EMULATOR_URL" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || break
    sleep 0.1
  done
fi
step "local API emulator: ${EMULATOR_URL:-did not start (see $EMULATOR_LOG)}"
step "demo (Ctrl-C to stop)"
node scripts/serve.mjs --port "${1:-8080}" --emulator "${EMULATOR_URL:-}"

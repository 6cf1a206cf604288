#!/usr/bin/env bash
# Runs every check and test suite: formatting, clippy (native and wasm32),
# native tests, wasm tests in Node and headless Chrome, Node tests of the
# built package (one build per run, reused by every suite after it), page
# tests of the demo, TypeScript checks of the packed package's types, and
# tests of the npm pack tarball in scratch projects.
# Fails if any suite ran zero tests.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
LOGS="$(mktemp -d)"
TOTAL_PASSED=0
TOTAL_FAILED=0

# run_suite NAME KIND CMD...: KIND is cargo or node, which says how to count.
run_suite() {
  local name="$1" kind="$2"; shift 2
  step "$name"
  local log="$LOGS/$name.log" status=0
  "$@" 2>&1 | tee "$log" || status=$?
  local passed failed
  if [ "$kind" = cargo ]; then
    passed=$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
    failed=$(grep -oE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
  else
    passed=$(grep -E '^# pass [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
    failed=$(grep -E '^# fail [0-9]+' "$log" | awk '{s+=$3} END {print s+0}')
  fi
  TOTAL_PASSED=$((TOTAL_PASSED + passed)); TOTAL_FAILED=$((TOTAL_FAILED + failed))
  echo "-- $name: $passed passed, $failed failed"
  if [ "$status" -ne 0 ]; then echo "!! $name failed (exit $status)"; exit 1; fi
  if [ "$passed" -eq 0 ]; then echo "!! $name ran zero tests"; exit 1; fi
}

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy (native)"
cargo clippy --workspace --all-targets -- -D warnings
step "cargo clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --lib --tests -- -D warnings
# Each browser variant's feature set (scripts/build.sh): web, zendesk,
# clients, livechat.
step "cargo clippy (wasm32, browser builds)"
for features in validators zendesk clients livechat; do
  cargo clippy --target wasm32-unknown-unknown --lib --no-default-features --features "$features" -- -D warnings
done

run_suite native-tests cargo cargo test --workspace

# The emulator serves the wasm and Node tests that talk to servers.
cargo build -q -p triggerkit-emulator
EMULATOR_LOG="$LOGS/emulator.log"
target/debug/triggerkit-emulator --port 0 >"$EMULATOR_LOG" 2>&1 &
EMULATOR_PID=$!
trap 'kill $EMULATOR_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  TRIGGERKIT_EMULATOR_URL=$(head -n1 "$EMULATOR_LOG" | grep -oE 'http://127\.0\.0\.1:[0-9]+' || true)
  [ -n "$TRIGGERKIT_EMULATOR_URL" ] && break
  sleep 0.1
done
[ -n "$TRIGGERKIT_EMULATOR_URL" ] || { echo "!! emulator did not start"; cat "$EMULATOR_LOG"; exit 1; }
export TRIGGERKIT_EMULATOR_URL
echo "emulator at $TRIGGERKIT_EMULATOR_URL"

WASM_TESTS=()
for f in tests/wasm_*.rs; do WASM_TESTS+=(--test "$(basename "$f" .rs)"); done
run_suite wasm-node cargo cargo test --target wasm32-unknown-unknown "${WASM_TESTS[@]}"
run_suite wasm-chrome cargo env WASM_BINDGEN_USE_BROWSER=1 \
  cargo test --target wasm32-unknown-unknown "${WASM_TESTS[@]}"

bash scripts/build.sh >"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log"; exit 1; }
run_suite node-tests node node --test tests/node/
# The command line as users get it: the bin of the packed tarball.
run_suite cli-tests node node --test tests/cli/
run_suite page-tests node node --test tests/page/
run_suite type-tests node node --test tests/types/
# The npm pack tarball in scratch projects: Node ESM/CommonJS (and Node 18),
# Vite, webpack, esbuild, plain pages in Chromium, attw and publint.
run_suite package-tests node node --test tests/package/
# The size budgets (size-budget.json) on the pkg/ just built; last, so an
# entry over its budget does not hide the other suites' results.
run_suite size-budgets node node --test tests/size/

echo
echo "all suites: $TOTAL_PASSED passed, $TOTAL_FAILED failed"

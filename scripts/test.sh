#!/usr/bin/env bash
# Runs every test: formatting, lints (native and wasm32), the core's native tests, browser tests
# (wasm-bindgen-test in headless Chromium), the release build and end-to-end tests on dist/.
# Sets up whatever is missing first. Usage: scripts/test.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --test

step() { log "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "no two modules import each other"
node scripts/module-cycles.mjs

step "clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "native tests of the numeric core"
cargo test -p rackplan-core -p rackplan-sourcing --locked

step "fuzz targets and the fuzzing corpus on the browser's configuration of the core (no general simplex)"
cargo test -p rackplan-core --no-default-features --locked --test fuzz --test fuzz_corpus

(
  source target/wasm-env.sh
  step "clippy (wasm32)"
  cargo clippy -p rackplan-web --all-targets --target wasm32-unknown-unknown --locked -- -D warnings

  step "browser tests (wasm-bindgen-test, headless Chromium)"
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
  export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
  export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-180}"
  export WASM_BINDGEN_TEST_DRIVER_TIMEOUT="${WASM_BINDGEN_TEST_DRIVER_TIMEOUT:-30}"
  cargo test -p rackplan-web --target wasm32-unknown-unknown --locked --tests
)

"$ROOT/scripts/build.sh"

step "end-to-end tests (dist/ on a loopback static server, headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

step "shipped size"
node scripts/bundle-size.mjs "${DIST:-dist}"

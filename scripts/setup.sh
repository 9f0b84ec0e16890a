#!/usr/bin/env bash
# Installs everything rackplan needs to build (and, with --test, to test), idempotently:
# a second run installs nothing. Usage: scripts/setup.sh [--test]
# Writes target/wasm-env.sh, which the other scripts source before any wasm build.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

WITH_TEST=""
[ "${1:-}" = "--test" ] && WITH_TEST=1

# --- Rust --------------------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "no cargo on PATH: install Rust first (https://rustup.rs), then run this again"
[ -f Cargo.lock ] || cargo generate-lockfile \
  || die "could not resolve the Rust dependencies (is crates.io reachable?)"

# --- The wasm32 standard library ---------------------------------------------------------
# Normal route: rustup's prebuilt std. Fallback (no Rust distribution server reachable):
# Debian's rustc-web, which builds std for wasm32 from source with cargo's build-std.
mkdir -p target
ENV_FILE="$ROOT/target/wasm-env.sh"
has_wasm_std() { ls "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib/"libstd-*.rlib >/dev/null 2>&1; }
if has_wasm_std; then
  : > "$ENV_FILE"
else
  if command -v rustup >/dev/null 2>&1; then
    log "adding the wasm32-unknown-unknown target with rustup"
    timeout 120 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
  fi
  if has_wasm_std; then
    : > "$ENV_FILE"
  else
    log "rustup could not download the wasm32 std: using Debian's rustc-web with build-std"
    apt_install rustc-web cargo-web rust-web-src lld-22 rust-web-clippy
    cat > "$ENV_FILE" <<'ENVEOF'
# wasm32 builds through Debian's rustc-web + build-std (see scripts/setup.sh).
export PATH=/usr/bin:$PATH
export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld
ENVEOF
  fi
fi

# The standard library's source: the release build rebuilds std for size from it
# (scripts/build.sh). Optional: without it the build uses the prebuilt std.
if [ -z "$(grep -s CARGO_UNSTABLE_BUILD_STD "$ENV_FILE")" ] && command -v rustup >/dev/null 2>&1 \
   && [ ! -f "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml" ]; then
  log "adding rust-src (a size-optimised std for the release build)"
  timeout 180 rustup component add rust-src >/dev/null 2>&1 \
    || log "could not add rust-src: the release build will use the prebuilt std"
fi

# --- Trunk -------------------------------------------------------------------------------
if ! command -v trunk >/dev/null 2>&1; then
  log "installing trunk $TRUNK_VERSION (cargo install, several minutes on first set-up)"
  cargo install trunk --version "$TRUNK_VERSION" --locked \
    || die "cargo install trunk failed (is crates.io reachable?)"
fi

# --- wasm-bindgen CLI at exactly the library's version -----------------------------------
WB_VERSION="$(wasm_bindgen_version)"
[ -n "$WB_VERSION" ] || die "no wasm-bindgen in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WB_VERSION" ]; then
  log "installing wasm-bindgen-cli $WB_VERSION (matches Cargo.lock)"
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --force \
    || die "cargo install wasm-bindgen-cli $WB_VERSION failed"
fi

# --- npm tools: wasm-opt (binaryen), playwright-core; axe-core and lighthouse (scripts/audit.sh)
command -v npm >/dev/null 2>&1 || apt_install nodejs npm
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/lighthouse ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm tools (binaryen, playwright-core, axe-core, lighthouse)"
  npm ci --no-audit --no-fund >/dev/null || die "npm ci failed (is the npm registry reachable?)"
fi

# --- Browser for the tests ---------------------------------------------------------------
if [ -n "$WITH_TEST" ]; then
  apt_install chromium chromium-driver fonts-dejavu-core
  command -v chromedriver >/dev/null 2>&1 || die "chromedriver is not on PATH after installing chromium-driver"
  if ! rustup component list --installed 2>/dev/null | grep -q '^clippy'; then
    rustup component add clippy rustfmt >/dev/null 2>&1 || true
  fi
  # HiGHS for Python: core/tests/export_lp.rs solves the LPs `rackplan run --export-lp` writes.
  command -v python3 >/dev/null 2>&1 || apt_install python3
  if ! python3 -c 'import highspy' >/dev/null 2>&1; then
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    log "installing highspy (HiGHS LP solver for Python) for the export-LP test"
    python3 -m pip install --user --quiet highspy 2>/dev/null \
      || python3 -m pip install --user --quiet --break-system-packages highspy \
      || die "pip install highspy failed (is pypi.org reachable?)"
  fi
fi
log "set-up complete"

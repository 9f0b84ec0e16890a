#!/usr/bin/env bash
# Builds the release app into dist/ (profile wasm-release: opt-level z, core "s", LTO, wasm-opt -Oz, relative URLs).
# Usage: [DIST=folder] scripts/build.sh   (run scripts/setup.sh first, or use scripts/run.sh)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -f target/wasm-env.sh ] || die "run scripts/setup.sh first"
source target/wasm-env.sh
DIST="${DIST:-$ROOT/dist}"   # another folder with DIST=/path (parallel builds, tests)
# The standard library rebuilt with this build's settings when its source is installed
# (scripts/setup.sh adds rust-src): opt-level "z" like the app instead of the prebuilt std's 3, and
# no file/line text in panic locations. ~20 KiB gzipped off the wasm (BENCHMARKS.md "In the
# browser"). Not std's `optimize_for_size` feature: its selection algorithm made the Monte Carlo
# percentiles ~8x slower. The rustflags repeat .cargo/config.toml's, which these replace.
# Panics compile to an immediate trap (no messages or formatting: ~15 KiB gzipped);
# public/crash.js shows the crash banner. RACKPLAN_PANIC_MESSAGES=1 keeps the messages (printed
# to the console by src/crash.rs) for diagnosing a crash.
STD_SRC="$(rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml"
if [ -f "$STD_SRC" ]; then
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  flags="--cfg erase_components -Zlocation-detail=none"
  if [ "${RACKPLAN_PANIC_MESSAGES:-0}" != 1 ]; then
    flags="$flags -Zunstable-options -Cpanic=immediate-abort"
  fi
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$flags"
else
  log "no Rust library source to rebuild std for size: using the prebuilt one (a larger wasm)"
fi
# Trunk runs offline (it must never download a tool of its own: setup.sh installed them), and
# --offline reaches cargo too. So every crate the build needs is fetched first, online: the
# project's (Cargo.lock) and, when std is rebuilt (build-std, above or in wasm-env.sh), std's
# own crates.io dependencies, which a machine that never built rackplan does not have. Both are
# no-ops once the cargo cache holds them.
log "fetching the crates the build needs (a no-op when cached)"
cargo fetch --locked --target wasm32-unknown-unknown >&2 \
  || die "cargo fetch failed (is crates.io reachable?)"
if [ -n "${CARGO_UNSTABLE_BUILD_STD:-}" ]; then
  STD_LIB="$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
  [ -f "$STD_LIB" ] || die "build-std is on but there is no Rust library source at $STD_LIB"
  RUSTC_BOOTSTRAP=1 cargo fetch --manifest-path "$STD_LIB" >&2 \
    || die "could not fetch the standard library's dependencies (is crates.io reachable?)"
fi
log "building $DIST (release)"
trunk build --release --offline --dist "$DIST" >&2 || die "trunk build failed"
node scripts/postbuild.mjs "$DIST" || die "post-build step failed"

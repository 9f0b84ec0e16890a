#!/usr/bin/env bash
# Builds the release app into dist/ (profile wasm-release: opt-level z, core "s", LTO, wasm-opt -Oz, relative URLs).
# Usage: [DIST=folder] scripts/build.sh   (run scripts/setup.sh first, or use scripts/run.sh)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -f target/wasm-env.sh ] || die "run scripts/setup.sh first"
source target/wasm-env.sh
DIST="${DIST:-$ROOT/dist}"   # another folder with DIST=/path (parallel builds, tests)
# The standard library rebuilt for size when its source is installed (scripts/setup.sh adds
# rust-src): std's size-optimised algorithms (`optimize_for_size`) and no file/line text in panic
# locations. ~46 KiB gzipped off the wasm, no measured speed cost (BENCHMARKS.md "In the
# browser"). The rustflags repeat .cargo/config.toml's, which these replace.
STD_SRC="$(rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml"
if [ -f "$STD_SRC" ] && grep -q '^optimize_for_size' "$STD_SRC"; then
  export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components -Zlocation-detail=none"
else
  log "no Rust library source for a size-optimised std: using the prebuilt one (a larger wasm)"
fi
log "building $DIST (release)"
trunk build --release --offline --dist "$DIST" >&2 || die "trunk build failed"
node scripts/postbuild.mjs "$DIST" || die "post-build step failed"

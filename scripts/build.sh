#!/usr/bin/env bash
# Builds the release app into dist/ (profile wasm-release: opt-level z, core "s", LTO, wasm-opt -Oz, relative URLs).
# Usage: [DIST=folder] scripts/build.sh   (run scripts/setup.sh first, or use scripts/run.sh)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -f target/wasm-env.sh ] || die "run scripts/setup.sh first"
source target/wasm-env.sh
DIST="${DIST:-$ROOT/dist}"   # another folder with DIST=/path (parallel builds, tests)
log "building $DIST (release)"
trunk build --release --offline --dist "$DIST" >&2 || die "trunk build failed"
node scripts/postbuild.mjs "$DIST" || die "post-build step failed"

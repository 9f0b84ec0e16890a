#!/usr/bin/env bash
# Builds the release app into dist/ (opt-level z, LTO, wasm-opt -Oz, relative URLs).
# Usage: scripts/build.sh   (run scripts/setup.sh first, or use scripts/run.sh)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
[ -f target/wasm-env.sh ] || die "run scripts/setup.sh first"
source target/wasm-env.sh
log "building dist/ (release)"
trunk build --release --offline >&2 || die "trunk build failed"
node scripts/postbuild.mjs dist || die "post-build step failed"

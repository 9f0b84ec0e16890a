#!/usr/bin/env bash
# Proves the README's promise on a machine that never built rackplan: in a fresh clone of this
# repository's HEAD, with an empty cargo home (no registry, no git checkouts; the installed tools
# linked in, as a user's PATH would have them) and an empty npm cache, `scripts/run.sh` sets up,
# builds and serves the app, and the page and its wasm are served. A warm cache hides a missing
# download (a build that only passed because the cache held std's dependencies); this does not.
# With --with-tests, scripts/test.sh then runs in the same fresh clone and cargo home, so the
# README's test command is proven the same way (CI runs this).
# Usage: scripts/check-fresh.sh [--with-tests]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

WITH_TESTS=0
case "${1:-}" in
  --with-tests) WITH_TESTS=1 ;;
  "") ;;
  *) die "unknown option: $1 (usage: scripts/check-fresh.sh [--with-tests])" ;;
esac

WORK="$(mktemp -d "${TMPDIR:-/tmp}/rackplan-fresh.XXXXXX")"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill -- "-$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# An empty cargo home holding only links to the installed binaries (rustup's proxies, trunk,
# wasm-bindgen): nothing downloaded before is there.
OLD_CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export CARGO_HOME="$WORK/cargo-home"
mkdir -p "$CARGO_HOME/bin"
for bin in "$OLD_CARGO_HOME"/bin/*; do
  ln -s "$bin" "$CARGO_HOME/bin/$(basename "$bin")"
done
export PATH="$CARGO_HOME/bin:$PATH"
export npm_config_cache="$WORK/npm-cache"

log "fresh clone of HEAD ($(git rev-parse --short HEAD)) in $WORK/repo"
git clone --quiet --no-hardlinks "$ROOT" "$WORK/repo"
cd "$WORK/repo"
[ ! -e "$CARGO_HOME/registry" ] || die "the throwaway cargo home is not empty"

PORT="${FRESH_PORT:-18765}"
START=$(date +%s)
setsid scripts/run.sh "$PORT" > "$WORK/run.log" 2>&1 &
SERVER_PID=$!

# scripts/run.sh prints the URL once it serves; a fresh build takes minutes.
url="http://127.0.0.1:$PORT/"
for _ in $(seq 1 1800); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    tail -n 40 "$WORK/run.log" >&2
    die "scripts/run.sh stopped before serving (log above)"
  fi
  grep -qs "rackplan is served at $url" "$WORK/run.log" && curl -fsS -o /dev/null "$url" 2>/dev/null && break
  sleep 1
done
grep -q "rackplan is served at $url" "$WORK/run.log" || { tail -n 40 "$WORK/run.log" >&2; die "no URL after 30 minutes"; }

html="$(curl -fsS "$url")"
wasm="$(ls "$WORK/repo/dist/"*_bg.wasm | head -n 1)"
[ -n "$wasm" ] || die "no wasm in the fresh dist/"
curl -fsS -o /dev/null "$url$(basename "$wasm")" || die "the wasm is not served"
grep -q '<title>' <<<"$html" || die "the page served has no title"
[ -d "$CARGO_HOME/registry" ] || die "nothing was downloaded into the empty cargo home: the check did not run fresh"
log "fresh machine check passed: scripts/run.sh served $url after $(( $(date +%s) - START )) s from an empty cargo home and npm cache"

if [ "$WITH_TESTS" = 1 ]; then
  kill -- "-$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  log "scripts/test.sh in the fresh clone, same empty-at-start cargo home and npm cache"
  T0=$(date +%s)
  scripts/test.sh
  log "fresh machine check passed: scripts/test.sh passed in the fresh clone after $(( $(date +%s) - T0 )) s"
fi

#!/usr/bin/env bash
# Accessibility and speed audit: builds dist/ when it is missing (or uses DIST=folder), serves it
# with gzip on loopback and runs axe-core and Lighthouse (mobile) on the landing page and a shared
# link (scripts/audit.mjs). Fails on any axe violation; with --strict also below the targets
# (Lighthouse performance 95, accessibility and best practices 100).
# Usage: scripts/audit.sh [--strict] [--json out.json]   (run scripts/setup.sh --test first)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
DIST="${DIST:-$ROOT/dist}"
[ -d node_modules/axe-core ] && [ -d node_modules/lighthouse ] || die "run scripts/setup.sh --test first (npm ci installs axe-core and lighthouse)"
[ -f "$DIST/index.html" ] || DIST="$DIST" scripts/build.sh
node scripts/audit.mjs "$DIST" "$@"

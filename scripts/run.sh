#!/usr/bin/env bash
# Sets up what is missing, builds the release app and serves dist/ on 127.0.0.1.
# Usage: scripts/run.sh [PORT]   (default 8080)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PORT="${1:-${PORT:-8080}}"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
command -v python3 >/dev/null 2>&1 || apt_install python3
echo
echo "rackplan is served at http://127.0.0.1:$PORT/  (Ctrl+C stops it)"
exec python3 -m http.server --bind 127.0.0.1 "$PORT" --directory dist

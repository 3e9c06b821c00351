#!/usr/bin/env bash
# `npm start`: n8n with this package and its templates, on 127.0.0.1:5678 with SQLite.
# `npm run demo` (--demo): the same, plus the HubSpot emulator with sample data (scripts/demo.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund
if [ "${1:-}" = "--demo" ]; then shift; exec npx tsx scripts/demo.ts "$@"; fi
exec npx tsx scripts/start.ts "$@"

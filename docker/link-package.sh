#!/bin/sh
# Entrypoint of docker/Dockerfile: link the package baked into the image where n8n loads community
# packages from; on n8n main, set the owner account from docker/.env (owner-hash.js) and import the
# templates n8n lacks (import-templates.sh); then hand over to the official image's entrypoint (same
# arguments: `worker`, ...). The Data tables come after n8n is up: the `first-run` service (first-run.js).
# test/e2e/queue-mode.test.ts and docker-files.test.ts run this script natively (N8N_ENTRYPOINT: what
# it hands over to, /docker-entrypoint.sh in the image).
set -eu
HUBSPOT_SYNC_DIR="${HUBSPOT_SYNC_DIR:-/opt/hubspot-sync}"
NODES_DIR="${N8N_USER_FOLDER:-$HOME}/.n8n/nodes"
mkdir -p "$NODES_DIR/node_modules"
ln -sfn "$HUBSPOT_SYNC_DIR/node_modules/n8n-nodes-hubspot-sync" "$NODES_DIR/node_modules/n8n-nodes-hubspot-sync"
[ -f "$NODES_DIR/package.json" ] || echo '{"name":"installed-nodes","private":true}' > "$NODES_DIR/package.json"
if [ -n "${HUBSPOT_SYNC_LINK_ONLY:-}" ]; then exit 0; fi
# n8n main is started with no command, or `start`; workers (`worker`) get neither the owner nor the templates.
if [ "$#" -eq 0 ] || [ "$1" = "start" ]; then
	# The owner account: n8n applies N8N_INSTANCE_OWNER_* at every start (the env is the owner's source of
	# truth), so a new password in docker/.env takes effect at the next start. Only the hash reaches n8n.
	if [ -n "${N8N_OWNER_PASSWORD:-}" ]; then
		case "${N8N_OWNER_EMAIL:-}" in
			?*@?*) ;;
			*) echo "N8N_OWNER_EMAIL is not an e-mail address: set the owner's e-mail in docker/.env, then run docker compose up again." >&2; exit 1 ;;
		esac
		N8N_INSTANCE_OWNER_PASSWORD_HASH=$(node "$HUBSPOT_SYNC_DIR/owner-hash.js" "${N8N_USER_FOLDER:-$HOME}/.n8n/hubspot-sync-owner.hash")
		export N8N_INSTANCE_OWNER_MANAGED_BY_ENV=true N8N_INSTANCE_OWNER_EMAIL="$N8N_OWNER_EMAIL" N8N_INSTANCE_OWNER_PASSWORD_HASH
		unset N8N_OWNER_PASSWORD
		echo "hubspot-sync: n8n owner account: $N8N_INSTANCE_OWNER_EMAIL (password from docker/.env)."
	fi
	if [ "${HUBSPOT_SYNC_IMPORT_TEMPLATES:-true}" = "true" ]; then
		"$HUBSPOT_SYNC_DIR/import-templates.sh"
	fi
fi
exec "${N8N_ENTRYPOINT:-/docker-entrypoint.sh}" "$@"

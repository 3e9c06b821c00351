#!/bin/sh
# First-run step of docker/link-package.sh (n8n main only): imports every template of
# /opt/hubspot-sync/workflows that n8n does not have yet, matched by workflow id, as `npm start` does
# (scripts/start.ts). A template you edited in n8n keeps your edits at the next start; a second start
# imports nothing. N8N_CLI (default: n8n) is the n8n command, for running this outside the image.
set -eu
HUBSPOT_SYNC_DIR="${HUBSPOT_SYNC_DIR:-/opt/hubspot-sync}"
N8N_CLI="${N8N_CLI:-n8n}"
existing=$($N8N_CLI list:workflow | cut -d'|' -f1)
import_dir=$(mktemp -d)
trap 'rm -rf "$import_dir"' EXIT
missing=0
for template in "$HUBSPOT_SYNC_DIR"/workflows/*.json; do
	id=$(node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).id))' "$template")
	if ! printf '%s\n' "$existing" | grep -qxF "$id"; then
		cp "$template" "$import_dir/"
		missing=$((missing + 1))
	fi
done
if [ "$missing" -eq 0 ]; then
	echo "hubspot-sync: every template is already in n8n; nothing imported."
	exit 0
fi
echo "hubspot-sync: importing $missing template(s) from $HUBSPOT_SYNC_DIR/workflows ..."
$N8N_CLI import:workflow --separate --input="$import_dir"

#!/bin/sh
# One-shot check before any service that uses the secrets starts (the `env-check` service of both
# Compose files): docker/.env.example's placeholders pass Compose's own `${VAR:?}` guards, so a
# forgotten CHANGE-ME value would start n8n with a key everyone knows. Exits 1 naming each variable.
# Usage: check-env.sh VAR [VAR ...]   (the variables that must be set and not a placeholder)
set -u
failed=0
for name in "$@"; do
	case "$name" in *[!A-Z0-9_]* | '') echo "check-env.sh: $name is not a variable name" >&2; exit 2 ;; esac
	eval "value=\${$name:-}"
	case "$value" in
		'')
			echo "$name is empty: set it in docker/.env (see docker/.env.example), then run docker compose up again." >&2
			failed=1
			;;
		CHANGE-ME*)
			case "$name" in
				N8N_OWNER_EMAIL) hint="the e-mail address you log in to n8n with" ;;
				N8N_OWNER_PASSWORD) hint="the password you log in to n8n with: 8 to 64 characters, with a number and an uppercase letter" ;;
				*) hint="e.g. openssl rand -hex 32" ;;
			esac
			echo "$name still has the placeholder from docker/.env.example: set your own value in docker/.env ($hint), then run docker compose up again." >&2
			failed=1
			;;
	esac
done
[ "$failed" -eq 0 ] && echo "docker/.env: $* set."
exit "$failed"

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Files of n8n's user folder (database, write-ahead log, logs; not the installed packages) that
 * contain one of the secrets: "<file>: <kind>", never the secret itself.
 */
export function scanForSecrets(n8nFolder: string, secrets: Array<{ kind: string; value: string }>, extraFiles: string[] = []): string[] {
	const files: string[] = [...extraFiles];
	const walk = (dir: string) => {
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) {
				if (entry.name !== 'nodes' && entry.name !== 'node_modules') walk(full);
			} else files.push(full);
		}
	};
	walk(n8nFolder);
	const leaks: string[] = [];
	for (const file of new Set(files)) {
		let content: Buffer;
		try {
			content = readFileSync(file);
		} catch {
			continue;
		}
		for (const secret of secrets) {
			if (secret.value.length >= 8 && content.includes(secret.value)) leaks.push(`${path.relative(n8nFolder, file)}: ${secret.kind}`);
		}
	}
	return leaks;
}

'use strict';
/**
 * The n8n owner account of the Docker set-up (docker/link-package.sh runs this on n8n main before n8n
 * starts): prints the bcrypt hash of N8N_OWNER_PASSWORD for N8N_INSTANCE_OWNER_PASSWORD_HASH, which
 * n8n applies to its owner at every `n8n start` when N8N_INSTANCE_OWNER_MANAGED_BY_ENV is true.
 *
 * Hashes with the bcryptjs n8n itself ships and uses (10 rounds, as n8n's PasswordUtility), found from
 * the n8n package on PATH. The hash is kept in the data volume (argument 1) and reused while it still
 * matches the password: n8n signs login sessions with the stored hash, so a new salt at every start
 * would log everyone out at each restart. The password is read from the environment, never from the
 * command line (visible to `ps`), and neither it nor the hash is printed anywhere but stdout.
 * Usage: N8N_OWNER_PASSWORD=... node owner-hash.js [hash file]
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** n8n's own rule for owner passwords (@n8n/api-types password.schema): the editor refuses others. */
function passwordProblem(password) {
	if (password.length < 8 || password.length > 64) return 'must be 8 to 64 characters long';
	if (!/\d/.test(password)) return 'must contain at least 1 number';
	if (!/[A-Z]/.test(password)) return 'must contain at least 1 uppercase letter';
	return undefined;
}

/** The n8n package folder: N8N_PACKAGE_DIR, or the package of the `n8n` command on PATH (/usr/local/lib/node_modules/n8n in the image). */
function n8nPackageDir(env = process.env) {
	if (env.N8N_PACKAGE_DIR) return env.N8N_PACKAGE_DIR;
	const command = execFileSync('sh', ['-c', 'command -v n8n'], { encoding: 'utf8', env }).trim();
	// <package>/bin/n8n, reached through the /usr/local/bin/n8n link.
	return path.resolve(fs.realpathSync(command), '../..');
}

/** The bcryptjs n8n depends on, wherever n8n's installer put it. */
function n8nBcrypt(env = process.env) {
	const packageDir = n8nPackageDir(env);
	return require(require.resolve('bcryptjs', { paths: [packageDir] }));
}

/** The hash for the password: the one in hashFile when it still matches, else a new one (written to hashFile). */
function ownerPasswordHash(password, hashFile, bcrypt = n8nBcrypt()) {
	if (hashFile && fs.existsSync(hashFile)) {
		const kept = fs.readFileSync(hashFile, 'utf8').trim();
		if (/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(kept) && bcrypt.compareSync(password, kept)) return kept;
	}
	const hash = bcrypt.hashSync(password, 10);
	if (hashFile) {
		fs.mkdirSync(path.dirname(hashFile), { recursive: true });
		fs.writeFileSync(hashFile, `${hash}\n`, { mode: 0o600 });
	}
	return hash;
}

function main() {
	const password = process.env.N8N_OWNER_PASSWORD ?? '';
	const problem = passwordProblem(password);
	if (problem) {
		console.error(`N8N_OWNER_PASSWORD ${problem} (n8n's rule for the owner password): set it in docker/.env, then run docker compose up again.`);
		process.exit(1);
	}
	process.stdout.write(ownerPasswordHash(password, process.argv[2]));
}

module.exports = { n8nBcrypt, n8nPackageDir, ownerPasswordHash, passwordProblem };

if (require.main === module) {
	try {
		main();
	} catch (error) {
		console.error(`owner-hash.js: cannot hash N8N_OWNER_PASSWORD with n8n's bcryptjs: ${error.message}`);
		process.exit(1);
	}
}

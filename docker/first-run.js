'use strict';
/**
 * The Data tables the templates use, created in n8n when missing. One code for both ways to run n8n:
 * `npm start` (scripts/start.ts imports templateTables and ensureTables) and Docker (the one-shot
 * `first-run` service of both Compose files runs this file once n8n is healthy).
 *
 * The list of tables is the templates themselves: every Data table "create" node of workflows/*.json,
 * with its columns. A table that exists is left as it is (its rows and any column you added stay), so
 * a second run creates nothing. The set-up workflows still add their rows (run rows, lock rows, switch
 * rows) and HubSpot properties: they need the HubSpot credential, so they are not run here.
 *
 * As a command (plain Node, no dependencies): logs in to n8n as the owner, makes a short-lived API key
 * with only the Data table scopes, creates the missing tables through n8n's public API, deletes the key.
 *   N8N_URL             n8n's address (default http://localhost:5678)
 *   N8N_OWNER_EMAIL     the owner's e-mail and password (docker/.env)
 *   N8N_OWNER_PASSWORD
 *   HUBSPOT_SYNC_DIR    the folder holding workflows/ (default /opt/hubspot-sync, as in the image)
 */
const fs = require('node:fs');
const path = require('node:path');

/** The Data tables the templates' set-up steps create (their Data table "create" nodes: one source of truth). */
function templateTables(templatesDir) {
	const tables = new Map();
	for (const file of fs.readdirSync(templatesDir).filter((name) => name.endsWith('.json')).sort()) {
		const workflow = JSON.parse(fs.readFileSync(path.join(templatesDir, file), 'utf8'));
		for (const node of workflow.nodes ?? []) {
			const { resource, operation, tableName, columns } = node.parameters ?? {};
			if (node.type === 'n8n-nodes-base.dataTable' && resource === 'table' && operation === 'create' && !tables.has(tableName)) tables.set(tableName, { name: tableName, columns: columns?.column ?? [] });
		}
	}
	return [...tables.values()];
}

/** Every Data table name n8n lists (its public API pages by cursor; bounded so a wrong answer cannot loop). */
async function listTableNames(api) {
	const names = [];
	let cursor;
	for (let page = 0; page < 100; page++) {
		const answer = await api('GET', `/data-tables?limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
		names.push(...answer.data.map((table) => table.name));
		cursor = answer.nextCursor;
		if (!cursor) return names;
	}
	throw new Error('n8n listed more than 100 pages of Data tables; check GET /api/v1/data-tables');
}

/**
 * Creates the wanted tables n8n does not list, through n8n's public API.
 * api(method, path, body) calls /api/v1 (scripts/n8n-runtime.ts's RunningN8n.api, or apiClient below).
 * Answers the names created and every name n8n lists afterwards.
 */
async function ensureTables(api, wanted) {
	const present = new Set(await listTableNames(api));
	const created = [];
	for (const table of wanted.filter((each) => !present.has(each.name))) {
		await api('POST', '/data-tables', table);
		created.push(table.name);
	}
	return { created, tables: await listTableNames(api) };
}

/** Waits (bounded) until n8n answers its readiness check: the first-run service may start while n8n migrates. */
async function waitForN8n(baseUrl, timeoutMs = 180_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const ready = await fetch(`${baseUrl}/healthz/readiness`).then((response) => response.ok, () => false);
		if (ready) return;
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
	throw new Error(`n8n at ${baseUrl} was not ready within ${timeoutMs / 1000} s: check N8N_URL and \`docker compose logs\` of n8n`);
}

/** Logs in as the owner (cookie session), for the internal REST calls that manage API keys. */
async function ownerSession(baseUrl, email, password) {
	const response = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: email, password }),
	});
	if (!response.ok) {
		const hint = response.status === 401 ? 'N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD do not match the n8n owner: set them in docker/.env as n8n main has them, then run docker compose up again' : (await response.text()).slice(0, 300);
		throw new Error(`n8n refused the owner login (${response.status}): ${hint}`);
	}
	return restClient(baseUrl, (response.headers.get('set-cookie') ?? '').split(';')[0]);
}

/** An internal-REST caller with a session cookie; answers the `data` of n8n's envelope. */
function restClient(baseUrl, cookie) {
	return async (method, pathname, body) => {
		const answer = await fetch(`${baseUrl}/rest${pathname}`, {
			method,
			headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await answer.text();
		if (!answer.ok) throw new Error(`n8n ${method} /rest${pathname} answered ${answer.status}: ${text.slice(0, 300)}`);
		const parsed = text ? JSON.parse(text) : undefined;
		return parsed && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	};
}

/** A public-API caller with the given key. */
function apiClient(baseUrl, apiKey) {
	return async (method, pathname, body) => {
		const response = await fetch(`${baseUrl}/api/v1${pathname}`, {
			method,
			headers: { 'X-N8N-API-KEY': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /api/v1${pathname} answered ${response.status}: ${text.slice(0, 300)}`);
		return text ? JSON.parse(text) : undefined;
	};
}

/** The whole first run against n8n at baseUrl; answers what ensureTables answers. */
async function firstRun({ baseUrl, email, password, templatesDir }) {
	const wanted = templateTables(templatesDir);
	await waitForN8n(baseUrl);
	const rest = await ownerSession(baseUrl, email, password);
	// Only the Data table scopes, expiring in 15 minutes, deleted when done: nothing usable is left behind.
	const key = await rest('POST', '/api-keys', { label: `hubspot-sync first run ${Date.now()}`, scopes: ['dataTable:list', 'dataTable:create'], expiresAt: Math.floor(Date.now() / 1000) + 15 * 60 });
	try {
		return { wanted: wanted.map((table) => table.name), ...(await ensureTables(apiClient(baseUrl, key.rawApiKey), wanted)) };
	} finally {
		await rest('DELETE', `/api-keys/${key.id}`);
	}
}

async function main(env = process.env) {
	for (const name of ['N8N_OWNER_EMAIL', 'N8N_OWNER_PASSWORD']) {
		if (!env[name]) throw new Error(`${name} is empty: set it in docker/.env (see docker/.env.example), then run docker compose up again.`);
	}
	const baseUrl = (env.N8N_URL || 'http://localhost:5678').replace(/\/+$/, '');
	const templatesDir = path.join(env.HUBSPOT_SYNC_DIR || '/opt/hubspot-sync', 'workflows');
	const result = await firstRun({ baseUrl, email: env.N8N_OWNER_EMAIL, password: env.N8N_OWNER_PASSWORD, templatesDir });
	if (result.created.length === 0) console.log(`hubspot-sync first run: all ${result.wanted.length} Data tables of the templates exist already; nothing created.`);
	else console.log(`hubspot-sync first run: created ${result.created.length} of the ${result.wanted.length} Data tables of the templates: ${result.created.join(', ')}.`);
	console.log('Next, in the editor: connect the HubSpot credential, then run the set-up workflows in order (README, Installation → Docker).');
}

module.exports = { apiClient, ensureTables, firstRun, restClient, templateTables };

if (require.main === module) {
	main().catch((error) => {
		console.error(`hubspot-sync first run failed: ${error.message}`);
		process.exit(1);
	});
}

/**
 * The README's first command and the demo, run as a newcomer runs them: `npm start` and
 * `npm run demo` in a terminal (their own process group), waiting for the line that says they are
 * ready, checking what they promise through n8n itself, then Ctrl-C (SIGINT to the group).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DEFAULT_OWNER, REPO_ROOT } from '../../scripts/n8n-runtime';
import { templateTables } from '../../scripts/start';
import { freePortBlock } from './n8n-e2e';

jest.setTimeout(900_000);

interface Terminal {
	child: ChildProcess;
	output: () => string;
	waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>;
	/** SIGINT to the whole group, as a terminal's Ctrl-C; answers once every process of the group is gone. */
	ctrlC: () => Promise<{ code: number | null; signal: string | null }>;
}

function groupAlive(groupId: number): boolean {
	try {
		process.kill(-groupId, 0);
		return true;
	} catch {
		return false;
	}
}

/** Ended as a Ctrl-C'd terminal command does: exit code 0, or npm's own death by SIGINT. */
const stoppedCleanly = (result: { code: number | null; signal: string | null }) => result.code === 0 || result.signal === 'SIGINT';

/** Every terminal a test started: one a failed test leaves running is killed after it (jest would wait on it). */
const terminals: Terminal[] = [];
afterEach(() => {
	for (const terminal of terminals.splice(0)) if (groupAlive(terminal.child.pid!)) process.kill(-terminal.child.pid!, 'SIGKILL');
});

function runInTerminal(args: string[], env: Record<string, string>): Terminal {
	const child = spawn('npm', args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout!.on('data', (chunk) => (output += chunk));
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	const terminal: Terminal = {
		child,
		output: () => output,
		waitFor: async (pattern, timeoutMs) => {
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				const match = output.match(pattern);
				if (match) return match;
				if (child.exitCode !== null) throw new Error(`npm ${args.join(' ')} exited ${child.exitCode}:\n${output.slice(-3000)}`);
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
			throw new Error(`npm ${args.join(' ')} did not print ${pattern} within ${timeoutMs} ms:\n${output.slice(-3000)}`);
		},
		ctrlC: async () => {
			process.kill(-child.pid!, 'SIGINT');
			const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
			const result = await exited;
			// npm itself may end at once on SIGINT (as in a terminal); its children stop on their own.
			const deadline = Date.now() + 60_000;
			while (groupAlive(child.pid!) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
			clearTimeout(timer);
			return result;
		},
	};
	terminals.push(terminal);
	return terminal;
}

async function login(url: string): Promise<string> {
	const response = await fetch(`${url}/rest/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ emailOrLdapLoginId: DEFAULT_OWNER.email, password: DEFAULT_OWNER.password }) });
	expect(response.status).toBe(200);
	return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

async function workflowNames(url: string): Promise<string[]> {
	const response = await fetch(`${url}/rest/workflows`, { headers: { cookie: await login(url) } });
	const { data } = (await response.json()) as { data: Array<{ name: string }> };
	return data.map((workflow) => workflow.name);
}

/** The shipped templates' ids and names, read once. */
const templates = readdirSync(path.join(REPO_ROOT, 'workflows'))
	.filter((file) => file.endsWith('.json'))
	.map((file) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as { id: string; name: string });
const templateNames = templates.map((template) => template.name);
const EDITED = 'Edited by the operator';

async function renameWorkflow(url: string, id: string, name: string): Promise<void> {
	const cookie = await login(url);
	const { data } = (await (await fetch(`${url}/rest/workflows/${id}`, { headers: { cookie } })).json()) as { data: { versionId: string } };
	const response = await fetch(`${url}/rest/workflows/${id}`, { method: 'PATCH', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name, versionId: data.versionId }) });
	expect(response.status).toBe(200);
}

const portClosed = async (url: string) => (await fetch(`${url}/healthz`).then(() => false, () => true));

describe('npm start', () => {
	const home = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-start-'));
	afterAll(() => rmSync(home, { recursive: true, force: true }));

	it('starts n8n with every node, template and Data table, logs the owner in, stops on Ctrl-C; a second start keeps one copy of each template and the operator\'s edits', async () => {
		const port = await freePortBlock([0, 1, 10, 11]);
		const url = `http://127.0.0.1:${port}`;
		const seconds: number[] = [];
		for (const round of [1, 2]) {
			const terminal = runInTerminal(['start'], { HUBSPOT_SYNC_HOME: home, N8N_PORT: String(port) });
			const ready = await terminal.waitFor(/n8n is ready in ([\d.]+) s: (\S+)/, 600_000);
			seconds.push(Number(ready[1]));
			expect(ready[2]).toBe(`http://localhost:${port}/`);
			expect(terminal.output()).toContain(`Log in as ${DEFAULT_OWNER.email} / ${DEFAULT_OWNER.password}`);
			const expectedNames = templateNames.map((name) => (round === 2 && name === templateNames[0] ? EDITED : name));
			expect((await workflowNames(url)).sort()).toEqual(expectedNames.sort());
			// An operator edits a template; the next start must not put the original back over it.
			if (round === 1) await renameWorkflow(url, templates[0].id, EDITED);
			// The Data tables the set-up templates would create exist already (n8n's own list, printed).
			const tables = terminal.output().match(/Data tables: (.*)/)![1].split(', ');
			expect(tables).toEqual(expect.arrayContaining(templateTables(path.join(REPO_ROOT, 'workflows')).map((table) => table.name)));
			expect(tables).toEqual(expect.arrayContaining(['hubspot_sync_history', 'hubspot_sync_runs', 'hubspot_sync_records', 'hubspot_sync_deal_links']));
			const nodes = JSON.parse(readFileSync(path.join(home, '.cache/n8n/public/types/nodes.json'), 'utf8')) as Array<{ name: string }>;
			const ours = nodes.map((node) => node.name).filter((name) => name.startsWith('n8n-nodes-hubspot-sync.') && !name.endsWith('Tool'));
			expect(ours).toHaveLength(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).n8n.nodes.length);
			expect(stoppedCleanly(await terminal.ctrlC())).toBe(true);
			expect(terminal.output()).toContain('Stopping n8n');
			expect(await portClosed(url)).toBe(true);
			if (round === 2) console.log(`npm start: ready in ${seconds[0]} s (first start in this folder), ${seconds[1]} s (second)`);
		}
	});
});

describe('npm run demo', () => {
	const home = mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-demo-'));
	afterAll(() => rmSync(home, { recursive: true, force: true }));

	it('shows meetings, synced properties, deals and history rows from the emulator, then stops on Ctrl-C', async () => {
		const [port, emulatorPort, salesAppPort, salesforcePort] = [await freePortBlock([0, 1, 10, 11]), await freePortBlock([0]), await freePortBlock([0]), await freePortBlock([0])];
		const terminal = runInTerminal(['run', 'demo'], { HUBSPOT_SYNC_DEMO_HOME: home, N8N_PORT: String(port), HUBSPOT_EMULATOR_PORT: String(emulatorPort), DEMO_SALES_APP_PORT: String(salesAppPort), DEMO_SALESFORCE_PORT: String(salesforcePort) });
		const ready = await terminal.waitFor(/The demo is ready in (\d+) s\.[\s\S]*Press Ctrl-C to stop\./, 600_000);
		const text = ready[0];
		// Two of the three bookings have a HubSpot contact; the third is an explained row.
		expect(text).toMatch(/Meetings\s+2 created in HubSpot from 3 bookings/);
		// Each on its guest's primary company (HubSpot keeps it as the contact's primary association).
		expect(text).toMatch(/Meetings\s+.*, 2 with the guest's primary company/);
		expect(text).toMatch(/Properties\s+240 contacts and companies synced/);
		const deals = Number(text.match(/Deals\s+(\d+) deals sent to the sales app/)![1]);
		expect(deals).toBeGreaterThan(0);
		const [, total, success, skip, error] = text.match(/History\s+(\d+) rows in hubspot_sync_history: (\d+) success, (\d+) skip, (\d+) error/)!.map(Number);
		expect(success).toBeGreaterThanOrEqual(2 + deals);
		expect(skip + error).toBeGreaterThan(0);
		expect(total).toBe(success + skip + error);
		// The two-way syncs filled the empty stand-in app with every HubSpot company and contact, each contact with
		// its primary company; the bridge made leads of them.
		expect(text).toMatch(/Two-way sync\s+200 contacts and 40 companies in the Data tables sample_app_contacts and sample_app_companies .*; 200 contacts with their primary company; 60 deals in sample_app_deals/);
		const leads = Number(text.match(/Salesforce\s+(\d+) leads in Salesforce/)![1]);
		expect(leads).toBeGreaterThan(5);
		expect(text).toContain(`http://localhost:${port}/`);
		// The stand-ins listen where their settings say.
		expect(text).toMatch(new RegExp(`Sales app\\s+http://127\\.0\\.0\\.1:${salesAppPort} `));
		expect(text).toMatch(new RegExp(`Salesforce\\s+http://127\\.0\\.0\\.1:${salesforcePort} `));
		expect((await workflowNames(`http://127.0.0.1:${port}`)).length).toBe(templateNames.length);
		// The booking the demo prints for you to post works as printed.
		const curl = text.match(/curl -X POST (\S+) -H '([^:]+): ([^']+)' -H 'content-type: application\/json' -d '([^']+)'/)!;
		const answer = await fetch(curl[1], { method: 'POST', headers: { [curl[2]]: curl[3], 'content-type': 'application/json' }, body: curl[4] });
		expect(await answer.json()).toMatchObject({ status: 'success', targetId: 'DEMO-4', objectType: 'meeting' });
		console.log(`npm run demo: ready in ${ready[1]} s`);
		expect(stoppedCleanly(await terminal.ctrlC())).toBe(true);
		expect(await portClosed(`http://127.0.0.1:${port}`)).toBe(true);
		expect(await portClosed(`http://127.0.0.1:${emulatorPort}`)).toBe(true);
	});
});

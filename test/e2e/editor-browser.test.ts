/**
 * The n8n editor in a real, headless Chromium (Debian's, driven by playwright-core; never a browser
 * download): sign in, find each of our nodes in the node creator with its icon, open each template,
 * open our nodes' parameter panels so their dropdowns load owners, teams, pipelines, stages and
 * properties from the emulator, and save screenshots under test-output/editor/. Fails on any
 * browser console error that names our package or nodes.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

import { seedCrm } from '../hubspot-emulator/seed';
import { DEFAULT_OWNER, REPO_ROOT } from '../../scripts/n8n-runtime';
import { ensureDebianPackages } from '../support/local-services';
import { startE2eEnvironment, templateForE2e, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(900_000);

const SHOTS = path.join(REPO_ROOT, 'test-output', 'editor');
const TEMPLATES = readdirSync(path.join(REPO_ROOT, 'workflows')).filter((file) => file.endsWith('.json'));
const MAPPING = { rows: [{ stage: 'pipeline-1/pipeline-1-won', status: 'Ordered', isTarget: true }] };
const OUR_NODES = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).n8n.nodes as string[]).map((file) => {
	const source = readFileSync(path.join(REPO_ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts')), 'utf8');
	// The node's own name: the first displayName of its description (helpers above it have their own).
	return source.match(/description: INodeTypeDescription = \{\s*displayName: '([^']+)'/)![1];
});

let env: E2eEnvironment;
let browser: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const loadedOptions: Array<{ method: string; names: string[] }> = [];

beforeAll(async () => {
	ensureDebianPackages({ chromium: '/usr/bin/chromium' });
	mkdirSync(SHOTS, { recursive: true });
	env = await startE2eEnvironment(
		TEMPLATES.map((file) => templateForE2e(file, file === 'deal-sync-hubspot-to-target.json' || file === 'deal-sync-target-to-hubspot.json' ? { 'Map Deal Stage': { mapping: MAPPING } } : {})),
		{},
		{ publish: [], beforeStart: ({ emulator }) => void seedCrm(emulator.store, { contacts: 20, companies: 5, deals: 20, owners: 3, teams: 2, pipelines: 2 }) },
	);
	// A fresh, throwaway profile each run.
	browser = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'hubspot-sync-chromium-')), {
		executablePath: '/usr/bin/chromium',
		headless: true,
		viewport: { width: 1600, height: 1000 },
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
	});
	page = await browser.newPage();
	page.on('console', (message) => {
		if (message.type() === 'error') consoleErrors.push(message.text());
	});
	page.on('pageerror', (error) => consoleErrors.push(error.message));
	page.on('response', async (response) => {
		if (!response.url().includes('/rest/dynamic-node-parameters/options')) return;
		const method = String(JSON.parse(response.request().postData() ?? '{}').methodName ?? '');
		const body = await response.json().catch(() => ({}));
		loadedOptions.push({ method, names: ((body.data ?? []) as Array<{ name: string }>).map((option) => option.name) });
	});
	await page.goto(`${env.n8n.url}/signin`);
	await page.locator('[data-test-id=signin-form] input').first().fill(DEFAULT_OWNER.email);
	await page.locator('[data-test-id=signin-form] input[type=password]').fill(DEFAULT_OWNER.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
});

afterAll(async () => {
	await browser?.close();
	await env?.teardown();
});

const ourErrors = () => consoleErrors.filter((text) => /hubspot-?sync|hubSpotSync/i.test(text));

it('finds each of our nodes in the node creator, each with its icon', async () => {
	// A workflow that has a trigger, so that the creator offers every node (a new one offers triggers first).
	await page.goto(`${env.n8n.url}/workflow/hsMeetingBooked01`);
	await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 60_000 });
	await page.locator('[data-test-id=node-creator-plus-button]').first().click({ timeout: 60_000 });
	await page.locator('[data-test-id=node-creator-search-bar]').fill('HubSpot');
	const items = page.locator('[data-test-id=node-creator-item-name]');
	await items.filter({ hasText: OUR_NODES[0] }).first().waitFor({ timeout: 30_000 });
	const names = await items.allInnerTexts();
	for (const name of OUR_NODES) expect(names.map((text) => text.trim())).toContain(name);
	// Every icon of the list is our SVG, served by n8n and decoded by the browser.
	const icons = await page.locator('[data-test-id=node-creator] img').evaluateAll((images) => images.map((image) => ({ src: (image as unknown as { src: string }).src, width: (image as unknown as { naturalWidth: number }).naturalWidth })));
	const ours = icons.filter((icon) => icon.src.includes('n8n-nodes-hubspot-sync'));
	expect(ours.length).toBeGreaterThanOrEqual(OUR_NODES.length);
	expect(ours.every((icon) => icon.width > 0)).toBe(true);
	await page.screenshot({ path: path.join(SHOTS, 'node-creator.png') });
	await page.keyboard.press('Escape');
	expect(ourErrors()).toEqual([]);
});

it('opens every template with all its nodes on the canvas', async () => {
	for (const file of TEMPLATES) {
		const workflow = JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8'));
		await page.goto(`${env.n8n.url}/workflow/${workflow.id}`);
		await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 60_000 });
		await expect(page.locator('[data-test-id=canvas-node]').count()).resolves.toBe(workflow.nodes.filter((node: { type: string }) => node.type !== 'n8n-nodes-base.stickyNote').length);
		await page.screenshot({ path: path.join(SHOTS, `${path.basename(file, '.json')}.png`) });
	}
	expect(ourErrors()).toEqual([]);
});

type ScreenBox = { name: string; x: number; y: number; width: number; height: number };

// The few DOM shapes the page functions below use (the tests' TypeScript has no DOM library: it runs in Node).
type DrawnElement = {
	getBoundingClientRect(): { x: number; y: number; width: number; height: number; bottom: number };
	getAttribute(name: string): string | null;
	scrollWidth: number;
	clientWidth: number;
	querySelector(selector: string): DrawnElement | null;
	querySelectorAll(selector: string): Iterable<DrawnElement>;
	textContent: string | null;
};
declare const document: { querySelectorAll(selector: string): Iterable<DrawnElement> };


/**
 * Boxes of what the editor drew, in screen pixels: each node's body, its name and subtitle, its
 * output labels, and each sticky's text (from its top to the bottom of its last paragraph).
 * n8n's class names are CSS-module hashes ("_description_1n0cc_40"), so they are matched by prefix.
 */
async function drawnBoxes(): Promise<{ bodies: ScreenBox[]; labels: ScreenBox[]; stickyTexts: ScreenBox[]; overflowing: string[]; cutLabels: string[] }> {
	return page.evaluate(() => {
		const box = (name: string, element: DrawnElement) => {
			const rect = element.getBoundingClientRect();
			return { name, x: rect.x, y: rect.y, width: rect.width, height: rect.height };
		};
		const nodes = [...document.querySelectorAll('[data-test-id=canvas-node]')];
		const nameOf = (element: DrawnElement) => element.getAttribute('data-node-name') ?? '?';
		const stickies = [...document.querySelectorAll('[data-test-id=sticky]')];
		const firstLine = (sticky: DrawnElement) => (sticky.textContent ?? '').trim().split('\n')[0].slice(0, 40);
		return {
			bodies: nodes.map((node) => box(nameOf(node), node.querySelector('[data-test-id=canvas-default-node], [data-test-id=canvas-trigger-node]') ?? node)),
			labels: nodes.flatMap((node) => [...node.querySelectorAll('[class*=_description_], [class*=_outputLabel_]')].map((label) => box(nameOf(node), label))),
			// n8n ends an output label that does not fit its handle with an ellipsis (text-overflow).
			cutLabels: nodes.flatMap((node) => [...node.querySelectorAll('[class*=_outputLabel_]')].filter((label) => label.scrollWidth > label.clientWidth).map((label) => `"${label.textContent}" of "${nameOf(node)}"`)),
			stickyTexts: stickies.map((sticky) => {
				const blocks = [...sticky.querySelectorAll('h1, h2, h3, h4, p, li')];
				const top = sticky.getBoundingClientRect().y;
				const bottom = Math.max(top, ...blocks.map((block) => block.getBoundingClientRect().bottom));
				return { ...box(`the sticky "${firstLine(sticky)}"`, sticky), height: bottom - top };
			}),
			overflowing: stickies.filter((sticky) => {
				const blocks = [...sticky.querySelectorAll('h1, h2, h3, h4, p, li')];
				return blocks.some((block) => block.getBoundingClientRect().bottom > sticky.getBoundingClientRect().bottom + 1);
			}).map((sticky) => `the sticky "${firstLine(sticky)}"`),
		};
	});
}

const overlapping = (a: ScreenBox, b: ScreenBox) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

it('draws every template with no node over another, no label over a node or cut short, and every sticky text inside its note', async () => {
	const found: string[] = [];
	for (const file of TEMPLATES) {
		const workflow = JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8'));
		await page.goto(`${env.n8n.url}/workflow/${workflow.id}`);
		await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(500);
		const { bodies, labels, stickyTexts, overflowing, cutLabels } = await drawnBoxes();
		expect(bodies.length).toBe(workflow.nodes.filter((node: { type: string }) => node.type !== 'n8n-nodes-base.stickyNote').length);
		expect(labels.length).toBeGreaterThanOrEqual(bodies.length);
		for (const [i, a] of bodies.entries()) for (const b of bodies.slice(i + 1)) if (overlapping(a, b)) found.push(`${file}: node "${a.name}" over node "${b.name}"`);
		for (const label of labels) for (const body of bodies) if (body.name !== label.name && overlapping(label, body)) found.push(`${file}: a label of "${label.name}" over node "${body.name}"`);
		for (const text of stickyTexts) for (const body of bodies) if (overlapping(text, body)) found.push(`${file}: node "${body.name}" on the text of ${text.name}`);
		for (const sticky of overflowing) found.push(`${file}: the text of ${sticky} runs past its note`);
		for (const label of cutLabels) found.push(`${file}: the output label ${label} is cut short`);
	}
	expect(found).toEqual([]);
});

it('saves a screenshot of each of the three largest templates at a zoom a person reads', async () => {
	const largest = TEMPLATES.map((file) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'workflows', file), 'utf8')) as { id: string; name: string; nodes: Array<{ type: string }> })
		.sort((a, b) => b.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').length - a.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote').length)
		.slice(0, 3);
	await page.setViewportSize({ width: 2400, height: 1400 });
	for (const workflow of largest) {
		await page.goto(`${env.n8n.url}/workflow/${workflow.id}`);
		await page.locator('[data-test-id=canvas-node]').first().waitFor({ timeout: 60_000 });
		await page.waitForTimeout(500);
		const shot = path.join(SHOTS, `largest-${workflow.id}.png`);
		await page.screenshot({ path: shot, fullPage: true });
		expect(statSync(shot).size).toBeGreaterThan(50_000);
	}
	await page.setViewportSize({ width: 1600, height: 1000 });
});

/** Opens a node's parameter panel by double-clicking it on the canvas; screenshot; closes it. */
async function openNode(workflowId: string, nodeName: string, shot: string): Promise<void> {
	await page.goto(`${env.n8n.url}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id=canvas-node][data-node-name="${nodeName}"]`);
	await node.waitFor({ timeout: 60_000 });
	await node.dblclick();
	await page.locator('[data-test-id=ndv]').first().waitFor({ timeout: 30_000 });
	// Dropdowns load their options when the panel renders them.
	await page.waitForTimeout(3_000);
	await page.screenshot({ path: path.join(SHOTS, shot) });
	await page.keyboard.press('Escape');
}

it('loads owners, teams, deal properties, pipelines, stages and properties from HubSpot in the parameter panels', async () => {
	const owners = env.emulator.store.owners.map((owner) => `${owner.firstName} ${owner.lastName}`);
	await openNode('hsDealsToTarget01', 'Filter Deals', 'filter-deals.png');
	await openNode('hsDealsToTarget01', 'Map Deal Stage', 'map-deal-stage.png');
	await openNode('hsMeetingBooked01', 'Create HubSpot meeting', 'create-meeting.png');
	await openNode('hsPropSyncTest001', 'Test contact properties', 'sync-properties.png');
	const byMethod = (method: string) => loadedOptions.filter((load) => load.method === method).flatMap((load) => load.names);
	expect(byMethod('getOwners').join('|')).toContain(owners[0]);
	expect(byMethod('getTeams').length).toBe(2);
	expect(byMethod('getDealProperties')).toEqual(expect.arrayContaining([expect.stringMatching(/board_custom_filter_key|Deal Stage|Pipeline/i)]));
	expect(byMethod('getDealStages').some((name) => /Won/i.test(name))).toBe(true);
	expect(ourErrors()).toEqual([]);
	console.log(`editor: options loaded by ${[...new Set(loadedOptions.map((load) => load.method))].join(', ')}; screenshots in ${SHOTS}`);
});

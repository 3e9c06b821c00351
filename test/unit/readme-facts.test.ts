import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DEMO_WEBHOOK_NAME, portFromEnv } from '../../scripts/demo';

const root = path.join(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

it('the package version is the newest entry of the README version history', () => {
	const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
	const history = readme.slice(readme.indexOf('## Version history'));
	const newest = history.match(/^- (\d+\.\d+\.\d+)/m)?.[1];
	expect(newest).toBe(version);
});

it('the README documents every port setting of the demo and the webhook name it gives replaced schedules', () => {
	const demo = readFileSync(path.join(root, 'scripts/demo.ts'), 'utf8');
	const settings = [...demo.matchAll(/portFromEnv\('([A-Z0-9_]+)'/g)].map((match) => match[1]);
	expect(settings).toEqual(expect.arrayContaining(['N8N_PORT', 'HUBSPOT_EMULATOR_PORT', 'DEMO_SALES_APP_PORT', 'DEMO_SALESFORCE_PORT']));
	for (const name of settings) expect([name, readme.includes(`\`${name}\``)]).toEqual([name, true]);
	expect(readme).toContain(DEMO_WEBHOOK_NAME);
	expect(demo).not.toMatch(/withWebhookTrigger\([^\n]*'Every \d+ minutes'/);
});

it('the README uses N8N_WEBHOOK_URL (WEBHOOK_URL is deprecated in n8n 2) and 403 for failed webhook header auth', () => {
	expect(readme).toContain('N8N_WEBHOOK_URL');
	// The one mention of the old name says it is deprecated; nothing tells the reader to set it.
	expect(readme.replace('the older `WEBHOOK_URL` name is deprecated', '')).not.toMatch(/(?<!N8N_)WEBHOOK_URL/);
	expect(readme).not.toMatch(/header auth[^.|]*401/i);
	expect(readme).toMatch(/header auth[^.|]*403/i);
});

describe('portFromEnv (the demo port settings)', () => {
	it('takes the fallback when unset or empty', () => {
		expect(portFromEnv('DEMO_SALES_APP_PORT', 0, {})).toBe(0);
		expect(portFromEnv('HUBSPOT_EMULATOR_PORT', 4010, { HUBSPOT_EMULATOR_PORT: ' ' })).toBe(4010);
	});

	it('takes a set port', () => {
		expect(portFromEnv('DEMO_SALESFORCE_PORT', 0, { DEMO_SALESFORCE_PORT: '4030' })).toBe(4030);
	});

	it('refuses what is not a port, naming the variable', () => {
		expect(() => portFromEnv('DEMO_SALES_APP_PORT', 0, { DEMO_SALES_APP_PORT: 'abc' })).toThrow(/DEMO_SALES_APP_PORT=abc is not a port: set a whole number from 1 to 65535/);
		expect(() => portFromEnv('DEMO_SALES_APP_PORT', 0, { DEMO_SALES_APP_PORT: '70000' })).toThrow(/DEMO_SALES_APP_PORT=70000 is not a port/);
		expect(() => portFromEnv('DEMO_SALES_APP_PORT', 0, { DEMO_SALES_APP_PORT: '-1' })).toThrow(/is not a port/);
	});
});

/**
 * Sync Properties → Ensure Property Options through n8n's engine against the emulator: the tag
 * property is created with the incoming values as options, later values are added (one PATCH),
 * known ones (any case) change nothing, the 300-option cap stops before any change, and a Push
 * after it can write the tags.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_SERVICE_KEY } from '../hubspot-emulator';
import { startEmulator, type RunningEmulator } from '../support/emulator';
import { runWorkflow } from '../support/workflow-harness';

let hs: RunningEmulator;
beforeEach(async () => {
	hs = await startEmulator();
});
afterEach(() => hs.stop());

const PACKAGE = 'n8n-nodes-hubspot-sync';
const credentials = { hubSpotSyncServiceKeyApi: { id: 'cred1', name: 'HubSpot service key' } };
function workflow(parameters: IDataObject = {}) {
	return {
		name: 'ensure options',
		nodes: [
			{ id: 'start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'tags', name: 'Tag options', type: `${PACKAGE}.hubSpotSyncProperties`, typeVersion: 1, position: [200, 0], credentials, parameters: { authentication: 'serviceKey', operation: 'ensureOptions', objectType: 'contacts', optionsProperty: 'card_tags', optionsLabel: 'Card tags', optionsValues: '={{ $json.card_tags }}', maxOptions: 300, ...parameters } },
			{ id: 'push', name: 'Push', type: `${PACKAGE}.hubSpotSyncProperties`, typeVersion: 1, position: [400, 0], credentials, parameters: { authentication: 'serviceKey', operation: 'push', objectType: 'contacts', mappingMode: 'byName', conflictRule: 'incomingWins' } },
		],
		connections: { Start: { main: [[{ node: 'Tag options', type: 'main', index: 0 }]] }, 'Tag options': { main: [[{ node: 'Push', type: 'main', index: 0 }], []] } },
		settings: { executionOrder: 'v1' },
	};
}
const run = (items: IDataObject[], parameters: IDataObject = {}) => runWorkflow(workflow(parameters), { hubSpotSyncServiceKeyApi: { accessToken: DEFAULT_SERVICE_KEY, baseUrl: hs.url } }, items);
const tagProperty = () => hs.emulator.store.properties.get('contacts')!.get('card_tags');

it('creates the property with the values as options, adds later ones once, and Push writes the tags', async () => {
	const first = await run([{ email: 'a@cards.example.com', card_tags: 'VIP; Tokyo' }, { email: 'b@cards.example.com', card_tags: 'tokyo;Expo 2026' }]);
	expect(first.error('Tag options')).toBeUndefined();
	expect(tagProperty()).toMatchObject({ type: 'enumeration', fieldType: 'checkbox', groupName: 'n8n_sync', label: 'Card tags' });
	expect(tagProperty()!.options.map((option) => option.value)).toEqual(['VIP', 'Tokyo', 'Expo 2026']);
	expect(first.output('Tag options', 1)[0].json).toMatchObject({ status: 'created', added: ['VIP', 'Tokyo', 'Expo 2026'], options: 3 });
	// Items pass through unchanged, then Push writes the options (a different case matches the option).
	expect(first.output('Tag options', 0).map((item) => item.json.email)).toEqual(['a@cards.example.com', 'b@cards.example.com']);
	expect(hs.emulator.store.findByProperty('contacts', 'email', 'b@cards.example.com')?.properties.card_tags).toBe('Tokyo;Expo 2026');

	hs.emulator.resetStats();
	const second = await run([{ email: 'c@cards.example.com', card_tags: 'vip;Osaka' }, { email: 'd@cards.example.com' }]);
	expect(second.output('Tag options', 1)[0].json).toMatchObject({ status: 'updated', added: ['Osaka'], options: 4, calls: 2 });
	expect(tagProperty()!.options.map((option) => option.value)).toEqual(['VIP', 'Tokyo', 'Expo 2026', 'Osaka']);
	expect(hs.emulator.stats.byOperation['PATCH /crm/properties/2026-03/{objectType}/{propertyName}']).toBe(1);

	hs.emulator.resetStats();
	const third = await run([{ email: 'e@cards.example.com', card_tags: 'osaka; TOKYO' }]);
	expect(third.output('Tag options', 1)[0].json).toMatchObject({ status: 'unchanged', added: [], options: 4, calls: 1 });
	expect(hs.emulator.contract.violations).toEqual([]);
});

it('stops before any change when the options would pass the maximum, naming the count', async () => {
	await run([{ email: 'a@cards.example.com', card_tags: 'one;two' }], { maxOptions: 3 });
	const over = await run([{ email: 'b@cards.example.com', card_tags: 'three;four' }], { maxOptions: 3 });
	expect(over.error('Tag options')?.message).toBe('Property "card_tags" would have 4 options, more than the maximum of 3');
	expect(tagProperty()!.options.map((option) => option.value)).toEqual(['one', 'two']);
	const fresh = await run([{ card_tags: 'a;b;c;d' }], { optionsProperty: 'other_tags', maxOptions: 3 });
	expect(fresh.error('Tag options')?.message).toBe('Property "other_tags" would have 4 options, more than the maximum of 3');
	expect(hs.emulator.store.properties.get('contacts')!.has('other_tags')).toBe(false);
});

it('refuses a property that is not a picklist, and a name that is not an internal name', async () => {
	const text = await run([{ card_tags: 'x' }], { optionsProperty: 'firstname' });
	expect(text.error('Tag options')?.message).toBe('Property "firstname" is a string property, not a picklist');
	const bad = await run([{ card_tags: 'x' }], { optionsProperty: 'Card Tags' });
	expect(bad.error('Tag options')?.message).toBe('"Property Internal Name" "Card Tags" is not an internal name');
});

/**
 * What the editor shows must fit and read as plain English:
 * - Field, option and collection labels: the parameter panel and the option dropdowns cut long
 *   labels with an ellipsis at their default width; 30 characters is the safe limit used here.
 * - Output names sit beside the output handles on the canvas, which cuts a connected output's
 *   label at 96 pixels (n8n 2.41's CSS: 12 px Inter): 12 characters ("Edit HubSpot" is 79 px;
 *   "HubSpot Updates" was drawn "HubSpot Upda…"). The editor browser test checks what is drawn.
 * - n8n builds the node creator's action list from each operation's `action`, dropping apostrophes
 *   ("a booking's meeting" became "a booking s meeting"), so actions carry none.
 * - Notices are text blocks, not labels: not limited.
 * Every node of the package is checked, Reconcile included.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyCollection, INodePropertyOptions, INodeType } from 'n8n-workflow';

const ROOT = path.resolve(__dirname, '../..');
const LABEL_MAX = 30;
const OUTPUT_MAX = 12;

const nodes = readdirSync(path.join(ROOT, 'nodes'))
	.filter((dir) => existsSync(path.join(ROOT, 'nodes', dir, `${dir}.node.ts`)))
	.map((dir) => ({ dir, node: new (require(path.join(ROOT, 'nodes', dir, `${dir}.node.ts`))[dir])() as INodeType }));

interface Label {
	where: string;
	text: string;
}

/** Every label of a property tree: fields, options of option lists, collection and fixedCollection entries. */
function labelsOf(properties: INodeProperties[], where = ''): Label[] {
	const labels: Label[] = [];
	for (const property of properties) {
		const at = `${where}${property.name}`;
		if (property.type !== 'notice') labels.push({ where: at, text: property.displayName });
		for (const option of property.options ?? []) {
			if ('type' in option) {
				labels.push(...labelsOf([option as INodeProperties], `${at}.`));
			} else if ('values' in option) {
				const entry = option as INodePropertyCollection;
				labels.push({ where: `${at}.${entry.name}`, text: entry.displayName });
				labels.push(...labelsOf(entry.values, `${at}.${entry.name}.`));
			} else {
				labels.push({ where: `${at}=${String((option as INodePropertyOptions).value)}`, text: (option as INodePropertyOptions).name });
			}
		}
	}
	return labels;
}

function actionsOf(properties: INodeProperties[]): Label[] {
	return properties.flatMap((property) =>
		(property.options ?? [])
			.filter((option): option is INodePropertyOptions => 'action' in option && typeof option.action === 'string')
			.map((option) => ({ where: `${property.name}=${String(option.value)}`, text: option.action! })),
	);
}

it('checks all seven nodes', () => {
	expect(nodes.map(({ dir }) => dir).sort()).toEqual([
		'HubSpotSyncCreateMeeting',
		'HubSpotSyncFilterDeals',
		'HubSpotSyncMapDealStage',
		'HubSpotSyncProperties',
		'HubSpotSyncReconcile',
		'HubSpotSyncVerifyWebhook',
		'HubSpotSyncWriteHistory',
	]);
});

describe.each(nodes.map(({ dir, node }) => [dir, node] as const))('%s', (_dir, node) => {
	it(`labels fields and options in at most ${LABEL_MAX} characters`, () => {
		const labels = labelsOf(node.description.properties);
		expect(labels.length).toBeGreaterThan(0);
		expect(labels.filter((label) => label.text.length > LABEL_MAX)).toEqual([]);
	});

	it('has operation actions that read as plain English, without apostrophes', () => {
		for (const action of actionsOf(node.description.properties)) {
			expect({ ...action, artefact: / s /.test(action.text) }).toEqual({ ...action, artefact: false });
			expect(action.text).not.toMatch(/['’‘`]/);
			expect(action.text).toMatch(/^[A-Z][a-z]+ /);
		}
	});

	it(`names its outputs in at most ${OUTPUT_MAX} characters`, () => {
		const outputs = node.description.outputs;
		const names = [
			...(node.description.outputNames ?? []),
			...(Array.isArray(outputs) ? outputs.flatMap((output) => (typeof output === 'object' && output.displayName ? [output.displayName] : [])) : []),
		];
		expect(names.filter((name) => name.length > OUTPUT_MAX)).toEqual([]);
	});
});

it('the operations that had "a booking s meeting" now say "the meeting of a booking"', () => {
	const meeting = nodes.find(({ dir }) => dir === 'HubSpotSyncCreateMeeting')!.node;
	const actions = Object.fromEntries(actionsOf(meeting.description.properties).map((action) => [action.where, action.text]));
	expect(actions['operation=reschedule']).toBe('Reschedule the meeting of a booking');
	expect(actions['operation=cancel']).toBe('Cancel the meeting of a booking');
});

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { Language } from './catalog';
import {
	advancePause,
	buildRow,
	classifyItem,
	decideLink,
	readPauseState,
	type PauseState,
} from './history';
import { parseJsonParameter } from '../shared/jsonParameter';
import { readLinkStateParameter } from '../shared/links';

/**
 * Turns the items of any sync step (success, skip, error, n8n error items, Error Trigger items)
 * into normalized history rows for a Data table, with record-link updates and the pause state.
 * It calls nothing: state comes in through expressions (Data table lookups) and goes out as items.
 */
export class HubSpotSyncWriteHistory implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Write History',
		name: 'hubSpotSyncWriteHistory',
		icon: {
			light: 'file:../../icons/write-history.svg',
			dark: 'file:../../icons/write-history.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["direction"]}}',
		description:
			'Sync history rows with explained errors, record-link updates and the pause after repeated authentication failures',
		defaults: { name: 'HubSpot Write History' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['History Rows', 'Link Updates', 'Pause State'],
		// Not a tool: it turns a run's results into history rows for the error and report workflows.
		// (n8n's type has no `false`; the key stays, as n8n's lint asks, with no value: no Tool
		// variant.)
		usableAsTool: undefined,
		properties: [
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				options: [
					{ name: 'English', value: 'en' },
					{ name: 'Japanese (日本語)', value: 'ja' },
				],
				default: 'en',
				description: 'Language of the message and remedy of each row',
			},
			{
				displayName: 'Direction',
				name: 'direction',
				type: 'options',
				options: [
					{ name: 'To HubSpot', value: 'to_hubspot' },
					{ name: 'From HubSpot', value: 'from_hubspot' },
				],
				default: 'to_hubspot',
			},
			{
				displayName: 'Object Type',
				name: 'objectType',
				type: 'options',
				options: [
					{ name: 'Company', value: 'company' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Deal', value: 'deal' },
					{ name: 'Meeting', value: 'meeting' },
					{ name: 'Sync Run (Several Types)', value: 'run' },
				],
				default: 'contact',
			},
			{
				displayName: 'HubSpot ID',
				name: 'hubspotId',
				type: 'string',
				default: '={{ $json.meetingId ?? $json.hubspotId ?? $json.id ?? "" }}',
				description: 'The HubSpot record the row is about',
			},
			{
				displayName: 'Target ID',
				name: 'targetId',
				type: 'string',
				default: '={{ $json.targetId ?? $json.bookingId ?? "" }}',
				description: 'The record’s ID in the other app (booking, order, row)',
			},
			{
				displayName: 'Account Label',
				name: 'accountLabel',
				type: 'string',
				default: '',
				description: 'Which target account this sync feeds, shown on every row',
			},
			{
				displayName: 'Run ID',
				name: 'runId',
				type: 'string',
				default: '={{ $execution.id }}',
			},
			{
				displayName: 'Current Link State',
				name: 'linkState',
				type: 'json',
				default: '',
				placeholder: '={{ $json.link }}',
				description:
					'The record’s link row from the links Data table ({ enabled, disabledReason }), e.g. looked up before this node. Empty: the record has no link row yet.',
			},
			{
				displayName: 'Current Pause State',
				name: 'pauseState',
				type: 'json',
				default: '',
				placeholder: "={{ $('Read pause state').first().json }}",
				description:
					'The integration’s pause row ({ consecutiveAuthFailures, paused }). Empty: not paused, no failures.',
			},
			{
				displayName: 'Pause After Auth Failures',
				name: 'pauseAfter',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description:
					'Consecutive AUTH_INVALID results after which the integration pauses until reconnected and reset',
			},
			{
				displayName: 'Integration Key',
				name: 'integration',
				type: 'string',
				default: 'hubspot',
				description: 'Names the pause row, one per credential or integration',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const rows: INodeExecutionData[] = [];
		const links: INodeExecutionData[] = [];
		const integration = String(this.getNodeParameter('integration', 0, 'hubspot'));
		const threshold = this.getNodeParameter('pauseAfter', 0, 5) as number;
		const initial = readPauseState(
			parseJsonParameter(
				this,
				this.getNodeParameter('pauseState', 0, ''),
				0,
				'Current Pause State',
				{
					holds: 'the integration’s pause row from the state Data table',
					example: '{ "paused": false, "consecutiveAuthFailures": 0 }',
				},
			),
			integration,
		);
		let pause: PauseState = initial;
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const param = (name: string) => String(this.getNodeParameter(name, itemIndex, '') ?? '');
			const now = new Date().toISOString();
			const context = {
				language: param('language') as Language,
				runId: param('runId'),
				now,
				direction: param('direction'),
				objectType: param('objectType'),
				hubspotId: param('hubspotId'),
				targetId: param('targetId'),
				accountLabel: param('accountLabel'),
			};
			const outcome = pause.paused
				? { code: 'PAUSED' as const, status: 'skip' as const }
				: classifyItem(items[itemIndex].json);
			pause = advancePause(pause, outcome, threshold, now);
			const decision =
				pause.paused && outcome.code === 'PAUSED'
					? { writeRow: true, firstError: false }
					: decideLink(outcome, readLinkStateParameter(this, itemIndex));
			if (decision.update) {
				links.push({
					json: {
						hubspotId: context.hubspotId,
						targetId: context.targetId,
						objectType: context.objectType,
						...decision.update,
						code: outcome.code,
						updatedAt: now,
					},
					pairedItem: { item: itemIndex },
				});
			}
			if (decision.writeRow) {
				rows.push({
					json: {
						...buildRow(outcome, context),
						firstError: decision.firstError,
					} as unknown as IDataObject,
					pairedItem: { item: itemIndex },
				});
			}
		}
		const pauseChanged =
			pause.paused !== initial.paused ||
			pause.consecutiveAuthFailures !== initial.consecutiveAuthFailures;
		const pauseOut = pauseChanged
			? [{ json: { ...pause } as IDataObject, pairedItem: { item: Math.max(0, items.length - 1) } }]
			: [];
		return [rows, links, pauseOut];
	}
}

/** A JSON parameter may arrive as an object (expression) or as text; empty means "none". */

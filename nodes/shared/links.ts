/**
 * A record's link between HubSpot and the other app ({ enabled, disabledReason }), as templates
 * hand it in from a Data table row: read the same way by Filter Deals and Write History.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { parseJsonParameter, type JsonFieldHint } from './jsonParameter';

export interface LinkState {
	enabled: boolean;
	disabledReason?: string;
}

/**
 * What a "Current Link State" field takes: the link row of the record, as the links Data table
 * holds it.
 */
export const LINK_STATE_HINT: JsonFieldHint = {
	holds: 'the record’s link row from the links Data table',
	example: '{ "enabled": false, "disabledReason": "NOT_FOUND" }',
};

/** Reads a link row (booleans may arrive as text from a Data table). Undefined: no link yet. */
export function readLinkState(value: unknown): LinkState | undefined {
	const json =
		value !== null && typeof value === 'object' && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	if (!json || json.enabled === undefined || json.enabled === null) return undefined;
	const reason = json.disabledReason;
	return {
		enabled: json.enabled === true || json.enabled === 'true' || json.enabled === 1,
		disabledReason: typeof reason === 'string' && reason.trim() !== '' ? reason : undefined,
	};
}

/** The "Current Link State" parameter of an item, read as a link row. */
export function readLinkStateParameter(
	ctx: IExecuteFunctions,
	itemIndex: number,
): LinkState | undefined {
	return readLinkState(
		parseJsonParameter(
			ctx,
			ctx.getNodeParameter('linkState', itemIndex, ''),
			itemIndex,
			'Current Link State',
			LINK_STATE_HINT,
		),
	);
}

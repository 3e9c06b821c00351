/**
 * A record's link between HubSpot and the other app ({ enabled, disabledReason }), as templates
 * hand it in from a Data table row: read the same way by Filter Deals and Write History.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface LinkState {
	enabled: boolean;
	disabledReason?: string;
}

/** A JSON parameter that may arrive as an object (expression) or as text; '' means "none". */
export function parseJsonParameter(ctx: IExecuteFunctions, value: unknown, itemIndex: number, field: string): unknown {
	if (value === '' || value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "${field}" is not valid JSON`, {
			itemIndex,
			description: `Field "${field}". Give an object such as { "enabled": false, "disabledReason": "NOT_FOUND" }, or leave it empty.`,
		});
	}
}

/** Reads a link row (booleans may arrive as text from a Data table). Undefined: no link yet. */
export function readLinkState(value: unknown): LinkState | undefined {
	const json = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
	if (!json || json.enabled === undefined || json.enabled === null) return undefined;
	const reason = json.disabledReason;
	return {
		enabled: json.enabled === true || json.enabled === 'true' || json.enabled === 1,
		disabledReason: typeof reason === 'string' && reason.trim() !== '' ? reason : undefined,
	};
}

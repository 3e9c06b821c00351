/**
 * JSON parameters (rows, a properties object, a link or pause state) arrive as an object when an
 * expression gives one, or as text typed into the field. One reader for all of them, so that every
 * node tells a bad value the same way: the item, the field, and an example of what that field
 * takes.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** What a JSON field takes, in the user's words, told when its value is not JSON. */
export interface JsonFieldHint {
	/** What the field holds, e.g. "the calls rows of the last 24 hours". */
	holds: string;
	/** A value it takes, e.g. [{ "timestamp": "2026-12-01T09:00:00.000Z", "calls": 12 }]. */
	example: string;
}

/**
 * A JSON parameter as a value: an object given by an expression as it is, text parsed; '' means
 * "none".
 */
export function parseJsonParameter(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	field: string,
	hint: JsonFieldHint,
): unknown {
	if (value === '' || value === undefined || value === null) return undefined;
	if (typeof value !== 'string') return value;
	try {
		return JSON.parse(value);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "${field}" is not valid JSON`, {
			itemIndex,
			description: `"${field}" holds ${hint.holds}, such as ${hint.example}. Give JSON text like that or an expression that returns it, or leave the field empty.`,
		});
	}
}

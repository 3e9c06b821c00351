import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { HubSpotApiError } from './transport/errors';

/**
 * The json of an error item (continue on fail / error output), in one shape for every node so
 * that Write History can classify it: the message and remedy, and for HubSpot failures the
 * transport's classification with HubSpot's correlation id. Never includes request headers.
 */
export function errorJson(error: Error & { description?: string | null }): IDataObject {
	const json: IDataObject = {
		message: error.message,
		description: error.description ?? null,
		code: 'INPUT_INVALID',
	};
	if (error instanceof HubSpotApiError) Object.assign(json, error.hubspot);
	return { error: json };
}

/** n8n errors pass through unchanged; anything else becomes a NodeOperationError for the item. */
export function asNodeError(
	node: INode,
	error: Error,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error, { itemIndex });
}

/** HubSpot record ids are numeric; anything else in an id field is a mistake in the mapping. */
export const isHubSpotId = (value: string): boolean => /^\d+$/.test(value);

/** The error for an id field that holds no HubSpot id, naming the item and the field. */
export function notAnIdError(
	node: INode,
	itemIndex: number,
	field: string,
	value: string,
	hint = 'Give the numeric HubSpot id, e.g. {{ $json.hubspotId }}.',
): NodeOperationError {
	return new NodeOperationError(
		node,
		`Item ${itemIndex}: "${field}" ${JSON.stringify(value)} is not a HubSpot record id`,
		{ itemIndex, description: hint },
	);
}

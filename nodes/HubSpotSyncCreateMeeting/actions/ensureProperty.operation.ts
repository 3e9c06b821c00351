import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { HubSpotClient } from '../../shared/transport/client';
import { hubspotPaths } from '../../shared/transport/paths';

export const PROPERTY_GROUP = { name: 'n8n_sync', label: 'n8n sync' };

/**
 * Creates the unique-value meeting property that holds booking IDs (and its group), once.
 * An existing property is left untouched: HubSpot's 409 counts as success.
 */
export async function ensureBookingProperty(client: HubSpotClient, propertyName: string): Promise<INodeExecutionData> {
	const existing = await readProperty(client, propertyName);
	if (existing) {
		return report({
			property: propertyName,
			status: 'exists',
			unique: existing.hasUniqueValue === true,
			message: existing.hasUniqueValue
				? `Meeting property ${propertyName} exists and is unique: bookings are deduplicated.`
				: `Meeting property ${propertyName} exists but is not unique: redelivered bookings could make duplicate meetings. Use another name, or make it unique in HubSpot.`,
		});
	}
	await createIgnoringConflict(client, hubspotPaths.propertyGroups('meetings'), { ...PROPERTY_GROUP, displayOrder: -1 });
	const created = await createIgnoringConflict(client, hubspotPaths.properties('meetings'), {
		name: propertyName,
		label: 'Booking ID (n8n)',
		description: 'ID of the booking this meeting was made for; set by n8n, unique per meeting.',
		groupName: PROPERTY_GROUP.name,
		type: 'string',
		fieldType: 'text',
		hasUniqueValue: true,
		formField: false,
	});
	return report({
		property: propertyName,
		status: created ? 'created' : 'exists',
		unique: true,
		message: `Meeting property ${propertyName} ${created ? 'created' : 'exists'}; bookings are deduplicated.`,
	});
}

function report(json: IDataObject): INodeExecutionData {
	return { json, pairedItem: { item: 0 } };
}

async function readProperty(client: HubSpotClient, name: string): Promise<{ hasUniqueValue?: boolean } | undefined> {
	const { body } = await client.attempt<{ hasUniqueValue?: boolean }>({ method: 'GET', path: hubspotPaths.property('meetings', name) }, ['NOT_FOUND']);
	return body;
}

/** True when created, false when it already existed (409). */
async function createIgnoringConflict(client: HubSpotClient, path: string, body: IDataObject): Promise<boolean> {
	const { failure } = await client.attempt({ method: 'POST', path, body, idempotent: true }, ['CONFLICT']);
	return !failure;
}

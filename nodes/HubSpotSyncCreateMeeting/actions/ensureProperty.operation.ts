import type { INodeExecutionData } from 'n8n-workflow';

import { ensureProperty } from '../../shared/properties';
import type { HubSpotClient } from '../../shared/transport/client';

/**
 * Creates the unique-value meeting property that holds booking IDs, once. An existing property is
 * left untouched, and reported as not unique if it is not (then bookings are not deduplicated).
 */
export async function ensureBookingProperty(client: HubSpotClient, propertyName: string): Promise<INodeExecutionData> {
	const { status, existing } = await ensureProperty(client, 'meetings', {
		name: propertyName,
		label: 'Booking ID (n8n)',
		description: 'ID of the booking this meeting was made for; set by n8n, unique per meeting.',
		type: 'string',
		fieldType: 'text',
		hasUniqueValue: true,
	});
	const unique = existing ? existing.hasUniqueValue === true : true;
	const message = unique
		? `Meeting property ${propertyName} ${status === 'created' ? 'created' : 'exists'} and is unique: bookings are deduplicated.`
		: `Meeting property ${propertyName} exists but is not unique: redelivered bookings could make duplicate meetings. Use another name, or make it unique in HubSpot.`;
	return { json: { property: propertyName, status, unique, message }, pairedItem: { item: 0 } };
}

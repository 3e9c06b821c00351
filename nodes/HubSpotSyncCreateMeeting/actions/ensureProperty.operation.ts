import type { INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../../shared/errorItems';
import { ensureProperty } from '../../shared/properties';
import type { HubSpotClient } from '../../shared/transport/client';
import { HubSpotApiError } from '../../shared/transport/errors';

const BOOKING_PROPERTY = {
	label: 'Booking ID (n8n)',
	description: 'ID of the booking this meeting was made for; set by n8n.',
	type: 'string',
	fieldType: 'text',
};

/**
 * Creates the meeting property that holds booking IDs, once, asking HubSpot to keep its values
 * unique. HubSpot documents unique values for contacts, companies, deals, tickets and custom
 * objects, not for meetings: it may refuse (400), ignore or honour the request, so what is reported
 * comes from HubSpot's answer. Bookings never rest on it: the template's booking lock and ledger,
 * and the lookup of the contact's meetings by booking ID, keep one booking to one meeting; a unique
 * property is an extra guard where HubSpot honours it. An existing property is left untouched.
 */
export async function ensureBookingProperty(
	client: HubSpotClient,
	propertyName: string,
): Promise<INodeExecutionData> {
	let ensured: Awaited<ReturnType<typeof ensureProperty>>;
	let refused = false;
	try {
		ensured = await ensureProperty(client, 'meetings', {
			name: propertyName,
			...BOOKING_PROPERTY,
			hasUniqueValue: true,
		});
	} catch (error) {
		if (!(error instanceof HubSpotApiError) || error.hubspot.code !== 'VALIDATION')
			throw asNodeError(client.node, error as Error, 0);
		// HubSpot refused a unique-value property on meetings: make it without, as plain text.
		refused = true;
		ensured = await ensureProperty(client, 'meetings', { name: propertyName, ...BOOKING_PROPERTY });
	}
	const { status } = ensured;
	const definition = ensured.created ?? ensured.existing;
	const unique = definition?.hasUniqueValue === true;
	const made = status === 'created' ? 'created' : 'exists';
	const why = refused
		? 'HubSpot refused unique values on meetings'
		: 'HubSpot does not keep its values unique';
	const message = unique
		? `Meeting property ${propertyName} ${made}; HubSpot keeps its values unique, an extra guard against duplicate meetings.`
		: `Meeting property ${propertyName} ${made}; ${why}. Bookings are still deduplicated: the booking template's lock and ledger tables and the lookup of the contact's meetings by booking ID keep one booking to one meeting.`;
	return {
		json: { property: propertyName, status, unique, uniqueRefused: refused, message },
		pairedItem: { item: 0 },
	};
}

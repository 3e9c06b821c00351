import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { HubSpotClient } from '../../shared/transport/client';
import { HubSpotApiError } from '../../shared/transport/errors';
import { hubspotPaths } from '../../shared/transport/paths';
import { splitName } from '../booking';
import type { Booking } from './read';

/** HubSpot-defined association types from a meeting. */
export const MEETING_TO = { contact: 200, company: 188, deal: 212 } as const;

interface Contact {
	id: string;
	properties: Record<string, string | null | undefined>;
}

export type MeetingResult = IDataObject & {
	status: 'created' | 'updated' | 'canceled' | 'skipped' | 'duplicate';
	bookingId: string;
};

/**
 * On booking: find the contact by email (one read, consistent, not the search index), then one
 * create with inline associations. The booking ID goes into a unique-value meeting property, so a
 * second delivery of the booking, even concurrent, gets HubSpot's 409 and reports "duplicate"
 * with the existing meeting instead of making another. That same uniqueness makes the create safe
 * to resend after a dropped connection: the resend either creates it or finds it.
 */
export async function createMeeting(
	this: IExecuteFunctions,
	client: HubSpotClient,
	booking: Booking,
	itemIndex: number,
): Promise<MeetingResult> {
	const base = { bookingId: booking.bookingId, meetingType: booking.meetingType };
	let contact = await findContact(client, booking.guestEmail!, itemIndex);
	if (!contact) {
		const whenMissing = this.getNodeParameter('whenContactMissing', itemIndex, 'skip') as string;
		if (whenMissing === 'skip') {
			return { ...base, status: 'skipped', code: 'CONTACT_NOT_FOUND', reason: `No HubSpot contact has the email ${booking.guestEmail}` };
		}
		if (whenMissing === 'error') {
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: no HubSpot contact has the email ${booking.guestEmail}`, {
				itemIndex,
				description: 'Field "Guest Email". Create the contact in HubSpot first, or set "If No Contact Has the Email" to create it.',
			});
		}
		contact = await createContact(client, booking, itemIndex);
	}
	const ownerId = String(this.getNodeParameter('ownerId', itemIndex, '') ?? '').trim();
	const properties: Record<string, string> = { ...booking.timedProperties!, [booking.bookingIdProperty]: booking.bookingId };
	if (ownerId) properties.hubspot_owner_id = ownerId;
	const companyId = booking.associateCompany ? (contact.properties.associatedcompanyid ?? undefined) || undefined : undefined;
	const associations = [
		association(contact.id, MEETING_TO.contact),
		...(companyId ? [association(companyId, MEETING_TO.company)] : []),
		...(booking.dealId ? [association(booking.dealId, MEETING_TO.deal)] : []),
	];
	const links = { contactId: contact.id, companyId: companyId ?? null, dealId: booking.dealId ?? null };
	const { body: meeting, failure } = await client.attempt<{ id: string }>(
		{ method: 'POST', path: hubspotPaths.objects('meetings'), body: { properties, associations }, idempotent: true, itemIndex },
		['CONFLICT'],
	);
	if (meeting) return { ...base, status: 'created', meetingId: meeting.id, ...links, properties };
	if (!failure.existingId) throw new HubSpotApiError(this.getNode(), failure, itemIndex);
	// A 409 on a resend cannot tell whether an earlier try of this request made the meeting (its
	// answer lost) or another delivery did: either way the booking has exactly one meeting.
	const how = failure.attempts > 1 ? ' (an earlier try of this request may have made it: its answer was lost)' : '';
	return { ...base, status: 'duplicate', meetingId: failure.existingId, ...links, reason: `Booking ${booking.bookingId} already has HubSpot meeting ${failure.existingId}${how}` };
}

function association(id: string, associationTypeId: number) {
	return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] };
}

async function findContact(client: HubSpotClient, email: string, itemIndex: number): Promise<Contact | undefined> {
	const { body } = await client.attempt<Contact>(
		{ method: 'GET', path: hubspotPaths.object('contacts', email), qs: { idProperty: 'email', properties: 'email,firstname,lastname,associatedcompanyid' }, itemIndex },
		['NOT_FOUND'],
	);
	return body;
}

async function createContact(client: HubSpotClient, booking: Booking, itemIndex: number): Promise<Contact> {
	const { body, failure } = await client.attempt<Contact>(
		// Email is unique on contacts: a resend, or a race with another booking, ends in the 409.
		{ method: 'POST', path: hubspotPaths.objects('contacts'), body: { properties: { email: booking.guestEmail!, ...splitName(booking.guestName) } }, idempotent: true, itemIndex },
		['CONFLICT'],
	);
	if (body) return body;
	if (!failure.existingId) throw new HubSpotApiError(client.node, failure, itemIndex);
	return { id: failure.existingId, properties: {} };
}

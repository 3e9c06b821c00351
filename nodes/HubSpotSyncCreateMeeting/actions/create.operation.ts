import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { HubSpotClient } from '../../shared/transport/client';
import { HubSpotApiError, type HubSpotFailure } from '../../shared/transport/errors';
import { hubspotPaths } from '../../shared/transport/paths';
import {
	findBookingMeeting,
	findContact,
	meetingIdsOf,
	primaryCompanyOf,
	type GuestContact,
} from './lookup';
import type { Booking } from './read';

/** HubSpot-defined association types from a meeting. */
export const MEETING_TO = { contact: 200, company: 188, deal: 212 } as const;

export type MeetingResult = IDataObject & {
	status: 'created' | 'updated' | 'canceled' | 'skipped' | 'duplicate';
	bookingId: string;
};

/**
 * After a create whose answer was lost (dropped connection, 5xx), the contact's meetings are read
 * again at these delays before the create is sent once more: HubSpot may have made the meeting.
 */
const LOST_ANSWER_LOOKUPS_MS = [0, 1_000, 2_000];

/**
 * On booking: one booking makes one meeting, without relying on HubSpot to keep booking IDs unique
 * (it documents unique values for contacts, companies, deals, tickets and custom objects, not for
 * meetings):
 * - a meeting already known for the booking (the template's booking ledger) answers "duplicate"
 *   with no call;
 * - otherwise the guest's contact is read with its meetings, and a meeting holding the booking ID
 *   answers "duplicate" (a booking redelivered after a lost answer, or after n8n stopped mid-way);
 * - the create is sent once; if its answer is lost, the contact's meetings are read again before
 *   it is sent a second time.
 * Concurrent deliveries of one booking are serialized by the template's booking lock. Where HubSpot
 * keeps the property unique, its 409 is one more guard.
 */
export async function createMeeting(
	this: IExecuteFunctions,
	client: HubSpotClient,
	booking: Booking,
	itemIndex: number,
): Promise<MeetingResult> {
	const base = { bookingId: booking.bookingId, meetingType: booking.meetingType };
	if (booking.knownMeetingId) {
		return {
			...base,
			status: 'duplicate',
			meetingId: booking.knownMeetingId,
			foundBy: 'ledger',
			reason: `Booking ${booking.bookingId} already has HubSpot meeting ${booking.knownMeetingId}`,
		};
	}
	let contact = await findContact(client, booking.guestEmail!, itemIndex);
	if (!contact) {
		const whenMissing = this.getNodeParameter('whenContactMissing', itemIndex, 'skip') as string;
		if (whenMissing === 'skip') {
			return {
				...base,
				status: 'skipped',
				code: 'CONTACT_NOT_FOUND',
				reason: `No HubSpot contact has the email ${booking.guestEmail}`,
			};
		}
		if (whenMissing === 'error') {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: no HubSpot contact has the email ${booking.guestEmail}`,
				{
					itemIndex,
					description:
						'Field "Guest Email". Create the contact in HubSpot first, or set "If No Contact Has the Email" to create it.',
				},
			);
		}
		contact = await createContact(client, booking, itemIndex);
	}
	const existing = await findBookingMeeting(client, booking, contact.meetingIds);
	if (existing) {
		return {
			...base,
			status: 'duplicate',
			meetingId: existing,
			contactId: contact.id,
			foundBy: 'hubspot',
			reason: `Booking ${booking.bookingId} already has HubSpot meeting ${existing} (found on the contact's meetings)`,
		};
	}
	const ownerId = String(this.getNodeParameter('ownerId', itemIndex, '') ?? '').trim();
	const properties: Record<string, string> = {
		...booking.timedProperties!,
		[booking.bookingIdProperty]: booking.bookingId,
	};
	if (ownerId) properties.hubspot_owner_id = ownerId;
	const companyId = booking.associateCompany ? await primaryCompanyOf(client, contact) : undefined;
	const associations = [
		association(contact.id, MEETING_TO.contact),
		...(companyId ? [association(companyId, MEETING_TO.company)] : []),
		...(booking.dealId ? [association(booking.dealId, MEETING_TO.deal)] : []),
	];
	const links = {
		contactId: contact.id,
		companyId: companyId ?? null,
		dealId: booking.dealId ?? null,
	};
	const created = await sendCreate(
		client,
		{ properties, associations },
		contact,
		booking,
		itemIndex,
	);
	if ('meetingId' in created)
		return {
			...base,
			status: 'created',
			meetingId: created.meetingId,
			...links,
			properties,
			...(created.note ? { note: created.note } : {}),
		};
	// HubSpot kept the booking-ID property unique and already holds a meeting with it.
	return {
		...base,
		status: 'duplicate',
		meetingId: created.existingId,
		...links,
		foundBy: 'unique property',
		reason: `Booking ${booking.bookingId} already has HubSpot meeting ${created.existingId}`,
	};
}

/**
 * The create, sent without automatic resends (a create sent twice makes two meetings). When its
 * answer is lost, the contact's meetings tell whether HubSpot made it; only if none holds the
 * booking ID after the last look is it sent once more.
 */
async function sendCreate(
	client: HubSpotClient,
	body: IDataObject,
	contact: GuestContact,
	booking: Booking,
	itemIndex: number,
): Promise<{ meetingId: string; note?: string } | { existingId: string }> {
	const request = {
		method: 'POST' as const,
		path: hubspotPaths.objects('meetings'),
		body,
		idempotent: false,
		itemIndex,
	};
	const first = await client.attempt<{ id: string }>(request, ['CONFLICT', 'UNAVAILABLE']);
	if (first.body) return { meetingId: first.body.id };
	if (first.failure.code === 'CONFLICT') return conflictOrThrow(client, first.failure, itemIndex);
	for (const delayMs of LOST_ANSWER_LOOKUPS_MS) {
		if (delayMs) await client.pause(delayMs);
		const made = await findBookingMeeting(
			client,
			booking,
			await meetingIdsOf(client, contact.id, itemIndex),
		);
		if (made)
			return {
				meetingId: made,
				note: `HubSpot's answer to the create was lost (${describe(first.failure)}); the meeting it made was found on the contact`,
			};
	}
	const second = await client.attempt<{ id: string }>(request, ['CONFLICT']);
	if (second.body)
		return {
			meetingId: second.body.id,
			note: `Sent twice: HubSpot's first answer was lost (${describe(first.failure)}) and no meeting of the booking was found`,
		};
	return conflictOrThrow(client, second.failure, itemIndex);
}

function conflictOrThrow(
	client: HubSpotClient,
	failure: HubSpotFailure,
	itemIndex: number,
): { existingId: string } {
	if (!failure.existingId) throw new HubSpotApiError(client.node, failure, itemIndex);
	return { existingId: failure.existingId };
}

const describe = (failure: HubSpotFailure) => failure.networkCode ?? `HTTP ${failure.httpStatus}`;

function association(id: string, associationTypeId: number) {
	return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] };
}

async function createContact(
	client: HubSpotClient,
	booking: Booking,
	itemIndex: number,
): Promise<GuestContact> {
	const { body, failure } = await client.attempt<{
		id: string;
		properties: GuestContact['properties'];
	}>(
		// Email is unique on contacts: a resend, or a race with another booking, ends in the 409.
		{
			method: 'POST',
			path: hubspotPaths.objects('contacts'),
			body: { properties: { email: booking.guestEmail!, ...booking.contactName } },
			idempotent: true,
			itemIndex,
		},
		['CONFLICT'],
	);
	if (body)
		return { id: body.id, properties: body.properties, meetingIds: [], hasCompanies: false };
	if (!failure.existingId) throw new HubSpotApiError(client.node, failure, itemIndex);
	// Another delivery made the contact first: its meetings are read like any existing contact's.
	// Its companies are not known from here: the primary company read decides.
	return {
		id: failure.existingId,
		properties: {},
		meetingIds: await meetingIdsOf(client, failure.existingId, itemIndex),
		hasCompanies: true,
	};
}

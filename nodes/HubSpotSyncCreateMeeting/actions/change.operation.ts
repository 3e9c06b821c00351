import type { IExecuteFunctions } from 'n8n-workflow';

import type { HubSpotClient } from '../../shared/transport/client';
import { hubspotPaths } from '../../shared/transport/paths';
import type { MeetingResult } from './create.operation';
import { findBookingMeeting, findContact, searchBookingMeeting } from './lookup';
import type { Booking } from './read';

/**
 * Reschedule (new times, title, body) or cancel (outcome CANCELED) the meeting made for the same
 * booking: the meeting known from the booking ledger, else the one holding the booking ID among
 * the guest's meetings (or, without a guest email, found by search); then one PATCH by its id.
 */
export async function changeMeeting(
	this: IExecuteFunctions,
	client: HubSpotClient,
	booking: Booking,
	itemIndex: number,
	operation: 'reschedule' | 'cancel',
): Promise<MeetingResult> {
	const properties =
		operation === 'cancel' ? { hs_meeting_outcome: 'CANCELED' } : booking.timedProperties!;
	const base = { bookingId: booking.bookingId, meetingType: booking.meetingType };
	const meetingId = booking.knownMeetingId ?? (await findMeetingOf(client, booking, itemIndex));
	const { body: meeting } = meetingId
		? await client.attempt<{ id: string }>(
				{
					method: 'PATCH',
					path: hubspotPaths.object('meetings', meetingId),
					body: { properties },
					idempotent: true,
					itemIndex,
				},
				['NOT_FOUND'],
			)
		: { body: undefined };
	if (meeting)
		return {
			...base,
			status: operation === 'cancel' ? 'canceled' : 'updated',
			meetingId: meeting.id,
			properties,
		};
	return {
		...base,
		status: 'skipped',
		code: 'MEETING_NOT_FOUND',
		reason: `No HubSpot meeting was made for booking ${booking.bookingId} (it may have been skipped, or deleted in HubSpot)`,
	};
}

async function findMeetingOf(
	client: HubSpotClient,
	booking: Booking,
	itemIndex: number,
): Promise<string | undefined> {
	const contact = booking.guestEmail
		? await findContact(client, booking.guestEmail, itemIndex)
		: undefined;
	const found = contact ? await findBookingMeeting(client, booking, contact.meetingIds) : undefined;
	// Not among the guest's meetings (no email given, or the guest's email changed since): search.
	return found ?? (await searchBookingMeeting(client, booking, itemIndex));
}

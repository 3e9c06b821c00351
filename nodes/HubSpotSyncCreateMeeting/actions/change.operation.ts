import type { IExecuteFunctions } from 'n8n-workflow';

import type { HubSpotClient } from '../../shared/transport/client';
import { hubspotPaths } from '../../shared/transport/paths';
import type { MeetingResult } from './create.operation';
import type { Booking } from './read';

/**
 * Reschedule (new times, title, body) or cancel (outcome CANCELED) the meeting made for the same
 * booking: one PATCH addressed by the booking ID property, no lookup call.
 */
export async function changeMeeting(
	this: IExecuteFunctions,
	client: HubSpotClient,
	booking: Booking,
	itemIndex: number,
	operation: 'reschedule' | 'cancel',
): Promise<MeetingResult> {
	const properties = operation === 'cancel' ? { hs_meeting_outcome: 'CANCELED' } : booking.timedProperties!;
	const base = { bookingId: booking.bookingId, meetingType: booking.meetingType };
	const { body: meeting } = await client.attempt<{ id: string }>(
		{ method: 'PATCH', path: hubspotPaths.object('meetings', booking.bookingId), qs: { idProperty: booking.bookingIdProperty }, body: { properties }, itemIndex },
		['NOT_FOUND'],
	);
	if (meeting) return { ...base, status: operation === 'cancel' ? 'canceled' : 'updated', meetingId: meeting.id, properties };
	return {
		...base,
		status: 'skipped',
		code: 'MEETING_NOT_FOUND',
		reason: `No HubSpot meeting was made for booking ${booking.bookingId} (it may have been skipped, or deleted in HubSpot)`,
	};
}

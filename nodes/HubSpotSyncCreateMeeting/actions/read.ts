import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	BookingFieldError,
	checkLength,
	checkTimes,
	checkTimeZone,
	contactNameOf,
	type ContactName,
	displayName,
	formatForPeople,
	isMeetingTypeEnabled,
	normalizeEmail,
	parseBookingTime,
	renderTemplate,
} from '../booking';
import { asNodeError, isHubSpotId } from '../../shared/errorItems';
import { DEFAULT_BOOKING_ID_PROPERTY } from './fields';

/** One booking as the node's parameters describe it for an item, checked. */
export interface Booking {
	bookingId: string;
	meetingType: string;
	typeEnabled: boolean;
	bookingIdProperty: string;
	guestEmail?: string;
	guestName: string;
	/**
	 * The name a contact created for the guest gets: from Guest First / Last Name, else Guest Name
	 * parsed.
	 */
	contactName: ContactName;
	/** The meeting's properties for HubSpot (times, title, body, optional fields). */
	timedProperties?: Record<string, string>;
	associateCompany: boolean;
	dealId?: string;
	/** The meeting already made for the booking, as the caller's own records know it. */
	knownMeetingId?: string;
}

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/**
 * Reads and checks an item's booking; bad input becomes a NodeOperationError naming item and field.
 */
export function readBooking(ctx: IExecuteFunctions, itemIndex: number, operation: string): Booking {
	try {
		return readBookingFields(ctx, itemIndex, operation);
	} catch (error) {
		if (error instanceof BookingFieldError) {
			throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: ${error.message}`, {
				itemIndex,
				description: `Field "${error.field}". ${error.hint}`,
			});
		}
		throw asNodeError(ctx.getNode(), error, itemIndex);
	}
}

function readBookingFields(ctx: IExecuteFunctions, itemIndex: number, operation: string): Booking {
	const param = (name: string, fallback: unknown = '') =>
		ctx.getNodeParameter(name, itemIndex, fallback);
	const bookingId = text(param('bookingId')).trim();
	if (!bookingId)
		throw new BookingFieldError(
			'Booking ID',
			'The booking ID is empty',
			'Map the booking tool’s ID into "Booking ID": it keeps a redelivered booking from making a second meeting.',
		);
	const meetingType = text(param('meetingType')).trim();
	const enabledTypes = text(param('enabledMeetingTypes'));
	if (!meetingType && !isMeetingTypeEnabled('', enabledTypes)) {
		throw new BookingFieldError(
			'Meeting Type',
			'The meeting type is empty, so it cannot be checked against "Meeting Types to Sync"',
			'Map the booking’s meeting type key into "Meeting Type", or empty "Meeting Types to Sync" to sync every type.',
		);
	}
	const options = param('options', {}) as { bookingIdProperty?: string };
	const booking: Booking = {
		bookingId,
		meetingType,
		typeEnabled: isMeetingTypeEnabled(meetingType, enabledTypes),
		bookingIdProperty: options.bookingIdProperty?.trim() || DEFAULT_BOOKING_ID_PROPERTY,
		guestName: '',
		contactName: {},
		associateCompany: false,
	};
	const knownMeetingId = text(param('knownMeetingId')).trim();
	if (knownMeetingId) {
		if (!isHubSpotId(knownMeetingId))
			throw new BookingFieldError(
				'Meeting ID (If Known)',
				`Meeting ID "${knownMeetingId}" is not a HubSpot record ID`,
				'HubSpot record IDs are numbers; leave the field empty to find the meeting by the booking ID.',
			);
		booking.knownMeetingId = knownMeetingId;
	}
	if (operation === 'cancel') {
		const cancelEmail = text(param('guestEmail')).trim();
		if (cancelEmail) booking.guestEmail = normalizeEmail(cancelEmail);
	}
	if (operation === 'cancel' || !booking.typeEnabled) return booking;

	const zone = checkTimeZone(text(param('timezone')).trim() || ctx.getTimezone());
	const rawEmail = text(param('guestEmail'));
	if (operation === 'create' || rawEmail.trim()) booking.guestEmail = normalizeEmail(rawEmail);
	const typedName = text(param('guestName')).trim();
	booking.contactName = contactNameOf(
		typedName,
		text(param('guestFirstName')),
		text(param('guestLastName')),
	);
	// The email's local part titles the meeting but is no name for the contact: HubSpot shows a
	// nameless contact by its email.
	booking.guestName =
		typedName || displayName(booking.contactName) || booking.guestEmail?.split('@')[0] || '';
	const start = parseBookingTime(param('startTime'), 'Start Time', zone);
	const end = parseBookingTime(param('endTime'), 'End Time', zone);
	checkTimes(start, end);
	const extra = param('additionalFields', {}) as {
		location?: string;
		externalUrl?: string;
		internalNotes?: string;
		outcome?: string;
		associateCompany?: boolean;
		dealId?: string;
	};
	const placeholders = {
		guestName: booking.guestName,
		guestEmail: booking.guestEmail ?? '',
		meetingType,
		bookingId,
		start: formatForPeople(start, zone),
		end: formatForPeople(end, zone),
		location: extra.location ?? '',
	};
	const properties: Record<string, string> = {
		hs_timestamp: start.toUTC().toISO()!,
		hs_meeting_start_time: start.toUTC().toISO()!,
		hs_meeting_end_time: end.toUTC().toISO()!,
		hs_meeting_title: checkLength(
			renderTemplate(text(param('titleTemplate')), placeholders, 'Title Template'),
			'Title Template',
		),
		hs_meeting_body: checkLength(
			renderTemplate(text(param('bodyTemplate')), placeholders, 'Body Template'),
			'Body Template',
		),
	};
	if (extra.location) properties.hs_meeting_location = extra.location;
	if (extra.externalUrl) properties.hs_meeting_external_url = extra.externalUrl;
	if (extra.internalNotes)
		properties.hs_internal_meeting_notes = checkLength(extra.internalNotes, 'Internal Notes');
	if (operation === 'create') properties.hs_meeting_outcome = extra.outcome || 'SCHEDULED';
	else if (extra.outcome) properties.hs_meeting_outcome = extra.outcome;
	booking.timedProperties = properties;
	booking.associateCompany = extra.associateCompany ?? true;
	const dealId = text(extra.dealId).trim();
	if (dealId) {
		if (!isHubSpotId(dealId))
			throw new BookingFieldError(
				'Deal ID',
				`Deal ID "${dealId}" is not a HubSpot record ID`,
				'HubSpot record IDs are numbers; leave the field empty to skip the deal.',
			);
		booking.dealId = dealId;
	}
	return booking;
}

import type { INodeProperties } from 'n8n-workflow';

import { MEETING_OUTCOMES } from '../booking';

const BOOKING_OPERATIONS = ['create', 'reschedule', 'cancel'];
const TIMED_OPERATIONS = ['create', 'reschedule'];

export const DEFAULT_BOOKING_ID_PROPERTY = 'n8n_booking_id';
export const DEFAULT_TITLE = '{{meetingType}}: {{guestName}}';
export const DEFAULT_BODY =
	'Booked by {{guestName}} ({{guestEmail}}) for {{start}} to {{end}}. Booking {{bookingId}}.';

export const meetingFields: INodeProperties[] = [
	{
		displayName: 'Booking ID',
		name: 'bookingId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.body.bookingId }}',
		description:
			'The booking tool’s own ID for this booking. Stored on the meeting (see "Booking ID Property") so that a booking delivered twice never makes two meetings, and so that reschedules and cancellations find their meeting.',
		displayOptions: { show: { operation: BOOKING_OPERATIONS } },
	},
	{
		displayName: 'Meeting ID (If Known)',
		name: 'knownMeetingId',
		type: 'string',
		default: '',
		placeholder: "e.g. {{ $('Booking ledger').first().json.meetingId }}",
		description:
			'The HubSpot meeting already made for this booking, from your own records (the booking template reads it from its ledger table). Create: set means the booking is a duplicate, answered without calling HubSpot. Reschedule and cancel: this meeting is changed; empty, the meeting is found by the booking ID among the guest’s meetings, or by search.',
		displayOptions: { show: { operation: BOOKING_OPERATIONS } },
	},
	{
		displayName: 'Meeting Type',
		name: 'meetingType',
		type: 'string',
		default: '',
		placeholder: 'e.g. intro-call',
		description: 'The booking’s meeting type key, checked against "Meeting Types to Sync"',
		displayOptions: { show: { operation: BOOKING_OPERATIONS } },
	},
	{
		displayName: 'Meeting Types to Sync',
		name: 'enabledMeetingTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. intro-call, demo (empty: all types)',
		description:
			'Meeting types whose bookings go to HubSpot, separated by commas. Empty or * syncs every type. A booking of another type passes through as "skipped" (TYPE_DISABLED).',
		displayOptions: { show: { operation: BOOKING_OPERATIONS } },
	},
	{
		displayName: 'Guest Email',
		name: 'guestEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description:
			'Finds the HubSpot contact the meeting is associated with (required to create; to reschedule or cancel it finds the booking’s meeting among the guest’s meetings, else search is used)',
		displayOptions: { show: { operation: BOOKING_OPERATIONS } },
	},
	{
		displayName: 'Guest Name',
		name: 'guestName',
		type: 'string',
		default: '',
		description:
			'Used in the title and body ({{guestName}}) and when a missing contact is created. Names in kanji or hiragana are read family name first (山田 太郎: last name 山田); emoji and symbols are dropped.',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'Guest First Name',
		name: 'guestFirstName',
		type: 'string',
		default: '',
		description:
			'For booking tools that send first and last names separately. When it or Guest Last Name is set, a missing contact is created with both as they are and Guest Name is not split; with Guest Name empty they also fill {{guestName}}.',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'Guest Last Name',
		name: 'guestLastName',
		type: 'string',
		default: '',
		description:
			'The family name, for booking tools that send first and last names separately. When it or Guest First Name is set, a missing contact is created with both as they are and Guest Name is not split.',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-12-01T10:00:00+09:00',
		description: 'ISO 8601 (with or without offset) or epoch milliseconds',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-12-01T10:30:00+09:00',
		description: 'ISO 8601 (with or without offset) or epoch milliseconds; must be after the start',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'Time Zone',
		name: 'timezone',
		type: 'string',
		default: '',
		placeholder: 'e.g. Asia/Tokyo (empty: the workflow’s time zone)',
		description:
			'Reads times that have no offset, and writes {{start}} and {{end}} in titles and bodies. Empty uses the workflow’s time zone (Workflow settings).',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'Title Template',
		name: 'titleTemplate',
		type: 'string',
		default: DEFAULT_TITLE,
		description:
			'Meeting name in HubSpot. Placeholders: {{guestName}}, {{guestEmail}}, {{meetingType}}, {{bookingId}}, {{start}}, {{end}}, {{location}}. Keep the field in Fixed mode (not Expression) so n8n does not read the placeholders.',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'Body Template',
		name: 'bodyTemplate',
		type: 'string',
		typeOptions: { rows: 4 },
		default: DEFAULT_BODY,
		description: 'Meeting description in HubSpot; the same placeholders as the title',
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
	},
	{
		displayName: 'If No Contact Has the Email',
		name: 'whenContactMissing',
		type: 'options',
		options: [
			{
				name: 'Skip the Booking',
				value: 'skip',
				description: 'Pass it on as "skipped" (CONTACT_NOT_FOUND), as the booking tool does',
			},
			{
				name: 'Create the Contact',
				value: 'create',
				description: 'Create a contact with the email and the guest’s name, then the meeting',
			},
			{ name: 'Stop With an Error', value: 'error' },
		],
		default: 'skip',
		displayOptions: { show: { operation: ['create'] } },
	},
	{
		displayName: 'Owner Name or ID',
		name: 'ownerId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getOwners' },
		default: '',
		description:
			'HubSpot user who owns the meeting. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { operation: ['create'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { operation: TIMED_OPERATIONS } },
		options: [
			{
				displayName: 'Associate Primary Company',
				name: 'associateCompany',
				type: 'boolean',
				default: true,
				description:
					'Whether to associate the meeting with the contact’s primary company too (no extra HubSpot call)',
			},
			{
				displayName: 'Deal ID',
				name: 'dealId',
				type: 'string',
				default: '',
				description: 'A HubSpot deal to associate the meeting with',
			},
			{
				displayName: 'External URL',
				name: 'externalUrl',
				type: 'string',
				default: '',
				description: 'Link to the booking, e.g. the video call',
			},
			{
				displayName: 'Internal Notes',
				name: 'internalNotes',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
			},
			{ displayName: 'Location', name: 'location', type: 'string', default: '' },
			{
				displayName: 'Outcome',
				name: 'outcome',
				type: 'options',
				options: MEETING_OUTCOMES.map((value) => ({
					name: value.charAt(0) + value.slice(1).toLowerCase().replace('_', ' '),
					value,
				})),
				default: 'SCHEDULED',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: [...BOOKING_OPERATIONS, 'ensureBookingProperty'] } },
		options: [
			{
				displayName: 'Booking ID Property',
				name: 'bookingIdProperty',
				type: 'string',
				default: DEFAULT_BOOKING_ID_PROPERTY,
				description:
					'Meeting property that holds the booking ID; the operation "Ensure Booking ID Property" creates it. Bookings are found by it on the guest’s meetings, so it need not be unique in HubSpot.',
			},
		],
	},
];

import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, credentialDescriptions } from '../shared/descriptions';
import { asNodeError, errorJson } from '../shared/errorItems';
import { getOwners } from '../shared/methods/owners';
import { createHubSpotClient, type AuthenticationMethod } from '../shared/transport/client';
import { changeMeeting } from './actions/change.operation';
import { createMeeting, type MeetingResult } from './actions/create.operation';
import { ensureBookingProperty } from './actions/ensureProperty.operation';
import { DEFAULT_BOOKING_ID_PROPERTY, meetingFields } from './actions/fields';
import { readBooking } from './actions/read';

type Operation = 'create' | 'reschedule' | 'cancel' | 'ensureBookingProperty';

export class HubSpotSyncCreateMeeting implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HubSpot Create Meeting',
		name: 'hubSpotSyncCreateMeeting',
		icon: {
			light: 'file:../../icons/create-meeting.svg',
			dark: 'file:../../icons/create-meeting.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"]}}',
		description:
			'Create, reschedule or cancel the HubSpot meeting of a booking, associated with the guest’s contact',
		defaults: { name: 'HubSpot Create Meeting' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// An agent can book, move or cancel the meeting of a booking from the booking's fields.
		usableAsTool: true,
		credentials: credentialDescriptions,
		properties: [
			authenticationProperty,
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Create',
						value: 'create',
						action: 'Create a meeting for a booking',
						description: 'On booking: a meeting associated with the guest’s contact',
					},
					{
						name: 'Reschedule',
						value: 'reschedule',
						action: 'Reschedule the meeting of a booking',
						description: 'New times, title and body for the booking’s meeting',
					},
					{
						name: 'Cancel',
						value: 'cancel',
						action: 'Cancel the meeting of a booking',
						description: 'Set the booking’s meeting outcome to canceled',
					},
					{
						name: 'Ensure Booking ID Property',
						value: 'ensureBookingProperty',
						action: 'Ensure the booking ID property exists',
						description:
							'Set-up: create the meeting property that holds booking IDs (asked unique; the answer says whether HubSpot keeps it so)',
					},
				],
				default: 'create',
			},
			...meetingFields,
		],
	};

	methods = { loadOptions: { getOwners } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const client = await createHubSpotClient(
			this,
			this.getNodeParameter('authentication', 0) as AuthenticationMethod,
		);
		if (operation === 'ensureBookingProperty') {
			const { bookingIdProperty } = this.getNodeParameter('options', 0, {}) as {
				bookingIdProperty?: string;
			};
			return [
				[
					await ensureBookingProperty(
						client,
						bookingIdProperty?.trim() || DEFAULT_BOOKING_ID_PROPERTY,
					),
				],
			];
		}
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const callsBefore = client.stats.calls;
			try {
				const booking = readBooking(this, itemIndex, operation);
				let result: MeetingResult;
				if (!booking.typeEnabled) {
					result = {
						bookingId: booking.bookingId,
						meetingType: booking.meetingType,
						status: 'skipped',
						code: 'TYPE_DISABLED',
						reason: `Meeting type "${booking.meetingType}" is not in "Meeting Types to Sync"`,
					};
				} else if (operation === 'create')
					result = await createMeeting.call(this, client, booking, itemIndex);
				else result = await changeMeeting.call(this, client, booking, itemIndex, operation);
				output.push({
					json: { ...result, hubspotCalls: client.stats.calls - callsBefore },
					pairedItem: { item: itemIndex },
				});
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, itemIndex);
				// The booking id, when readable, lets the history row name the booking that failed.
				const bookingId = String(this.getNodeParameter('bookingId', itemIndex, '') ?? '');
				output.push({
					json: { status: 'error', bookingId, ...errorJson(error) },
					pairedItem: { item: itemIndex },
				});
			}
		}
		return [output];
	}
}

/**
 * Finding what a booking already has in HubSpot: the guest's contact (with its meetings), the
 * meeting made for a booking ID, and the contact's primary company.
 *
 * The meeting is found through the contact's associations and a batch read of the booking-ID
 * property, not through search (search answers from an index that trails writes by seconds) and
 * not through `idProperty` (which needs a unique property, and HubSpot does not document unique
 * values on meetings).
 */
import type { HubSpotClient } from '../../shared/transport/client';
import { readPrimaryAssociations } from '../../shared/transport/associations';
import { batchRead, chunk, BATCH_SIZE } from '../../shared/transport/pagination';
import { hubspotPaths } from '../../shared/transport/paths';
import type { Booking } from './read';

export interface GuestContact {
	id: string;
	properties: Record<string, string | null | undefined>;
	/** Ids of the contact's meetings, newest first. */
	meetingIds: string[];
	/** Whether the contact has any company association (then its primary one is read). */
	hasCompanies: boolean;
}

/**
 * A contact with this many meetings is read in pages of 500; past 20 pages the rest is not read.
 */
const ASSOCIATION_PAGE_SIZE = 500;
const MAX_ASSOCIATION_PAGES = 20;

interface AssociationPage {
	results?: Array<{ id?: string; toObjectId?: string | number }>;
	paging?: { next?: { after?: string } };
}

/**
 * Meeting ids are numbers that grow with time: the meeting of a recent booking is among the first.
 */
const newestFirst = (ids: Iterable<string>) =>
	[...new Set(ids)].sort((left, right) => Number(right) - Number(left));

/**
 * The contact with this email, read by email (consistent at once, outside the search budget),
 * with its meetings inline; none: undefined.
 */
export async function findContact(
	client: HubSpotClient,
	email: string,
	itemIndex: number,
): Promise<GuestContact | undefined> {
	const { body } = await client.attempt<{
		id: string;
		properties: GuestContact['properties'];
		associations?: { meetings?: AssociationPage; companies?: AssociationPage };
	}>(
		{
			method: 'GET',
			path: hubspotPaths.object('contacts', email),
			qs: {
				idProperty: 'email',
				properties: 'email,firstname,lastname,associatedcompanyid',
				associations: 'meetings,companies',
			},
			itemIndex,
		},
		['NOT_FOUND'],
	);
	if (!body) return undefined;
	const inline = body.associations?.meetings;
	const ids = (inline?.results ?? []).map((entry) => String(entry.id));
	// An inline list that says there is more continues through the association list endpoint.
	if (inline?.paging?.next?.after)
		ids.push(...(await meetingIdsOf(client, body.id, itemIndex, inline.paging.next.after)));
	const hasCompanies =
		Boolean(body.associations?.companies?.results?.length) ||
		Boolean(body.properties.associatedcompanyid);
	return { id: body.id, properties: body.properties, meetingIds: newestFirst(ids), hasCompanies };
}

/** The contact's meetings as HubSpot lists them now (newest first), paged. */
export async function meetingIdsOf(
	client: HubSpotClient,
	contactId: string,
	itemIndex: number,
	after?: string,
): Promise<string[]> {
	const ids: string[] = [];
	let cursor = after;
	for (let page = 0; page < MAX_ASSOCIATION_PAGES; page++) {
		const answer = await client.request<AssociationPage>({
			method: 'GET',
			path: hubspotPaths.objectAssociations('contacts', contactId, 'meetings'),
			qs: { limit: ASSOCIATION_PAGE_SIZE, ...(cursor ? { after: cursor } : {}) },
			idempotent: true,
			itemIndex,
		});
		ids.push(...(answer.results ?? []).map((entry) => String(entry.toObjectId ?? entry.id)));
		cursor = answer.paging?.next?.after;
		if (!cursor) break;
	}
	return newestFirst(ids);
}

/**
 * Which of these meetings was made for the booking: their booking-ID property is read 100 at a
 * time, newest first, until one holds the booking's ID.
 */
export async function findBookingMeeting(
	client: HubSpotClient,
	booking: Booking,
	meetingIds: string[],
): Promise<string | undefined> {
	for (const ids of chunk(meetingIds, BATCH_SIZE)) {
		const meetings = await batchRead(client, 'meetings', ids, [booking.bookingIdProperty]);
		const found = meetings.find(
			(meeting) => meeting.properties?.[booking.bookingIdProperty] === booking.bookingId,
		);
		if (found) return found.id;
	}
	return undefined;
}

/**
 * The meeting made for a booking when no contact is known (a cancellation without the guest's
 * email): searched by the booking-ID property. Search trails writes by seconds, which is fine for a
 * change that comes minutes after the booking; the oldest match wins.
 */
export async function searchBookingMeeting(
	client: HubSpotClient,
	booking: Booking,
	itemIndex: number,
): Promise<string | undefined> {
	const answer = await client.request<{ results?: Array<{ id: string }> }>({
		method: 'POST',
		path: hubspotPaths.search('meetings'),
		body: {
			filterGroups: [
				{
					filters: [
						{ propertyName: booking.bookingIdProperty, operator: 'EQ', value: booking.bookingId },
					],
				},
			],
			sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
			properties: [booking.bookingIdProperty],
			limit: 1,
		},
		itemIndex,
	});
	return answer.results?.[0]?.id;
}

/**
 * The contact's primary company, from its association labelled primary (HubSpot's documented
 * source); the legacy `associatedcompanyid` property only when that read shows none. A contact
 * with no company at all (none inline in its read) costs no call.
 */
export async function primaryCompanyOf(
	client: HubSpotClient,
	contact: GuestContact,
): Promise<string | undefined> {
	if (!contact.hasCompanies) return undefined;
	const primary = await readPrimaryAssociations(client, 'contacts', 'companies', [contact.id]);
	return primary.get(contact.id) ?? (contact.properties.associatedcompanyid || undefined);
}

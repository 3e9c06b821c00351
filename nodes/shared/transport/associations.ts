/**
 * Primary associations (contact → company, deal → company): read in batches of 1,000 (HubSpot's
 * limit for association batch reads since February 2025) and written in batches of 100.
 */
import type { HubSpotClient } from './client';
import { chunk } from './pagination';
import { hubspotPaths, type CrmObjectType } from './paths';

export type AssociatedObjectType = 'companies';
export type AssociationLabel = 'primary' | 'unlabeled';

/** HubSpot-defined association type ids (from → to), by label. */
const ASSOCIATION_TYPE_IDS: Partial<
	Record<CrmObjectType, Partial<Record<AssociatedObjectType, Record<AssociationLabel, number>>>>
> = {
	contacts: { companies: { primary: 1, unlabeled: 279 } },
	deals: { companies: { primary: 5, unlabeled: 341 } },
};

export const ASSOCIATION_READ_BATCH = 1_000;
export const ASSOCIATION_WRITE_BATCH = 100;

/**
 * The association type id, or undefined when HubSpot defines no such label between the two objects.
 */
export function associationTypeId(
	from: CrmObjectType,
	to: AssociatedObjectType,
	label: AssociationLabel,
): number | undefined {
	return ASSOCIATION_TYPE_IDS[from]?.[to]?.[label];
}

/** Calls a write of `count` associations takes. */
export const associationWriteCalls = (count: number): number =>
	Math.ceil(count / ASSOCIATION_WRITE_BATCH);

interface AssociationReadAnswer {
	results?: Array<{
		from?: { id?: string };
		to?: Array<{ toObjectId?: string | number; associationTypes?: Array<{ typeId?: number }> }>;
	}>;
}

/**
 * Each record's primary associated record (a contact's primary company). Records without one are
 * absent from the map. A record with more associations than one answer holds has its primary among
 * the first, as HubSpot lists the primary first; the rest are not paged (only the primary matters).
 */
export async function readPrimaryAssociations(
	client: HubSpotClient,
	from: CrmObjectType,
	to: AssociatedObjectType,
	ids: string[],
): Promise<Map<string, string>> {
	const primaryType = associationTypeId(from, to, 'primary');
	const primary = new Map<string, string>();
	if (primaryType === undefined) return primary;
	for (const ids1000 of chunk([...new Set(ids)], ASSOCIATION_READ_BATCH)) {
		const answer = await client.request<AssociationReadAnswer>({
			method: 'POST',
			path: hubspotPaths.associationsBatchRead(from, to),
			body: { inputs: ids1000.map((id) => ({ id })) },
			idempotent: true,
		});
		for (const result of answer.results ?? []) {
			const found = result.to?.find((target) =>
				target.associationTypes?.some((type) => type.typeId === primaryType),
			);
			if (result.from?.id && found?.toObjectId !== undefined)
				primary.set(String(result.from.id), String(found.toObjectId));
		}
	}
	return primary;
}

export interface AssociationWriteFailure {
	fromId: string;
	toId: string;
	category: string;
	message: string;
}

/**
 * Creates associations with one label, 100 per call. Setting a new primary makes HubSpot keep the
 * old primary as an ordinary association, so the write is safe to resend (idempotent). When HubSpot
 * refuses part of a batch (207), the pairs it answered for are the ones made; the others failed,
 * with HubSpot's messages.
 */
export async function createAssociations(
	client: HubSpotClient,
	from: CrmObjectType,
	to: AssociatedObjectType,
	pairs: Array<{ fromId: string; toId: string }>,
	typeId: number,
): Promise<{ calls: number; failed: AssociationWriteFailure[] }> {
	let calls = 0;
	const failed: AssociationWriteFailure[] = [];
	for (const pairs100 of chunk(pairs, ASSOCIATION_WRITE_BATCH)) {
		const answer = await client.request<AssociationCreateAnswer>({
			method: 'POST',
			path: hubspotPaths.associationsBatchCreate(from, to),
			body: {
				inputs: pairs100.map((pair) => ({
					from: { id: pair.fromId },
					to: { id: pair.toId },
					types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
				})),
			},
			idempotent: true,
		});
		calls++;
		const errors = answer.errors ?? [];
		if (!errors.length) continue;
		const made = new Set(
			(answer.results ?? []).map((result) => `${result.fromObjectId}>${result.toObjectId}`),
		);
		for (const pair of pairs100) {
			if (made.has(`${pair.fromId}>${pair.toId}`)) continue;
			const own = errors.filter(
				(error) =>
					error.context?.ids?.includes(pair.fromId) ||
					error.context?.fromObjectId?.includes(pair.fromId),
			);
			const named = own.length ? own : errors;
			failed.push({
				...pair,
				category: named[0].category ?? 'UNKNOWN',
				message: named
					.map((error) => error.message ?? '')
					.filter(Boolean)
					.join('; '),
			});
		}
	}
	return { calls, failed };
}

interface AssociationCreateAnswer {
	results?: Array<{ fromObjectId?: string | number; toObjectId?: string | number }>;
	errors?: Array<{
		category?: string;
		message?: string;
		context?: { ids?: string[]; fromObjectId?: string[] };
	}>;
}

import type { IDataObject } from 'n8n-workflow';

import type { HubSpotClient } from './transport/client';
import { hubspotPaths, type CrmObjectType } from './transport/paths';

/** The fields of a HubSpot property definition this package reads. */
export interface PropertyDefinition {
	name: string;
	label: string;
	type: string;
	fieldType: string;
	groupName?: string;
	hidden?: boolean;
	calculated?: boolean;
	modificationMetadata?: { readOnlyValue?: boolean };
	options?: Array<{ label: string; value: string; hidden?: boolean }>;
}

/** All property definitions of an object type: one call, read once per execution by callers. */
export async function fetchPropertyDefinitions(
	client: HubSpotClient,
	objectType: CrmObjectType,
): Promise<PropertyDefinition[]> {
	const answer = await client.request<{ results: PropertyDefinition[] }>({
		method: 'GET',
		path: hubspotPaths.properties(objectType),
		qs: { archived: false },
	});
	return answer.results;
}

/** Edit distance between two strings (Levenshtein), for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
	if (a === b) return 0;
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
		}
		previous = current;
	}
	return previous[b.length];
}

/**
 * The existing property names closest to a wrong one: by edit distance to the internal name or
 * the label (operators often type the label), plus names that contain the typed text.
 */
export function closestPropertyNames(
	wanted: string,
	definitions: PropertyDefinition[],
	limit = 3,
): string[] {
	const needle = wanted.trim().toLowerCase();
	const tolerance = Math.max(2, Math.floor(needle.length / 3));
	return definitions
		.map((definition) => {
			const name = definition.name.toLowerCase();
			const label = (definition.label ?? '').toLowerCase();
			const distance = Math.min(editDistance(needle, name), editDistance(needle, label));
			const contains = needle.length >= 3 && (name.includes(needle) || label.includes(needle));
			return { name: definition.name, score: contains ? Math.min(distance, 1) : distance };
		})
		.filter((candidate) => candidate.score <= tolerance)
		.sort((left, right) => left.score - right.score || left.name.localeCompare(right.name))
		.slice(0, limit)
		.map((candidate) => candidate.name);
}

/**
 * What to tell someone who named a property that does not exist: the closest names, or where to
 * look.
 */
export function unknownPropertyHint(
	wanted: string,
	definitions: Map<string, PropertyDefinition>,
): string {
	const suggestions = closestPropertyNames(wanted, [...definitions.values()]);
	return suggestions.length
		? `Did you mean ${suggestions.map((name) => `"${name}"`).join(', ')}?`
		: 'Choose the property from the list, or check its internal name in HubSpot under Settings → Properties.';
}

/** Whether HubSpot computes the property itself, so that nothing can be written to it. */
export const isReadOnly = (definition: PropertyDefinition): boolean =>
	Boolean(definition.modificationMetadata?.readOnlyValue || definition.calculated);

/** The property group this package's own properties live in. */
export const PACKAGE_PROPERTY_GROUP = { name: 'n8n_sync', label: 'n8n sync' };

/**
 * Creates a property this package needs (and its group) unless it exists; an existing property is
 * left untouched and returned, so the caller can check it. A 409 from a concurrent set-up counts
 * as "exists". `created` is HubSpot's answer to the create: what HubSpot made, which may differ
 * from what was asked (read `hasUniqueValue` there, never assume it).
 */
export async function ensureProperty(
	client: HubSpotClient,
	objectType: CrmObjectType,
	definition: IDataObject & { name: string },
): Promise<{
	status: 'created' | 'exists';
	existing?: PropertyDefinition & { hasUniqueValue?: boolean };
	created?: PropertyDefinition & { hasUniqueValue?: boolean };
}> {
	const found = await client.attempt<PropertyDefinition & { hasUniqueValue?: boolean }>(
		{ method: 'GET', path: hubspotPaths.property(objectType, definition.name) },
		['NOT_FOUND'],
	);
	if (found.body) return { status: 'exists', existing: found.body };
	await client.attempt(
		{
			method: 'POST',
			path: hubspotPaths.propertyGroups(objectType),
			body: { ...PACKAGE_PROPERTY_GROUP, displayOrder: -1 },
			idempotent: true,
		},
		['CONFLICT'],
	);
	const created = await client.attempt<PropertyDefinition & { hasUniqueValue?: boolean }>(
		{
			method: 'POST',
			path: hubspotPaths.properties(objectType),
			body: { groupName: PACKAGE_PROPERTY_GROUP.name, formField: false, ...definition },
			idempotent: true,
		},
		['CONFLICT'],
	);
	return created.body ? { status: 'created', created: created.body } : { status: 'exists' };
}

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

/**
 * Deal filter rules (取引フィルタ, the board integration's deal filter): by team, by owner, by a
 * custom filter property with the values each target account accepts; combined with all or any.
 * Empty rules pass everything.
 * And the exclusion flag: a deal set to "exclude from sync" is excluded, whatever the rules say.
 */
export interface FilterRules {
	teamIds: string[];
	ownerIds: string[];
	filterProperty: string;
	allowedValues: string[];
	combine: 'all' | 'any';
}

export interface DealFacts {
	ownerId?: string;
	/** The deal's team (hubspot_team_id) and, when known, its owner's teams. */
	teamIds: string[];
	filterValue?: string;
}

export type FilterVerdict =
	{ pass: true } | { pass: false; rule: 'team' | 'owner' | 'filterKey'; reason: string };

export function filterDeal(rules: FilterRules, deal: DealFacts): FilterVerdict {
	const checks: Array<{ rule: 'team' | 'owner' | 'filterKey'; ok: boolean; reason: string }> = [];
	if (rules.teamIds.length) {
		checks.push({
			rule: 'team',
			ok: deal.teamIds.some((team) => rules.teamIds.includes(team)),
			reason: `team ${deal.teamIds.join(', ') || '(none)'} is not one of ${rules.teamIds.join(', ')}`,
		});
	}
	if (rules.ownerIds.length) {
		checks.push({
			rule: 'owner',
			ok: deal.ownerId !== undefined && rules.ownerIds.includes(deal.ownerId),
			reason: `owner ${deal.ownerId ?? '(none)'} is not one of ${rules.ownerIds.join(', ')}`,
		});
	}
	if (rules.allowedValues.length) {
		const value = (deal.filterValue ?? '').trim();
		checks.push({
			rule: 'filterKey',
			ok: rules.allowedValues.includes(value),
			reason: `${rules.filterProperty} "${value}" is not one of ${rules.allowedValues.join(', ')}`,
		});
	}
	if (!checks.length) return { pass: true };
	const failed = checks.filter((check) => !check.ok);
	const pass = rules.combine === 'any' ? failed.length < checks.length : failed.length === 0;
	if (pass) return { pass: true };
	return { pass: false, rule: failed[0].rule, reason: failed.map((f) => f.reason).join('; ') };
}

/** The exclusion flag as HubSpot stores a checkbox ("true"/"false"), or as people type it. */
export function parseExclusion(value: unknown): boolean | undefined {
	if (value === undefined || value === null || value === '') return false;
	if (typeof value === 'boolean') return value;
	const text = String(value).trim().toLowerCase();
	if (['true', 'yes', '1', 'はい'].includes(text)) return true;
	if (['false', 'no', '0', 'いいえ'].includes(text)) return false;
	return undefined;
}

export function splitList(value: unknown): string[] {
	const list = Array.isArray(value)
		? value.map(String)
		: typeof value === 'string'
			? value.split(/[,\n]/)
			: [];
	return [...new Set(list.map((entry) => entry.trim()).filter(Boolean))];
}

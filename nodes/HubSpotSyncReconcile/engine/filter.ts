/**
 * Record filters of the two-way sync (the inclusion list of HubSpot's Salesforce connector, and a
 * record filter each way): simple conditions on a record's values, all or any. Pure. Text is
 * compared trimmed and case-insensitive; HubSpot multi-checkbox values ("a;b") count as lists for
 * "is one of" and "contains".
 */
export type FilterOperation =
	'equals' | 'notEquals' | 'contains' | 'notContains' | 'oneOf' | 'isSet' | 'isEmpty';

export interface FilterCondition {
	field: string;
	operation: FilterOperation;
	value?: string;
}

const text = (value: unknown): string =>
	(value === null || value === undefined ? '' : String(value)).trim().toLowerCase();
const list = (value: string | undefined): string[] =>
	text(value)
		.split(/[,;]/)
		.map((entry) => entry.trim())
		.filter(Boolean);

export function conditionHolds(actual: unknown, condition: FilterCondition): boolean {
	const have = text(actual);
	const want = text(condition.value);
	switch (condition.operation) {
		case 'equals':
			return have === want;
		case 'notEquals':
			return have !== want;
		case 'contains':
			return want !== '' && have.includes(want);
		case 'notContains':
			return want === '' || !have.includes(want);
		case 'oneOf': {
			const allowed = list(condition.value);
			return list(have).some((entry) => allowed.includes(entry));
		}
		case 'isSet':
			return have !== '';
		case 'isEmpty':
			return have === '';
	}
}

/** Whether a record passes; no conditions = every record passes. */
export function passesFilter(
	valueOf: (field: string) => unknown,
	conditions: FilterCondition[],
	combine: 'all' | 'any' = 'all',
): boolean {
	const usable = conditions.filter((condition) => condition.field.trim() !== '');
	if (!usable.length) return true;
	const holds = (condition: FilterCondition) =>
		conditionHolds(valueOf(condition.field.trim()), condition);
	return combine === 'any' ? usable.some(holds) : usable.every(holds);
}

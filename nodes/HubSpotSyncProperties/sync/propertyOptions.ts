/**
 * Options of a picklist / multi-checkbox property grown from incoming values (e.g. business-card
 * tags: the card connector syncs at most 300 tags). Pure: which values are new, and whether the
 * property would pass the cap. Values match existing options by value or label, trimmed and
 * case-insensitive.
 */
export interface PropertyOption {
	label: string;
	value: string;
	displayOrder?: number;
	hidden?: boolean;
}

/**
 * "a; b" or ['a', 'b'] → ['a', 'b'] (trimmed, blanks dropped); ';' as in HubSpot's multi-checkbox
 * values.
 */
export function splitValues(raw: unknown): string[] {
	if (raw === null || raw === undefined) return [];
	const parts = Array.isArray(raw)
		? raw.map((entry) => String(entry ?? ''))
		: String(raw).split(';');
	return parts.map((part) => part.trim()).filter(Boolean);
}

export interface OptionsPlan {
	/** Options to add, in first-seen order. */
	added: PropertyOption[];
	/** Options the property would have after the change. */
	total: number;
	overLimit: boolean;
}

export function planOptions(
	existing: PropertyOption[],
	wanted: string[],
	maxOptions: number,
): OptionsPlan {
	const known = new Set(
		existing.flatMap((option) => [
			option.value.trim().toLowerCase(),
			option.label.trim().toLowerCase(),
		]),
	);
	const added: PropertyOption[] = [];
	for (const value of wanted) {
		const lower = value.toLowerCase();
		if (known.has(lower)) continue;
		known.add(lower);
		added.push({ label: value, value });
	}
	const total = existing.length + added.length;
	return { added, total, overLimit: maxOptions > 0 && total > maxOptions };
}

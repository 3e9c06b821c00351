/**
 * Country values to ISO 3166-1 alpha-2 codes before writing (as HubSpot's Salesforce connector does
 * for Salesforce's country picklists). Names are recognized in English and Japanese, as Intl (the
 * runtime's ICU data) spells them, plus common short forms; codes (alpha-2) pass through.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const EXTRA_NAMES: Record<string, string> = {
	usa: 'US',
	'u.s.': 'US',
	'u.s.a.': 'US',
	america: 'US',
	uk: 'GB',
	england: 'GB',
	'great britain': 'GB',
	'south korea': 'KR',
	korea: 'KR',
	アメリカ: 'US',
	米国: 'US',
	イギリス: 'GB',
	英国: 'GB',
	韓国: 'KR',
	中国: 'CN',
};

/**
 * Codes Intl names that are not countries. Aliases (UK → GB, DD → DE) are dropped by
 * canonicalization.
 */
const NOT_COUNTRIES = new Set(['ZZ', 'EU', 'EZ', 'UN', 'QO', 'XA', 'XB']);

let index: { byName: Map<string, string>; codes: Set<string> } | undefined;

const fold = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Every region code Intl names, by its English and Japanese names, and the set of codes (built
 * once).
 */
function countryIndex(): { byName: Map<string, string>; codes: Set<string> } {
	if (index) return index;
	const byName = new Map(Object.entries(EXTRA_NAMES).map(([name, code]) => [fold(name), code]));
	const names = ['en', 'ja'].map(
		(locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'none' }),
	);
	for (const first of ALPHABET) {
		for (const second of ALPHABET) {
			const code = `${first}${second}`;
			if (NOT_COUNTRIES.has(code) || Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`)
				continue;
			for (const display of names) {
				const name = display.of(code);
				if (name && name !== code && !byName.has(fold(name))) byName.set(fold(name), code);
			}
		}
	}
	index = { byName, codes: new Set(byName.values()) };
	return index;
}

/** The ISO alpha-2 code of a country name or code, or undefined when it is not a known country. */
export function countryCode(value: string): string | undefined {
	const folded = fold(value);
	if (!folded) return undefined;
	const { byName, codes } = countryIndex();
	const upper = folded.toUpperCase();
	return byName.get(folded) ?? (codes.has(upper) ? upper : undefined);
}

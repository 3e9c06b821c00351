/**
 * How records from another app are matched to HubSpot records (the card connector and HubSpot's
 * data sync): contacts by email (trimmed, case-insensitive), companies by domain (no scheme, no
 * `www.`, no path), then by name. One definition of each key, for Push, Create Meeting and
 * reconcile alike.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The email as HubSpot stores it (trimmed, lowercase); '' when blank. */
export function emailKey(raw: unknown): string {
	return typeof raw === 'string' ? raw.trim().toLowerCase() : '';
}

export function isValidEmail(email: string): boolean {
	return EMAIL.test(email);
}

/** `https://www.Example.co.jp/about` → `example.co.jp`; '' when there is no host. */
export function domainKey(raw: unknown): string {
	if (typeof raw !== 'string') return '';
	const host = raw
		.trim()
		.toLowerCase()
		.replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
		.replace(/^[^@/]*@/, '')
		.split(/[/?#]/)[0]
		.replace(/:\d+$/, '')
		.replace(/^www\./, '')
		.replace(/\.$/, '');
	return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) || /^[^\s.]+(\.[^\s.]+)+$/.test(host) ? host : '';
}

/** Company names compared trimmed, case-insensitive, with runs of spaces collapsed. */
export function nameKey(raw: unknown): string {
	return typeof raw === 'string' ? raw.trim().replace(/\s+/g, ' ').toLowerCase() : '';
}

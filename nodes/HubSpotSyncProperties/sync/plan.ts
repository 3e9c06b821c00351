/**
 * What a push writes for one record, given what HubSpot holds: pure, so the conflict rules are
 * tested without HubSpot. A blank incoming value never reaches here (it is dropped before), so a
 * blank never overwrites.
 */
import type { PropertyDefinition } from '../../shared/properties';
import { sameValue } from '../../shared/values';

/**
 * - hubspotWins: HubSpot is the master; existing records are left as they are, only new ones are
 *   created.
 * - fillBlanks: existing records only get the properties that are empty in HubSpot.
 * - incomingWins: every incoming value that differs replaces HubSpot's.
 */
export type ConflictRule = 'hubspotWins' | 'fillBlanks' | 'incomingWins';

export interface WriteDecision {
	action: 'create' | 'update' | 'unchanged';
	/** Properties to send. */
	write: Record<string, string>;
	/** Incoming values HubSpot kept because of the rule (they differ from HubSpot's). */
	kept: string[];
}

export function decideWrite(
	incoming: Record<string, string>,
	existing: Record<string, string | null | undefined> | undefined,
	rule: ConflictRule,
	definitions: Map<string, PropertyDefinition>,
): WriteDecision {
	if (!existing) return { action: 'create', write: { ...incoming }, kept: [] };
	const write: Record<string, string> = {};
	const kept: string[] = [];
	for (const [name, value] of Object.entries(incoming)) {
		const stored = existing[name];
		if (sameValue(definitions.get(name), value, stored)) continue;
		const storedIsBlank = stored === null || stored === undefined || stored === '';
		const mayWrite = rule === 'incomingWins' || (rule === 'fillBlanks' && storedIsBlank);
		if (mayWrite) write[name] = value;
		else kept.push(name);
	}
	return { action: Object.keys(write).length ? 'update' : 'unchanged', write, kept };
}

/**
 * Several items for the same record (same email or domain): one write, later non-blank values win.
 */
export function mergeIncoming(records: Array<Record<string, string>>): Record<string, string> {
	return Object.assign({}, ...records);
}

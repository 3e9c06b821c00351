/**
 * The shape of an answer: which keys it has and what type each holds, never a value, so that
 * HubSpot's answer and the emulator's can be compared (and printed) without leaking data.
 */

/** How deep nested keys are compared (results[].properties.email is 3 deep). */
const MAX_DEPTH = 5;

export type ValueType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

export function typeOf(value: unknown): ValueType {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	const type = typeof value;
	if (type === 'string' || type === 'number' || type === 'boolean') return type;
	return 'object';
}

const SHORT: Record<ValueType, string> = { string: 'str', number: 'num', boolean: 'bool', null: 'null', array: 'arr', object: 'obj' };

/** The top-level keys and their types, e.g. `{paging:obj, results:arr}`; a body that is no object says what it is. */
export function topShape(body: unknown): string {
	if (body === undefined) return 'no body';
	if (typeOf(body) !== 'object') return SHORT[typeOf(body)];
	const entries = Object.entries(body as Record<string, unknown>).sort(([left], [right]) => left.localeCompare(right));
	return `{${entries.map(([key, value]) => `${key}:${SHORT[typeOf(value)]}`).join(', ')}}`;
}

/**
 * Every path of the body with the types found there. An array's elements are merged under `[]`
 * (their types united), and an empty array contributes no element paths: what its elements look
 * like depends on the account's data, not on the API.
 */
export function flattenShape(body: unknown): Map<string, Set<ValueType>> {
	const paths = new Map<string, Set<ValueType>>();
	const visit = (value: unknown, path: string, depth: number) => {
		const type = typeOf(value);
		const types = paths.get(path) ?? new Set<ValueType>();
		types.add(type);
		paths.set(path, types);
		if (depth >= MAX_DEPTH) return;
		if (type === 'array') for (const element of value as unknown[]) visit(element, `${path}[]`, depth + 1);
		if (type === 'object') for (const [key, child] of Object.entries(value as Record<string, unknown>)) visit(child, path ? `${path}.${key}` : key, depth + 1);
	};
	if (body !== undefined) visit(body, '', 0);
	paths.delete('');
	return paths;
}

const describeTypes = (types: Set<ValueType> | undefined) => (types ? [...types].sort().join('|') : 'absent');

/**
 * Where two bodies differ in shape: `path: HubSpot <types>, emulator <types>`, one line per path.
 * Paths under an ignored prefix (parts of an answer that depend on the account's other records)
 * are left out.
 */
export function shapeDifferences(hubspot: unknown, emulator: unknown, ignore: string[] = []): string[] {
	const left = flattenShape(hubspot);
	const right = flattenShape(emulator);
	const ignored = (path: string) => ignore.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[]`));
	// Inside a list that is empty on one side there is nothing to compare with.
	const elementsOnBothSides = (path: string) => {
		for (let at = path.indexOf('[]'); at >= 0; at = path.indexOf('[]', at + 2)) {
			const element = path.slice(0, at + 2);
			if (!left.has(element) || !right.has(element)) return false;
		}
		return true;
	};
	const all = [...new Set([...left.keys(), ...right.keys()])].filter((path) => !ignored(path) && elementsOnBothSides(path)).sort();
	const differences: string[] = [];
	for (const path of all) {
		const a = describeTypes(left.get(path));
		const b = describeTypes(right.get(path));
		// Below a path that is absent on one side, its children say nothing new.
		const parent = path.replace(/(\[\]|\.[^.[\]]+)$/, '');
		if (parent && parent !== path && (!left.has(parent) || !right.has(parent))) continue;
		if (a !== b) differences.push(`${path}: HubSpot ${a}, emulator ${b}`);
	}
	return differences;
}

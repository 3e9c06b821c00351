/**
 * HubSpot's official OpenAPI specs (shared/hubspot-openapi) as the contract of the emulator:
 * every request it accepts and every response it sends is validated against the operation the
 * path matches. Violations are collected (`violations`, admin `/_emulator/violations`) for tests to
 * assert on; in strict mode the server also answers them (a request: HubSpot's 400; its own response:
 * a 500 marked as the emulator's bug). The specs' known quirks (see their README) are corrected here only.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export interface Operation {
	spec: string;
	method: string;
	template: string;
	regex: RegExp;
	literalSegments: number;
	pointer: string;
}

export interface Violation {
	operation: string;
	direction: 'request' | 'response';
	status?: number;
	errors: string[];
}

/** Where the specs are: beside the repository in shared/, or HUBSPOT_OPENAPI_DIR. */
export function findSpecDir(): string {
	const candidates = [
		process.env.HUBSPOT_OPENAPI_DIR,
		path.resolve(__dirname, '../../../shared/hubspot-openapi'),
		path.resolve(__dirname, '../../../../shared/hubspot-openapi'),
		path.resolve(process.cwd(), '../shared/hubspot-openapi'),
	].filter((dir): dir is string => Boolean(dir));
	const found = candidates.find((dir) => existsSync(path.join(dir, 'objects.2026-03.json')));
	if (!found) throw new Error(`HubSpot OpenAPI specs not found; looked in ${candidates.join(', ')}`);
	return found;
}

const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * A search sort rule as HubSpot's search guide documents it; the spec's string form stays valid
 * (the server ignores it, as HubSpot plausibly does).
 */
const SORT_RULE = {
	anyOf: [
		{ type: 'string' },
		{
			type: 'object',
			required: ['propertyName'],
			properties: { propertyName: { type: 'string' }, direction: { type: 'string', enum: ['ASCENDING', 'DESCENDING'] } },
		},
	],
};

/** The specs' documented quirks (their README): fields HubSpot treats as optional, the sort rule's form. */
function relaxKnownQuirks(spec: Record<string, any>): void {
	const schemas = spec.components?.schemas ?? {};
	for (const [name, schema] of Object.entries<Record<string, any>>(schemas)) {
		if (!Array.isArray(schema.required)) continue;
		if (name === 'PublicObjectSearchRequest') {
			const optional = new Set(['after', 'filterGroups', 'limit', 'properties', 'sorts']);
			schema.required = schema.required.filter((key: string) => !optional.has(key));
			if (schema.properties?.sorts) schema.properties.sorts.items = structuredClone(SORT_RULE);
		}
		if (/InputForCreate$/.test(name)) {
			schema.required = schema.required.filter((key: string) => key !== 'associations');
		}
	}
}

export class OpenApiContract {
	readonly operations: Operation[] = [];

	readonly violations: Violation[] = [];

	/** operation key → how many requests and responses were validated. */
	readonly coverage = new Map<string, { requests: number; responses: number }>();

	private readonly ajv: Ajv;

	private readonly validators = new Map<string, ValidateFunction | null>();

	private readonly specs = new Map<string, Record<string, any>>();

	constructor(specDir = findSpecDir()) {
		this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
		addFormats(this.ajv);
		for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) {
			this.ajv.addFormat(format, true);
		}
		for (const file of readdirSync(specDir).filter((name) => name.endsWith('.json')).sort()) {
			const spec = JSON.parse(readFileSync(path.join(specDir, file), 'utf8'));
			relaxKnownQuirks(spec);
			spec.$id = file;
			this.specs.set(file, spec);
			this.ajv.addSchema(spec, file);
			for (const [template, item] of Object.entries<Record<string, unknown>>(spec.paths ?? {})) {
				for (const method of Object.keys(item).filter((key) => key !== 'parameters')) {
					const segments = template.split('/').filter(Boolean);
					this.operations.push({
						spec: file,
						method: method.toUpperCase(),
						template,
						regex: new RegExp(
							`^${segments.map((s) => (s.startsWith('{') ? '/([^/]+)' : `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)).join('')}$`,
						),
						literalSegments: segments.filter((s) => !s.startsWith('{')).length,
						pointer: `${file}#/paths/${escapePointer(template)}/${method}`,
					});
				}
			}
		}
		// The most specific template wins (contacts' own spec over the generic {objectType} one).
		this.operations.sort((left, right) => right.literalSegments - left.literalSegments);
	}

	match(method: string, pathname: string): Operation | undefined {
		return this.operations.find((op) => op.method === method && op.regex.test(pathname));
	}

	/** The operation's security alternatives as declared (each lists the scopes one way of access needs). */
	securityOf(op: Operation): Array<Record<string, string[]>> {
		return this.resolve(op.pointer)?.security ?? [];
	}

	static key(op: Operation): string {
		return `${op.method} ${op.template}`;
	}

	validateRequest(op: Operation, body: unknown, mediaType = 'application/json'): string[] {
		const operation = this.resolve(op.pointer);
		const hasSchema = Boolean(operation?.requestBody?.content?.[mediaType]?.schema);
		this.bump(op, 'requests');
		if (!hasSchema) return [];
		return this.check(op, 'request', `${op.pointer}/requestBody/content/${escapePointer(mediaType)}/schema`, body);
	}

	validateResponse(op: Operation, status: number, body: unknown): string[] {
		const operation = this.resolve(op.pointer);
		const responses = operation?.responses ?? {};
		const key = responses[String(status)] ? String(status) : responses.default ? 'default' : undefined;
		this.bump(op, 'responses');
		if (!key) {
			const errors = [`status ${status} is not declared (declared: ${Object.keys(responses).join(', ')})`];
			this.violations.push({ operation: OpenApiContract.key(op), direction: 'response', status, errors });
			return errors;
		}
		// A response may be a $ref to components/responses in the same file.
		let base = `${op.pointer}/responses/${key}`;
		let response = responses[key];
		if (typeof response.$ref === 'string') {
			base = `${op.spec}${response.$ref}`;
			response = this.resolve(base) ?? {};
		}
		const content = response.content ?? {};
		const mediaType = content['application/json'] ? 'application/json' : content['*/*'] ? '*/*' : undefined;
		if (!mediaType) return [];
		const pointer = `${base}/content/${escapePointer(mediaType)}/schema`;
		return this.check(op, 'response', pointer, body, status);
	}

	private check(
		op: Operation,
		direction: 'request' | 'response',
		pointer: string,
		body: unknown,
		status?: number,
	): string[] {
		let validate = this.validators.get(pointer);
		if (validate === undefined) {
			validate = this.ajv.compile({ $ref: pointer });
			this.validators.set(pointer, validate);
		}
		if (!validate || validate(body)) return [];
		const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
		this.violations.push({ operation: OpenApiContract.key(op), direction, status, errors });
		return errors;
	}

	private bump(op: Operation, field: 'requests' | 'responses') {
		const key = OpenApiContract.key(op);
		const entry = this.coverage.get(key) ?? { requests: 0, responses: 0 };
		entry[field]++;
		this.coverage.set(key, entry);
	}

	private resolve(pointer: string): Record<string, any> | undefined {
		const [file, fragment] = pointer.split('#');
		let node: any = this.specs.get(file);
		for (const token of fragment.split('/').filter(Boolean)) {
			node = node?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
		}
		return node;
	}
}

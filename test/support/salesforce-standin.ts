/**
 * A stand-in for Salesforce's REST API, as far as the Salesforce bridge template uses it, so that
 * n8n's own Salesforce node (reads) and HTTP Request nodes with the Salesforce credential (writes)
 * run unchanged in the e2e test: `GET /services/data/v59.0/query?q=SELECT … FROM Lead|Contact|
 * Opportunity` (one page), `POST /sobjects/{Lead|Contact}`, `PATCH` and `DELETE /sobjects/{type}/{id}`.
 * Salesforce's own rules that matter here: Bearer token required (401 INVALID_SESSION_ID),
 * Lead needs LastName and Company, Contact needs LastName (400 REQUIRED_FIELD_MISSING), unknown
 * fields are refused (400 INVALID_FIELD). Loopback only; records live in memory and tests edit them.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SalesforceType = 'Lead' | 'Contact' | 'Opportunity';
export type SalesforceRecord = Record<string, unknown> & { Id: string };

const FIELDS: Record<SalesforceType, string[]> = {
	Lead: ['Id', 'Email', 'FirstName', 'LastName', 'Phone', 'Company', 'Country', 'State', 'Status'],
	Contact: ['Id', 'Email', 'FirstName', 'LastName', 'Phone', 'MailingCountry', 'MailingState', 'AccountId'],
	Opportunity: ['Id', 'Name', 'StageName', 'IsWon', 'IsClosed', 'ContactId', 'Amount'],
};
const REQUIRED: Record<string, string[]> = { Lead: ['LastName', 'Company'], Contact: ['LastName'] };
const PREFIX: Record<SalesforceType, string> = { Lead: '00Q', Contact: '003', Opportunity: '006' };

export interface SalesforceStandIn {
	url: string;
	token: string;
	records: Record<SalesforceType, Map<string, SalesforceRecord>>;
	/** Requests by "METHOD type" (e.g. "PATCH Lead", "GET query Contact"). */
	requests: Record<string, number>;
	add: (type: SalesforceType, fields: Record<string, unknown>) => SalesforceRecord;
	/** n8n's Salesforce OAuth2 credential, already connected to this stand-in (the templates' id). */
	credential: () => { id: string; name: string; type: string; data: Record<string, unknown> };
	stop: () => Promise<void>;
}

/** On 127.0.0.1:listenPort; 0 (the default) takes any free port. */
export async function startSalesforceStandIn(token = 'sf-standin-token-e2e-7d1f', listenPort = 0): Promise<SalesforceStandIn> {
	let next = 1;
	const records: SalesforceStandIn['records'] = { Lead: new Map(), Contact: new Map(), Opportunity: new Map() };
	const requests: Record<string, number> = {};
	const add = (type: SalesforceType, fields: Record<string, unknown>): SalesforceRecord => {
		const record = { ...fields, Id: `${PREFIX[type]}${String(next++).padStart(15, '0')}` } as SalesforceRecord;
		records[type].set(record.Id, record);
		return record;
	};
	const typeOf = (name: string): SalesforceType | undefined => (['Lead', 'Contact', 'Opportunity'] as const).find((type) => type.toLowerCase() === name.toLowerCase());
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			const answer = (status: number, body?: unknown) => {
				res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' }).end(body === undefined ? undefined : JSON.stringify(body));
			};
			const count = (key: string) => (requests[key] = (requests[key] ?? 0) + 1);
			if (req.headers.authorization !== `Bearer ${token}`) return answer(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const path = url.pathname.replace(/^\/services\/data\/v\d+\.\d+/, '');
			if (req.method === 'GET' && path === '/query') {
				const soql = url.searchParams.get('q') ?? '';
				const match = /^SELECT\s+(.+?)\s+FROM\s+(\w+)/i.exec(soql);
				const type = match ? typeOf(match[2]) : undefined;
				if (!match || !type) return answer(400, [{ message: `unsupported query: ${soql}`, errorCode: 'MALFORMED_QUERY' }]);
				count(`GET query ${type}`);
				const fields = match[1].split(',').map((field) => field.trim());
				const unknown = fields.find((field) => !FIELDS[type].includes(field));
				if (unknown) return answer(400, [{ message: `No such column '${unknown}' on entity '${type}'`, errorCode: 'INVALID_FIELD' }]);
				const rows = [...records[type].values()].map((record) => ({ attributes: { type, url: `/services/data/v59.0/sobjects/${type}/${record.Id}` }, ...Object.fromEntries(fields.map((field) => [field, record[field] ?? null])) }));
				return answer(200, { totalSize: rows.length, done: true, records: rows });
			}
			const sobject = /^\/sobjects\/(\w+)(?:\/(\w+))?$/.exec(path);
			const type = sobject ? typeOf(sobject[1]) : undefined;
			if (!sobject || !type || type === 'Opportunity') return answer(404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
			count(`${req.method} ${type}`);
			const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
			const unknown = Object.keys(body).find((field) => field === 'Id' || !FIELDS[type].includes(field));
			if (unknown) return answer(400, [{ message: `No such column '${unknown}' on sobject of type ${type}`, errorCode: 'INVALID_FIELD' }]);
			const id = sobject[2];
			if (req.method === 'POST' && !id) {
				const missing = REQUIRED[type].filter((field) => !body[field]);
				if (missing.length) return answer(400, [{ message: `Required fields are missing: [${missing.join(', ')}]`, errorCode: 'REQUIRED_FIELD_MISSING', fields: missing }]);
				return answer(201, { id: add(type, body).Id, success: true, errors: [] });
			}
			const record = id ? records[type].get(id) : undefined;
			if (!record) return answer(404, [{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
			if (req.method === 'PATCH') {
				Object.assign(record, body);
				return answer(204);
			}
			if (req.method === 'DELETE') {
				records[type].delete(record.Id);
				return answer(204);
			}
			return answer(405, [{ message: `${req.method} not allowed`, errorCode: 'METHOD_NOT_ALLOWED' }]);
		});
	});
	// A port in use rejects (EADDRINUSE) instead of leaving the start waiting.
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(listenPort, '127.0.0.1', resolve);
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		token,
		records,
		requests,
		add,
		credential: () => ({
			id: 'salesforceOAuth',
			name: 'Salesforce account',
			type: 'salesforceOAuth2Api',
			data: { environment: 'production', clientId: 'stand-in', clientSecret: 'stand-in', oauthTokenData: { access_token: token, instance_url: `http://127.0.0.1:${port}`, token_type: 'Bearer' } },
		}),
		stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

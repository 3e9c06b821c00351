/** Types of docker/first-run.js (plain CommonJS, so the image runs it with Node alone) for scripts/start.ts and the tests. */
export interface TableDefinition {
	name: string;
	columns: Array<{ name: string; type: string }>;
}

export type PublicApi = (method: string, pathname: string, body?: unknown) => Promise<any>;

/** An internal-REST caller (/rest) with a session cookie; answers the `data` of n8n's envelope. */
export function restClient(baseUrl: string, cookie: string): PublicApi;

/** A public-API caller (/api/v1) with an API key. */
export function apiClient(baseUrl: string, apiKey: string): PublicApi;

export function templateTables(templatesDir: string): TableDefinition[];

export function ensureTables(api: PublicApi, wanted: TableDefinition[]): Promise<{ created: string[]; tables: string[] }>;

export function firstRun(options: { baseUrl: string; email: string; password: string; templatesDir: string }): Promise<{ wanted: string[]; created: string[]; tables: string[] }>;

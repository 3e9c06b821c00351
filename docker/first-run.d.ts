/** Types of docker/first-run.js (plain CommonJS, so the image runs it with Node alone) for scripts/start.ts and the tests. */
export interface TableDefinition {
	name: string;
	columns: Array<{ name: string; type: string }>;
}

export type PublicApi = (method: string, pathname: string, body?: unknown) => Promise<any>;

export function templateTables(templatesDir: string): TableDefinition[];

export function ensureTables(api: PublicApi, wanted: TableDefinition[]): Promise<{ created: string[]; tables: string[] }>;

export function firstRun(options: { baseUrl: string; email: string; password: string; templatesDir: string }): Promise<{ wanted: string[]; created: string[]; tables: string[] }>;

import { startE2eEnvironment, type E2eEnvironment } from './n8n-e2e';
jest.setTimeout(900_000);
let env: E2eEnvironment;
it('measure', async () => {
	env = await startE2eEnvironment([], {}, {});
	const table = await env.n8n.api('POST', '/data-tables', { name: 'm_records', columns: ['objectType', 'hubspotId', 'email', 'domain', 'name', 'properties', 'hubspotUpdatedAt', 'runId', 'pullMode'].map((name) => ({ name, type: 'string' })) });
	const id = table.id;
	const N = 100_000;
	let t = Date.now();
	for (let start = 0; start < N; start += 1000) {
		const data = Array.from({ length: 1000 }, (_, i) => ({ objectType: 'contacts', hubspotId: String(10_000_000 + start + i), email: `c${start + i}@example.com`, domain: '', name: 'Name', properties: JSON.stringify({ email: `c${start + i}@example.com`, firstname: 'First', lastname: 'Last', company: 'Company', phone: '+81-3-0000-0000', lifecyclestage: 'lead', city: 'Kyoto', jobtitle: 'Engineer' }), hubspotUpdatedAt: new Date().toISOString(), runId: '1', pullMode: 'full' }));
		await env.n8n.api('POST', `/data-tables/${id}/rows`, { data });
	}
	console.error('insert', N, Date.now() - t, 'ms');
	const tables = await env.n8n.api('GET', '/data-tables?limit=100');
	console.error('size', JSON.stringify(tables.data.map((x: any) => [x.name, x.sizeBytes])));
	for (const [batch, returnData] of [[100, false], [50, false]] as const) {
		const ids = Array.from({ length: batch }, (_, i) => String(10_000_000 + i * 97 + batch * 7));
		const filter = { type: 'or', filters: ids.map((value) => ({ columnName: 'hubspotId', condition: 'eq', value })) };
		const qs = `filter=${encodeURIComponent(JSON.stringify(filter))}&returnData=${returnData}`;
		t = Date.now();
		const r = await env.n8n.api('DELETE', `/data-tables/${id}/rows/delete?${qs}`);
		console.error('delete', batch, 'returnData', returnData, 'url', qs.length, Date.now() - t, 'ms', JSON.stringify(r).slice(0, 80));
	}
	for (const n of [900, 450, 100]) {
		const ids = Array.from({ length: n }, (_, i) => String(10_050_000 + i * 31 + n));
		t = Date.now();
		await env.n8n.api('PATCH', `/data-tables/${id}/rows/update`, { filter: { type: 'or', filters: ids.map((value) => ({ columnName: 'hubspotId', condition: 'eq', value })) }, data: { pullMode: 'x' } });
		console.error('update', n, Date.now() - t, 'ms');
	}
	t = Date.now();
	await env.n8n.api('GET', `/data-tables/${id}/rows?limit=1&filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'hubspotId', condition: 'eq', value: '10000005' }] }))}`);
	console.error('get one by hubspotId', Date.now() - t, 'ms');
	t = Date.now();
	await env.n8n.api('DELETE', `/data-tables/${id}/rows/delete?filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters: [{ columnName: 'objectType', condition: 'eq', value: 'contacts' }, { columnName: 'pullMode', condition: 'eq', value: 'x' }] }))}`);
	console.error('delete marked', Date.now() - t, 'ms');
	await env.teardown();
});

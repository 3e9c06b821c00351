/** The scanner the e2e tests run over n8n's data at teardown finds what it must, and only there. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { scanForSecrets } from '../support/secret-scan';

it('reports each file holding a secret by kind, skips installed packages, never prints the secret', () => {
	const folder = mkdtempSync(path.join(os.tmpdir(), 'secret-scan-'));
	try {
		const token = 'emu-at-0f3b9c1e-5d2a-4e8b-9c71-aa12bb34cc56';
		writeFileSync(path.join(folder, 'database.sqlite'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(`{"authorization":"Bearer ${token}"}`), Buffer.from([255])]));
		writeFileSync(path.join(folder, 'database.sqlite-wal'), 'nothing here');
		mkdirSync(path.join(folder, 'nodes'));
		writeFileSync(path.join(folder, 'nodes', 'fixture.json'), token);
		const log = path.join(folder, 'n8n.log');
		writeFileSync(log, 'refresh emu-rt-11111111-2222 done');
		const leaks = scanForSecrets(folder, [{ kind: 'access token', value: token }, { kind: 'refresh token', value: 'emu-rt-11111111-2222' }, { kind: 'short', value: 'abc' }], [log]);
		expect(leaks.sort()).toEqual(['database.sqlite: access token', 'n8n.log: refresh token']);
		expect(leaks.join(' ')).not.toContain(token);
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
});

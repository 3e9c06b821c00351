/**
 * The card import template in a real n8n against the emulator: a 500-row CSV uploaded through n8n's
 * form (Basic Auth) becomes exactly the expected HubSpot contacts — duplicates merged (later
 * non-blank values win), blank and invalid emails skipped with history rows, mixed-case emails
 * matched to existing contacts, tags added as options of a multi-checkbox property — and cards sent
 * as JSON to the webhook take the same path. The form ends on a page with the run's counts (created,
 * updated, skipped and why), not n8n's generic "Your response has been recorded".
 */
import { seedCrm } from '../hubspot-emulator/seed';
import { waitForWebhook } from '../../scripts/n8n-runtime';
import { callWebhook, CARD_FORM_LOGIN, dataTableRows, startE2eEnvironment, templateForE2e, type E2eEnvironment } from './n8n-e2e';

jest.setTimeout(900_000);

const SEEDED = 100;
let env: E2eEnvironment;

beforeAll(async () => {
	env = await startE2eEnvironment(
		[templateForE2e('record-history.json'), templateForE2e('error-workflow-history.json'), templateForE2e('card-import-to-hubspot.json')],
		{},
		{ beforeStart: ({ emulator }) => void seedCrm(emulator.store, { contacts: SEEDED, at: Date.now() - 3_600_000 }) },
	);
	await waitForWebhook(`${env.n8n.url}/webhook/hubspot-sync/cards`);
});
afterAll(async () => env?.teardown());

interface Card {
	email: string;
	last_name: string;
	first_name: string;
	company: string;
	title: string;
	phone: string;
	tags: string;
}

const TAGS = Array.from({ length: 12 }, (_, i) => `tag${i}`);

/** 500 cards: 400 distinct emails (80 of seeded contacts, in other case), 50 repeats, 30 blank, 20 invalid emails. */
function cards(): Card[] {
	const list: Card[] = [];
	for (let i = 0; i < 400; i++) {
		const email = i < 80 ? (i % 2 ? `Contact${i + 1}@EXAMPLE.com` : `contact${i + 1}@example.com`) : `card${i}@cards.example.com`;
		list.push({ email, last_name: i % 7 ? 'Import' : '山田', first_name: `Card ${i}`, company: `Co ${i % 20}`, title: 'Manager', phone: `+81-90-0000-${String(i).padStart(4, '0')}`, tags: i % 3 ? `${TAGS[i % 12]};VIP` : TAGS[i % 12] });
	}
	for (let i = 0; i < 50; i++) {
		const original = list[i * 8];
		// The same person again: email with spaces and in upper case, a new first name, no company.
		list.push({ ...original, email: `  ${original.email.toUpperCase()} `, first_name: `Again ${i}`, company: '', tags: '' });
	}
	for (let i = 0; i < 30; i++) list.push({ email: '', last_name: 'NoMail', first_name: `Blank ${i}`, company: 'Co', title: '', phone: '', tags: '' });
	for (let i = 0; i < 20; i++) list.push({ email: `not-an-email-${i}`, last_name: 'Bad', first_name: `Bad ${i}`, company: 'Co', title: '', phone: '', tags: '' });
	return list;
}

const toCsv = (rows: Card[]) => ['email,last_name,first_name,company,title,phone,tags', ...rows.map((row) => [row.email, row.last_name, row.first_name, row.company, row.title, row.phone, row.tags].join(','))].join('\n');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FORM_AUTH = `Basic ${Buffer.from(`${CARD_FORM_LOGIN.user}:${CARD_FORM_LOGIN.password}`).toString('base64')}`;

/**
 * What a browser sees after submitting the form: n8n answers the submission with the run's waiting
 * page; the page asks for the run's status until the run waits at the form's ending, then shows it.
 */
async function formAnswerPage(submission: Response): Promise<{ page: string; pageUrl: string; executionId: string }> {
	const { formWaitingUrl } = (await submission.json()) as { formWaitingUrl: string };
	// n8n names its public host (localhost); the test talks to 127.0.0.1.
	const waiting = new URL(formWaitingUrl);
	const pageUrl = `${env.n8n.url}${waiting.pathname}${waiting.search}`;
	const statusUrl = `${env.n8n.url}${waiting.pathname}/n8n-execution-status${waiting.search}`;
	let status = '';
	for (let attempt = 0; attempt < 600 && status !== 'form-waiting'; attempt++) {
		status = await (await fetch(statusUrl, { headers: { authorization: FORM_AUTH } })).text();
		if (['error', 'crashed', 'canceled', 'success'].includes(status)) throw new Error(`The form's run ended (${status}) instead of showing its answer page`);
		if (status !== 'form-waiting') await pause(500);
	}
	if (status !== 'form-waiting') throw new Error(`The form's run did not reach its answer page within 5 minutes (status ${status})`);
	const page = await fetch(pageUrl, { headers: { authorization: FORM_AUTH } });
	expect(page.status).toBe(200);
	return { page: await page.text(), pageUrl, executionId: waiting.pathname.split('/').pop()! };
}

const contact = (email: string) => env.emulator.store.findByProperty('contacts', 'email', email.trim().toLowerCase())?.properties;
const contacts = () => [...env.emulator.store.table('contacts').values()].filter((record) => !record.archived);

it('a 500-row CSV through the form becomes exactly the expected contacts', async () => {
	const rows = cards();
	expect(rows).toHaveLength(500);
	const form = new FormData();
	form.append('field-0', new Blob([toCsv(rows)], { type: 'text/csv' }), 'cards.csv');
	const refused = await fetch(`${env.n8n.url}/form/hubspot-sync-card-import`, { method: 'POST', body: form });
	expect(refused.status).toBe(401);
	const answer = await fetch(`${env.n8n.url}/form/hubspot-sync-card-import`, { method: 'POST', body: form, headers: { authorization: FORM_AUTH } });
	expect(answer.status).toBe(200);
	const { page, pageUrl, executionId } = await formAnswerPage(answer);

	// The answer page: the run's counts, as the webhook answers them, and why cards were skipped.
	const execution = await env.n8n.api('GET', `/executions/${executionId}?includeData=true`);
	const summary = execution.data.resultData.runData['Import summary'][0].data.main[0][0].json;
	expect(summary).toMatchObject({ cards: 500, skipped: 50, errors: 0 });
	expect(summary.created + summary.updated + summary.unchanged).toBe(450);
	expect(page).toContain('Cards imported');
	expect(page).not.toContain('Your response has been recorded');
	for (const line of ['Cards read: 500', `Created: ${summary.created}`, `Updated: ${summary.updated}`, `Unchanged: ${summary.unchanged}`, 'Skipped: 50', 'INVALID_EMAIL: 50', 'Errors: 0']) expect(page).toContain(line);
	expect(summary.skippedWhy).toEqual([{ code: 'INVALID_EMAIL', cards: 50, reasons: expect.arrayContaining([expect.stringContaining('no email address')]) }]);
	expect(page).toContain('no email address');
	// The page's own request to finish the run (as the browser sends it): the execution then succeeds.
	expect((await fetch(pageUrl, { method: 'POST', headers: { authorization: FORM_AUTH } })).status).toBeLessThan(400);
	let status = '';
	for (let attempt = 0; attempt < 40 && status !== 'success'; attempt++) {
		status = (await env.n8n.api('GET', `/executions/${executionId}`)).status;
		if (status !== 'success') await pause(250);
	}
	expect(status).toBe('success');

	// Expected: per distinct email (trimmed, lower case), the cards' later non-blank values.
	const expected = new Map<string, Card>();
	for (const row of rows.slice(0, 450)) {
		const email = row.email.trim().toLowerCase();
		const merged = { ...(expected.get(email) ?? {}) } as Card;
		for (const [field, value] of Object.entries(row)) if (value !== '') (merged as unknown as Record<string, string>)[field] = value;
		expected.set(email, merged);
	}
	expect(expected.size).toBe(400);
	expect(contacts()).toHaveLength(SEEDED + 320);
	for (const [email, card] of expected) {
		expect({ email, ...contact(email) }).toMatchObject({ email, firstname: card.first_name, lastname: card.last_name, company: card.company, jobtitle: card.title, phone: card.phone, card_tags: card.tags });
	}
	// The seeded contacts kept what the cards did not carry.
	expect(contact('contact2@example.com')?.city).toBeTruthy();
	// No contact from a blank or invalid email.
	expect(contacts().filter((record) => /^not-an-email/.test(String(record.properties.email)))).toEqual([]);
	expect(contacts().filter((record) => record.properties.lastname === 'NoMail')).toEqual([]);
	// Tags: 12 + VIP as options of the multi-checkbox property.
	const tags = env.emulator.store.properties.get('contacts')!.get('card_tags')!;
	expect(tags).toMatchObject({ type: 'enumeration', fieldType: 'checkbox' });
	expect(tags.options.map((option) => option.value).sort()).toEqual([...TAGS, 'VIP'].sort());
	// One history row per card: 450 written (the repeats report their merged record), 50 skipped with the reason.
	const history = (await dataTableRows(env, 'hubspot_sync_history')).filter((row) => row.accountLabel === 'card import');
	expect(history).toHaveLength(500);
	const count = (code: string) => history.filter((row) => row.code === code).length;
	expect([count('OK'), count('INVALID_EMAIL')]).toEqual([450, 50]);
	const skipped = history.filter((row) => row.code === 'INVALID_EMAIL');
	expect(skipped.filter((row) => row.targetId === '')).toHaveLength(30);
	expect(skipped.filter((row) => /^not-an-email-\d+$/.test(row.targetId))).toHaveLength(20);
	expect(skipped.every((row) => row.status === 'skip' && row.remedy)).toBe(true);
	expect(env.emulator.contract.violations).toEqual([]);
});

it('cards sent as JSON to the webhook take the same path and answer with the summary', async () => {
	const answer = await callWebhook(env, 'hubspot-sync/cards', {
		cards: [
			{ email: 'Webhook.Card@Cards.Example.com', first_name: 'Sora', last_name: 'Web', company: 'Scan Co', title: 'CTO', phone: '', tags: 'VIP;Expo 2026' },
			{ email: 'card100@cards.example.com', first_name: '', last_name: '', company: 'Moved Co', title: '', phone: '', tags: '' },
		],
	});
	expect(answer.status).toBe(200);
	expect(answer.json).toMatchObject({ cards: 2, created: 1, updated: 1, skipped: 0, skippedWhy: [], errors: 0, newTags: ['Expo 2026'] });
	expect(contact('webhook.card@cards.example.com')).toMatchObject({ firstname: 'Sora', company: 'Scan Co', card_tags: 'VIP;Expo 2026' });
	// Blanks never overwrite: only the company changed.
	expect(contact('card100@cards.example.com')).toMatchObject({ firstname: 'Card 100', company: 'Moved Co' });
});

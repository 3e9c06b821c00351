/**
 * Generated sample data: fast enough for 100k contacts (benchmarks) and small, readable sets
 * for the demo. Deterministic for a given seed.
 */
import { PRIMARY_COMPANY_TYPE_ID, type CrmStore, type ObjectType } from './store';

export interface SeedRequest {
	contacts?: number;
	companies?: number;
	deals?: number;
	owners?: number;
	teams?: number;
	pipelines?: number;
	/** Extra custom properties per object type, e.g. { contacts: ['favorite_color'] }. */
	customProperties?: Partial<Record<ObjectType, string[]>>;
	seed?: number;
	/** Base time of generated records (epoch ms); records are spread one second apart before it. */
	at?: number;
}

const FIRST = ['Haruto', 'Yui', 'Sota', 'Hina', 'Minato', 'Mei', 'Ren', 'Sakura', 'Alex', 'Sam', 'Maria', 'Chen'];
const LAST = ['Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Ito', 'Watanabe', 'Smith', 'Garcia', 'Kim', 'Nguyen'];
const INDUSTRIES = ['COMPUTER_SOFTWARE', 'MARKETING_AND_ADVERTISING', 'RETAIL', 'FINANCIAL_SERVICES'];

export function seedCrm(store: CrmStore, request: SeedRequest) {
	const base = request.at ?? store.clock();
	const pick = <T>(list: T[], index: number) => list[index % list.length];
	for (const [type, names] of Object.entries(request.customProperties ?? {}) as Array<[ObjectType, string[]]>) {
		const defs = store.properties.get(type)!;
		for (const name of names) {
			if (!defs.has(name)) {
				const now = store.iso();
				defs.set(name, { ...defs.get('hs_object_id')!, name, label: name, type: 'string', fieldType: 'text', groupName: [...store.groups.get(type)!.keys()][0], hasUniqueValue: false, modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false }, createdAt: now, updatedAt: now });
			}
		}
	}
	const teamCount = request.teams ?? 0;
	for (let t = store.teams.length; t < teamCount; t++) store.teams.push({ id: String(9000 + t), name: `Team ${t + 1}`, userIds: [], secondaryUserIds: [] });
	const ownerCount = request.owners ?? 0;
	for (let o = store.owners.length; o < ownerCount; o++) {
		const team = teamCount ? store.teams[o % teamCount] : undefined;
		const now = store.iso();
		store.owners.push({
			id: String(100 + o),
			email: `owner${o + 1}@example.com`,
			firstName: pick(FIRST, o),
			lastName: pick(LAST, o),
			userId: 500 + o,
			userIdIncludingInactive: 500 + o,
			type: 'PERSON',
			archived: false,
			createdAt: now,
			updatedAt: now,
			teams: team ? [{ id: team.id, name: team.name, primary: true }] : [],
		});
		if (team) team.userIds.push(String(500 + o));
	}
	// The default pipeline counts as the first: further ones are pipeline-1, pipeline-2, ...
	for (let p = store.pipelines.size; p < (request.pipelines ?? 0); p++) {
		const id = `pipeline-${p}`;
		const now = store.iso();
		store.pipelines.set(id, {
			id,
			label: `Pipeline ${p}`,
			displayOrder: p,
			archived: false,
			createdAt: now,
			updatedAt: now,
			stages: ['new', 'proposal', 'negotiation', 'won', 'lost'].map((stage, index) => ({
				id: `${id}-${stage}`,
				label: `${stage[0].toUpperCase()}${stage.slice(1)}`,
				displayOrder: index,
				archived: false,
				metadata: { isClosed: String(stage === 'won' || stage === 'lost'), probability: String(index / 4) },
				createdAt: now,
				updatedAt: now,
				writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
			})),
		});
	}
	const companyIds: string[] = [];
	const companies = request.companies ?? 0;
	for (let c = 0; c < companies; c++) {
		const record = store.create('companies', { name: `Company ${c + 1}`, domain: `company${c + 1}.example.com`, industry: pick(INDUSTRIES, c), city: pick(['Tokyo', 'Osaka', 'Nagoya'], c) }, base - (companies - c) * 1000);
		companyIds.push(record.id);
	}
	const contacts = request.contacts ?? 0;
	// Numbering continues after earlier seeds, so a second seed never repeats an email.
	const firstContact = store.order.get('contacts')!.length;
	const customContact = request.customProperties?.contacts ?? [];
	for (let n = 0; n < contacts; n++) {
		const i = firstContact + n;
		const properties: Record<string, string> = {
			email: `contact${i + 1}@example.com`,
			firstname: pick(FIRST, i),
			lastname: pick(LAST, i * 7),
			phone: `+81-3-${String(1000 + (i % 9000))}-${String(i % 10000).padStart(4, '0')}`,
			company: companyIds.length ? `Company ${(i % companyIds.length) + 1}` : '',
			jobtitle: pick(['Engineer', 'Manager', 'Director', 'Sales'], i),
			city: pick(['Tokyo', 'Osaka', 'Fukuoka'], i),
			country: 'Japan',
			lifecyclestage: pick(['lead', 'customer', 'opportunity'], i),
		};
		for (const name of customContact) properties[name] = `${name}-${i + 1}`;
		const at = base - (contacts - n) * 1000;
		const record = store.create('contacts', properties, at);
		// The company is the contact's primary (label Primary, type 1, with the ordinary association 279,
		// as HubSpot keeps both); the store derives associatedcompanyid from it, at the record's own time.
		if (companyIds.length) {
			const companyId = companyIds[i % companyIds.length];
			store.associate('contacts', record.id, 'companies', companyId, PRIMARY_COMPANY_TYPE_ID, 'HUBSPOT_DEFINED', at);
			store.associate('contacts', record.id, 'companies', companyId, 279, 'HUBSPOT_DEFINED', at);
		}
	}
	const pipelines = [...store.pipelines.values()];
	const deals = request.deals ?? 0;
	for (let d = 0; d < deals; d++) {
		const pipeline = pipelines[d % pipelines.length];
		const stage = pipeline.stages[Math.floor(d / pipelines.length) % pipeline.stages.length];
		const owner = store.owners.length ? store.owners[d % store.owners.length] : undefined;
		store.create('deals', {
			dealname: `Deal ${d + 1}`,
			amount: String(1000 * ((d % 50) + 1)),
			pipeline: pipeline.id,
			dealstage: stage.id,
			hubspot_owner_id: owner?.id ?? null,
			hubspot_team_id: owner?.teams[0]?.id ?? null,
			// A stride apart from the pipeline's (d % pipelines) so that every pipeline has every key.
			board_custom_filter_key: pick(['east', 'west', ''], Math.floor(d / 15)) || null,
		}, base - (deals - d) * 1000);
	}
	return {
		contacts: store.order.get('contacts')!.length,
		companies: store.order.get('companies')!.length,
		deals: store.order.get('deals')!.length,
		owners: store.owners.length,
		teams: store.teams.length,
		pipelines: store.pipelines.size,
	};
}

/**
 * HubSpot granular scopes this package asks for by default, and which node needs each.
 * `oauth` must always be present: HubSpot rejects installs without it (n8n issue #23204).
 * The README's scope table is generated from the same list, so keep the reasons accurate.
 */
export const DEFAULT_SCOPES: ReadonlyArray<{ scope: string; usedBy: string }> = [
	{ scope: 'oauth', usedBy: 'every node (required by HubSpot for every OAuth app)' },
	{
		scope: 'crm.objects.contacts.read',
		usedBy: 'Create Meeting (find contact; read meetings), Sync Properties (contacts)',
	},
	{
		scope: 'crm.objects.contacts.write',
		usedBy: 'Create Meeting (create meetings and contacts), Sync Properties push and delete',
	},
	{
		scope: 'crm.objects.companies.read',
		usedBy: 'Sync Properties (companies), Create Meeting (primary company)',
	},
	{ scope: 'crm.objects.companies.write', usedBy: 'Sync Properties push (companies)' },
	{ scope: 'crm.objects.deals.read', usedBy: 'Filter Deals, Map Deal Stage, pipelines' },
	{ scope: 'crm.objects.deals.write', usedBy: 'Map Deal Stage write-back (status to stage)' },
	{
		scope: 'crm.objects.owners.read',
		usedBy: 'owner dropdowns, Filter Deals (owner and team rules)',
	},
	{
		scope: 'crm.schemas.contacts.read',
		usedBy: 'contact property lists, Sync Properties test, Reconcile (property types)',
	},
	{
		scope: 'crm.schemas.contacts.write',
		usedBy: 'Sync Properties → Ensure Property Options (card tags)',
	},
	{
		scope: 'crm.schemas.companies.read',
		usedBy: 'company property lists, Sync Properties test, Reconcile (property types)',
	},
	{ scope: 'crm.schemas.deals.read', usedBy: 'deal property lists' },
	{
		scope: 'crm.schemas.deals.write',
		usedBy: 'Filter Deals: create the exclude_from_board_integration property',
	},
	{ scope: 'settings.users.teams.read', usedBy: 'Filter Deals (team dropdown and team rule)' },
];

export const DEFAULT_SCOPE_STRING = DEFAULT_SCOPES.map((entry) => entry.scope).join(' ');

export const HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

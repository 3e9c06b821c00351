/**
 * Every HubSpot path this package calls is built here, and only here.
 * HubSpot moved to date-versioned paths (`/crm/objects/2026-03/...`); the numbered v3 paths are
 * unsupported from September 2027. Switching version is this one constant.
 * The contract for each path is the OpenAPI spec of the same version in shared/hubspot-openapi.
 */
export const HUBSPOT_API_VERSION = '2026-03';

const V = HUBSPOT_API_VERSION;

/** CRM object types this package works with, by the name HubSpot accepts in paths. */
export type CrmObjectType = 'contacts' | 'companies' | 'deals' | 'meetings';

export type BatchAction = 'read' | 'create' | 'update' | 'upsert' | 'archive';

const segment = (value: string | number) => encodeURIComponent(String(value));

export const hubspotPaths = {
	objects: (objectType: CrmObjectType) => `/crm/objects/${V}/${objectType}`,
	object: (objectType: CrmObjectType, objectId: string) =>
		`/crm/objects/${V}/${objectType}/${segment(objectId)}`,
	batch: (objectType: CrmObjectType, action: BatchAction) =>
		`/crm/objects/${V}/${objectType}/batch/${action}`,
	search: (objectType: CrmObjectType) => `/crm/objects/${V}/${objectType}/search`,
	/** One record's associated records of a type, paged (v4 list). */
	objectAssociations: (objectType: CrmObjectType, objectId: string, toObjectType: CrmObjectType) =>
		`/crm/objects/${V}/${objectType}/${segment(objectId)}/associations/${toObjectType}`,
	associationsBatchRead: (fromObjectType: CrmObjectType, toObjectType: CrmObjectType) =>
		`/crm/associations/${V}/${fromObjectType}/${toObjectType}/batch/read`,
	associationsBatchCreate: (fromObjectType: CrmObjectType, toObjectType: CrmObjectType) =>
		`/crm/associations/${V}/${fromObjectType}/${toObjectType}/batch/create`,
	properties: (objectType: CrmObjectType) => `/crm/properties/${V}/${objectType}`,
	property: (objectType: CrmObjectType, propertyName: string) =>
		`/crm/properties/${V}/${objectType}/${segment(propertyName)}`,
	propertyGroups: (objectType: CrmObjectType) => `/crm/properties/${V}/${objectType}/groups`,
	pipelines: (objectType: CrmObjectType) => `/crm/pipelines/${V}/${objectType}`,
	owners: () => `/crm/owners/${V}`,
	teams: () => `/settings/users/${V}/teams`,
	accountDetails: () => `/account-info/${V}/details`,
	oauthToken: () => `/oauth/${V}/token`,
} as const;

/** HubSpot's search endpoints share one budget per account, apart from the general limit. */
export function isSearchPath(path: string): boolean {
	return /\/search$/.test(path);
}

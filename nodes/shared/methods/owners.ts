import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import {
	createHubSpotClient,
	type AuthenticationMethod,
	type HubSpotClient,
} from '../transport/client';
import { listPaged } from '../transport/pagination';
import { hubspotPaths } from '../transport/paths';

interface Owner {
	id: string;
	email?: string;
	firstName?: string;
	lastName?: string;
	archived?: boolean;
}

/** Every owner of the account (a few pages at most). */
export async function fetchOwners(client: HubSpotClient): Promise<Owner[]> {
	return await listPaged<Owner>(client, hubspotPaths.owners());
}

/** HubSpot owners, by name and email, stored by owner id. */
export async function getOwners(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const client = await createHubSpotClient(
		this,
		this.getNodeParameter('authentication', 'oAuth2') as AuthenticationMethod,
	);
	const owners = await fetchOwners(client);
	return [
		{ name: '(No Owner)', value: '' },
		...owners
			.filter((owner) => !owner.archived)
			.map((owner) => ({
				name:
					[owner.firstName, owner.lastName].filter(Boolean).join(' ') || owner.email || owner.id,
				value: owner.id,
				description: owner.email,
			}))
			.sort((left, right) => left.name.localeCompare(right.name)),
	];
}

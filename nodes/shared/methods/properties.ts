import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fetchPropertyDefinitions } from '../properties';
import { createHubSpotClient, type AuthenticationMethod } from '../transport/client';
import type { CrmObjectType } from '../transport/paths';

/** Properties of the chosen object type, labelled for people, stored by internal name. */
export async function getProperties(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const authentication = this.getNodeParameter('authentication', 'oAuth2') as AuthenticationMethod;
	const objectType = (this.getCurrentNodeParameter('objectType') as CrmObjectType) ?? 'contacts';
	const client = await createHubSpotClient(this, authentication);
	const definitions = await fetchPropertyDefinitions(client, objectType);
	return definitions
		.filter((definition) => !definition.hidden)
		.map((definition) => ({
			name: `${definition.label} (${definition.name})`,
			value: definition.name,
			description: `${definition.type} / ${definition.fieldType}${definition.groupName ? ` in ${definition.groupName}` : ''}`,
		}))
		.sort((left, right) => left.name.localeCompare(right.name));
}

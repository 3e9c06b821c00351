import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fetchDealPipelines } from '../deals/pipelines';
import { fetchPropertyDefinitions } from '../properties';
import {
	createHubSpotClient,
	type AuthenticationMethod,
	type HubSpotClient,
} from '../transport/client';
import { hubspotPaths } from '../transport/paths';

const clientFor = async (ctx: ILoadOptionsFunctions) =>
	await createHubSpotClient(
		ctx,
		ctx.getNodeParameter('authentication', 'oAuth2') as AuthenticationMethod,
	);

/** Every stage of every deal pipeline, "Pipeline → Stage", stored as "pipelineId/stageId". */
export async function getDealStages(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const pipelines = await fetchDealPipelines(await clientFor(this));
	return pipelines.flatMap((pipeline) =>
		pipeline.stages
			.filter((stage) => !stage.archived)
			.map((stage) => ({
				name: `${pipeline.label} → ${stage.label}`,
				value: `${pipeline.id}/${stage.id}`,
			})),
	);
}

/** HubSpot teams, stored by id. */
/** Every team of the account (one call). */
export async function fetchTeams(
	client: HubSpotClient,
): Promise<Array<{ id: string; name: string }>> {
	const answer = await client.request<{ results: Array<{ id: string; name: string }> }>({
		method: 'GET',
		path: hubspotPaths.teams(),
	});
	return answer.results;
}

export async function getTeams(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const teams = await fetchTeams(await clientFor(this));
	return teams
		.map((team) => ({ name: team.name, value: team.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** Deal properties, for the custom filter property and the account label property. */
export async function getDealProperties(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const definitions = await fetchPropertyDefinitions(await clientFor(this), 'deals');
	return definitions
		.filter((definition) => !definition.hidden)
		.map((definition) => ({
			name: `${definition.label} (${definition.name})`,
			value: definition.name,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

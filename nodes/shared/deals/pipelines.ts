import type { HubSpotClient } from '../transport/client';
import { hubspotPaths } from '../transport/paths';

export interface Stage {
	id: string;
	label: string;
	archived?: boolean;
}

export interface Pipeline {
	id: string;
	label: string;
	archived?: boolean;
	stages: Stage[];
}

/** Deal pipelines with their stages: one call, read once per execution by each node. */
export async function fetchDealPipelines(client: HubSpotClient): Promise<Pipeline[]> {
	const answer = await client.request<{ results: Pipeline[] }>({
		method: 'GET',
		path: hubspotPaths.pipelines('deals'),
	});
	return answer.results.filter((pipeline) => !pipeline.archived);
}

/**
 * A deal item's id and properties, whether it came from a Pull, a search, a trigger or a flat row.
 */
export function dealOf(json: Record<string, unknown>): {
	id?: string;
	properties: Record<string, unknown>;
} {
	const properties = (
		json.properties && typeof json.properties === 'object' ? json.properties : json
	) as Record<string, unknown>;
	const raw = json.id ?? json.dealId ?? json.objectId ?? properties.hs_object_id;
	const id = raw === undefined || raw === null || raw === '' ? undefined : String(raw);
	return { id, properties };
}

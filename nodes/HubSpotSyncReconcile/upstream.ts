/**
 * What version 1.1 works out from the nodes before it, where version 1 asked for expressions:
 * whether the HubSpot pull was full or incremental and how many calls it made (its summary), and
 * the calls rows of the last 24 hours (a node's output items).
 */
import type { IDataObject, IExecuteFunctions, NodeParameterValueType } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const isSyncPropertiesPull = (node: {
	type: string;
	disabled?: boolean;
	parameters?: IDataObject;
}): boolean =>
	!node.disabled &&
	node.type.endsWith('.hubSpotSyncProperties') &&
	node.parameters?.operation === 'pull';

/** The value of an n8n expression over another node's output, or what went wrong. */
function evaluate(
	ctx: IExecuteFunctions,
	expression: string,
): { value: NodeParameterValueType } | { error: string } {
	try {
		return { value: ctx.evaluateExpression(expression, 0) };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/** The summary on a pull's second output, or what went wrong reading it. */
function summaryOf(
	ctx: IExecuteFunctions,
	node: string,
): { summary: IDataObject } | { error?: string } {
	const read = evaluate(ctx, `{{ $(${JSON.stringify(node)}).all(1).map(item => item.json) }}`);
	if ('error' in read) return read;
	const [summary] = Array.isArray(read.value) ? (read.value as IDataObject[]) : [];
	return summary && typeof summary === 'object' ? { summary } : {};
}

/** The names of the Sync Properties → Pull nodes before this one, nearest first. */
function pullsBefore(
	ctx: IExecuteFunctions,
	depth?: number,
): Array<{ name: string; objectType: unknown }> {
	return ctx
		.getParentNodes(ctx.getNode().name, { includeNodeParameters: true, depth })
		.filter(isSyncPropertiesPull)
		.map((node) => ({ name: node.name, objectType: node.parameters?.objectType }));
}

/**
 * The pulls of `objectType` feeding this node: its direct parents if one of them is such a pull
 * (the templates' graph), else every ancestor. A pull whose object type is an expression counts:
 * its value is known only when it runs.
 */
function pullsOf(ctx: IExecuteFunctions, objectType: string): string[] {
	const ofObjectType = (depth?: number) =>
		pullsBefore(ctx, depth)
			.filter(
				(pull) =>
					pull.objectType === objectType ||
					(typeof pull.objectType === 'string' && pull.objectType.startsWith('=')),
			)
			.map((pull) => pull.name);
	const direct = ofObjectType(1);
	return direct.length ? direct : ofObjectType();
}

/**
 * Whether the HubSpot input holds every record or the changed ones, as the summary of the one
 * Sync Properties → Pull of `objectType` before this node says. None, several, or one that gave no
 * summary cannot be followed: the operator is told to choose.
 */
export function readPullMode(ctx: IExecuteFunctions, objectType: string): 'full' | 'incremental' {
	const choose =
		'Connect the Sync Properties → Pull that reads the HubSpot records, or choose "Every Record (Full Pull)" or "Changed Records Only" in "HubSpot Input Holds".';
	const pulls = pullsOf(ctx, objectType);
	if (pulls.length !== 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			pulls.length
				? `"HubSpot Input Holds": several HubSpot pulls of ${objectType} come before this node (${[
						...pulls,
					]
						.sort()
						.map((name) => `"${name}"`)
						.join(', ')})`
				: `"HubSpot Input Holds": no Sync Properties → Pull of ${objectType} comes before this node`,
			{ description: choose },
		);
	}
	const [node] = pulls;
	const read = summaryOf(ctx, node);
	const mode = 'summary' in read ? read.summary.mode : undefined;
	if (mode !== 'full' && mode !== 'incremental') {
		throw new NodeOperationError(
			ctx.getNode(),
			`"HubSpot Input Holds": the pull "${node}" gave no summary`,
			{
				description: `${'error' in read && read.error ? `${read.error}. ` : ''}This node follows the summary on the second output of "${node}": run that node before this one. ${choose}`,
			},
		);
	}
	return mode;
}

/**
 * The HubSpot calls of this run before this node: those of every Sync Properties → Pull before it
 * that ran, from their summaries (a pull that did not run made none).
 */
export function readPullCalls(ctx: IExecuteFunctions): number {
	return pullsBefore(ctx).reduce((calls, pull) => {
		const read = summaryOf(ctx, pull.name);
		return calls + ('summary' in read ? Number(read.summary.calls ?? 0) || 0 : 0);
	}, 0);
}

/**
 * The calls rows of the last 24 hours: the output items of the node the operator named, without
 * the empty item a Data table node gives when it found no row ("Always Output Data").
 */
export function readCallsRowsNode(ctx: IExecuteFunctions, node: string): IDataObject[] {
	const read = evaluate(ctx, `{{ $(${JSON.stringify(node)}).all().map(item => item.json) }}`);
	if ('error' in read || !Array.isArray(read.value)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"API Call Budget → Calls Rows Node": no output of a node "${node}"`,
			{
				description: `${'error' in read ? `${read.error}. ` : ''}Enter the name of the node, before this one, whose items are the calls rows of the last 24 hours (e.g. a Data table node "Get rows").`,
			},
		);
	}
	return (read.value as IDataObject[]).filter(
		(row) => row !== null && typeof row === 'object' && row.timestamp,
	);
}

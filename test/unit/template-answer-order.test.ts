/**
 * A template that answers its webhook with a Respond to Webhook node must do its state writes
 * (links, pause state, run release) before it answers: a caller that acts on the answer (a second
 * status change, a test reading the links) must see them. n8n's v1 execution order runs sibling
 * branches top to bottom by canvas position, so a branch that leads to the answer sits below every
 * sibling branch that does not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Workflow = { nodes: Array<{ name: string; type: string; position: [number, number] }>; connections: Record<string, { main: Array<Array<{ node: string }> | null> }> };

const folder = path.join(__dirname, '../../workflows');
const templates = readdirSync(folder).filter((file) => file.endsWith('.json'));

/** Sibling branches that run after the branch answering the webhook: [parent, answering child, later sibling]. */
function writesAfterAnswer(workflow: Workflow): Array<[string, string, string]> {
	const byName = new Map(workflow.nodes.map((node) => [node.name, node]));
	const children = (name: string) => [...new Set((workflow.connections[name]?.main ?? []).flatMap((output) => (output ?? []).map((link) => link.node)))];
	const answers = (name: string, seen = new Set<string>()): boolean => {
		if (seen.has(name)) return false;
		seen.add(name);
		return byName.get(name)?.type === 'n8n-nodes-base.respondToWebhook' || children(name).some((child) => answers(child, seen));
	};
	const late: Array<[string, string, string]> = [];
	for (const parent of Object.keys(workflow.connections)) {
		const siblings = children(parent);
		for (const answering of siblings.filter((child) => answers(child))) {
			for (const other of siblings.filter((child) => !answers(child))) {
				if (byName.get(other)!.position[1] >= byName.get(answering)!.position[1]) late.push([parent, answering, other]);
			}
		}
	}
	return late;
}

it.each(templates)('%s answers only after its other branches ran', (file) => {
	const workflow = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as Workflow;
	expect(writesAfterAnswer(workflow)).toEqual([]);
});

it('the check finds a branch placed to run after the answer', () => {
	const workflow = JSON.parse(readFileSync(path.join(folder, 'deal-sync-target-to-hubspot.json'), 'utf8')) as Workflow;
	workflow.nodes.find((node) => node.name === 'Update links')!.position = [1800, 400];
	expect(writesAfterAnswer(workflow)).toEqual([['Write History', 'Record history', 'Update links']]);
});

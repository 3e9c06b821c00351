/**
 * Templates an operator can read in n8n's editor: no node box overlaps another, no node stands on a
 * sticky note's text, and every sticky's text fits inside it. Boxes are computed the way n8n's editor
 * (n8n 2.x canvas, the version in scripts/install-runtime.sh) draws them.
 *
 * Layout conventions of workflows/*.json (every template follows them):
 * - The flow reads left to right; branches of one node spread vertically by at least its output spacing.
 * - A template of ten or more nodes (stickies not counted) has a section sticky behind each group of
 *   nodes, in the order of the flow: gate -> read -> decide -> write HubSpot -> write app -> record.
 *   A section is named by what it does ("### 1 · Gate: one run at a time"): a short heading, then one or
 *   two sentences. Its text stays at the top; its nodes stand on its empty lower part.
 * - The overview is two stickies at the top left: "## How it works" (the product view) and "## Set up"
 *   (the steps, once). Overview stickies are color 4; section stickies are color 7.
 * - No node overlaps another (its body, its name and subtitle below it, its output labels to its
 *   right, its input labels to its left), or stands on a sticky's text.
 * - Every template has `tags` (each with an id and a name; the same name always has the same id: a
 *   batch `n8n import:workflow` of templates that share a tag given by name only fails with
 *   "UNIQUE constraint failed: tag_entity.name") and a one- or two-sentence `description`.
 *
 * Where the sizes come from (n8n-io/n8n, packages/frontend):
 * - editor-ui/src/app/utils/nodeViewUtils.ts: GRID_SIZE = 16, DEFAULT_NODE_SIZE = 96 × 96 (trigger nodes
 *   too, only their left corners are round), calculateNodeSize(): height = 96 + max(0, handles - 2) × 32
 *   where handles = max(main inputs, main outputs, 1); configurable nodes are 256 wide.
 * - editor-ui/.../canvas/components/elements/nodes/CanvasNode.vue (mapped handles): main handles sit at
 *   (i + 1) / (n + 1) of the node's height.
 * - editor-ui/.../nodes/render-types/CanvasNodeDefault.vue: the name (16 px, line height 1.25, at most
 *   two lines) and the subtitle (13 px) sit 8 px below the node in a box at least twice the node's width,
 *   centred on it.
 * - editor-ui/.../handles/render-types/CanvasHandleMainOutput.vue: an output's label starts 20 px right of
 *   the node, 12 px text (cut at 96 px when connected); CanvasHandleMainInput.vue: an input's label ends
 *   12 px left of the node.
 * - @n8n/design-system/src/components/N8nSticky/Sticky.vue and N8nMarkdown (theme sticky): padding 8 px
 *   top, 12 px left and right; paragraphs and list items 14 px, line height 1.35 (items 1.3), 8 px below a
 *   block; h1 36 px, h2 24 px, h3-h6 16 px bold, line height 1.35.
 * Text widths are estimated per character (Inter): wide enough that the estimate errs on the roomy side.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type Position = [number, number];
type TemplateNode = { name: string; type: string; typeVersion?: number; position: Position; parameters: Record<string, unknown>; onError?: string };
type Connection = { node: string; type: string; index: number };
type Template = {
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, Record<string, Array<Connection[] | null>>>;
	tags?: Array<{ id?: string; name?: string }>;
	description?: string;
};
export type Box = { x: number; y: number; width: number; height: number };
type Footprint = { node: string; parts: Array<{ what: string; box: Box }> };

const ROOT = path.join(__dirname, '../..');
const FOLDER = path.join(ROOT, 'workflows');
const TEMPLATES = readdirSync(FOLDER).filter((file) => file.endsWith('.json')).sort();
const STICKY = 'n8n-nodes-base.stickyNote';

export const GRID_SIZE = 16;
const NODE_SIZE = GRID_SIZE * 6;
const LABEL_GAP = 8;
const NAME_LINE = 16 * 1.25;
const SUBTITLE_LINE = 13 * 1.25 + 4;
const OUTPUT_LABEL_OFFSET = 20;
const INPUT_LABEL_OFFSET = 12;
const HANDLE_LABEL_HEIGHT = 16;
const TRIGGER_BOLT = 32;
/** Room kept right of a node with many outputs (the Reconcile node), for output names of this many characters. */
const RESERVED_OUTPUT_LABEL_CHARS = 20;

/** Average character widths (px) per font size, Inter, on the roomy side. */
const charWidth = (fontSize: number, bold = false) => fontSize * (bold ? 0.62 : 0.56);
const textWidth = (text: string, fontSize: number, bold = false) => text.length * charWidth(fontSize, bold);

/** Lines a text takes when wrapped at a width (word wrap; a word longer than a line breaks anywhere). */
export function wrappedLines(text: string, width: number, fontSize: number, bold = false): number {
	const perLine = Math.max(1, Math.floor(width / charWidth(fontSize, bold)));
	let lines = 1;
	let used = 0;
	for (const word of text.split(/\s+/).filter(Boolean)) {
		const length = word.length;
		if (used === 0) {
			lines += Math.floor(Math.max(0, length - 1) / perLine);
			used = length % perLine || perLine;
		} else if (used + 1 + length <= perLine) {
			used += 1 + length;
		} else {
			lines += 1 + Math.floor(Math.max(0, length - 1) / perLine);
			used = length % perLine || perLine;
		}
	}
	return lines;
}

/** What markdown shows of a line (markers and links off), to measure it. */
const visible = (line: string) => line.replace(/\*\*|__|`|\*/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');

/** Height (px) of a sticky's rendered text at its width, from the top of the sticky. */
export function stickyTextHeight(content: string, width: number): number {
	const inner = width - 24;
	let height = 8;
	let block: 'p' | 'ul' | 'code' | null = null;
	const endBlock = () => {
		if (block) height += block === 'code' ? 16 + 32 : 8;
		block = null;
	};
	for (const raw of content.split('\n')) {
		const line = raw.trimEnd();
		if (block === 'code') {
			if (/^```/.test(line)) endBlock();
			else height += 14 * 1.35;
			continue;
		}
		if (/^```/.test(line)) {
			endBlock();
			block = 'code';
			continue;
		}
		if (line.trim() === '') {
			endBlock();
			continue;
		}
		const heading = line.match(/^(#{1,6})\s+(.*)$/);
		if (heading) {
			endBlock();
			const size = heading[1].length === 1 ? 36 : heading[1].length === 2 ? 24 : 16;
			height += wrappedLines(visible(heading[2]), inner, size, true) * size * 1.35 + 8;
			continue;
		}
		const item = line.match(/^\s*(?:[-*+]|\d+\.)\s+(.*)$/);
		if (item) {
			if (block !== 'ul') endBlock();
			block = 'ul';
			height += 3.5 + wrappedLines(visible(item[1]), inner - 20, 14) * 14 * 1.3;
			continue;
		}
		// A line of a paragraph: the sticky keeps single line breaks (with-multi-breaks).
		if (block !== 'p') endBlock();
		block = 'p';
		height += wrappedLines(visible(line), inner, 14) * 14 * 1.35;
	}
	// The last block's bottom margin is not text; an unclosed code block still has its padding.
	if (block === 'code') height += 32;
	return Math.ceil(height);
}

/** Main inputs and outputs of a node type, with the labels n8n draws beside them. */
type Ports = { inputs: string[]; outputs: string[] };
const TRIGGERS = new Set(['webhook', 'formTrigger', 'scheduleTrigger', 'manualTrigger', 'errorTrigger', 'executeWorkflowTrigger'].map((name) => `n8n-nodes-base.${name}`));
const ONE_IN_ONE_OUT = ['set', 'dataTable', 'httpRequest', 'splitOut', 'extractFromFile', 'executeWorkflow', 'noOp', 'respondToWebhook', 'form', 'wait', 'salesforce', 'filter'];

function ourNodePorts(): Record<string, Ports> {
	const files = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).n8n.nodes as string[]).map((file) => path.join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '')));
	const ports: Record<string, Ports> = {};
	for (const file of files) {
		// The node class is named as its file: nodes/HubSpotSyncReconcile/HubSpotSyncReconcile.node.ts.
		const NodeClass = (require(`${file}.ts`) as Record<string, new () => { description: { name: string; inputs: unknown[]; outputs: unknown[]; inputNames?: string[]; outputNames?: string[] } }>)[path.basename(file, '.node')];
		const { description } = new NodeClass();
		ports[`n8n-nodes-hubspot-sync.${description.name}`] = {
			inputs: description.inputs.map((_, index) => description.inputNames?.[index] ?? ''),
			outputs: description.outputs.map((_, index) => description.outputNames?.[index] ?? ''),
		};
	}
	return ports;
}
const OUR_PORTS = ourNodePorts();

/** The node's ports as the canvas draws them, or a message naming what this test does not know. */
function portsOf(node: TemplateNode): Ports | string {
	let ports: Ports;
	if (OUR_PORTS[node.type]) ports = { inputs: [...OUR_PORTS[node.type].inputs], outputs: [...OUR_PORTS[node.type].outputs] };
	else if (TRIGGERS.has(node.type)) ports = { inputs: [], outputs: [''] };
	else if (node.type === 'n8n-nodes-base.if') ports = { inputs: [''], outputs: ['true', 'false'] };
	else if (node.type === 'n8n-nodes-base.merge') {
		const count = Number(node.parameters.numberInputs ?? 2);
		ports = { inputs: Array.from({ length: count }, (_, index) => `Input ${index + 1}`), outputs: [''] };
	} else if (node.type === 'n8n-nodes-base.stopAndError') ports = { inputs: [''], outputs: [] };
	else if (ONE_IN_ONE_OUT.some((name) => node.type === `n8n-nodes-base.${name}`)) ports = { inputs: [''], outputs: [''] };
	else return `node type ${node.type} (node "${node.name}"): add its main inputs and outputs to portsOf in test/unit/template-layout.test.ts`;
	// "On error: continue (using error output)" adds an Error output; a lone output is then labelled Success.
	if (node.onError === 'continueErrorOutput') ports.outputs = [...(ports.outputs.length === 1 ? ['Success'] : ports.outputs), 'Error'];
	return ports;
}

/** The node body, its name and subtitle below, its output labels right and input labels left. */
export function footprintOf(node: TemplateNode): Footprint | string {
	const ports = portsOf(node);
	if (typeof ports === 'string') return ports;
	const [x, y] = node.position;
	const handles = Math.max(ports.inputs.length, ports.outputs.length, 1);
	const height = NODE_SIZE + Math.max(0, handles - 2) * GRID_SIZE * 2;
	const parts: Footprint['parts'] = [];
	const bolt = TRIGGERS.has(node.type) ? TRIGGER_BOLT : 0;
	parts.push({ what: 'node', box: { x: x - bolt, y, width: NODE_SIZE + bolt, height } });
	const labelWidth = NODE_SIZE * 2;
	const nameLines = Math.min(2, wrappedLines(node.name, labelWidth, 16, true));
	parts.push({ what: 'name', box: { x: x + NODE_SIZE / 2 - labelWidth / 2, y: y + height + LABEL_GAP, width: labelWidth, height: nameLines * NAME_LINE + SUBTITLE_LINE } });
	const labelChars = (label: string) => (ports.outputs.length > 3 ? Math.max(label.length, RESERVED_OUTPUT_LABEL_CHARS) : label.length);
	ports.outputs.forEach((label, index) => {
		if (!label) return;
		const centre = y + ((index + 1) / (ports.outputs.length + 1)) * height;
		parts.push({ what: `output "${label}"`, box: { x: x + NODE_SIZE + OUTPUT_LABEL_OFFSET, y: centre - HANDLE_LABEL_HEIGHT / 2, width: labelChars(label) * charWidth(12), height: HANDLE_LABEL_HEIGHT } });
	});
	ports.inputs.forEach((label, index) => {
		if (!label) return;
		const centre = y + ((index + 1) / (ports.inputs.length + 1)) * height;
		const width = textWidth(label, 12);
		parts.push({ what: `input "${label}"`, box: { x: x - INPUT_LABEL_OFFSET - width, y: centre - HANDLE_LABEL_HEIGHT / 2, width, height: HANDLE_LABEL_HEIGHT } });
	});
	return { node: node.name, parts };
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function load(file: string): Template {
	return JSON.parse(readFileSync(path.join(FOLDER, file), 'utf8')) as Template;
}

/** Every pair of nodes whose boxes overlap: "A (its name) × B (node)". */
export function nodeOverlaps(template: Template): string[] {
	const footprints = template.nodes.filter((node) => node.type !== STICKY).map(footprintOf);
	const unknown = footprints.filter((footprint): footprint is string => typeof footprint === 'string');
	if (unknown.length) return unknown;
	const known = footprints as Footprint[];
	const found: string[] = [];
	for (let i = 0; i < known.length; i++) {
		for (let j = i + 1; j < known.length; j++) {
			const clash = known[i].parts.flatMap((a) => known[j].parts.filter((b) => overlaps(a.box, b.box)).map((b) => `${a.what} × ${b.what}`));
			if (clash.length) found.push(`"${known[i].node}" overlaps "${known[j].node}" (${clash.join(', ')})`);
		}
	}
	return found;
}

/** Nodes standing on a sticky's text, and stickies whose text runs past their bottom. */
export function stickyProblems(template: Template): string[] {
	const stickies = template.nodes.filter((node) => node.type === STICKY);
	const footprints = template.nodes.filter((node) => node.type !== STICKY).map(footprintOf).filter((footprint): footprint is Footprint => typeof footprint !== 'string');
	const found: string[] = [];
	for (const sticky of stickies) {
		const width = Number(sticky.parameters.width ?? 240);
		const height = Number(sticky.parameters.height ?? 160);
		const textHeight = stickyTextHeight(String(sticky.parameters.content ?? ''), width);
		if (textHeight > height - 8) found.push(`sticky "${sticky.name}": its text needs about ${textHeight} px but the sticky is ${height} px high (make it higher or wider, or say less)`);
		const text: Box = { x: sticky.position[0], y: sticky.position[1], width, height: Math.min(textHeight, height) };
		for (const footprint of footprints) {
			const on = footprint.parts.filter((part) => overlaps(part.box, text)).map((part) => part.what);
			if (on.length) found.push(`"${footprint.node}" stands on the text of sticky "${sticky.name}" (${on.join(', ')}); the text ends at y = ${text.y + text.height}`);
		}
	}
	return found;
}

describe.each(TEMPLATES)('%s', (file) => {
	const template = load(file);
	it('has no two nodes whose boxes overlap in the editor', () => {
		expect(nodeOverlaps(template)).toEqual([]);
	});
	it('has no node on a sticky note’s text, and every sticky’s text fits in it', () => {
		expect(stickyProblems(template)).toEqual([]);
	});
	it('has tags with ids and a description for the workflow list', () => {
		const tags = template.tags ?? [];
		expect(tags.length).toBeGreaterThan(0);
		for (const tag of tags) expect([tag, typeof tag.id === 'string' && tag.id.length > 0 && typeof tag.name === 'string' && tag.name.length > 0]).toEqual([tag, true]);
		expect(typeof template.description === 'string' && template.description.trim().length > 20).toBe(true);
	});
});

it('gives a tag name the same id in every template (a batch import fails otherwise)', () => {
	const idsByName = new Map<string, Set<string>>();
	const namesById = new Map<string, Set<string>>();
	for (const file of TEMPLATES) {
		for (const tag of load(file).tags ?? []) {
			if (!tag.id || !tag.name) continue;
			idsByName.set(tag.name, new Set([...(idsByName.get(tag.name) ?? []), tag.id]));
			namesById.set(tag.id, new Set([...(namesById.get(tag.id) ?? []), tag.name]));
		}
	}
	const mixed = [...idsByName, ...namesById].filter(([, values]) => values.size > 1).map(([key, values]) => `${key}: ${[...values].join(', ')}`);
	expect(mixed).toEqual([]);
});

describe('the checks themselves', () => {
	const template = load('deal-sync-hubspot-to-target.json');
	it('find two nodes put on one another', () => {
		const moved = structuredClone(template);
		const [first, second] = moved.nodes.filter((node) => node.type !== STICKY);
		second.position = [first.position[0] + 40, first.position[1] + 40];
		expect(nodeOverlaps(moved)).toEqual(expect.arrayContaining([expect.stringContaining(`"${first.name}" overlaps "${second.name}"`)]));
	});
	it('find a node put under the output labels of a node with several outputs', () => {
		const moved = structuredClone(template);
		const filter = moved.nodes.find((node) => node.name === 'Filter Deals')!;
		const other = moved.nodes.find((node) => node.name === 'Settings')!;
		other.position = [filter.position[0] + NODE_SIZE + 30, filter.position[1] + 40];
		expect(nodeOverlaps(moved).join('\n')).toMatch(/("Filter Deals" overlaps "Settings"|"Settings" overlaps "Filter Deals").*output "(Filtered Out|Excluded)"/);
	});
	it('find a node on a sticky’s text and a sticky too small for its text', () => {
		const moved = structuredClone(template);
		const sticky = moved.nodes.find((node) => node.type === STICKY)!;
		const node = moved.nodes.find((candidate) => candidate.type !== STICKY)!;
		node.position = [sticky.position[0] + 20, sticky.position[1] + 10];
		sticky.parameters.height = 90;
		const problems = stickyProblems(moved).join('\n');
		expect(problems).toContain(`"${node.name}" stands on the text of sticky "${sticky.name}"`);
		expect(problems).toContain(`sticky "${sticky.name}": its text needs about`);
	});
	it('estimate a sticky’s text: more words or a narrower sticky take more height', () => {
		const text = '## Heading\nOne sentence that says what this group of nodes does, in a few words more than one line.';
		expect(stickyTextHeight(text, 300)).toBeGreaterThan(stickyTextHeight(text, 600));
		expect(stickyTextHeight(`${text}\n- and an item`, 600)).toBeGreaterThan(stickyTextHeight(text, 600));
	});
});

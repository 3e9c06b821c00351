/**
 * Each node has its own icon (the HubSpot sprocket with a badge saying what the node does), and
 * the credentials the plain sprocket, all in icons/ at the package root. n8n resolves `file:` icon
 * paths from the folder of the compiled class file, and the build copies icons/ to dist/icons, so a
 * path that resolves from the source folder resolves from the compiled one too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const ROOT = path.resolve(__dirname, '../..');

interface IconOwner {
	kind: 'node' | 'credential';
	className: string;
	sourceDir: string;
	icon: unknown;
}

function nodeOwners(): IconOwner[] {
	return readdirSync(path.join(ROOT, 'nodes'))
		.filter((dir) => existsSync(path.join(ROOT, 'nodes', dir, `${dir}.node.ts`)))
		.map((dir) => {
			const sourceDir = path.join(ROOT, 'nodes', dir);
			const node = new (require(path.join(sourceDir, `${dir}.node.ts`))[dir])() as INodeType;
			return { kind: 'node' as const, className: dir, sourceDir, icon: node.description.icon };
		});
}

function credentialOwners(): IconOwner[] {
	const sourceDir = path.join(ROOT, 'credentials');
	return readdirSync(sourceDir)
		.filter((file) => file.endsWith('.credentials.ts'))
		.map((file) => {
			const className = file.replace('.credentials.ts', '');
			const credential = new (require(path.join(sourceDir, file))[className])() as ICredentialType;
			return { kind: 'credential' as const, className, sourceDir, icon: credential.icon };
		});
}

const owners = [...nodeOwners(), ...credentialOwners()];
const nodes = owners.filter((owner) => owner.kind === 'node');

function themed(owner: IconOwner): { light: string; dark: string } {
	const icon = owner.icon as { light?: unknown; dark?: unknown };
	expect(typeof icon?.light).toBe('string');
	expect(typeof icon?.dark).toBe('string');
	return { light: icon.light as string, dark: icon.dark as string };
}

function resolveIcon(owner: IconOwner, icon: string): string {
	expect(icon.startsWith('file:')).toBe(true);
	return path.resolve(owner.sourceDir, icon.slice('file:'.length));
}

it('finds the seven nodes and both credentials', () => {
	expect(nodes).toHaveLength(7);
	expect(owners.filter((owner) => owner.kind === 'credential')).toHaveLength(2);
});

describe.each(owners.map((owner) => [owner.className, owner] as const))('%s', (_name, owner) => {
	it('has a light and a dark SVG in icons/, found from its own folder', () => {
		const { light, dark } = themed(owner);
		for (const icon of [light, dark]) {
			const file = resolveIcon(owner, icon);
			expect(path.dirname(file)).toBe(path.join(ROOT, 'icons'));
			expect(existsSync(file)).toBe(true);
			const svg = readFileSync(file, 'utf8').trim();
			expect(svg.startsWith('<svg ')).toBe(true);
			expect(svg.endsWith('</svg>')).toBe(true);
			expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
			const viewBox = svg.match(/viewBox="0 0 (\d+) (\d+)"/);
			expect(viewBox?.[1]).toBe(viewBox?.[2]);
			// Every element opened is closed (self-closing or paired): a truncated file fails here.
			const opened = (svg.match(/<[a-z]+(\s[^>]*)?(?<!\/)>/g) ?? []).length;
			const closed = (svg.match(/<\/[a-z]+>/g) ?? []).length;
			expect(closed).toBe(opened);
		}
		expect(light.endsWith('.dark.svg')).toBe(false);
		expect(dark).toBe(light.replace(/\.svg$/, '.dark.svg'));
		expect(readFileSync(resolveIcon(owner, dark), 'utf8')).not.toBe(readFileSync(resolveIcon(owner, light), 'utf8'));
	});

	it('resolves into dist/icons from its compiled folder (and, once built, to a file there)', () => {
		const compiledDir = path.join(ROOT, 'dist', path.relative(ROOT, owner.sourceDir));
		const compiledFile = path.join(compiledDir, `${owner.className}${owner.kind === 'node' ? '.node' : '.credentials'}.js`);
		const { light, dark } = themed(owner);
		for (const icon of [light, dark]) {
			const compiled = path.resolve(compiledDir, icon.slice('file:'.length));
			expect(path.dirname(compiled)).toBe(path.join(ROOT, 'dist', 'icons'));
		}
		// Unit tests run before the build in CI; after `npm run build` the compiled class is checked too.
		if (!existsSync(compiledFile)) return;
		const built = new (require(compiledFile)[owner.className])();
		const builtIcon = (owner.kind === 'node' ? built.description.icon : built.icon) as { light: string; dark: string };
		for (const icon of [builtIcon.light, builtIcon.dark]) {
			expect(existsSync(path.resolve(compiledDir, icon.slice('file:'.length)))).toBe(true);
		}
	});
});

it('gives the seven nodes seven different icons', () => {
	for (const theme of ['light', 'dark'] as const) {
		const files = nodes.map((owner) => resolveIcon(owner, themed(owner)[theme]));
		expect(new Set(files).size).toBe(7);
		expect(new Set(files.map((file) => readFileSync(file, 'utf8'))).size).toBe(7);
	}
});

it('the credentials share the plain HubSpot mark, which no node uses', () => {
	const credentialIcons = owners.filter((owner) => owner.kind === 'credential').map((owner) => resolveIcon(owner, themed(owner).light));
	expect(new Set(credentialIcons)).toEqual(new Set([path.join(ROOT, 'icons', 'hubspot.svg')]));
	expect(nodes.map((owner) => resolveIcon(owner, themed(owner).light))).not.toContain(path.join(ROOT, 'icons', 'hubspot.svg'));
});

it('leaves no icon copies beside the sources, and no unused file in icons/', () => {
	const strays = [...readdirSync(path.join(ROOT, 'credentials')).map((file) => `credentials/${file}`), ...readdirSync(path.join(ROOT, 'nodes')).flatMap((dir) => (existsSync(path.join(ROOT, 'nodes', dir)) && !dir.includes('.') ? readdirSync(path.join(ROOT, 'nodes', dir)).map((file) => `nodes/${dir}/${file}`) : []))];
	expect(strays.filter((file) => /\.(svg|png)$/.test(file))).toEqual([]);
	const used = new Set(owners.flatMap((owner) => Object.values(themed(owner)).map((icon) => path.basename(icon))));
	expect(readdirSync(path.join(ROOT, 'icons')).filter((file) => !used.has(file))).toEqual([]);
});

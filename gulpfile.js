// Copies what tsc does not: node icons (SVG/PNG) and codex files (.node.json) into dist/,
// keeping the folder layout so that each node finds its icon beside its compiled .node.js.
const { src, dest, task } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:assets', copyAssets);

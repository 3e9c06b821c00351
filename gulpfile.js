// Copies what tsc does not into dist/, keeping the folder layout: the icons (icons/, one per node
// plus the credentials' HubSpot mark, referenced as file:../../icons/… from each compiled node and
// file:../icons/… from each credential) and the codex files (.node.json) beside each .node.js.
const { src, dest, task } = require('gulp');

function copyAssets() {
	return src(['icons/**/*.svg', 'nodes/**/*.node.json'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

task('build:assets', copyAssets);

// Two rule sets, both required clean (`npm run lint` fails on any error):
// n8n's community-node rules (the cloud-verification checks) and the classic
// eslint-plugin-n8n-nodes-base sets for package.json, credentials and nodes.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tsParser from '@typescript-eslint/parser';
import * as jsoncParser from 'jsonc-eslint-parser';

const legacyRules = (name) => n8nNodesBase.configs[name].rules;

// Turned off, as in n8n-nodes-starter: these legacy rules apply to n8n's main repository only,
// or are superseded by the community set (which asks for NodeConnectionTypes, not 'main').
const notForCommunityPackages = {
	'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
	'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
	'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
	'n8n-nodes-base/node-execute-block-missing-continue-on-fail': 'off',
	'n8n-nodes-base/node-resource-description-filename-against-convention': 'off',
};

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'bench/**', 'scripts/**', 'eslint.config.mjs', 'gulpfile.js'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module' } },
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacyRules('community'),
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacyRules('credentials'),
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: legacyRules('nodes'),
	},
	n8nCommunityNodesPlugin.configs.recommended,
	{ files: ['**/*.ts'], rules: notForCommunityPackages },
	// Prettier (.prettierrc.js) wraps code at printWidth but leaves comments as they are; this keeps
	// comments within the same width. Strings stay whole (an operator's sentence is easier to find and
	// to translate unbroken), as n8n's own nodes keep them. Tabs count as prettier's tabWidth.
	{
		files: ['**/*.ts'],
		rules: {
			'max-len': [
				'error',
				{
					code: 100,
					tabWidth: 2,
					ignoreUrls: true,
					ignoreStrings: true,
					ignoreTemplateLiterals: true,
					ignoreRegExpLiterals: true,
				},
			],
		},
	},
];

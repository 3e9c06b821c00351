#!/usr/bin/env bash
# Every test of the package, as CI runs them (`npm test`):
#   lint and types; unit + workflow tests on Node 20 and on Node 24; end-to-end tests in a real n8n.
# The first run installs Node 24 and n8n into a cache folder (about 4 minutes, 3 GB).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --ignore-scripts --no-audit --no-fund

# Each jest run leaves a JSON report here; the last line sums them ("N passed, N failed").
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

echo "== lint (both n8n rule sets) and types"
npm run -s lint
npm run -s typecheck

echo "== unit and workflow tests on Node $(node --version)"
npx jest --selectProjects unit workflow --json --outputFile="$reports/node20.json"

echo "== installing (once) the Node 24 and n8n used by the next steps"
runtime=$(bash scripts/install-runtime.sh)
node24=$(printf '%s\n' "$runtime" | sed -n 's/^NODE24=//p')

echo "== unit and workflow tests on Node $("$node24" --version)"
"$node24" node_modules/jest/bin/jest.js --selectProjects unit workflow --json --outputFile="$reports/node24.json"

echo "== end-to-end tests in a real n8n"
npx jest --selectProjects e2e --runInBand --json --outputFile="$reports/e2e.json"

node -e '
const fs = require("fs");
let passed = 0, failed = 0;
for (const file of fs.readdirSync(process.argv[1])) {
  const report = JSON.parse(fs.readFileSync(`${process.argv[1]}/${file}`, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
' "$reports"

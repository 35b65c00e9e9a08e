// npm run lint: BYOK AI's layer rules (see scripts/layerRules.mjs for the list).
// Prints each violation as file:line: message and exits 1 if there is any.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayerRules, formatViolations } from './layerRules.mjs';

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const violations = checkLayerRules(root);
if (violations.length) {
  console.error(formatViolations(violations));
  console.error(`lint: ${violations.length} layer-rule violation(s)`);
  process.exit(1);
}
console.log('lint: layer rules ok');

// npm run lint: ESLint over the repository with eslint.config.mjs (typescript-eslint, the layer
// rules as import zones, type-aware no-floating-promises). Prints ESLint's report; exits 1 on any
// error or warning. `node scripts/lint.mjs <files or folders>` lints only those.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const targets = process.argv.slice(2);
const started = performance.now();
// No --cache: with type-aware rules a cached file's result can go stale when a file it imports changes.
const eslint = new ESLint({ cwd: root });
const results = await eslint.lintFiles(targets.length ? targets : ['.']);
const formatter = await eslint.loadFormatter('stylish');
const report = await formatter.format(results);
const errors = results.reduce((sum, result) => sum + result.errorCount, 0);
const warnings = results.reduce((sum, result) => sum + result.warningCount, 0);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (errors || warnings) {
  console.error(report);
  console.error(`lint: ${errors} error(s), ${warnings} warning(s) in ${results.length} files (${seconds} s)`);
  process.exit(1);
}
console.log(`lint: ${results.length} files clean (${seconds} s)`);

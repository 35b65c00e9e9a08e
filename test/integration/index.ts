// Mocha runner loaded by the VS Code extension host (extensionTestsPath = out/test/integration/index.js).
// The same contract as @vscode/test-electron: export run(); a rejected promise fails the run.
// Used by scripts/test.mjs (code-server in test mode) and scripts/testElectron.mjs (desktop VS Code).
// Env (extensionEnvironment): BYOK_TEST=1, BYOK_TEST_GREP (only tests whose title matches),
// BYOK_FORCE_FAIL=integration (the sentinel test fails: proves a failure fails the tier).
import * as fs from 'node:fs';
import * as path from 'node:path';

type MochaCtor = typeof import('mocha');

function loadMocha(): MochaCtor {
  // mocha >= 11 is an ES module whose entry re-exports lib/mocha.cjs. Node >= 20.19 can require() it;
  // older runtimes (an older Electron) cannot, so fall back to the CommonJS file itself.
  let mod: unknown;
  /* eslint-disable @typescript-eslint/no-require-imports -- a synchronous load with a fallback path, see above */
  try {
    mod = require('mocha');
  } catch {
    mod = require('mocha/lib/mocha.cjs');
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  const m = mod as MochaCtor | { default: MochaCtor };
  return typeof m === 'function' ? m : m.default;
}

function findTests(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findTests(full, out);
    else if (entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

export function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({ ui: 'bdd', timeout: 20000, color: false, reporter: 'spec' });
  if (process.env.BYOK_TEST_GREP) mocha.grep(process.env.BYOK_TEST_GREP);
  const files = findTests(__dirname);
  for (const file of files) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run(failures => {
        const s = runner.stats ?? { passes: 0, failures, pending: 0 };
        // The line the harness reads (and test-electron users see): keep this exact shape.
        console.log(`${s.passes} passed, ${s.failures} failed, ${s.pending} skipped`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else if (s.passes === 0) reject(new Error(`no integration test ran (${files.length} test file(s) found in ${__dirname}).`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

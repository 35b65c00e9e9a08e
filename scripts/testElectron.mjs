// npm run test:electron: the integration tests in desktop VS Code via @vscode/test-electron.
// Needs to download VS Code (update.code.visualstudio.com), which works on a normal developer
// machine but not on the closed network of CI here; there, `npm test integration` runs the same
// suite (out/test/integration/index.js) inside code-server's extension host instead.
// Env: VSCODE_VERSION (default 'stable'), BYOK_FORCE_FAIL, BYOK_TEST_GREP (passed to the host).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const args of [['esbuild.mjs'], ['esbuild.mjs', '--tests']]) {
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) { console.error(`node ${args.join(' ')} failed`); process.exit(1); }
}

// A fresh copy of sample-workspace/ so tests never modify the repo's files.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-electron-'));
const workspace = path.join(tmp, 'ws');
fs.cpSync(path.join(repoRoot, 'sample-workspace'), workspace, { recursive: true });

const extensionTestsEnv = { BYOK_TEST: '1', BYOK_TEST_RESULTS: path.join(repoRoot, 'test-results') };
for (const [k, v] of Object.entries(process.env)) if (/^BYOK_(FORCE_FAIL|TEST_)/.test(k) && v !== undefined) extensionTestsEnv[k] = v;

let code = 0;
try {
  await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    extensionTestsEnv,
    // runTests adds --no-sandbox, --skip-welcome, --disable-workspace-trust, --extensions-dir ... itself.
    launchArgs: [workspace, '--disable-extensions', `--user-data-dir=${path.join(tmp, 'user-data')}`],
  });
  console.log('integration tests (desktop VS Code) passed');
} catch (err) {
  console.error(`integration tests (desktop VS Code) failed: ${err instanceof Error ? err.message : err}`);
  code = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);

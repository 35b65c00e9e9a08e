// npm start: builds BYOK AI and runs it in a real VS Code.
//   - a `code` binary on PATH: code --extensionDevelopmentPath=<repo> <repo>/sample-workspace
//   - otherwise: code-server (installed on demand into the harness cache) on 127.0.0.1, with the repo
//     symlinked into a dedicated extensions dir, opened on sample-workspace/. Stays in the foreground
//     until Ctrl+C, then stops code-server's whole process group.
// Env: BYOK_PORT (default 18480, or the next free one), BYOK_USE_CODE_SERVER=1 (ignore `code`),
//      BYOK_HARNESS_HOME (default ~/.cache/byok-ai/harness), BYOK_DEV_HOME (default ~/.cache/byok-ai/dev).
import { spawnSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  repoRoot, ensureHarness, freePort, portFree, startCodeServer, installCleanup, readPackageJson, workbenchUrl,
} from './harness.mjs';

const workspace = path.join(repoRoot, 'sample-workspace');

console.log('[start] building: node esbuild.mjs');
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('[start] build failed; fix the errors above and run npm start again.');
  process.exit(1);
}

function onPath(bin) {
  return (process.env.PATH ?? '').split(path.delimiter).some(dir => dir && fs.existsSync(path.join(dir, bin)));
}

if (process.env.BYOK_USE_CODE_SERVER !== '1' && onPath('code')) {
  console.log(`[start] code --extensionDevelopmentPath=${repoRoot} ${workspace}`);
  const child = spawn('code', [`--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  child.on('exit', code => process.exit(code ?? 0));
} else {
  await startWithCodeServer();
}

async function startWithCodeServer() {
  const problem = ensureHarness({ chromium: false });
  if (problem) { console.error(`[start] ${problem}`); process.exit(1); }

  const pkg = readPackageJson();
  const extId = `${pkg.publisher}.${pkg.name}`;
  const devHome = path.resolve(process.env.BYOK_DEV_HOME || path.join(os.homedir(), '.cache', 'byok-ai', 'dev'));
  const extensionsDir = path.join(devHome, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  // The dedicated extensions dir holds only this extension: drop stale versions and the index, which
  // code-server rebuilds from the folder scan at start (harness README section 3(c)).
  for (const entry of fs.readdirSync(extensionsDir)) {
    if (entry.startsWith(`${extId}-`) || entry === 'extensions.json' || entry === '.obsolete') {
      fs.rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
    }
  }
  fs.symlinkSync(repoRoot, path.join(extensionsDir, `${extId}-${pkg.version}`), 'dir');

  let port;
  if (process.env.BYOK_PORT) {
    port = Number(process.env.BYOK_PORT);
    if (!(await portFree(port))) { console.error(`[start] port ${port} (BYOK_PORT) is in use.`); process.exit(1); }
  } else {
    port = await freePort(18480);
  }

  installCleanup();
  let server;
  try {
    server = await startCodeServer({ stateDir: devHome, port, workspace });
  } catch (e) {
    console.error(`[start] ${e.message}`);
    process.exit(1);
  }
  console.log(`
  BYOK AI is running in VS Code (code-server ${'\u2192'} VS Code 1.139) with the extension from ${repoRoot}

      ${workbenchUrl(server.url, workspace)}

  Open that URL in a browser (on another machine: ssh -L ${port}:127.0.0.1:${port} this-host).
  After a rebuild (npm run build / npm run watch) run "Developer: Reload Window".
  Log: ${server.logFile}
  Press Ctrl+C to stop.
`);
  server.child.on('exit', (code, signal) => {
    console.error(`[start] code-server exited (${code ?? signal}); log: ${server.logFile}`);
    process.exit(code || 1);
  });
}

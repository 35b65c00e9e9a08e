// npm test [static|unit|integration|e2e ...]: every test tier of BYOK AI, in order.
//   static       node esbuild.mjs, node esbuild.mjs --tests, tsc --noEmit, node scripts/lint.mjs
//   unit         mocha in plain Node (.mocharc.json: out/test/unit/**/*.test.js)
//   integration  mocha INSIDE the real VS Code extension host: code-server in test mode, workbench URL
//                payload extensionDevelopmentPath=<repo>, extensionTestsPath=out/test/integration/index.js
//   e2e          VSIX (vsce package) installed into a fresh code-server, then Playwright + Debian chromium
//                run out/test/e2e/**/*.test.js against the workbench (normal mode: toasts are visible)
// Ends with one line `N passed, N failed` over all tiers; exits 1 if anything failed or could not run.
// e2e tests get BYOK_E2E_URL, BYOK_E2E_FOLDER, BYOK_E2E_USER_SETTINGS, BYOK_E2E_RESULTS and CHROMIUM.
// Env: BYOK_FORCE_FAIL=unit|integration|e2e (comma list) makes that tier's sentinel test fail;
//      BYOK_TEST_GREP=<regex> runs only matching tests (unit, integration, e2e);
//      BYOK_HARNESS_HOME (cache of Node 24 + code-server, default ~/.cache/byok-ai/harness);
//      CHROMIUM (default /usr/bin/chromium); BYOK_TIER_TIMEOUT_MS (default 600000 per tier run);
//      BYOK_SKIP_LLM=1 skips the real llama-server tests (reported in the summary; CI never sets it);
//      BYOK_LLM_HOME (llama-server build cache, default ~/.cache/byok-ai/local-llm).
// The integration tier also runs test/integration/localLlm.test.ts against a REAL llama.cpp llama-server
// (scripts/localLlm/): built once per machine (~12 min on 2 cores, cached), two servers started on free
// ports (one open, one with --api-key), passed to the host as BYOK_LLAMA_URL, BYOK_LLAMA_KEYED_URL and
// BYOK_LLAMA_KEY, stopped when the tier ends. A failed build fails the tier.
// Screenshots and logs go to test-results/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { format } from 'node:util';
import {
  repoRoot, testResults, codeServerBin, harnessEnv, ensureHarness, findChromium, installCleanup,
  run, freePort, startCodeServer, stateArgs, workbenchUrl, copySampleWorkspace, CHROMIUM_ARGS, readPackageJson,
} from './harness.mjs';
import { ensureLlamaServer, startPair, stopAll as stopLlamaServers, llmHome } from './localLlm/localLlm.mjs';

const TIERS = ['static', 'unit', 'integration', 'e2e'];
const ALIASES = { build: 'static', check: 'static', lint: 'static', types: 'static', electron: null };
const args = process.argv.slice(2);
const selected = [];
for (const a of args) {
  const t = a in ALIASES ? ALIASES[a] : a;
  if (!TIERS.includes(t)) {
    console.error(`usage: node scripts/test.mjs [${TIERS.join('|')} ...]   (unknown tier "${a}"; for desktop VS Code use npm run test:electron)`);
    process.exit(2);
  }
  if (!selected.includes(t)) selected.push(t);
}
const tiers = selected.length ? TIERS.filter(t => selected.includes(t)) : TIERS;
const tierTimeout = Number(process.env.BYOK_TIER_TIMEOUT_MS || 600000);
const mochaBin = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
const results = [];
const skips = []; // whole groups of tests skipped on purpose, shown in the summary
const tempDirs = [];
const t0 = Date.now();
fs.rmSync(testResults, { recursive: true, force: true }); // only this run's screenshots and logs
fs.mkdirSync(testResults, { recursive: true });
installCleanup(() => { stopLlamaServers(); for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true }); });

const banner = text => console.log(`\n${'='.repeat(100)}\n== ${text}\n${'='.repeat(100)}`);
const secs = ms => `${(ms / 1000).toFixed(1)} s`;
const newTier = name => { const r = { name, passed: 0, failed: 0, notes: [], start: Date.now() }; results.push(r); return r; };
const fail = (tier, note) => { tier.failed++; tier.notes.push(note); console.error(`[test] FAILED (${tier.name}): ${note}`); };
const tempDir = prefix => { const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix)); tempDirs.push(d); return d; };

/** One counted step: a command that passes (exit 0) or fails. */
async function step(tier, label, cmd, cmdArgs, opts = {}) {
  console.log(`\n-- ${label}: ${[path.basename(cmd), ...cmdArgs].join(' ')}`);
  const t = Date.now();
  const r = await run(cmd, cmdArgs, { timeoutMs: tierTimeout, ...opts });
  if (r.code === 0) { tier.passed++; console.log(`-- ${label}: ok (${secs(Date.now() - t)})`); return true; }
  fail(tier, `${label} failed (exit ${r.code}${r.signal ? `, ${r.signal}` : ''})`);
  return false;
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC (\x1b)
const stripAnsi = text => text.replace(/\x1b\[[0-9;]*m/g, '');
// CI=true makes mocha 12 colour its ✔ marks (picocolors) even into a pipe; NO_COLOR turns that off.
const noColor = { NO_COLOR: '1' };

/** Reads mocha's spec reporter summary ("N passing", "N failing", "N pending"). */
function mochaCounts(output) {
  output = stripAnsi(output);
  const num = re => { const m = output.match(re); return m ? Number(m[1]) : 0; };
  return { passed: num(/^\s*(\d+) passing/m), failed: num(/^\s*(\d+) failing/m), pending: num(/^\s*(\d+) pending/m) };
}

/** Adds mocha's counts to the tier; an abnormal exit or zero tests is a failure of its own. */
function judgeMocha(tier, what, r) {
  const c = mochaCounts(r.output);
  tier.passed += c.passed;
  tier.failed += c.failed;
  if (c.pending) tier.notes.push(`${c.pending} pending`);
  if (r.code !== 0 && c.failed === 0) fail(tier, `${what}: mocha exited ${r.code} without reporting a failing test (crash or load error, see above)`);
  else if (c.passed + c.failed === 0) fail(tier, `${what}: no test ran`);
}

function grepArgs() {
  return process.env.BYOK_TEST_GREP ? ['--grep', process.env.BYOK_TEST_GREP] : [];
}

function copyLog(from, name) {
  try { fs.copyFileSync(from, path.join(testResults, name)); } catch { /* no log */ }
}

// ---- tiers -------------------------------------------------------------------------------------------
// undefined: not tried yet; true/false: result of this run's attempt (a failed build is not retried).
const built = { dist: undefined, out: undefined };

async function buildDist(tier) {
  built.dist = await step(tier, 'build', process.execPath, ['esbuild.mjs']);
}
async function compileTests(tier) {
  built.out = await step(tier, 'compile tests', process.execPath, ['esbuild.mjs', '--tests']);
}

async function staticTier() {
  const tier = newTier('static');
  banner('static: build, compile tests, type-check, lint');
  await buildDist(tier);
  await compileTests(tier);
  const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
  if (fs.existsSync(tsc)) await step(tier, 'type-check', tsc, ['--noEmit', '-p', '.']);
  else await step(tier, 'type-check', 'npx', ['tsc', '--noEmit', '-p', '.']);
  await step(tier, 'lint', process.execPath, ['scripts/lint.mjs']);
  return tier;
}

async function unitTier() {
  const tier = newTier('unit');
  banner('unit: mocha in Node (out/test/unit/**/*.test.js)');
  if (built.out === undefined) await compileTests(tier);
  if (!built.out) return fail(tier, 'not run: compiling the tests failed (see above)');
  const r = await run(process.execPath, [mochaBin, ...grepArgs()], { timeoutMs: tierTimeout, env: { ...process.env, ...noColor } });
  judgeMocha(tier, 'unit', r);
}

async function integrationTier() {
  const tier = newTier('integration');
  banner('integration: mocha inside the VS Code extension host (code-server test mode)');
  if (built.dist === undefined) await buildDist(tier);
  if (built.out === undefined) await compileTests(tier);
  if (!built.dist || !built.out) return fail(tier, `not run: ${built.dist ? 'compiling the tests' : 'the build'} failed (see above)`);
  const index = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  if (!fs.existsSync(index)) return fail(tier, `${path.relative(repoRoot, index)} is missing (compile tests failed?)`);
  const problem = ensureHarness({ chromium: true });
  if (problem) return fail(tier, problem);

  const state = tempDir('byok-integration-');
  const ws = copySampleWorkspace(path.join(state, 'sample-workspace'));
  let server;
  let browser;
  let llama;
  try {
    llama = await startLocalLlm(tier);
    server = await startCodeServer({ stateDir: state, port: await freePort(), workspace: ws, testMode: true });
    console.log(`[test] code-server (test mode) at ${server.url}`);
    const hostEnv = { BYOK_TEST: '1', BYOK_TEST_RESULTS: testResults, ...noColor, ...llama?.env };
    for (const [k, v] of Object.entries(process.env)) if (/^BYOK_(FORCE_FAIL|TEST_)/.test(k) && v !== undefined) hostEnv[k] = v;
    const remote = p => `vscode-remote://${new URL(server.url).host}${path.resolve(p)}`; // remote authority = host:port
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(index)], // must lie inside extensionDevelopmentPath
      ['extensionEnvironment', JSON.stringify(hostEnv)],
    ];
    const { chromium } = requireFromRepo('playwright-core');
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let finish;
    const exited = new Promise(resolve => (finish = resolve));
    const lines = [];
    const noise = /^\[?(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)|^(Resolving|Resolved) connection token|^Creating a socket|^Updating additional builtin|ENOTFOUND|Timed out waiting for authentication provider|open-vsx|vsda|^Canceled: Canceled/;
    await page.exposeFunction('codeAutomationLog', (_level, logArgs) => {
      const text = format(...(Array.isArray(logArgs) ? logArgs : [logArgs])); // console.log('%s', ...) arrives unformatted
      lines.push(text);
      if (process.env.BYOK_TEST_VERBOSE === '1' || !noise.test(text)) console.log(text);
    });
    await page.exposeFunction('codeAutomationExit', code => finish(code));
    const timer = setTimeout(() => finish('timeout'), tierTimeout);
    const serverDied = setInterval(() => { if (server.exited()) finish('server-exit'); }, 1000);
    const t = Date.now();
    await page.goto(workbenchUrl(server.url, ws, payload));
    const code = await exited;
    clearTimeout(timer);
    clearInterval(serverDied);
    console.log(`[test] extension host tests exited with ${code} after ${secs(Date.now() - t)}`);

    const summary = [...stripAnsi(lines.join('\n')).matchAll(/(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)].pop();
    if (summary) {
      tier.passed += Number(summary[1]);
      tier.failed += Number(summary[2]);
      if (Number(summary[3])) tier.notes.push(`${summary[3]} skipped`);
    }
    if (code === 'timeout') fail(tier, `no result from the extension host after ${secs(tierTimeout)}`);
    else if (code === 'server-exit') fail(tier, 'code-server exited during the run');
    else if (!summary) fail(tier, `the runner printed no "N passed, N failed" line (exit ${code}); see the log above`);
    else if (code !== 0 && Number(summary[2]) === 0) fail(tier, `runner exited ${code}: ${lines.filter(l => /Error/.test(l)).slice(-1)[0] ?? 'see log'}`);
    else if (Number(summary[1]) + Number(summary[2]) === 0) fail(tier, 'no integration test ran');
    if (code !== 0) await page.screenshot({ path: path.join(testResults, 'integration-failure.png') }).catch(() => {});
  } catch (e) {
    fail(tier, `could not run: ${e.message}`);
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
    llama?.stop();
    copyLog(path.join(state, 'code-server.log'), 'integration-code-server.log');
    if (llama) {
      copyLog(llama.open.logFile, 'integration-llama-server-open.log');
      copyLog(llama.keyed.logFile, 'integration-llama-server-keyed.log');
    }
  }
}

/**
 * The real llama-server for test/integration/localLlm.test.ts: builds it when this machine has no
 * cached build (a failure fails the tier, with the reason), starts the open and the --api-key server.
 * Returns the pair (env for the host, stop()) or undefined when skipped or failed.
 */
async function startLocalLlm(tier) {
  if (process.env.BYOK_SKIP_LLM === '1') {
    const note = 'skipped: real llama-server tier (BYOK_SKIP_LLM=1)';
    skips.push(note);
    tier.notes.push(note);
    console.log(`\n[test] ${'!'.repeat(20)} ${note} ${'!'.repeat(20)}\n`);
    return undefined;
  }
  const t = Date.now();
  try {
    const built = await ensureLlamaServer({
      onBuildStart: () => console.log(`[test] building llama-server once (~12 min on 2 cores); cache ${llmHome}`),
      runBuild: (cmd, cmdArgs) => run(cmd, cmdArgs, { prefix: '[llama-build] ', timeoutMs: 60 * 60_000 }),
    });
    if (built.builtNow) console.log(`[test] llama-server built in ${secs(Date.now() - t)}: ${built.server}`);
    const pair = await startPair(built);
    console.log(`[test] llama-server ready in ${secs(Date.now() - t)}: open ${pair.open.baseUrl} (pid ${pair.open.pid}), --api-key ${pair.keyed.baseUrl} (pid ${pair.keyed.pid})`);
    return pair;
  } catch (e) {
    console.error(`[test] ${e.message}`);
    const reason = e.message.split('\n').map(line => line.replace(/^\[local-llm\] /, '').trim()).filter(line => line && !/BYOK_SKIP_LLM/.test(line)).join(' ');
    fail(tier, `real llama-server tier: ${reason.length > 400 ? `${reason.slice(0, 400)}…` : reason}`);
    return undefined;
  }
}

async function e2eTier() {
  const tier = newTier('e2e');
  banner('e2e: VSIX in code-server + Playwright/chromium (out/test/e2e/**/*.test.js)');
  if (built.out === undefined) await compileTests(tier);
  if (!built.out) return fail(tier, 'not run: compiling the tests failed (see above)');
  const e2eDir = path.join(repoRoot, 'out', 'test', 'e2e');
  if (!fs.existsSync(e2eDir)) return fail(tier, 'out/test/e2e is missing (compile tests failed?)');
  const problem = ensureHarness({ chromium: true });
  if (problem) return fail(tier, problem);

  const packageDir = tempDir('byok-e2e-');
  const pkg = readPackageJson();
  const vsix = path.join(packageDir, `${pkg.name}-${pkg.version}.vsix`);
  // Exactly `npm run package` (vsce package --no-dependencies, which runs vscode:prepublish =
  // node esbuild.mjs --production), under Node 24 (vsce 4 needs Node >= 22), written to a temp file.
  if (!(await step(tier, 'package VSIX', 'npm', ['run', 'package', '--', '--out', vsix], { env: harnessEnv() }))) return;
  // Each test file gets its own fresh code-server (user data, extensions, workspace copy), so no
  // file depends on what another left behind (keys, activated providers, the selected model).
  const files = fs.readdirSync(e2eDir).filter(name => name.endsWith('.test.js')).sort();
  const before = tier.passed + tier.failed;
  for (const file of files) {
    const state = tempDir('byok-e2e-');
    const label = file.replace(/\.test\.js$/, '');
    if (!(await step(tier, `install VSIX (${label})`, codeServerBin, [...stateArgs(state), '--install-extension', vsix], { env: harnessEnv() }))) continue;
    tier.passed--; // the install is a precondition, not a test of its own
    const ws = copySampleWorkspace(path.join(state, 'sample-workspace'));
    let server;
    try {
      server = await startCodeServer({ stateDir: state, port: await freePort(), workspace: ws });
      console.log(`[test] ${label}: code-server at ${server.url}`);
      const r = await run(process.execPath, [mochaBin, '--no-config', '--no-package', '--reporter', 'spec', '--timeout', '120000',
        '--slow', '30000', ...grepArgs(), path.join('out', 'test', 'e2e', file)], {
        timeoutMs: tierTimeout,
        env: {
          ...process.env, ...noColor,
          BYOK_E2E_URL: server.url,                 // the code-server serving the workbench
          BYOK_E2E_FOLDER: ws,                      // a fresh copy of sample-workspace/ it opens
          BYOK_E2E_USER_SETTINGS: path.join(state, 'data', 'User', 'settings.json'), // user settings.json (tests may point providers at fakes)
          BYOK_E2E_RESULTS: testResults,            // screenshots
          CHROMIUM: findChromium(),
        },
      });
      const counts = mochaCounts(r.output);
      // With BYOK_TEST_GREP a file may match nothing; the tier as a whole must still run something.
      if (counts.passed + counts.failed > 0 || r.code !== 0 || !process.env.BYOK_TEST_GREP) judgeMocha(tier, `e2e ${label}`, r);
    } catch (e) {
      fail(tier, `${label}: could not run: ${e.message}`);
    } finally {
      server?.stop();
      copyLog(path.join(state, 'code-server.log'), `e2e-code-server-${label}.log`);
    }
  }
  if (tier.passed + tier.failed === before) fail(tier, 'no e2e test ran');
}

// ---- main --------------------------------------------------------------------------------------------
const runners = { static: staticTier, unit: unitTier, integration: integrationTier, e2e: e2eTier };
for (const t of tiers) {
  try {
    await runners[t]();
  } catch (e) {
    const tier = results.find(r => r.name === t) ?? newTier(t);
    fail(tier, `crashed: ${e.stack ?? e}`);
  }
  const tier = results.find(r => r.name === t);
  if (tier) tier.seconds = (Date.now() - tier.start) / 1000;
}
for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
banner(`summary (${secs(Date.now() - t0)}; screenshots and logs in ${path.relative(process.cwd(), testResults) || testResults}/)`);
for (const r of results) {
  const status = r.failed ? 'FAIL' : 'ok  ';
  console.log(`${status} ${r.name.padEnd(12)} passed ${String(r.passed).padStart(3)}   failed ${String(r.failed).padStart(2)}   ${r.seconds.toFixed(1).padStart(6)} s` +
    (r.notes.length ? `   (${r.notes.join('; ')})` : ''));
}
for (const note of skips) console.log(note);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

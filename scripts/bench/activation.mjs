// Activation inside the real extension host: code-server in test mode, one fresh workbench page
// (so a fresh extension host) per start, with extensionDevelopmentPath = the unpacked VSIX or a
// generated hello-world extension, and extensionTestsPath = scripts/bench/hostRunner.cjs copied into
// it. Starts of the two extensions alternate on the same server and browser. Both manifests get
// `activationEvents: []`, so only the runner activates them, once the machine has settled after startup
// (host timers on time and the whole machine mostly idle, see settle() in hostRunner.cjs): measured
// during startup, activation mostly measures the queue of everything else starting (the hello-world
// reference alone then took 0.3 to 1.7 s on this 2-core machine, and 7 to 250 ms when only the host's
// timers were waited for).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { format } from 'node:util';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, copySampleWorkspace, findChromium, freePort, repoRoot, startCodeServer, workbenchUrl } from '../harness.mjs';
import { sleep, summary } from './util.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromRepo = createRequire(path.join(repoRoot, 'package.json'));
const startTimeoutMs = 120_000;

/** The reference: what `yo code` generates for a JavaScript extension, reduced to one command. */
function writeHelloWorld(directory, engines) {
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(path.join(directory, 'package.json'), JSON.stringify({
    name: 'hello-world-bench',
    displayName: 'Hello World (bench reference)',
    publisher: 'bench',
    version: '0.0.1',
    engines,
    activationEvents: [],
    main: './extension.js',
    contributes: { commands: [{ command: 'helloWorldBench.helloWorld', title: 'Hello World' }] },
  }, null, 2));
  fs.writeFileSync(path.join(directory, 'extension.js'), `const vscode = require('vscode');

function activate(context) {
  const start = performance.now();
  context.subscriptions.push(vscode.commands.registerCommand('helloWorldBench.helloWorld', () => {
    vscode.window.showInformationMessage('Hello World!');
  }));
  return { activatedAt: { start, end: performance.now() } };
}

function deactivate() {}

module.exports = { activate, deactivate };
`);
  return directory;
}

/** Extension host processes of our code-server (its process group): each start should leave none behind. */
function extensionHostProcesses(processGroup) {
  let count = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const group = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[2]);
      if (group === processGroup && /extensionHost/.test(fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) count++;
    } catch { /* gone */ }
  }
  return count;
}

function installRunner(extensionDirectory) {
  const runnerDirectory = path.join(extensionDirectory, 'bench-runner');
  fs.mkdirSync(runnerDirectory, { recursive: true });
  fs.copyFileSync(path.join(here, 'hostRunner.cjs'), path.join(runnerDirectory, 'index.js'));
  return path.join(runnerDirectory, 'index.js');
}

/**
 * @param {{ extensionDirectory: string, workDirectory: string, starts: number, warmups: number, log: (text: string) => void, profileDirectory?: string }} options
 *   extensionDirectory: the unpacked VSIX (its package.json is rewritten, see below)
 */
export async function measureActivation({ extensionDirectory, workDirectory, starts, warmups, log, profileDirectory }) {
  // Only the runner activates: onStartupFinished would race it, and the runner measures once the host
  // has settled. Contributions still imply their own events (a view opened, a command run); none fire.
  const manifestFile = path.join(extensionDirectory, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const shippedActivationEvents = manifest.activationEvents;
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, activationEvents: [] }, null, 2));
  const subjects = {
    byok: { label: `${manifest.publisher}.${manifest.name}`, directory: extensionDirectory },
    hello: { label: 'hello-world', directory: writeHelloWorld(path.join(workDirectory, 'hello-world'), { vscode: manifest.engines.vscode }) },
  };
  for (const subject of Object.values(subjects)) subject.runner = installRunner(subject.directory);

  const state = path.join(workDirectory, 'code-server-activation');
  const workspace = copySampleWorkspace(path.join(workDirectory, 'workspace-activation'));
  const server = await startCodeServer({ stateDir: state, port: await freePort(), workspace, testMode: true });
  const remote = file => `vscode-remote://${new URL(server.url).host}${path.resolve(file)}`;
  const { chromium } = requireFromRepo('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });

  async function start(subject) {
    const page = await context.newPage();
    let result;
    let exitCode;
    let finish;
    const finished = new Promise(resolve => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_level, logArguments) => {
      const text = format(...(Array.isArray(logArguments) ? logArguments : [logArguments]));
      const match = /BYOK_BENCH (\{.*\})/.exec(text);
      if (match) result = JSON.parse(match[1]);
    });
    await page.exposeFunction('codeAutomationExit', code => { exitCode = code; finish(); });
    const payload = [
      ['extensionDevelopmentPath', remote(subject.directory)],
      ['extensionTestsPath', remote(subject.runner)],
      ...(profileDirectory ? [['extensionEnvironment', JSON.stringify({ BYOK_BENCH_PROFILE: path.resolve(profileDirectory) })]] : []),
    ];
    const began = Date.now();
    try {
      await page.goto(workbenchUrl(server.url, workspace, payload));
    } catch (error) {
      // A busy machine can take longer than Playwright's 30 s to load the workbench: drop this start.
      await page.close().catch(() => undefined);
      return { error: `the workbench did not load: ${String(error?.message ?? error).split('\n')[0]}` };
    }
    const timer = sleep(startTimeoutMs).then(() => 'timeout');
    const outcome = await Promise.race([finished, timer]);
    await page.close().catch(() => undefined);
    if (result) result.extensionHostsAlive = extensionHostProcesses(server.pid);
    if (outcome === 'timeout') return { error: `no result within ${startTimeoutMs / 1000} s` };
    if (!result) return { error: `the runner printed no result (exit ${exitCode})` };
    if (!result.found) return { error: `${subject.label} is not among the host's extensions` };
    if (result.alreadyActive) return { error: 'already active before the runner activated it; sample dropped' };
    return { ...result, pageToResultMs: Date.now() - began };
  }

  const samples = { byok: [], hello: [] };
  const dropped = [];
  const began = Date.now();
  try {
    const rounds = warmups + starts;
    let failures = 0;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['byok', 'hello'] : ['hello', 'byok'];
      for (const key of order) {
        for (;;) {
          const sample = await start(subjects[key]);
          if (sample.error) {
            dropped.push({ subject: key, error: sample.error });
            log(`activation: ${subjects[key].label}: ${sample.error}`);
            if (++failures > Math.max(4, starts)) throw new Error(`too many failed starts (${failures}); last: ${sample.error}`);
            continue;
          }
          if (round >= warmups) samples[key].push(sample);
          log(`activation ${round < warmups ? 'warm-up' : `${round - warmups + 1}/${starts}`} ${subjects[key].label}: activate() ${sample.activateMs.toFixed(1)} ms (own span ${sample.ownSpanMs?.toFixed(2)} ms), host up ${(sample.hostUptimeMs / 1000).toFixed(1)} s + settle ${(sample.settleMs / 1000).toFixed(1)} s${sample.quiet === false ? ' (never quiet)' : ''}, page → result ${(sample.pageToResultMs / 1000).toFixed(1)} s, ${sample.activeExtensionsBefore}/${sample.extensions} extensions active, ${sample.extensionHostsAlive} host processes`);
          break;
        }
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    server.stop();
  }

  const figures = key => ({
    activateMs: summary(samples[key].map(sample => sample.activateMs)),
    ownSpanMs: summary(samples[key].map(sample => sample.ownSpanMs)),
    beforeActivateMs: summary(samples[key].map(sample => sample.beforeActivateMs)),
    moduleLoadMs: summary(samples[key].map(sample => sample.moduleLoadMs)),
    beforeLoadMs: summary(samples[key].map(sample => sample.beforeLoadMs)),
    loadToActivateMs: summary(samples[key].map(sample => sample.loadToActivateMs)),
    afterActivateMs: summary(samples[key].map(sample => sample.afterActivateMs)),
    pageToResultMs: summary(samples[key].map(sample => sample.pageToResultMs)),
    settleMs: summary(samples[key].map(sample => sample.settleMs)),
    quietStarts: samples[key].filter(sample => sample.quiet).length,
  });
  const sdkAtActivation = [...new Set(samples.byok.flatMap(sample => sample.sdkModulesAtActivation ?? ['(api did not report sdkModulesAtActivation)']))];
  const sdkLater = [...new Set(samples.byok.flatMap(sample => [...sample.vendorModulesRightAfter, ...(sample.vendorModulesOneSecondLater ?? [])]))];
  return {
    where: 'code-server test mode (VS Code server extension host), one fresh workbench page per start; activated by the runner once the machine settled',
    shippedActivationEvents,
    starts, warmups,
    seconds: (Date.now() - began) / 1000,
    byok: { id: subjects.byok.label, ...figures('byok') },
    hello: { id: subjects.hello.label, ...figures('hello') },
    sdkModulesAtActivation: sdkAtActivation,
    vendorModulesAfterActivation: sdkLater,
    dropped,
    samples,
  };
}

// npm run bench [-- --quick] [-- --strict] [-- --only package,activation,router,render,memory,pipeline,cost,compare] [-- --keep]
// Measures what users feel, against references, in one run, and prints a table (also written to
// bench/results.json, gitignored):
//   package     VSIX size and file count, host bundle, lazily loaded SDK chunks, webview bundles
//   activation  activate() in the real extension host (code-server), BYOK AI vs a hello-world extension
//   router      time to first token / total through Router + adapter vs the bare SDK call (plain Node)
//   render      the chat webview bundle streaming 2,000 / 20,000 tokens at 200 deltas/s (headless chromium)
//   memory      heap after 200 chat turns vs after 10 (plain Node, real ChatController + Router + adapter)
//   pipeline    chat view's chat/send → request at the fake provider: 10 vs 1,000 saved conversations,
//               turn 1 vs turn 200 (plain Node, real ChatViewProvider handler + ChatController + Router + adapter)
// Everything is built from a snapshot of the working tree in a temp dir (scripts/bench/build.mjs), so a
// run never touches dist/ or out/. Each measuring phase first waits until no other code-server/chromium
// run is going (BYOK_BENCH_WAIT_MS, default 15 min) and flags one that starts meanwhile.
//   --quick   fewer repetitions for CI: activation 3 starts, router 10 runs, render 2,000 tokens only,
//             memory without the default-JIT run
//   --strict  exit 1 on any WARN as well
//   --keep    keep the temp dir (VSIX, unpacked extension, bundles)
// BYOK_BENCH_PROFILE_ACTIVATION=<dir> writes a CPU profile of each activation (a guide only: the
// profiler slows the host down). Exit code: 0 when every phase ran (WARN rows included), 1 when a phase
// could not run (or a WARN with --strict), 2 on a usage error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureHarness, harnessHome, installCleanup, node24, repoRoot, run } from './harness.mjs';
import { measureActivation } from './bench/activation.mjs';
import { bundleBenchEntries, packageFigures, packageVsix, snapshotWorkingTree } from './bench/build.mjs';
import { heapGrowth, summarizeHeapSnapshot } from './bench/heapSnapshot.mjs';
import { measureRender, measureTurnRender } from './bench/render.mjs';
import { measureUsagePaint } from './bench/costPaint.mjs';
import { measureCompareRender } from './bench/compareRender.mjs';
import { formatBytes, formatMs, formatRatio, round, signed, waitForQuietMachine, watchForeignRuns } from './bench/util.mjs';

const phases = ['package', 'activation', 'router', 'render', 'memory', 'pipeline', 'cost', 'compare'];
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const strict = argv.includes('--strict');
const keep = argv.includes('--keep');
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',').filter(Boolean) : phases;
const unknown = argv.filter((arg, index) => !['--quick', '--strict', '--keep', '--only'].includes(arg) && index !== onlyIndex + 1);
if (unknown.length || only.some(phase => !phases.includes(phase))) {
  console.error(`usage: node scripts/bench.mjs [--quick] [--strict] [--keep] [--only ${phases.join(',')}]`);
  process.exit(2);
}

const config = quick
  ? { activation: { starts: 3, warmups: 0 }, router: { runs: 10, warmups: 3, longDeltas: 2000 }, render: { sizes: [2000], deltasPerSecond: 200 }, memory: { turns: 200, warmupTurns: 40, answerTokens: 1000, defaultJit: false }, pipeline: { runs: 20, warmups: 5, render: { priorTurns: [0, 199], answerTokens: 200, deltasPerSecond: 200, repeats: 3 } }, cost: { records: 100_000, pricings: 5_000 }, compare: { runs: 8, warmups: 2, panes: 4, tokens: 1000, tokensPerSecond: 500, flushMs: 16 } }
  : { activation: { starts: 10, warmups: 0 }, router: { runs: 30, warmups: 5, longDeltas: 2000 }, render: { sizes: [2000, 20000], deltasPerSecond: 200 }, memory: { turns: 200, warmupTurns: 40, answerTokens: 1000, defaultJit: true }, pipeline: { runs: 50, warmups: 10, render: { priorTurns: [0, 199], answerTokens: 200, deltasPerSecond: 200, repeats: 5 } }, cost: { records: 100_000, pricings: 20_000 }, compare: { runs: 20, warmups: 5, panes: 4, tokens: 2000, tokensPerSecond: 500, flushMs: 16 } };

const targets = {
  vsixBytes: 1024 * 1024,
  activationAddedMs: 10,
  routerAddedTtftMs: 2,
  longTaskMs: 50,
  perDeltaGrowth: 1.5,
  stringsPerStoredText: 1.25,
  otherBytesPerTurn: 1024,
  secondChatBytes: 16 * 1024,
  pipelineAddedMs: 5,
  pipelineRatio: 1.2,
  turnRenderRatio: 1.5,
  pricingMedianMs: 0.1,
  dashboardAggregationMs: 500,
};

const began = Date.now();
const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-'));
installCleanup(() => { if (!keep) fs.rmSync(workDirectory, { recursive: true, force: true }); });
const log = text => console.log(`[bench] ${text}`);
const results = { mode: quick ? 'quick' : 'full', startedAt: new Date().toISOString(), config, targets, machine: machine(), phases: {}, errors: {} };
const nodeForChildren = fs.existsSync(node24) ? node24 : process.execPath;

function machine() {
  const version = file => { try { return JSON.parse(fs.readFileSync(file, 'utf8')).version; } catch { return undefined; } };
  const codeServer = path.join(harnessHome, 'code-server', 'node_modules', 'code-server');
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.platform()} ${os.release()}`,
    codeServer: version(path.join(codeServer, 'package.json')),
    vscode: version(path.join(codeServer, 'lib', 'vscode', 'package.json')),
    sdks: Object.fromEntries(['openai', '@anthropic-ai/sdk', '@google/genai'].map(name => [name, version(path.join(repoRoot, 'node_modules', name, 'package.json'))])),
  };
}

async function phase(name, work) {
  if (name !== 'build' && !only.includes(name)) return undefined;
  const started = Date.now();
  log(`---- ${name}`);
  try {
    const value = await work();
    results.phases[name] = { seconds: (Date.now() - started) / 1000 };
    return value;
  } catch (error) {
    results.errors[name] = String(error?.stack ?? error);
    results.phases[name] = { seconds: (Date.now() - started) / 1000, failed: true };
    console.error(`[bench] ${name} could not run: ${error?.stack ?? error}`);
    return undefined;
  }
}

/** Runs a bundled bench entry under Node 24 and returns its BYOK_BENCH_RESULT. */
async function runEntry(file, args, nodeFlags = []) {
  const result = await run(nodeForChildren, [...nodeFlags, file, ...args], { cwd: workDirectory, quiet: true, timeoutMs: 600_000 });
  const line = result.output.split('\n').find(text => text.startsWith('BYOK_BENCH_RESULT '));
  if (result.code !== 0 || !line) throw new Error(`${path.basename(file)} exited ${result.code}:\n${result.output.split('\n').slice(-30).join('\n')}`);
  return JSON.parse(line.slice('BYOK_BENCH_RESULT '.length));
}

/** A measured phase: waits until no other code-server/chromium run is going, and notes one that starts meanwhile. */
async function measured(name, work) {
  const machineState = await waitForQuietMachine(name);
  const stopWatching = watchForeignRuns();
  const value = await work();
  return { machineState: { ...machineState, ...stopWatching() }, ...value };
}

// ---- build --------------------------------------------------------------------------------------------
// Every phase measures the build, so it always runs; if it fails nothing else can. vsce needs Node 24
// (and activation/render need code-server and chromium): install the harness first if it is missing.
const built = await phase('build', async () => {
  const problem = ensureHarness({ chromium: only.includes('activation') || only.includes('render') || only.includes('pipeline') || only.includes('compare') || only.includes('cost') });
  if (problem) throw new Error(problem);
  log(`snapshot of ${repoRoot} → ${workDirectory}`);
  const snapshot = snapshotWorkingTree(path.join(workDirectory, 'snapshot'));
  // Only package, activation and render measure the shipped VSIX; the plain-Node phases need only their bundles.
  const needsVsix = only.some(name => ['package', 'activation', 'render', 'pipeline', 'compare', 'cost'].includes(name));
  let packaged;
  if (needsVsix) {
    log('npm run package (Node 24; vscode:prepublish = node esbuild.mjs --production)');
    packaged = await packageVsix(snapshot, workDirectory);
    log(`VSIX ${formatBytes(packaged.bytes)} in ${packaged.seconds.toFixed(1)} s`);
  }
  const entries = await bundleBenchEntries(snapshot);
  return { snapshot, packaged, entries };
});
if (!built) only.splice(0, only.length);

// ---- package --------------------------------------------------------------------------------------------
results.package = await phase('package', async () => packageFigures(built.packaged));

// ---- activation -----------------------------------------------------------------------------------------
results.activation = await phase('activation', () => measured('activation', () =>
  measureActivation({ extensionDirectory: built.packaged.extension, workDirectory, ...config.activation, log, profileDirectory: process.env.BYOK_BENCH_PROFILE_ACTIVATION })));

// ---- router ---------------------------------------------------------------------------------------------
results.router = await phase('router', () => measured('router', () => {
  const { runs, warmups, longDeltas } = config.router;
  return runEntry(built.entries.routerBench, ['--runs', String(runs), '--warmups', String(warmups), '--long-deltas', String(longDeltas)], ['--expose-gc']);
}));

// ---- render ---------------------------------------------------------------------------------------------
results.render = await phase('render', () => measured('render', () =>
  measureRender({ extensionDirectory: built.packaged.extension, webviewHtmlModule: built.entries.webviewHtml, ...config.render, log })));

// ---- memory ---------------------------------------------------------------------------------------------
results.memory = await phase('memory', () => measured('memory', async () => {
  const { turns, warmupTurns, answerTokens, defaultJit } = config.memory;
  const args = ['--turns', String(turns), '--warmup-turns', String(warmupTurns), '--answer-tokens', String(answerTokens)];
  // Interpreter only (no JIT tiers, feedback allocated up front, no bytecode flushing): after the
  // warm-up V8's own code cannot grow, so every byte of growth is data. This run gives the verdicts.
  const interpreterFlags = ['--expose-gc', '--no-flush-bytecode', '--no-opt', '--no-maglev', '--no-sparkplug', '--no-lazy-feedback-allocation'];
  const analyse = async (flags, label) => {
    const snapshots = fs.mkdtempSync(path.join(workDirectory, `heap-${label}-`));
    const raw = await runEntry(built.entries.memoryBench, [...args, '--snapshots', snapshots], flags);
    const first = raw.checkpoints.find(point => point.turns === 10);
    const last = raw.checkpoints.find(point => point.turns === turns);
    const summaries = {
      baseline: summarizeHeapSnapshot(raw.baseline.snapshot),
      first: summarizeHeapSnapshot(first.snapshot),
      last: summarizeHeapSnapshot(last.snapshot),
      afterNewChat: summarizeHeapSnapshot(raw.afterNewChat.snapshot),
      afterSecondChat: summarizeHeapSnapshot(raw.afterSecondChat.snapshot),
    };
    fs.rmSync(snapshots, { recursive: true, force: true });
    const growth = heapGrowth(summaries.first, summaries.last);
    const afterNewChat = heapGrowth(summaries.baseline, summaries.afterNewChat);
    const secondVersusFirst = heapGrowth(summaries.afterNewChat, summaries.afterSecondChat);
    const storedTextAdded = last.storedTextBytes - first.storedTextBytes;
    const laterTurns = turns - 10;
    log(`memory (${label}): heap +${formatBytes(growth.total)} over ${laterTurns} turns (strings ${formatBytes(growth.strings)}, code ${formatBytes(growth.code)}, other ${formatBytes(growth.other)}); stored text +${formatBytes(storedTextAdded)}`);
    return {
      flags, ...raw,
      heapUsedGrowthBytes: last.heapBytesWithoutResourceTimings - first.heapBytesWithoutResourceTimings,
      resourceTimingEntriesAtLastCheckpoint: last.resourceTimingEntries,
      storedTextAddedBytes: storedTextAdded,
      laterTurns,
      snapshotGrowth: growth,
      afterNewChatVersusBaseline: afterNewChat,
      secondChatVersusFirst: secondVersusFirst,
      otherBytesPerTurn: growth.other / laterTurns,
      leakChecks: {
        activeRequests: last.activeRequests, storePending: last.storePending, storeUnsaved: last.storeUnsaved,
        resourcesFirst: first.resources, resourcesLast: last.resources, errors: last.errors,
      },
    };
  };
  const interpreter = await analyse(interpreterFlags, 'interpreter-only');
  const jit = defaultJit ? await analyse(['--expose-gc', '--no-flush-bytecode'], 'default-jit') : undefined;
  return { where: 'plain Node: ChatController + Router + OpenAI-compatible adapter + ConversationStore (temp dir) + FakeProviderServer over loopback', interpreter, jit };
}));

// ---- pipeline -------------------------------------------------------------------------------------------
results.pipeline = await phase('pipeline', () => measured('pipeline', async () => {
  const { runs, warmups, render } = config.pipeline;
  const host = await runEntry(built.entries.pipelineBench, ['--runs', String(runs), '--warmups', String(warmups)], ['--expose-gc']);
  const webview = await measureTurnRender({ extensionDirectory: built.packaged.extension, webviewHtmlModule: built.entries.webviewHtml, ...render, log });
  return { ...host, webview };
}));

// ---- cost -------------------------------------------------------------------------------------------------
// Node: pricing, ledger read/parse/aggregate; then the dashboard's first paint of that aggregate in chromium.
results.cost = await phase('cost', () => measured('cost', async () => {
  const messageFile = path.join(workDirectory, 'usage-state.json');
  const node = await runEntry(built.entries.costBench, ['--records', String(config.cost.records), '--pricings', String(config.cost.pricings), '--view-out', messageFile]);
  const paint = await measureUsagePaint({ extensionDirectory: built.packaged.extension, webviewHtmlModule: built.entries.webviewHtml, messageFile, log });
  return { ...node, paint };
}));

// ---- compare ------------------------------------------------------------------------------------------------
// Four parallel streams: the router + fan-out overhead per stream (plain Node) and the panel's render (chromium).
results.compare = await phase('compare', () => measured('compare', async () => {
  const { runs, warmups, panes, tokens, tokensPerSecond, flushMs } = config.compare;
  const router = await runEntry(built.entries.compareBench, ['--runs', String(runs), '--warmups', String(warmups), '--panes', String(panes), '--tokens', String(Math.min(tokens, 500)), '--tokens-per-second', String(tokensPerSecond)]);
  const render = await measureCompareRender({ extensionDirectory: built.packaged.extension, webviewHtmlModule: built.entries.webviewHtml, panes, tokens, tokensPerSecond, flushMs, log });
  return { router, render };
}));

// ---- verdicts and table -----------------------------------------------------------------------------------
const rows = [];
const verdicts = [];
const section = title => rows.push({ section: title });
const row = (measure, value, reference = '', ratio = '', target = '', result = '') => rows.push({ measure, value, reference, ratio, target, result });
function judge(name, ok, detail = '') {
  const result = ok === undefined ? 'n/a' : ok ? 'PASS' : 'WARN';
  verdicts.push({ target: name, result, detail });
  return detail ? `${result} (${detail})` : result;
}
const commas = value => Math.round(value).toLocaleString('en-US');

if (results.package) {
  const figures = results.package;
  section(`Package (npm run package; sizes uncompressed inside the VSIX; 1 MB = 1,048,576 bytes)`);
  row('VSIX size', formatBytes(figures.vsixBytes), '', '', '< 1 MB', judge('VSIX under 1 MB', figures.vsixBytes < targets.vsixBytes));
  row('VSIX file count', String(figures.fileCount), `${figures.extensionFileCount} under extension/`);
  row('host bundle dist/extension.js', formatBytes(figures.hostBundleBytes), 'loaded at activation');
  for (const chunk of figures.lazyChunks) row(`lazy chunk ${chunk.file}`, formatBytes(chunk.bytes), `on first use; ${formatBytes(chunk.compressedBytes)} in the VSIX`);
  for (const bundle of figures.webviewBundles) row(`webview bundle ${bundle.file}`, formatBytes(bundle.bytes), `${formatBytes(bundle.compressedBytes)} in the VSIX`);
}

if (results.activation) {
  const activation = results.activation;
  const ours = activation.byok.activateMs.median;
  const reference = activation.hello.activateMs.median;
  section(`Activation (code-server ${results.machine.codeServer} / VS Code ${results.machine.vscode} extension host; ${activation.starts} fresh starts each, interleaved; activated by the runner once the machine settled (quiet before ${activation.byok.quietStarts + activation.hello.quietStarts} of ${2 * activation.starts} starts); median)`);
  row('extension.activate(), called by the runner', formatMs(ours), `hello-world ${formatMs(reference)}`, formatRatio(ours / reference), `≤ reference + ${targets.activationAddedMs} ms`,
    judge('activation within 10 ms of hello-world', ours - reference <= targets.activationAddedMs, `${signed(formatMs(ours - reference), ours - reference)}`));
  row('  of which: require() of the main module', formatMs(activation.byok.moduleLoadMs.median), `hello-world ${formatMs(activation.hello.moduleLoadMs.median)}`, formatRatio(activation.byok.moduleLoadMs.median / activation.hello.moduleLoadMs.median));
  row('  of which: after the load, before activate()', formatMs(activation.byok.loadToActivateMs.median), `hello-world ${formatMs(activation.hello.loadToActivateMs.median)}`, formatRatio(activation.byok.loadToActivateMs.median / activation.hello.loadToActivateMs.median), '', 'ExtensionContext (workbench round trips), GC');
  row('  of which: activate() body (own activatedAt)', formatMs(activation.byok.ownSpanMs.median), `hello-world ${formatMs(activation.hello.ownSpanMs.median)}`, formatRatio(activation.byok.ownSpanMs.median / activation.hello.ownSpanMs.median));
  const loaded = [...activation.sdkModulesAtActivation, ...activation.vendorModulesAfterActivation];
  row('provider SDK modules loaded by activation', loaded.length ? loaded.join(', ') : 'none', 'at activation and 1 s later', '', 'none', judge('no SDK loaded at activation', loaded.length === 0));
}

const routerLabels = { openai: 'bare chat.completions.create (stream)', anthropic: 'bare messages.stream', gemini: 'bare models.generateContentStream' };
if (results.router) {
  const router = results.router;
  section(`Router overhead (plain Node ${router.node}; Router + adapter vs the bare SDK call with one client made up front, same FakeProviderServer and transcript; ${router.runs} interleaved runs; median)`);
  for (const result of router.results) {
    const ours = result.candidates.ours;
    const reference = result.candidates[routerLabels[result.family]];
    const transcript = result.transcript === 'recorded' ? 'recorded transcript' : `${commas(router.longDeltas)}-delta answer`;
    const referenceName = routerLabels[result.family].replace(/^bare /, '');
    if (result.transcript === 'recorded') {
      const added = ours.medianTtftMs - reference.medianTtftMs;
      row(`${result.family} time to first token (${transcript})`, formatMs(ours.medianTtftMs), `${referenceName} ${formatMs(reference.medianTtftMs)}`, formatRatio(ours.medianTtftMs / reference.medianTtftMs),
        `added < ${targets.routerAddedTtftMs} ms`, judge(`${result.family}: added TTFT under 2 ms`, added < targets.routerAddedTtftMs && result.sameText, `${signed(formatMs(added), added)}${result.sameText ? '' : ', texts differ!'}`));
    }
    row(`${result.family} total (${transcript})`, formatMs(ours.medianTotalMs), `${referenceName} ${formatMs(reference.medianTotalMs)}`, formatRatio(ours.medianTotalMs / reference.medianTotalMs), '', signed(formatMs(ours.medianTotalMs - reference.medianTotalMs), ours.medianTotalMs - reference.medianTotalMs));
    const alternative = result.candidates['bare messages.create (stream: true)'];
    if (alternative && result.transcript === 'recorded') {
      row('  (the call the adapter makes) TTFT', formatMs(ours.medianTtftMs), `messages.create stream ${formatMs(alternative.medianTtftMs)}`, formatRatio(ours.medianTtftMs / alternative.medianTtftMs), '', signed(formatMs(ours.medianTtftMs - alternative.medianTtftMs), ours.medianTtftMs - alternative.medianTtftMs));
    }
  }
}

if (results.render) {
  const render = results.render;
  section(`Streaming render (chat webview bundle under its real CSP in headless chromium ${render.browser}; NOT the whole workbench; 200 deltas/s, 1 token each)`);
  const base = render.runs[0];
  for (const measured of render.runs) {
    const name = `${commas(measured.tokens)} tokens`;
    row(`${name}: main-thread time per delta`, formatMs(measured.mainThreadMsPerDelta, 3), `delta interval ${formatMs(1000 / measured.deltasPerSecond)}`, formatRatio(measured.mainThreadMsPerDelta / (1000 / measured.deltasPerSecond)));
    row(`${name}: own JS per delta (listener + frame)`, formatMs(measured.ownMsPerDelta, 3), measured === base ? '' : `${commas(base.tokens)} tokens ${formatMs(base.ownMsPerDelta, 3)}`, measured === base ? '' : formatRatio(measured.ownMsPerDelta / base.ownMsPerDelta));
    row(`${name}: long tasks over 50 ms`, `${measured.longTasks} (longest ${formatMs(measured.longestTaskMs)})`, '', '', 'none',
      judge(`${name}: no long task over 50 ms`, measured.longTasks === 0 && measured.errors.length === 0 && measured.codeBlocks === measured.expectedCodeBlocks,
        [measured.errors.length ? `${measured.errors.length} page errors` : '', measured.codeBlocks !== measured.expectedCodeBlocks ? `rendered ${measured.codeBlocks}/${measured.expectedCodeBlocks} code blocks` : ''].filter(Boolean).join(', ')));
    row(`${name}: time to final paint`, formatMs(measured.timeToFinalPaintMs), `stream ${formatMs(measured.streamSeconds * 1000)}`, formatRatio(measured.timeToFinalPaintMs / (measured.streamSeconds * 1000)), '', `${formatMs(measured.finalPaintAfterLastDeltaMs)} after the last delta`);
  }
  const largest = render.runs[render.runs.length - 1];
  if (render.runs.length > 1) {
    const growth = largest.mainThreadMsPerDelta / base.mainThreadMsPerDelta;
    row(`per-delta main-thread cost, ${commas(largest.tokens)} vs ${commas(base.tokens)} tokens`, formatMs(largest.mainThreadMsPerDelta, 3), `${formatMs(base.mainThreadMsPerDelta, 3)}`, formatRatio(growth), `flat (≤ ${targets.perDeltaGrowth}×; quadratic ≈ 10×)`,
      judge('per-delta cost flat (linear total)', growth <= targets.perDeltaGrowth));
  } else {
    row('per-delta cost at 20,000 vs 2,000 tokens', 'not measured', '', '', `flat (≤ ${targets.perDeltaGrowth}×)`, judge('per-delta cost flat (linear total)', undefined, 'quick mode: 2,000 tokens only'));
  }
  const tenths = largest.ownMsPerDeltaByTenth;
  if (tenths.length >= 10) {
    row(`${commas(largest.tokens)} tokens: own JS per delta, first vs last tenth`, formatMs(tenths[tenths.length - 1], 3), `first tenth ${formatMs(tenths[0], 3)}`, formatRatio(tenths[tenths.length - 1] / tenths[0]));
  }
}

if (results.memory) {
  const { interpreter, jit } = results.memory;
  section(`Memory (${results.memory.where}; heap after full GC; ${interpreter.turns} turns of ~${commas(interpreter.answerTokens)}-token answers after a ${interpreter.warmupTurns}-turn warm-up)`);
  if (jit) {
    row(`heap growth, turn 10 → ${jit.turns} (V8 JIT on)`, formatBytes(jit.snapshotGrowth.total), `stored text +${formatBytes(jit.storedTextAddedBytes)}`, formatRatio(jit.snapshotGrowth.total / jit.storedTextAddedBytes), '',
      `strings ${formatBytes(jit.snapshotGrowth.strings)}, V8 compiled code ${formatBytes(jit.snapshotGrowth.code)}, other ${formatBytes(jit.snapshotGrowth.other)}`);
  }
  row(`heap growth, turn 10 → ${interpreter.turns} (V8 interpreter only)`, formatBytes(interpreter.snapshotGrowth.total), `stored text +${formatBytes(interpreter.storedTextAddedBytes)}`, formatRatio(interpreter.snapshotGrowth.total / interpreter.storedTextAddedBytes), '',
    `strings ${formatBytes(interpreter.snapshotGrowth.strings)}, code ${formatBytes(interpreter.snapshotGrowth.code)}, other ${formatBytes(interpreter.snapshotGrowth.other)}`);
  const stringsRatio = interpreter.snapshotGrowth.strings / interpreter.storedTextAddedBytes;
  row('string growth vs stored text', formatBytes(interpreter.snapshotGrowth.strings), formatBytes(interpreter.storedTextAddedBytes), formatRatio(stringsRatio), `≤ ${targets.stringsPerStoredText}×`, judge('strings grow by the stored text', stringsRatio <= targets.stringsPerStoredText));
  row('other objects per turn (messages, meta)', formatBytes(interpreter.otherBytesPerTurn), '', '', `≤ ${formatBytes(targets.otherBytesPerTurn)}`, judge('other objects per turn ≤ 1 KB', interpreter.otherBytesPerTurn <= targets.otherBytesPerTurn));
  const leftover = interpreter.afterNewChatVersusBaseline.total - interpreter.afterNewChatVersusBaseline.code;
  const leftoverAgain = interpreter.secondChatVersusFirst.total - interpreter.secondChatVersusFirst.code;
  const checks = interpreter.leakChecks;
  const clean = interpreter.afterNewChat.oldConversationCollected && checks.activeRequests === 0 && checks.storePending === 0;
  row(`after New Chat: ${interpreter.turns}-turn conversation garbage-collected`, interpreter.afterNewChat.oldConversationCollected ? 'yes' : 'NO', `active requests ${checks.activeRequests}, pending saves ${checks.storePending}`, '', 'yes', judge('conversation freed, no requests left', clean));
  row('after New Chat vs before the chat (excl. code)', signed(formatBytes(leftover), leftover), 'heap before the first turn', '', '', 'high-water marks of buffers and tables, once');
  row(`after a 2nd ${interpreter.turns}-turn chat + New Chat vs the 1st`, signed(formatBytes(leftoverAgain), leftoverAgain), `a leak of 100 B/turn: +${formatBytes(100 * interpreter.turns)}`, '', `≤ +${formatBytes(targets.secondChatBytes)}`,
    judge('no growth from a second long conversation', leftoverAgain <= targets.secondChatBytes));
  // Not memory, but seen here first: a turn that failed, a rejection nobody handled, a file that no longer parses.
  const runsMeasured = [interpreter, jit].filter(Boolean);
  const failedTurns = runsMeasured.reduce((sum, each) => sum + each.leakChecks.errors, 0);
  const unhandled = runsMeasured.reduce((sum, each) => sum + each.unhandledRejections, 0);
  const unreadable = runsMeasured.reduce((sum, each) => sum + each.unreadableFiles, 0);
  const messages = [...new Set(runsMeasured.flatMap(each => each.unhandledRejectionMessages))];
  const errorCount = failedTurns + unhandled + unreadable;
  row('errors in the chat runs', errorCount ? String(errorCount) : 'none', `${runsMeasured.length} run${runsMeasured.length === 1 ? "" : "s"} × ${interpreter.warmupTurns + 2 * interpreter.turns} turns`, '', 'none',
    judge('no errors in the chat runs', errorCount === 0, errorCount ? `${failedTurns} failed turns, ${unhandled} unhandled rejections, ${unreadable} unreadable files${messages.length ? `: ${messages[0].slice(0, 80)}` : ''}` : ''));
}

if (results.cost) {
  const { pricing, dashboard } = results.cost;
  section(`Cost (plain Node ${results.cost.node}; genai-prices table loaded once; ${commas(dashboard.records)} synthetic ledger records over 90 days; medians)`);
  row('pricing one settled request', formatMs(pricing.medianMs), `p95 ${formatMs(pricing.p95Ms)}`, '', `< ${targets.pricingMedianMs} ms`, judge('cost: pricing under 0.1 ms', pricing.medianMs < targets.pricingMedianMs));
  row('price table first load', formatMs(pricing.loadMs));
  const paint = results.cost.paint;
  if (paint) {
    const firstPaintMs = dashboard.aggregateMs + paint.paintMs;
    row(`dashboard aggregation + first paint (${commas(dashboard.records)} records)`, formatMs(firstPaintMs), `aggregate ${formatMs(dashboard.aggregateMs)} + paint ${formatMs(paint.paintMs)}`, '', `< ${targets.dashboardAggregationMs} ms`,
      judge('cost: dashboard aggregation + first paint under 500 ms', firstPaintMs < targets.dashboardAggregationMs && paint.errors.length === 0 && paint.canvases > 0, paint.errors.length ? `${paint.errors.length} page errors: ${paint.errors[0].slice(0, 60)}` : `${paint.canvases} canvas, ${paint.tableRows} table rows, ${formatBytes(paint.messageBytes)} message`));
  } else {
    row(`dashboard aggregation (${commas(dashboard.records)} records in memory)`, formatMs(dashboard.aggregateMs), '', '', `< ${targets.dashboardAggregationMs} ms`, judge('cost: dashboard aggregation under 500 ms', dashboard.aggregateMs < targets.dashboardAggregationMs));
  }
  if (paint) row('  of which paint: main thread (script / layout / style)', formatMs(paint.mainThreadMs), `${formatMs(paint.scriptMs)} / ${formatMs(paint.layoutMs)} / ${formatMs(paint.styleMs)}`, '', '', `page ready ${formatMs(paint.pageReadyMs)} before the message`);
  row(`ledger read + parse (${formatBytes(dashboard.fileBytes)}), once per panel open`, formatMs(dashboard.readMs + dashboard.parseMs), `read + parse + aggregate ${formatMs(dashboard.totalMs)}`, '', '', `open → painted ≈ ${formatMs(dashboard.totalMs + (paint?.paintMs ?? 0))}`);
  row('ledger append as the stream sees it', formatMs(dashboard.appendMedianMs));
}

if (results.compare) {
  const { router, render } = results.compare;
  section(`Compare models (${render.panes} parallel streams at ${render.tokensPerSecond} tokens/s each; router: plain Node ${router.node}, Router + fan-out vs the same in-process streams read directly, ${router.runs} interleaved runs, median; render: ${render.where})`);
  row('added time to first token, worst stream', formatMs(router.worstAddedTtftMs), router.perStream.map(stream => formatMs(stream.medianAddedTtftMs)).join(' / '), '', `< ${targets.routerAddedTtftMs} ms`,
    judge('compare: router overhead per stream within the TTFT target', router.worstAddedTtftMs < targets.routerAddedTtftMs));
  row('added time per delta, per stream', formatMs(Math.max(...router.perStream.map(stream => stream.addedMsPerDelta))), `${commas(router.tokens)} deltas per stream`);
  row(`long tasks while ${render.panes} panes × ${commas(render.tokensPerPane)} tokens stream`, String(render.longTasks), `longest ${formatMs(render.longestTaskMs)}`, '', `none > ${targets.longTaskMs} ms`,
    judge('compare: no long task > 50 ms in the panel', render.longestTaskMs <= targets.longTaskMs && render.errors.length === 0 && render.cspViolations.length === 0,
      render.errors.length ? render.errors[0].slice(0, 80) : render.cspViolations.length ? `CSP: ${render.cspViolations[0]}` : ''));
  row('panel main-thread time per delta (listeners + frames)', formatMs(render.ownMsPerDelta), `max frame ${formatMs(render.maxFrameMs)}`);
  row('final paint after the last delta', formatMs(render.finalPaintAfterLastDeltaMs), `${render.codeBlocks}/${render.expectedCodeBlocks} code blocks rendered`);
}

if (results.pipeline) {
  const pipeline = results.pipeline;
  section(`Chat pipeline (plain Node ${pipeline.node}; the chat view's chat/send through ChatViewProvider's handler, ChatController, ConversationStore, Router and the OpenAI-compatible adapter to the FakeProviderServer's request headers; ${pipeline.runs} interleaved runs; median)`);
  const pair = (label, ours, reference, referenceLabel, name) => {
    const added = ours.medianToServerMs - reference.medianToServerMs;
    const ratio = ours.medianToServerMs / reference.medianToServerMs;
    row(label, formatMs(ours.medianToServerMs), `${referenceLabel} ${formatMs(reference.medianToServerMs)}`, formatRatio(ratio), `added < ${targets.pipelineAddedMs} ms, ≤ ${targets.pipelineRatio}×`,
      judge(name, added < targets.pipelineAddedMs && ratio <= targets.pipelineRatio, signed(formatMs(added), added)));
    row('  of which: chat/send → router.turn() (extension)', formatMs(ours.medianToRouterMs, 3), `${referenceLabel} ${formatMs(reference.medianToRouterMs, 3)}`, formatRatio(ours.medianToRouterMs / reference.medianToRouterMs));
  };
  const { few, many } = pipeline.conversations;
  pair(`send → request, ${commas(pipeline.listed.many)} saved conversations`, many, few, `${pipeline.listed.few} saved`, 'pipeline: 1,000 vs 10 saved conversations');
  const { first, long } = pipeline.turns;
  if (pipeline.reference) {
    // Turn 200 sends ~180 KB of history that must be serialised, encoded and written once per request
    // whatever the extension does. The reference (pipelineBench.ts) does exactly that with the same body
    // — JSON.stringify + a bare fetch POST — at turn 1 and turn 200; its growth is the floor. The
    // pipeline is judged on what it adds beyond that floor: turn 200 against turn 1 plus the floor's
    // growth. The raw turn-200 / turn-1 ratio stays in the table, unjudged.
    const reference = pipeline.reference;
    const floorGrowth = reference.long.medianToServerMs - reference.first.medianToServerMs;
    const expected = first.medianToServerMs + floorGrowth;
    const added = long.medianToServerMs - expected;
    const ratio = long.medianToServerMs / expected;
    row(`send → request, turn ${pipeline.longTurns} (beyond sending its larger body)`, formatMs(long.medianToServerMs), `turn 1 ${formatMs(first.medianToServerMs)} + body ${signed(formatMs(floorGrowth), floorGrowth)}`, formatRatio(ratio), `added < ${targets.pipelineAddedMs} ms, ≤ ${targets.pipelineRatio}×`,
      judge(`pipeline: turn ${pipeline.longTurns} vs turn 1`, added < targets.pipelineAddedMs && ratio <= targets.pipelineRatio, signed(formatMs(added), added)));
    row('  raw, without subtracting the body', formatMs(long.medianToServerMs), `turn 1 ${formatMs(first.medianToServerMs)}`, formatRatio(long.medianToServerMs / first.medianToServerMs), '', signed(formatMs(long.medianToServerMs - first.medianToServerMs), long.medianToServerMs - first.medianToServerMs));
    row('  reference: JSON.stringify + bare fetch of the same body', formatMs(reference.long.medianToServerMs), `turn 1 ${formatMs(reference.first.medianToServerMs)}`, formatRatio(reference.long.medianToServerMs / reference.first.medianToServerMs));
    row('  of which: chat/send → router.turn() (extension)', formatMs(long.medianToRouterMs, 3), `turn 1 ${formatMs(first.medianToRouterMs, 3)}`, formatRatio(long.medianToRouterMs / first.medianToRouterMs));
  } else {
    pair(`send → request, turn ${pipeline.longTurns}`, long, first, 'turn 1', `pipeline: turn ${pipeline.longTurns} vs turn 1`);
  }
  const [shortView, longView] = pipeline.webview.results;
  const viewRatio = longView.medianMainThreadMs / shortView.medianMainThreadMs;
  const viewErrors = [...shortView.errors, ...longView.errors];
  row(`webview main thread, one turn at turn ${longView.turn}`, formatMs(longView.medianMainThreadMs), `turn ${shortView.turn} ${formatMs(shortView.medianMainThreadMs)}`, formatRatio(viewRatio), `≤ ${targets.turnRenderRatio}×`,
    judge(`pipeline: webview turn ${longView.turn} vs turn ${shortView.turn}`, viewRatio <= targets.turnRenderRatio && viewErrors.length === 0, viewErrors.length ? `${viewErrors.length} page errors: ${viewErrors[0].slice(0, 60)}` : `${commas(longView.domNodesAfter)} vs ${commas(shortView.domNodesAfter)} DOM nodes`));
  row('  of which: script / layout / style recalculation', `${formatMs(longView.medianScriptMs)} / ${formatMs(longView.medianLayoutMs)} / ${formatMs(longView.medianStyleMs)}`, `${formatMs(shortView.medianScriptMs)} / ${formatMs(shortView.medianLayoutMs)} / ${formatMs(shortView.medianStyleMs)}`);
  row(`  request body, turn ${pipeline.longTurns} vs turn 1`, formatBytes(long.medianBodyBytes), formatBytes(first.medianBodyBytes), '', '', `whole body read by the server: ${formatMs(long.medianToBodyMs)} vs ${formatMs(first.medianToBodyMs)}`);
}

const phaseTimes = Object.entries(results.phases).map(([name, value]) => `${name} ${value.seconds.toFixed(0)} s${value.failed ? ' (failed)' : ''}`).join(', ');
results.seconds = (Date.now() - began) / 1000;
results.verdicts = verdicts;
results.table = formatTable(rows);

const warnings = verdicts.filter(verdict => verdict.result === 'WARN');
const failures = Object.keys(results.errors);
const header = `BYOK AI bench — ${results.mode} — ${results.startedAt} — ${results.machine.cpus} × ${results.machine.cpuModel ?? 'cpu'}, Node ${process.version} (children ${nodeForChildren === process.execPath ? process.version : 'Node 24'})`;
const footer = `${verdicts.filter(verdict => verdict.result === 'PASS').length} PASS, ${warnings.length} WARN${failures.length ? `, ${failures.length} phase(s) could not run: ${failures.join(', ')}` : ''} — ${(results.seconds / 60).toFixed(1)} min (${phaseTimes})`;
// Figures taken while the machine was busy with something else are flagged, not hidden.
const busyNotes = ['activation', 'router', 'render', 'memory', 'pipeline'].flatMap(name => {
  const state = results[name]?.machineState;
  if (!state) return [];
  const notes = [];
  if (state.gaveUp) notes.push(`${name}: another code-server/chromium run was going when it started`);
  else if (state.foreignProcessesSeen > 0) notes.push(`${name}: another code-server/chromium run started while it was measuring`);
  if (state.cpuBusyBeforeStart > 0.3) notes.push(`${name}: CPU ${Math.round(state.cpuBusyBeforeStart * 100)}% busy with other work just before it started`);
  return notes;
});
const notes = busyNotes.length ? `\nNOTE figures may be inflated: ${busyNotes.join('; ')}` : '';
results.printed = `${header}\n${results.table}\n${footer}${notes}`;
console.log(`\n${results.printed}`);

fs.mkdirSync(path.join(repoRoot, 'bench'), { recursive: true });
fs.writeFileSync(path.join(repoRoot, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`results: ${path.relative(process.cwd(), path.join(repoRoot, 'bench', 'results.json'))}${keep ? `; work files kept in ${workDirectory}` : ''}`);
if (!keep) fs.rmSync(workDirectory, { recursive: true, force: true });
process.exit(failures.length || (strict && warnings.length) ? 1 : 0);

function formatTable(tableRows) {
  const columns = ['measure', 'value', 'reference', 'ratio', 'target', 'result'];
  const titles = { measure: 'measure', value: 'value', reference: 'reference', ratio: 'ratio', target: 'target', result: 'result' };
  const widths = Object.fromEntries(columns.map(column => [column, Math.max(titles[column].length, ...tableRows.filter(each => !each.section).map(each => String(each[column]).length))]));
  widths.result = Math.min(widths.result, 60);
  const line = values => columns.map(column => String(values[column]).padEnd(column === 'result' ? 0 : widths[column])).join('  ').trimEnd();
  const out = [line(titles), columns.map(column => '-'.repeat(widths[column])).join('  ')];
  for (const each of tableRows) out.push(each.section ? `\n${each.section}` : line(each));
  return out.join('\n');
}

#!/usr/bin/env node
// A real llama.cpp `llama-server` for the "real server nobody here wrote" test tier
// (test/integration/localLlm.test.ts): built once from the llama.cpp source the node-llama-cpp npm
// tarball carries (build.sh), serving a tiny generated model (genTinyModel.mjs) with random weights.
// Recipe and measurements: shared/local-llm/README.md.
//
//   node scripts/localLlm/localLlm.mjs build              build + model (cached), print the paths
//   node scripts/localLlm/localLlm.mjs start [open-port [keyed-port]]
//                                                         start two servers in the background, one open
//                                                         and one with --api-key <random>; print
//                                                         BYOK_LLAMA_URL / BYOK_LLAMA_KEYED_URL / BYOK_LLAMA_KEY
//   node scripts/localLlm/localLlm.mjs serve [ports]      the same in the foreground until Ctrl+C
//   node scripts/localLlm/localLlm.mjs stop [port ...]    stop those servers (default: every one started here)
//   node scripts/localLlm/localLlm.mjs status             the servers this cache knows about
//
// scripts/test.mjs imports ensureLlamaServer() and startLlamaServer(). Servers it starts die with it:
// they are stopped when the tier ends, on exit and on signals, and (through `setpriv --pdeathsig`)
// even when the test process is killed with SIGKILL. A server whose owner died without stopping it
// is reaped by the next start.
//
// Env: BYOK_LLM_HOME (cache, default ~/.cache/byok-ai/local-llm), BYOK_LLM_NLC_VERSION,
//      BYOK_LLM_THREADS (default 1: on 2 vCPUs one thread is ~1000 tokens/s, two are erratic),
//      BYOK_LLM_READY_TIMEOUT_MS (default 60000).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeTinyModel } from './genTinyModel.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const llmHome = path.resolve(process.env.BYOK_LLM_HOME || path.join(os.homedir(), '.cache', 'byok-ai', 'local-llm'));
export const modelAlias = 'tiny-random-llama';
const runDir = path.join(llmHome, 'run');
const buildScript = path.join(here, 'build.sh');
const MODEL_VERSION = 1; // bump when genTinyModel.mjs changes what it writes
const log = (...parts) => console.error('[local-llm]', ...parts);

// ---- build ---------------------------------------------------------------------------------------

/** The cached llama-server path, or undefined when it has not been built on this machine yet. */
export function builtServer() {
  const r = spawnSync('bash', [buildScript, '--status'], { encoding: 'utf8', env: process.env });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * Builds llama-server when needed (build.sh: cached, locked against concurrent builds) and writes the
 * tiny model next to it. `runBuild(cmd, args)` may run the build (scripts/test.mjs passes the
 * harness's tracked `run`, so Ctrl+C stops a build in progress); it resolves { code, output }.
 * Resolves { server, model, builtNow, seconds } or rejects with a readable reason.
 */
export async function ensureLlamaServer({ runBuild = runInherit, onBuildStart } = {}) {
  const t0 = Date.now();
  let server = builtServer();
  let builtNow = false;
  if (!server) {
    onBuildStart?.();
    const r = await runBuild('bash', [buildScript]);
    server = builtServer();
    if (r.code !== 0 || !server) {
      const reason = (r.output ?? '').split('\n').filter(line => /ERROR|error:|failed/i.test(line)).slice(-8).join('\n').trim();
      throw new Error(`building llama-server failed (scripts/localLlm/build.sh exited ${r.code}${r.signal ? `, ${r.signal}` : ''})` +
        (reason ? `:\n${reason}` : '; see its output above') +
        '\nDevelopers without cmake/g++ can set BYOK_SKIP_LLM=1 to skip this tier (CI never does).');
    }
    builtNow = true;
  }
  const model = ensureModel(path.dirname(server));
  return { server, model, builtNow, seconds: (Date.now() - t0) / 1000 };
}

function runInherit(cmd, args) {
  return new Promise(resolve => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', e => resolve({ code: 127, output: String(e) }));
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal, output: '' }));
  });
}

/** The tiny model, generated from the vocab that build.sh keeps next to the binary. */
export function ensureModel(binDir) {
  const model = path.join(llmHome, `${modelAlias}-v${MODEL_VERSION}.gguf`);
  if (fs.existsSync(model) && fs.statSync(model).size > 1_000_000) return model;
  const vocab = path.join(binDir, 'ggml-vocab-llama-spm.gguf');
  if (!fs.existsSync(vocab)) throw new Error(`${vocab} is missing: delete ${binDir} and build again`);
  const r = writeTinyModel(vocab, model);
  log(`wrote the tiny model ${model} (${r.parameters} random parameters, vocab ${r.vocabSize}, ${(r.bytes / 1e6).toFixed(1)} MB)`);
  return model;
}

// ---- servers -------------------------------------------------------------------------------------

const started = new Map(); // port -> { pid, stop }
let exitHookInstalled = false;

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; }
}

function isLlamaServer(pid) {
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('llama-server'); } catch { return false; }
}

function recordFile(port) { return path.join(runDir, `server-${port}.json`); }

function readRecords() {
  if (!fs.existsSync(runDir)) return [];
  return fs.readdirSync(runDir).filter(f => /^server-\d+\.json$/.test(f)).flatMap(f => {
    try { return [JSON.parse(fs.readFileSync(path.join(runDir, f), 'utf8'))]; } catch { return []; }
  });
}

/** Stops servers whose owning process is gone (a test run killed before it could clean up). */
export function reapOrphans() {
  for (const rec of readRecords()) {
    if (rec.owner && !rec.detached && alive(rec.owner)) continue;
    if (rec.detached && alive(rec.pid) && isLlamaServer(rec.pid)) continue; // started by `start`: the user stops it
    if (alive(rec.pid) && isLlamaServer(rec.pid)) {
      log(`stopping an orphaned llama-server (pid ${rec.pid}, port ${rec.port}, owner ${rec.owner} is gone)`);
      try { process.kill(rec.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    fs.rmSync(recordFile(rec.port), { force: true });
  }
  // Logs of servers that are gone (each run picks free ports) are kept an hour for post-mortems.
  const known = new Set(readRecords().map(rec => `server-${rec.port}.log`));
  for (const file of fs.existsSync(runDir) ? fs.readdirSync(runDir) : []) {
    const full = path.join(runDir, file);
    if (/^server-\d+\.log$/.test(file) && !known.has(file) && Date.now() - fs.statSync(full).mtimeMs > 3_600_000) fs.rmSync(full, { force: true });
  }
}

export function portFree(port) {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

function hasSetprivPdeathsig() {
  const r = spawnSync('setpriv', ['--help'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('--pdeathsig');
}

/**
 * Starts one llama-server on 127.0.0.1:port (a free one when omitted) and waits for GET /health.
 * apiKey: start it with --api-key. detached: outlive this process (the `start` command); otherwise
 * the server dies with this process. Resolves { port, origin, baseUrl (…/v1), pid, logFile, stop() }.
 */
export async function startLlamaServer({ server, model, port, apiKey, detached = false, readyTimeoutMs } = {}) {
  if (!server || !model) ({ server, model } = await ensureLlamaServer());
  fs.mkdirSync(runDir, { recursive: true });
  reapOrphans();
  port ??= await freePort();
  if (!(await portFree(port))) throw new Error(`port ${port} on 127.0.0.1 is already in use`);
  const origin = `http://127.0.0.1:${port}`;
  const logFile = path.join(runDir, `server-${port}.log`);
  const threads = String(Number(process.env.BYOK_LLM_THREADS) || 1);
  const serverArgs = ['-m', model, '--host', '127.0.0.1', '--port', String(port), '--alias', modelAlias,
    '-c', '4096', '-np', '2', '-t', threads, '--jinja', '--no-webui', ...(apiKey ? ['--api-key', apiKey] : [])];
  // setpriv --pdeathsig: the kernel sends SIGTERM to the server when this process dies, even by SIGKILL.
  const [cmd, args] = !detached && hasSetprivPdeathsig()
    ? ['setpriv', ['--pdeathsig', 'TERM', '--', server, ...serverArgs]]
    : [server, serverArgs];
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  let exited;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  child.on('error', e => { exited = { code: 127, signal: String(e) }; });
  if (detached) child.unref();
  fs.writeFileSync(recordFile(port), JSON.stringify({ pid: child.pid, port, owner: process.pid, detached, keyed: Boolean(apiKey), startedAt: new Date().toISOString() }));
  const stop = () => stopPort(port, child.pid);
  if (!detached) {
    started.set(port, { pid: child.pid, stop });
    if (!exitHookInstalled) { exitHookInstalled = true; process.on('exit', stopAll); }
  }

  const deadline = Date.now() + (readyTimeoutMs ?? (Number(process.env.BYOK_LLM_READY_TIMEOUT_MS) || 60_000));
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const res = await fetch(`${origin}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return { port, origin, baseUrl: `${origin}/v1`, pid: child.pid, logFile, keyed: Boolean(apiKey), stop };
    } catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  stop();
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
  throw new Error(`llama-server on port ${port} ${exited ? `exited (${exited.code ?? exited.signal})` : 'did not answer /health in time'}; log ${logFile}:\n${tail}`);
}

/** Stops the server recorded for a port (and only if that pid is still a llama-server). */
export function stopPort(port, pid) {
  const rec = readRecords().find(r => r.port === Number(port));
  pid ??= rec?.pid;
  if (pid && alive(pid)) {
    // The server is its own process group leader (spawned detached): kill the group, so setpriv's
    // exec'd llama-server and anything it forked go too.
    try { process.kill(-pid, 'SIGTERM'); } catch { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
  }
  started.delete(Number(port));
  if (!rec || rec.pid === pid) fs.rmSync(recordFile(port), { force: true });
}

/** Stops every server this process started (synchronous: safe in an 'exit' handler). */
export function stopAll() {
  for (const [port, { pid }] of [...started]) stopPort(port, pid);
}

/** Starts the pair the integration tier uses: one open server and one with a random --api-key. */
export async function startPair({ server, model, openPort, keyedPort, detached = false } = {}) {
  if (!server || !model) ({ server, model } = await ensureLlamaServer());
  const apiKey = `llama-${randomBytes(12).toString('hex')}`;
  const open = await startLlamaServer({ server, model, port: openPort, detached });
  let keyed;
  try {
    keyed = await startLlamaServer({ server, model, port: keyedPort, apiKey, detached });
  } catch (e) {
    open.stop();
    throw e;
  }
  return {
    open, keyed, apiKey,
    env: { BYOK_LLAMA_URL: open.baseUrl, BYOK_LLAMA_KEYED_URL: keyed.baseUrl, BYOK_LLAMA_KEY: apiKey },
    stop() { open.stop(); keyed.stop(); },
  };
}

// ---- CLI -----------------------------------------------------------------------------------------
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command = 'help', ...rest] = process.argv.slice(2);
  const ports = rest.map(Number).filter(n => Number.isInteger(n) && n > 0);
  try {
    if (command === 'build') {
      const r = await ensureLlamaServer({ onBuildStart: () => log('building llama-server once (~12 min on 2 cores)') });
      console.log(`llama-server ${r.server}\nmodel        ${r.model}`);
    } else if (command === 'start' || command === 'serve') {
      const detached = command === 'start';
      const pair = await startPair({ openPort: ports[0], keyedPort: ports[1], detached });
      for (const [k, v] of Object.entries(pair.env)) console.log(`${k}=${v}`);
      if (detached) {
        log(`started: open pid ${pair.open.pid}, keyed pid ${pair.keyed.pid}; stop with: node scripts/localLlm/localLlm.mjs stop ${pair.open.port} ${pair.keyed.port}`);
      } else {
        log('serving until Ctrl+C');
        for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { pair.stop(); process.exit(0); });
        await new Promise(() => {});
      }
    } else if (command === 'stop') {
      const targets = ports.length ? ports : readRecords().map(r => r.port);
      for (const port of targets) { stopPort(port); log(`stopped the server on port ${port}`); }
    } else if (command === 'status') {
      console.log(`cache ${llmHome}\nllama-server ${builtServer() ?? '(not built)'}`);
      for (const r of readRecords()) console.log(`port ${r.port} pid ${r.pid} ${alive(r.pid) ? 'running' : 'gone'}${r.keyed ? ' (--api-key)' : ''} since ${r.startedAt}`);
    } else {
      console.log('usage: node scripts/localLlm/localLlm.mjs build | start [open-port [keyed-port]] | serve [ports] | stop [port ...] | status');
      process.exit(command === 'help' ? 0 : 2);
    }
  } catch (e) {
    log(`ERROR: ${e.message}`);
    process.exit(1);
  }
}

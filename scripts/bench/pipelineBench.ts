// The chat pipeline in plain Node: time from the chat view's `chat/send` message to the request
// arriving at the provider, through the real path — ChatViewProvider's message handler (with a
// stand-in `vscode`, scripts/bench/pipelineVscodeStub.ts) → ChatController → ConversationStore (temp
// dir) → Router → OpenAI-compatible adapter → FakeProviderServer over loopback.
//   (a) the same small active conversation with 10 vs 1,000 saved conversations in the folder;
//   (b) turn 1 of a new chat vs turn 200 of a long one.
// Pairs run interleaved in one process. Besides send → server it reports send → router.turn()
// (the extension's own part) and the request body size, which grows with the turn by nature.
// A request at turn 200 carries ~180 KB of history that must be serialised, UTF-8 encoded and
// written to the socket once per request whatever the extension does, so (b) is also measured for
// a reference: the same request body (as the server received it, parsed back into an object)
// serialised with JSON.stringify and POSTed with a bare `fetch` — send → headers at the server, at
// turn 1 and at turn 200, interleaved with the real runs. bench.mjs judges the pipeline's turn-200
// time against turn 1 plus the reference's own growth, and shows the raw ratio next to it.
// Bundled by scripts/bench/build.mjs; prints one `BYOK_BENCH_RESULT {json}` line.
//   node pipelineBench.cjs --runs 30 --warmups 5
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { ChatController } from '../../src/chat/chatController';
import type { Conversation, Turn } from '../../src/chat/conversation';
import { toFile } from '../../src/chat/conversationSchema';
import { ConversationStore } from '../../src/chat/conversationStore';
import type { Log } from '../../src/log';
import { createProvider } from '../../src/providers/index';
import { Router, defaultRetryPolicy } from '../../src/router';
import { ChatViewProvider } from '../../src/webview/chatViewProvider';
import type { HostToWebview } from '../../src/webview/protocol';
import { FakeProviderServer } from '../../test/fakes/fakeProviderServer';
import { families, streamHeaders } from '../../test/unit/faults/faultSupport';
import { makeAnswer, seededRandom } from './answer.mjs';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

const family = families.find(candidate => candidate.name === 'openai')!;
const answerTokens = 200;
const served = makeAnswer({ tokens: 40, seed: 7 }).deltas;

/** Saved conversations written straight as schema-2 files, `turns` answered turns each. */
function writeConversations(directory: string, count: number, turns: number, seed: number, newest?: string): string[] {
  fs.mkdirSync(directory, { recursive: true });
  const random = seededRandom(seed);
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const id = `${newest && index === count - 1 ? newest : 'saved'}-${seed}-${index}`;
    // The `newest` one is opened when the view connects.
    const updatedAt = newest ? Date.now() : 1_700_000_000_000 + index * 1000;
    const conversation: Conversation = { id, title: `Saved chat ${index}`, createdAt: updatedAt, updatedAt, turns: [] };
    for (let turn = 0; turn < turns; turn++) {
      const question = `Question ${turn}: ${Array.from({ length: 12 }, () => Math.floor(random() * 1e6).toString(36)).join(' ')}`;
      const answer = makeAnswer({ tokens: answerTokens, seed: seed * 100_000 + index * 1000 + turn }).text;
      const entry: Turn = {
        id: `${id}-t${turn}`, user: { id: `${id}-u${turn}`, role: 'user', text: question, content: question }, chosen: 0,
        answers: [{ id: `${id}-a${turn}`, role: 'assistant', text: answer, requestId: `${id}-r${turn}`, providerId: 'openai', meta: { providerId: 'openai', providerLabel: 'OpenAI', model: family.model, inputTokens: 1000, outputTokens: answerTokens } }],
      };
      conversation.turns.push(entry);
    }
    fs.writeFileSync(path.join(directory, `${id}.json`), JSON.stringify(toFile(conversation)));
    ids.push(id);
  }
  return ids;
}

interface Sample {
  /** chat/send → the request's headers reached the server (the request is on the wire). */
  toServerMs: number;
  /** chat/send → the whole body was read by the server (adds the upload of a body that grows with the turn). */
  toBodyMs: number;
  /** chat/send → router.turn() called: the extension's own part before the router. */
  toRouterMs: number;
  bodyBytes: number;
}

interface Pipeline {
  name: string;
  send(text: string): Promise<Sample>;
  /** Posts chat/new or chat/open and waits for the transcript it sends. */
  message(raw: unknown): Promise<void>;
  store: ConversationStore;
}

type Arrivals = Map<string, { headers?: (at: number) => void; body?: (at: number, bytes: number) => void }>;

async function pipeline(name: string, directory: string, server: FakeProviderServer, arrivals: Arrivals): Promise<Pipeline> {
  const provider = createProvider(family.descriptor, { baseUrl: `${server.url}/${name}/v1` });
  const router = new Router({
    selection: () => ({ providerId: 'openai', model: family.model }),
    resolve: (providerId, model) => ({ provider, providerId, providerLabel: 'OpenAI', family: 'openai', model: model || family.model, keyRequired: true, contextWindow: 400_000 }),
    getKey: async () => 'bench-KEY-not-a-real-key-0000000000',
    retryPolicy: () => defaultRetryPolicy,
  });
  let routerCalledAt = 0;
  const timedRouter = { turn: (...args: Parameters<Router['turn']>) => { routerCalledAt = performance.now(); return router.turn(...args); } };
  const store = new ConversationStore(directory);
  const chat = new ChatController({
    store, router: timedRouter, systemPrompt: () => 'You are a concise, expert coding assistant inside VS Code.', maxOutputTokens: () => 8192,
    currentChoice: () => ({ providerId: 'openai', providerLabel: 'OpenAI', model: family.model, hasKey: true }), log: () => undefined,
  });
  const log: Log = { info: () => undefined, warn: message => console.error(message), error: (message, error) => console.error(message, error), show: () => undefined };
  const view = new ChatViewProvider(vscode.Uri.file('/extension') as never, chat, log);
  let listener: ((raw: unknown) => void) | undefined;
  const ended = new Map<string, () => void>();
  // Resolved by the next chat/state: connect, chat/new and chat/open have finished.
  let stateArrived: () => void = () => undefined;
  const nextState = () => new Promise<void>(resolve => { stateArrived = resolve; });
  const connectedOnce = nextState();
  const webview = {
    options: {}, html: '', cspSource: 'bench:', asWebviewUri: (uri: unknown) => uri,
    postMessage: async (message: HostToWebview) => {
      if (message.type === 'chat/state') stateArrived();
      if (message.type === 'chat/end') ended.get(message.requestId)?.();
      return true;
    },
    onDidReceiveMessage: (callback: (raw: unknown) => void) => { listener = callback; return new vscode.Disposable(() => undefined); },
  };
  view.resolveWebviewView({ webview, onDidDispose: () => new vscode.Disposable(() => undefined) } as never);
  listener!({ type: 'ready', view: 'chat' });
  await connectedOnce;
  let counter = 0;
  return {
    name,
    store,
    async message(raw) {
      const state = nextState();
      listener!(raw);
      await withTimeout(state, `${name}: no chat/state after ${JSON.stringify(raw)}`);
    },
    async send(text) {
      const requestId = `${name}-${++counter}`;
      const done = new Promise<void>(resolve => ended.set(requestId, resolve));
      const watch: { headers?: (at: number) => void; body?: (at: number, bytes: number) => void } = {};
      const headers = new Promise<number>(resolve => { watch.headers = resolve; });
      const body = new Promise<{ at: number; bytes: number }>(resolve => { watch.body = (at, bytes) => resolve({ at, bytes }); });
      arrivals.set(name, watch);
      (globalThis as { gc?: () => void }).gc?.();
      const start = performance.now();
      listener!({ type: 'chat/send', requestId, text });
      const headersAt = await withTimeout(headers, `${requestId}: the request never reached the server`);
      const arrival = await withTimeout(body, `${requestId}: the request body never arrived`);
      await withTimeout(done, `${requestId}: no chat/end`);
      ended.delete(requestId);
      return { toServerMs: headersAt - start, toBodyMs: arrival.at - start, toRouterMs: routerCalledAt - start, bodyBytes: arrival.bytes };
    },
  };
}

/** A stuck pipeline fails the phase with a reason instead of hanging the bench. */
function withTimeout<T>(promise: Promise<T>, reason: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(reason)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const median = (values: number[]) => { const sorted = [...values].sort((a, b) => a - b); const middle = Math.floor(sorted.length / 2); return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2; };
const summarize = (samples: Sample[]) => ({
  n: samples.length,
  medianToServerMs: median(samples.map(sample => sample.toServerMs)),
  medianToBodyMs: median(samples.map(sample => sample.toBodyMs)),
  medianToRouterMs: median(samples.map(sample => sample.toRouterMs)),
  medianBodyBytes: median(samples.map(sample => sample.bodyBytes)),
  toServerMs: samples.map(sample => Math.round(sample.toServerMs * 1000) / 1000),
});

async function main(): Promise<void> {
  const runs = option('runs', 30);
  const warmups = option('warmups', 5);
  const manyCount = option('many', 1000);
  const longTurns = option('long-turns', 199);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-pipeline-'));
  const server = await new FakeProviderServer().start();
  const arrivals: Arrivals = new Map();
  /** The last body each route received: the reference resends exactly these. */
  const bodies = new Map<string, string>();
  // Headers parsed: Node's 'request' event, before the fake reads the body.
  (Reflect.get(server, 'server') as import('node:http').Server).prependListener('request', (request: import('node:http').IncomingMessage) => {
    const name = /^\/(\w+)\//.exec(request.url ?? '')?.[1];
    if (name && request.method === 'POST') arrivals.get(name)?.headers?.(performance.now());
  });
  for (const name of ['few', 'many', 'first', 'long', 'reffirst', 'reflong']) {
    server.route('POST', `/${name}${family.path}`, (request, response) => {
      arrivals.get(name)?.body?.(performance.now(), Buffer.byteLength(request.body));
      bodies.set(name, request.body);
      response.writeHead(200, streamHeaders);
      response.end(family.stream(served));
    });
  }
  const started = performance.now();
  // (a) The newest conversation (opened on connect) is the same size in both folders: 5 turns.
  writeConversations(path.join(root, 'few'), 9, 10, 1);
  writeConversations(path.join(root, 'few'), 1, 5, 2, 'active');
  writeConversations(path.join(root, 'many'), manyCount - 1, 10, 3);
  writeConversations(path.join(root, 'many'), 1, 5, 2, 'active');
  // (b) Turn 200: one long conversation per measured run, each opened before its send.
  const longIds = writeConversations(path.join(root, 'long'), runs + warmups, longTurns, 4);
  fs.mkdirSync(path.join(root, 'first'), { recursive: true });
  const preparedMs = performance.now() - started;

  const few = await pipeline('few', path.join(root, 'few'), server, arrivals);
  const many = await pipeline('many', path.join(root, 'many'), server, arrivals);
  const first = await pipeline('first', path.join(root, 'first'), server, arrivals);
  const long = await pipeline('long', path.join(root, 'long'), server, arrivals);
  const listed = { few: (await few.store.list()).length, many: (await many.store.list()).length };

  const samples: Record<string, Sample[]> = { few: [], many: [], first: [], long: [], reffirst: [], reflong: [] };
  /** The reference: serialise the same body and POST it with a bare fetch (no extension, router or SDK). */
  const reference = async (name: 'reffirst' | 'reflong', from: 'first' | 'long'): Promise<Sample> => {
    const body = JSON.parse(bodies.get(from)!) as unknown;
    const watch: { headers?: (at: number) => void; body?: (at: number, bytes: number) => void } = {};
    const headers = new Promise<number>(resolve => { watch.headers = resolve; });
    const arrived = new Promise<{ at: number; bytes: number }>(resolve => { watch.body = (at, bytes) => resolve({ at, bytes }); });
    arrivals.set(name, watch);
    (globalThis as { gc?: () => void }).gc?.();
    const start = performance.now();
    const response = fetch(`${server.url}/${name}${family.path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer bench' }, body: JSON.stringify(body) });
    const headersAt = await withTimeout(headers, `${name}: the reference request never reached the server`);
    const arrival = await withTimeout(arrived, `${name}: the reference body never arrived`);
    await (await response).text();
    return { toServerMs: headersAt - start, toBodyMs: arrival.at - start, toRouterMs: 0, bodyBytes: arrival.bytes };
  };
  for (let run = 0; run < warmups + runs; run++) {
    const keep = run >= warmups;
    const text = `Bench question ${run}: what does this function return?`;
    // Alternate the order of each pair so neither side always runs on a warmer process.
    const pairA = run % 2 ? [many, few] : [few, many];
    for (const side of pairA) { const sample = await side.send(text); if (keep) samples[side.name]!.push(sample); }
    await first.message({ type: 'chat/new' });
    await long.message({ type: 'chat/open', conversationId: longIds[run]! });
    const pairB = run % 2 ? [long, first] : [first, long];
    for (const side of pairB) { const sample = await side.send(text); if (keep) samples[side.name]!.push(sample); }
    const pairC = run % 2 ? (['reflong', 'reffirst'] as const) : (['reffirst', 'reflong'] as const);
    for (const name of pairC) { const sample = await reference(name, name === 'reffirst' ? 'first' : 'long'); if (keep) samples[name]!.push(sample); }
  }
  await Promise.all([few, many, first, long].map(side => side.store.flush()));
  await server.stop();
  fs.rmSync(root, { recursive: true, force: true });
  console.log(`BYOK_BENCH_RESULT ${JSON.stringify({
    node: process.version, runs, warmups, manyCount, longTurns: longTurns + 1, answerTokens, preparedMs, listed,
    conversations: { few: summarize(samples.few!), many: summarize(samples.many!) },
    turns: { first: summarize(samples.first!), long: summarize(samples.long!) },
    reference: { first: summarize(samples.reffirst!), long: summarize(samples.reflong!) },
  })}`);
}

main().catch(error => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

// Extension-host memory over a long chat, in plain Node: the real ChatController + Router +
// OpenAI-compatible adapter + ConversationStore (temp dir), answering from a FakeProviderServer over
// loopback HTTP, so request guards, abort controllers, SDK streams and webview posts all take part.
// After a warm-up conversation and New Chat, the heap (after full GCs) is read before the first turn,
// after 10, half and all turns, after New Chat, and after a second conversation and New Chat; the growth is compared with the bytes of
// text the conversation stores. With --snapshots <dir>, heap snapshots let the bench split the growth
// into strings, compiled code and other objects (scripts/bench/heapSnapshot.mjs).
// Bundled by scripts/bench/build.mjs; prints one `BYOK_BENCH_RESULT {json}` line.
//   node --expose-gc memoryBench.cjs --turns 200 --warmup-turns 40 --answer-tokens 1000 [--snapshots <dir>]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { ChatController } from '../../src/chat/chatController';
import { visibleMessages, type Conversation } from '../../src/chat/conversation';
import { ConversationStore } from '../../src/chat/conversationStore';
import { createProvider } from '../../src/providers/index';
import { Router, defaultRetryPolicy } from '../../src/router';
import type { HostToWebview } from '../../src/webview/protocol';
import { FakeProviderServer } from '../../test/fakes/fakeProviderServer';
import { families, streamHeaders } from '../../test/unit/faults/faultSupport';
import { makeAnswer, seededRandom } from './answer.mjs';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

/** heapUsed after full collections; the smallest of a few readings (a GC can leave floating garbage). */
async function heapAfterGc(): Promise<number> {
  const readings: number[] = [];
  for (let index = 0; index < 4; index++) {
    await new Promise(resolve => setImmediate(resolve));
    gc!();
    readings.push(process.memoryUsage().heapUsed);
  }
  return Math.min(...readings);
}

/** Characters of text the conversation keeps (all ASCII here, so bytes too). */
function storedTextBytes(conversation: Conversation): number {
  let bytes = conversation.title.length;
  for (const turn of conversation.turns) {
    for (const message of [turn.user, ...turn.answers]) {
      bytes += message.text.length + (message.reasoning?.length ?? 0);
      if (message.content !== undefined && message.content !== message.text) bytes += message.content.length;
    }
  }
  return bytes;
}

/**
 * Node's fetch files a PerformanceResourceTiming entry per request (up to 250 by default, then it
 * drops them). Not the extension's memory, and capped, but it grows with every turn up to the cap, so
 * it is counted and cleared before each reading that is compared. Returns how many there were.
 */
function clearResourceTimings(): number {
  const entries = performance.getEntriesByType('resource').length;
  performance.clearResourceTimings();
  return entries;
}

/** Used bytes per V8 heap space (read right after heapAfterGc()). */
function heapSpaces(): Record<string, number> {
  return Object.fromEntries(v8.getHeapSpaceStatistics().map(space => [space.space_name, space.space_used_size]));
}

/**
 * With --snapshots <dir>, writes a heap snapshot (which starts with a full GC) for the bench to break
 * the growth down by kind (strings, compiled code, objects) out of process; DevTools can open them too.
 */
function writeSnapshot(name: string): string | undefined {
  const index = process.argv.indexOf('--snapshots');
  const directory = index >= 0 ? process.argv[index + 1] : undefined;
  return directory ? v8.writeHeapSnapshot(path.join(directory, `${name}.heapsnapshot`)) : undefined;
}

function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

async function main(): Promise<void> {
  const turns = option('turns', 200);
  const answerTokens = option('answer-tokens', 1000);
  const warmupTurns = option('warmup-turns', 40);
  const checkpoints = new Set([10, Math.round(turns / 2), turns]);
  const family = families.find(candidate => candidate.name === 'openai');
  if (!family) throw new Error('no openai family');
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-bench-memory-'));
  // The extension host logs an unhandled rejection and carries on; so does this bench, counting them.
  const unhandledRejections: string[] = [];
  process.on('unhandledRejection', reason => { unhandledRejections.push(reason instanceof Error ? reason.message : String(reason)); });

  // Every answer is different (seeded by the request count) and generated on demand, so the fake keeps nothing.
  const server = await new FakeProviderServer().start();
  let served = 0;
  server.route('POST', family.path, (_request, response) => {
    served++;
    response.writeHead(200, streamHeaders);
    response.end(family.stream(makeAnswer({ tokens: answerTokens, seed: 1000 + served }).deltas));
  });

  const provider = createProvider(family.descriptor, { baseUrl: `${server.url}/v1` });
  const router = new Router({
    selection: () => ({ providerId: 'openai', model: family.model }),
    resolve: (providerId, model) => ({ provider, providerId, providerLabel: 'OpenAI', family: 'openai', model: model || family.model, keyRequired: true, contextWindow: 400_000 }),
    getKey: async () => 'bench-KEY-not-a-real-key-0000000000',
    retryPolicy: () => defaultRetryPolicy,
  });
  const store = new ConversationStore(directory);
  const chat = new ChatController({
    store, router,
    systemPrompt: () => 'You are a concise, expert coding assistant inside VS Code.',
    maxOutputTokens: () => 8192,
    currentChoice: () => ({ providerId: 'openai', providerLabel: 'OpenAI', model: family.model, hasKey: true }),
    onBusyChange: () => undefined,
    log: () => undefined,
  });
  // The webview side: counts what is posted and keeps none of it, like a view that rendered it.
  const posted: Record<string, number> = {};
  let postedBytes = 0;
  await chat.connect((message: HostToWebview) => {
    posted[message.type] = (posted[message.type] ?? 0) + 1;
    if (message.type === 'chat/delta') postedBytes += message.text?.length ?? 0;
  });

  // Checkpoints and the weak reference are taken in their own functions: a suspended async frame
  // keeps its temporaries, so reading the conversation in main() would itself keep it alive.
  const checkpoint = async (turn: number) => {
    await store.flush();
    const conversation = await chat.activeConversation();
    const stored = storedTextBytes(conversation);
    const transcript = visibleMessages(conversation);
    const messages = transcript.length;
    const errors = transcript.filter(message => message.error).length;
    const heapBytes = await heapAfterGc();
    const resourceTimingEntries = clearResourceTimings();
    const heapBytesWithoutResourceTimings = await heapAfterGc();
    return {
      turns: turn,
      heapBytes,
      resourceTimingEntries,
      heapBytesWithoutResourceTimings,
      spaces: heapSpaces(),
      storedTextBytes: stored,
      messages,
      errors,
      activeRequests: chat.requestCount,
      // Queued writes, throttled live answers and a pending index write, after flush(): should be 0.
      storePending: store.pendingWrites,
      storeUnsaved: store.pendingWrites,
      resources: activeResources(),
      snapshot: turn === 10 || turn === turns ? writeSnapshot(`turn-${turn}`) : undefined,
    };
  };
  const weakConversation = async () => new WeakRef(await chat.activeConversation());

  const random = seededRandom(3);
  let requestNumber = 0;
  const turn = async (): Promise<void> => {
    requestNumber++;
    const question = `Question ${requestNumber}: ${Array.from({ length: 20 }, () => Math.floor(random() * 1e6).toString(36)).join(' ')}`;
    await chat.send(`request-${requestNumber}`, question);
    server.requests.length = 0; // the fake's own log of request bodies is not the extension's memory
  };

  // Warm-up in a conversation of its own, so V8 has compiled and optimised the hot paths (its code and
  // feedback would otherwise count as growth), then New Chat: the measured conversation starts empty.
  for (let index = 0; index < warmupTurns; index++) await turn();
  await chat.newChat();
  await store.flush();
  clearResourceTimings();
  const baseline = { heapBytes: await heapAfterGc(), spaces: heapSpaces(), snapshot: writeSnapshot('baseline') };

  const checkpointsTaken: Awaited<ReturnType<typeof checkpoint>>[] = [];
  const started = performance.now();
  for (let index = 1; index <= turns; index++) {
    await turn();
    if (checkpoints.has(index)) checkpointsTaken.push(await checkpoint(index));
  }
  const elapsedMs = performance.now() - started;
  // New Chat saves the long conversation to disk and drops it: the heap should fall back to the
  // baseline, and the conversation object must become garbage.
  const oldConversation = await weakConversation();
  await chat.newChat();
  await store.flush();
  const heapBytes = await heapAfterGc();
  const resourceTimingEntries = clearResourceTimings();
  const afterNewChat = {
    heapBytes, resourceTimingEntries, heapBytesWithoutResourceTimings: await heapAfterGc(), spaces: heapSpaces(),
    oldConversationCollected: oldConversation.deref() === undefined,
    snapshot: writeSnapshot('after-new-chat'),
  };
  // A second conversation as long as the first, then New Chat again. Buffers and tables sized by the
  // longest conversation so far stay at their high-water mark (a one-off); a leak would leave this
  // second reading higher than the first by about as much again.
  for (let index = 1; index <= turns; index++) await turn();
  await chat.newChat();
  await store.flush();
  const secondHeapBytes = await heapAfterGc();
  const secondResourceTimingEntries = clearResourceTimings();
  const afterSecondChat = {
    heapBytes: secondHeapBytes, resourceTimingEntries: secondResourceTimingEntries, heapBytesWithoutResourceTimings: await heapAfterGc(),
    spaces: heapSpaces(), snapshot: writeSnapshot('after-second-chat'),
  };
  await server.stop();
  // Every conversation file the store left must still parse.
  const files = fs.readdirSync(directory).filter(name => name.endsWith('.json'));
  const unreadableFiles = files.filter(name => {
    try { JSON.parse(fs.readFileSync(path.join(directory, name), 'utf8')); return false; } catch { return true; }
  }).length;
  fs.rmSync(directory, { recursive: true, force: true });
  console.log(`BYOK_BENCH_RESULT ${JSON.stringify({
    turns, warmupTurns, answerTokens, served, elapsedMs, node: process.version, execArgv: process.execArgv,
    baseline, checkpoints: checkpointsTaken, afterNewChat, afterSecondChat,
    posted, postedDeltaTextBytes: postedBytes,
    unhandledRejections: unhandledRejections.length, unhandledRejectionMessages: [...new Set(unhandledRejections)].slice(0, 5),
    conversationFiles: files.length, unreadableFiles,
  })}`);
}

main().catch(error => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});

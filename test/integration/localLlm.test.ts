// The "real server nobody here wrote" tier: the custom-endpoint path against llama.cpp's own
// `llama-server` (OpenAI- and Anthropic-compatible APIs), built from source and serving a tiny model
// with RANDOM weights (scripts/localLlm/). The text is gibberish, so every assertion is about the
// protocol and behaviour: verify, model list, streaming, usage, limits, cancellation, errors.
// scripts/test.mjs starts two servers and passes BYOK_LLAMA_URL (open), BYOK_LLAMA_KEYED_URL and
// BYOK_LLAMA_KEY (started with --api-key). Without them (desktop VS Code runner, BYOK_SKIP_LLM=1) the
// suite is skipped and says why; scripts/test.mjs reports that skip in its summary.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import type { StoredMessage } from '../../src/chat/conversation';
import type { RouterOutput, TurnRequest } from '../../src/router';
import type { TurnResult } from '../../src/router/turn';
import { byokApi, configuration, eventually, pointProviderAt, resetUserSettings } from './support';

const openUrl = process.env.BYOK_LLAMA_URL;
const keyedUrl = process.env.BYOK_LLAMA_KEYED_URL;
const rightKey = process.env.BYOK_LLAMA_KEY;
const model = 'tiny-random-llama';
const open = 'custom:llama-open';
const keyed = 'custom:llama-keyed';

const origin = (baseUrl: string): string => baseUrl.replace(/\/v1\/?$/, '');

async function health(baseUrl: string): Promise<number> {
  const response = await fetch(`${origin(baseUrl)}/health`, { signal: AbortSignal.timeout(5000) });
  return response.status;
}

/** True when no slot of the server is generating (GET /slots; undefined if the server hides it). */
async function idle(baseUrl: string, key?: string): Promise<boolean | undefined> {
  const response = await fetch(`${origin(baseUrl)}/slots`, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal: AbortSignal.timeout(5000) });
  if (!response.ok) return undefined;
  const slots = await response.json() as { is_processing?: boolean }[];
  return slots.every(slot => slot.is_processing !== true);
}

async function setMaxOutputTokens(value: number | undefined): Promise<void> {
  await configuration().update('chat.maxOutputTokens', value, vscode.ConfigurationTarget.Global);
}

async function lastAnswer(api: ByokApi): Promise<StoredMessage> {
  const answer = (await api.chat.activeTranscript()).at(-1);
  assert.ok(answer && answer.role === 'assistant', 'the conversation ends with an answer');
  return answer;
}

function first<T extends RouterOutput['type']>(events: RouterOutput[], type: T): Extract<RouterOutput, { type: T }> | undefined {
  return events.find((event): event is Extract<RouterOutput, { type: T }> => event.type === type);
}

/** Runs one request through the router and collects everything it reports. */
async function collect(api: ByokApi, request: Omit<TurnRequest, 'feature'>): Promise<{ events: RouterOutput[]; text: string; error?: unknown; settled: TurnResult }> {
  const events: RouterOutput[] = [];
  let text = '';
  const turn = api.router.turn({ feature: 'chat', ...request }, AbortSignal.timeout(60_000));
  try {
    for await (const event of turn.parts) {
      events.push(event);
      if (event.type === 'text-delta') text += event.text;
    }
    return { events, text, settled: await turn.settled };
  } catch (error) {
    return { events, text, error, settled: await turn.settled };
  }
}

describe('real llama.cpp llama-server as a custom endpoint', function () {
  this.timeout(120_000);
  let api: ByokApi;

  before(async function () {
    if (!openUrl || !keyedUrl || !rightKey) {
      console.log('[localLlm] skipped: BYOK_LLAMA_URL/BYOK_LLAMA_KEYED_URL/BYOK_LLAMA_KEY are not set (scripts/test.mjs starts the servers; BYOK_SKIP_LLM=1 turns that off)');
      this.skip();
    }
    api = await byokApi();
    await resetUserSettings();
    await configuration().update('customEndpoints', [
      { id: 'llama-open', name: 'llama.cpp (open)', baseUrl: openUrl, keyRequired: false, defaultModel: model },
      { id: 'llama-keyed', name: 'llama.cpp (--api-key)', baseUrl: keyedUrl, keyRequired: true, defaultModel: model },
    ], vscode.ConfigurationTarget.Global);
    await eventually(() => api.catalog.describe(open) !== undefined && api.catalog.describe(keyed) !== undefined, 'the custom endpoints are known');
    assert.equal(await health(openUrl), 200, 'the open llama-server is up');
  });

  after(async () => {
    if (!api) return;
    api.chat.cancelAll();
    await api.keys.delete(keyed).catch(() => undefined);
    await api.keys.delete('anthropic').catch(() => undefined);
    await setMaxOutputTokens(undefined);
    await resetUserSettings();
  });

  // Each test starts from the same selection, whatever ran before it (or failed half-way).
  beforeEach(async () => {
    await api.settings.setSelectedProvider(open);
    await api.settings.setModel(open, model);
  });

  afterEach(async () => {
    api.chat.cancelAll();
    await setMaxOutputTokens(undefined);
  });

  it('verifies the open endpoint without a key and lists the served model', async () => {
    assert.equal(api.providers.keyRequired(open), false);
    const result = await api.providers.verify(open);
    assert.equal(result.ok, true, JSON.stringify(result.error?.toJSON()));
    assert.ok((result.modelCount ?? 0) >= 1, `modelCount ${result.modelCount}`);
    assert.equal(api.providers.keyState(open), 'verified');
    const models = await api.providers.models(open, true);
    assert.ok(models.some(option => option.id === model), `models: ${JSON.stringify(models.map(option => option.id))}`);
  });

  it('streams a chat answer within the output limit, with usage and a finish', async () => {
    const limit = 64;
    await setMaxOutputTokens(limit);
    await api.settings.setSelectedProvider(open);
    await api.settings.setModel(open, model);
    await api.chat.newChat();
    await api.chat.send('llama-chat', 'Say hello in five words.');
    const answer = await lastAnswer(api);
    assert.equal(answer.error, undefined, JSON.stringify(answer.error));
    assert.equal(answer.stopped, undefined);
    assert.equal(answer.pending, undefined, 'the answer ended');
    assert.ok(answer.text.length > 0, 'some text arrived');
    assert.equal(answer.meta?.providerId, open);
    assert.equal(answer.meta?.model, model);
    const outputTokens = answer.meta?.outputTokens ?? 0;
    assert.ok(outputTokens > 0 && outputTokens <= limit, `output tokens ${outputTokens} within 1..${limit}`);
    assert.ok((answer.meta?.inputTokens ?? 0) > 0, `input tokens ${answer.meta?.inputTokens}`);
    // The untrained model almost never emits EOS: it runs into the limit, which the chat marks.
    if (outputTokens === limit) assert.equal(answer.truncated, true, 'a length finish marks the answer truncated');

    // The same request through the router shows the full event sequence.
    const run = await collect(api, { providerId: open, model, messages: [{ role: 'user', content: 'Count to ten.' }], maxOutputTokens: 16 });
    assert.equal(run.error, undefined, String(run.error));
    const types = run.events.map(event => event.type);
    assert.equal(types[0], 'route');
    assert.ok(types.includes('first-token') && types.includes('text-delta'), types.join(','));
    const finish = first(run.events, 'finish');
    assert.ok(finish && (finish.unified === 'length' || finish.unified === 'stop'), `finish ${JSON.stringify(finish)}`);
    const usage = first(run.events, 'usage');
    assert.ok(usage && (usage.usage.outputTokens ?? 0) > 0 && (usage.usage.outputTokens ?? 0) <= 16, `usage ${JSON.stringify(usage)}`);
    assert.equal(types.at(-1), 'done');
    // The settled result carries the usage the server reported, whatever the feature.
    assert.equal(run.settled.outcome, 'ok');
    assert.ok((run.settled.usage?.outputTokens ?? 0) > 0 && (run.settled.usage?.inputTokens ?? 0) > 0, `settled usage ${JSON.stringify(run.settled.usage)}`);
    assert.deepEqual(first(run.events, 'done')?.result, run.settled);
  });

  it('cancels mid-stream: the answer is marked stopped and the server stops generating', async () => {
    await setMaxOutputTokens(2000);
    await api.chat.newChat();
    const sending = api.chat.send('llama-cancel', 'Write a very long story.');
    await eventually(async () => {
      const last = (await api.chat.activeTranscript()).at(-1);
      return last?.role === 'assistant' && last.text.length > 0; // not the question, which is last until the answer starts
    }, 'the first text of the answer arrived', 30_000);
    api.chat.cancel('llama-cancel');
    await sending;
    const answer = await lastAnswer(api);
    assert.equal(answer.stopped, true, JSON.stringify({ error: answer.error, meta: answer.meta }));
    assert.equal(answer.error, undefined);
    assert.ok(answer.text.length > 0, 'the partial text is kept');
    assert.ok((answer.meta?.outputTokens ?? 0) < 2000, 'it did not run to the limit');
    assert.equal(await health(openUrl!), 200, 'the server is still healthy');
    if ((await idle(openUrl!)) !== undefined) await eventually(async () => (await idle(openUrl!)) === true, 'llama-server stopped generating for the closed connection', 10_000);
    // And it still answers.
    const after = await collect(api, { providerId: open, model, messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 8 });
    assert.equal(after.error, undefined, String(after.error));
    assert.ok(after.text.length > 0);
  });

  it('reports a prompt above the context size as a context-length error', async () => {
    await setMaxOutputTokens(64);
    await api.chat.newChat();
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    const huge = Array.from({ length: 20_000 }, (_, index) => words[index % words.length]).join(' ');
    await api.chat.send('llama-context', huge);
    const answer = await lastAnswer(api);
    assert.equal(answer.error?.kind, 'context-length', JSON.stringify(answer.error));
    assert.equal(answer.error?.status, 400);
    assert.equal(answer.error?.retryable, false);
    assert.match(answer.error?.message ?? '', /context/i);
    assert.doesNotMatch(answer.error?.message ?? '', /[{}]/, 'a readable message, not a JSON dump');
    assert.equal(await health(openUrl!), 200, 'the server is still healthy');
  });

  it('the --api-key server: a wrong key fails verify and chat as auth (401), the right key works', async () => {
    assert.equal(api.providers.keyRequired(keyed), true);
    try {
      await api.keys.set(keyed, 'wrong-key');
      const wrong = await api.providers.verify(keyed);
      assert.equal(wrong.ok, false, 'a wrong key does not verify');
      assert.equal(wrong.error?.kind, 'auth', JSON.stringify(wrong.error?.toJSON()));
      assert.equal(wrong.error?.status, 401);
      assert.equal(api.providers.keyState(keyed), 'failing');

      await api.settings.setSelectedProvider(keyed);
      await api.settings.setModel(keyed, model);
      await setMaxOutputTokens(32);
      await api.chat.newChat();
      await api.chat.send('llama-keyed-wrong', 'hello');
      const failed = await lastAnswer(api);
      assert.equal(failed.error?.kind, 'auth', JSON.stringify(failed.error));
      assert.doesNotMatch(failed.error?.message ?? '', /wrong-key/, 'the key is not echoed');

      await api.keys.set(keyed, rightKey!);
      await eventually(() => api.providers.lastVerify(keyed) === undefined, 'a new key clears the old verify result');
      const right = await api.providers.verify(keyed);
      assert.equal(right.ok, true, JSON.stringify(right.error?.toJSON()));
      assert.ok((right.modelCount ?? 0) >= 1);
      const models = await api.providers.models(keyed, true);
      assert.ok(models.some(option => option.id === model));
      await api.chat.send('llama-keyed-right', 'hello again');
      const answer = await lastAnswer(api);
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      assert.ok(answer.text.length > 0);
      assert.equal(answer.meta?.providerId, keyed);
    } finally {
      await api.keys.delete(keyed).catch(() => undefined);
    }
  });

  it('the built-in Anthropic provider streams from llama-server\'s /v1/messages', async () => {
    const baseUrlsBefore = configuration().inspect('baseUrls')?.globalValue;
    try {
      await pointProviderAt('anthropic', origin(openUrl!));
      await api.keys.set('anthropic', 'sk-ant-anything-goes-for-an-open-llama-server');
      const run = await collect(api, { providerId: 'anthropic', model, messages: [{ role: 'user', content: 'hello' }], maxOutputTokens: 16 });
      assert.equal(run.error, undefined, String(run.error));
      assert.ok(run.text.length > 0, 'text arrived');
      assert.equal(first(run.events, 'route')?.providerId, 'anthropic');
      const finish = first(run.events, 'finish');
      assert.ok(finish && (finish.unified === 'length' || finish.unified === 'stop'), `finish ${JSON.stringify(finish)}`);
      // Usage parts are snapshots (message_start, then the cumulative message_delta): the last one counts.
      const usage = run.events.filter((event): event is Extract<RouterOutput, { type: 'usage' }> => event.type === 'usage').at(-1);
      assert.ok(usage && (usage.usage.outputTokens ?? 0) > 0 && (usage.usage.outputTokens ?? 0) <= 16, `usage ${JSON.stringify(run.events.filter(event => event.type === 'usage'))}`);
      assert.ok((run.settled.usage?.outputTokens ?? 0) > 0 && (run.settled.usage?.inputTokens ?? 0) > 0, `settled usage ${JSON.stringify(run.settled.usage)}`);
      assert.equal(run.settled.servedModel !== undefined, first(run.events, 'response-metadata') !== undefined, 'the served model is settled when the response named one');
    } finally {
      await api.keys.delete('anthropic').catch(() => undefined);
      await configuration().update('baseUrls', baseUrlsBefore, vscode.ConfigurationTarget.Global);
    }
  });
});

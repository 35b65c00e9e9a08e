import assert from 'node:assert/strict';
import { ProviderError } from '../../src/providers/errors';
import type { SdkFamily } from '../../src/providers/registry';
import type { ChatMessage } from '../../src/providers/types';
import { Router, defaultRetryPolicy, retryDelay, type RouterDependencies, type RouterOutput } from '../../src/router';
import { ScriptedProvider, type Script } from '../fakes/scriptedProvider';

const key = 'sk-router-SECRET-0123456789';

interface Setup {
  providers: Record<string, { provider: ScriptedProvider; family: SdkFamily; model: string; contextWindow?: number; keyRequired?: boolean }>;
  keys?: Record<string, string>;
  selected?: string;
  sleeps?: number[];
  maxAttempts?: number;
}

function routerFor(setup: Setup): Router {
  const dependencies: RouterDependencies = {
    selection: () => {
      const id = setup.selected ?? Object.keys(setup.providers)[0]!;
      return { providerId: id, model: setup.providers[id]!.model };
    },
    resolve: (providerId, model) => {
      const entry = setup.providers[providerId];
      if (!entry) return undefined;
      return {
        provider: entry.provider, providerId, providerLabel: providerId.toUpperCase(), family: entry.family,
        model: model || entry.model, keyRequired: entry.keyRequired ?? true, contextWindow: entry.contextWindow,
      };
    },
    getKey: async providerId => (setup.keys ?? {})[providerId],
    retryPolicy: () => ({ ...defaultRetryPolicy, maxAttempts: setup.maxAttempts ?? 3 }),
    sleep: async ms => { setup.sleeps?.push(ms); },
    random: () => 0.5,
  };
  return new Router(dependencies);
}

async function collect(stream: AsyncIterable<RouterOutput>): Promise<{ outputs: RouterOutput[]; error?: ProviderError }> {
  const outputs: RouterOutput[] = [];
  try {
    for await (const output of stream) outputs.push(output);
    return { outputs };
  } catch (error) {
    assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
    return { outputs, error };
  }
}

const text = (outputs: RouterOutput[]): string => outputs.filter(output => output.type === 'text-delta').map(output => (output as { text: string }).text).join('');
const hello: Script = { parts: [{ type: 'text-delta', text: 'Hel' }, { type: 'text-delta', text: 'lo' }, { type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } }, { type: 'finish', unified: 'stop', raw: 'stop' }] };
const user = (content: string): ChatMessage => ({ role: 'user', content });

describe('router', () => {
  it('uses the selected provider and model, with the key fetched per request', async () => {
    const openai = new ScriptedProvider('openai', [hello]);
    const router = routerFor({ providers: { openai: { provider: openai, family: 'openai', model: 'gpt-x' } }, keys: { openai: key } });
    const { outputs, error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error, undefined);
    assert.equal(text(outputs), 'Hello');
    assert.equal(openai.calls[0]!.request.model, 'gpt-x');
    assert.equal(openai.calls[0]!.apiKey, key);
    const done = outputs.find(output => output.type === 'done');
    assert.deepEqual(done && done.type === 'done' ? done.result.usage : undefined, { inputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 });
    assert.equal(done && done.type === 'done' ? done.result.outcome : undefined, 'ok');
    assert.equal(outputs.at(-1), done, 'done is the last output');
    assert.deepEqual(outputs[0], { type: 'route', providerId: 'openai', providerLabel: 'OPENAI', model: 'gpt-x' });
  });

  it('honours a per-request provider and model override', async () => {
    const openai = new ScriptedProvider('openai', [hello]);
    const anthropic = new ScriptedProvider('anthropic', [hello]);
    const router = routerFor({
      providers: { openai: { provider: openai, family: 'openai', model: 'gpt-x' }, anthropic: { provider: anthropic, family: 'anthropic', model: 'claude-default' } },
      keys: { openai: key, anthropic: key },
    });
    await collect(router.turn({ feature: 'chat', providerId: 'anthropic', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(anthropic.calls[0]!.request.model, 'claude-default', 'override provider uses its own model');
    await collect(router.turn({ feature: 'chat', providerId: 'anthropic', model: 'claude-other', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(anthropic.calls[1]!.request.model, 'claude-other');
    await collect(router.turn({ feature: 'chat', model: 'gpt-y', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(openai.calls[0]!.request.model, 'gpt-y');
  });

  it('fails with missing-key and calls no provider when the key is missing', async () => {
    const openai = new ScriptedProvider('openai', [hello]);
    const router = routerFor({ providers: { openai: { provider: openai, family: 'openai', model: 'gpt-x' } } });
    const { error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error?.kind, 'missing-key');
    assert.equal(openai.calls.length, 0);
  });

  it('sends no key and still works for a keyless local endpoint', async () => {
    const local = new ScriptedProvider('custom:ollama', [hello]);
    const router = routerFor({ providers: { 'custom:ollama': { provider: local, family: 'openai', model: 'llama', keyRequired: false } } });
    const { error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error, undefined);
    assert.equal(local.calls[0]!.apiKey, undefined);
  });

  it('retries a retryable error before the first token, honouring retry-after', async () => {
    const sleeps: number[] = [];
    const limited = new ProviderError({ kind: 'rate-limit', providerId: 'openai', message: 'slow down', status: 429, retryAfterMs: 1200 });
    const openai = new ScriptedProvider('openai', [limited, hello]);
    const router = routerFor({ providers: { openai: { provider: openai, family: 'openai', model: 'gpt-x' } }, keys: { openai: key }, sleeps });
    const { outputs, error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error, undefined);
    assert.equal(text(outputs), 'Hello');
    assert.deepEqual(sleeps, [1200]);
    assert.equal(openai.calls.length, 2);
    assert.ok(outputs.some(output => output.type === 'retry-scheduled' && output.delayMs === 1200));
  });

  it('never retries after a token was shown', async () => {
    const broken = new ProviderError({ kind: 'overloaded', providerId: 'anthropic', message: 'Overloaded', status: 529 });
    const anthropic = new ScriptedProvider('anthropic', [{ parts: [{ type: 'text-delta', text: 'partial' }], failAfter: broken }, hello]);
    const router = routerFor({ providers: { anthropic: { provider: anthropic, family: 'anthropic', model: 'c' } }, keys: { anthropic: key } });
    const { outputs, error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error?.kind, 'overloaded');
    assert.equal(text(outputs), 'partial');
    assert.equal(anthropic.calls.length, 1);
  });

  it('does not retry errors that are not retryable (quota, auth)', async () => {
    for (const kind of ['quota', 'auth'] as const) {
      const provider = new ScriptedProvider('openai', [new ProviderError({ kind, providerId: 'openai', message: kind, status: kind === 'quota' ? 429 : 401 }), hello]);
      const router = routerFor({ providers: { openai: { provider, family: 'openai', model: 'm' } }, keys: { openai: key } });
      const { error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
      assert.equal(error?.kind, kind);
      assert.equal(provider.calls.length, 1);
    }
  });

  it('stops after the configured number of attempts with exponential backoff', async () => {
    const sleeps: number[] = [];
    const failing = new ProviderError({ kind: 'server', providerId: 'openai', message: 'boom', status: 500 });
    const provider = new ScriptedProvider('openai', [failing]);
    const router = routerFor({ providers: { openai: { provider, family: 'openai', model: 'm' } }, keys: { openai: key }, sleeps, maxAttempts: 4 });
    const { error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error?.kind, 'server');
    assert.equal(provider.calls.length, 4);
    assert.deepEqual(sleeps, [375, 750, 1500], 'half-jittered 500·2^n with random 0.5');
  });

  it('tells the user instead of waiting for a huge retry-after', async () => {
    const provider = new ScriptedProvider('openai', [new ProviderError({ kind: 'rate-limit', providerId: 'openai', message: 'Rate limited.', status: 429, retryAfterMs: 3_600_000 }), hello]);
    const router = routerFor({ providers: { openai: { provider, family: 'openai', model: 'm' } }, keys: { openai: key } });
    const { error } = await collect(router.turn({ feature: 'chat', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error?.kind, 'rate-limit');
    assert.equal(error?.retryable, false);
    assert.match(error!.message, /asked to wait 60 min, longer than BYOK AI waits automatically: 30 s/);
    assert.equal(provider.calls.length, 1);
  });

  it('ends with aborted when cancelled, keeping what was streamed', async () => {
    const provider = new ScriptedProvider('openai', [{ parts: [{ type: 'text-delta', text: 'a' }, { type: 'text-delta', text: 'b' }, { type: 'text-delta', text: 'c' }], delayMs: 5 }]);
    const router = routerFor({ providers: { openai: { provider, family: 'openai', model: 'm' } }, keys: { openai: key } });
    const controller = new AbortController();
    const outputs: RouterOutput[] = [];
    let caught: unknown;
    try {
      for await (const output of router.turn({ feature: 'chat', messages: [user('hi')] }, controller.signal).parts) {
        outputs.push(output);
        if (output.type === 'text-delta') controller.abort();
      }
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ProviderError && caught.kind === 'aborted');
    assert.equal(text(outputs), 'a');
  });

  it('rejects an unknown provider with a clear error', async () => {
    const router = routerFor({ providers: { openai: { provider: new ScriptedProvider('openai', [hello]), family: 'openai', model: 'm' } }, keys: { openai: key } });
    const { error } = await collect(router.turn({ feature: 'chat', providerId: 'nope', messages: [user('hi')] }, new AbortController().signal).parts);
    assert.equal(error?.kind, 'bad-request');
    assert.match(error!.message, /Unknown provider "nope"/);
  });

  it('passes the earlier turns to a provider switched to mid-conversation', async () => {
    const anthropic = new ScriptedProvider('anthropic', [hello]);
    const router = routerFor({ providers: { anthropic: { provider: anthropic, family: 'anthropic', model: 'c' } }, keys: { anthropic: key } });
    const history: ChatMessage[] = [
      user('first question'),
      { role: 'assistant', content: 'first answer', reasoning: 'openai private reasoning', providerId: 'openai' },
      user('second question'),
    ];
    await collect(router.turn({ feature: 'chat', messages: history, system: 'be brief' }, new AbortController().signal).parts);
    const sent = anthropic.calls[0]!.request;
    assert.equal(sent.system, 'be brief');
    assert.deepEqual(sent.messages.map(message => [message.role, message.content]), [['user', 'first question'], ['assistant', 'first answer'], ['user', 'second question']]);
    assert.equal(sent.messages[1]!.reasoning, undefined, 'reasoning from another provider is dropped');
  });

  it('computes retry delays from retry-after or capped backoff', () => {
    const error = (retryAfterMs?: number) => new ProviderError({ kind: 'rate-limit', providerId: 'x', message: 'm', retryAfterMs });
    assert.equal(retryDelay(error(2000), 1, defaultRetryPolicy, () => 0), 2000);
    assert.equal(retryDelay(error(60_000), 1, defaultRetryPolicy, () => 0), undefined);
    assert.equal(retryDelay(error(), 10, defaultRetryPolicy, () => 1), defaultRetryPolicy.maxDelayMs);
  });
});

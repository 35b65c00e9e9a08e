import assert from 'node:assert/strict';
import { ProviderError } from '../../src/providers/errors';
import type { ChatStreamPart } from '../../src/providers/types';
import { Router, defaultRetryPolicy, type RouterDependencies, type RouterOutput, type Turn, type TurnRequest } from '../../src/router';
import { estimateConversationTokens } from '../../src/router/conversation';
import { describeWait, retryAfterTooLongMessage } from '../../src/router/retry';
import type { BeforeSendContext, TurnResult } from '../../src/router/turn';
import { ScriptedProvider, type Script } from '../fakes/scriptedProvider';

const key = 'sk-turn-SECRET-0123456789';

/** A clock the test moves by hand; every time in a TurnResult comes from it. */
class FakeClock {
  time = 1_000_000;
  readonly now = (): number => this.time;
  advance(milliseconds: number): void { this.time += milliseconds; }
}

interface Options {
  scripts?: Script[];
  keys?: Record<string, string>;
  getKey?: RouterDependencies['getKey'];
  sleep?: RouterDependencies['sleep'];
  model?: string;
  targetMaxOutputTokens?: number;
  maxAttempts?: number;
  clock?: FakeClock;
}

function setup(options: Options = {}) {
  const provider = new ScriptedProvider('openai', options.scripts ?? [answer]);
  const logs: string[] = [];
  const sleeps: number[] = [];
  const clock = options.clock ?? new FakeClock();
  const router = new Router({
    selection: () => ({ providerId: 'openai', model: options.model ?? 'gpt-x' }),
    resolve: (providerId, model) => providerId === 'openai'
      ? { provider, providerId, providerLabel: 'OpenAI', family: 'openai', model: model || (options.model ?? 'gpt-x'), keyRequired: true, maxOutputTokens: options.targetMaxOutputTokens }
      : undefined,
    getKey: options.getKey ?? (async providerId => (options.keys ?? { openai: key })[providerId]),
    retryPolicy: () => ({ ...defaultRetryPolicy, maxAttempts: options.maxAttempts ?? 3 }),
    sleep: options.sleep ?? (async ms => { sleeps.push(ms); }),
    random: () => 0.5,
    now: clock.now,
    log: message => logs.push(message),
  });
  return { router, provider, logs, sleeps, clock };
}

const answer: Script = {
  parts: [
    { type: 'response-metadata', model: 'gpt-x-2026-01-01' },
    { type: 'text-delta', text: 'Hel' },
    { type: 'text-delta', text: 'lo' },
    { type: 'usage', usage: { inputTokens: 12, cacheReadTokens: 4, outputTokens: 2 }, raw: { prompt_tokens: 12 }, costUsd: 0.0003 },
    { type: 'finish', unified: 'stop', raw: 'stop' },
  ],
};

const ask = (overrides: Partial<TurnRequest> = {}): TurnRequest => ({ feature: 'chat', messages: [{ role: 'user', content: 'hi' }], ...overrides });

/** Reads a turn to its end; the settled result must already be there when the reader sees the end. */
async function drain(turn: Turn, onOutput?: (output: RouterOutput) => void): Promise<{ outputs: RouterOutput[]; error?: ProviderError; settled: TurnResult }> {
  const outputs: RouterOutput[] = [];
  let error: ProviderError | undefined;
  let settledFirst: TurnResult | undefined;
  void turn.settled.then(result => { settledFirst = result; });
  try {
    for await (const output of turn.parts) {
      outputs.push(output);
      onOutput?.(output);
    }
  } catch (caught) {
    assert.ok(caught instanceof ProviderError, `expected a ProviderError, got ${String(caught)}`);
    error = caught;
  }
  await Promise.resolve();
  assert.ok(settledFirst, 'settled resolves before the reader sees the end');
  return { outputs, error, settled: await turn.settled };
}

const text = (outputs: RouterOutput[]): string => outputs.map(output => (output.type === 'text-delta' ? output.text : '')).join('');

describe('router turn: the settled result', () => {
  it('ok: every field of the settled result, equal to the done event, which comes last', async () => {
    const { router } = setup();
    const turn = router.turn(ask({ requestId: 'req-1', feature: 'explain' }), new AbortController().signal);
    assert.equal(turn.requestId, 'req-1');
    const { outputs, error, settled } = await drain(turn);
    assert.equal(error, undefined);
    assert.equal(text(outputs), 'Hello');
    const done = outputs.at(-1);
    assert.ok(done?.type === 'done');
    assert.deepEqual(done.result, settled);
    assert.deepEqual(settled, {
      requestId: 'req-1', feature: 'explain', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'gpt-x', servedModel: 'gpt-x-2026-01-01',
      outcome: 'ok', finish: 'stop',
      usage: { inputTokens: 12, cacheReadTokens: 4, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 },
      rawUsage: { prompt_tokens: 12 }, reportedCostUsd: 0.0003,
      startedAt: 1_000_000, timeToFirstTokenMs: 0, durationMs: 0, attempts: 1,
    });
    // The usage and metadata parts still reach the reader (held back until the first token).
    assert.deepEqual(outputs.map(output => output.type), ['route', 'attempt', 'first-token', 'response-metadata', 'text-delta', 'text-delta', 'usage', 'finish', 'done']);
  });

  it('generates a request id when none is given', async () => {
    const { router } = setup();
    const turn = router.turn(ask(), new AbortController().signal);
    assert.match(turn.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const { settled } = await drain(turn);
    assert.equal(settled.requestId, turn.requestId);
  });

  it('merges usage snapshots: Anthropic-style cumulative reports replace, omitted fields keep, missing ones become 0', async () => {
    const { router } = setup({
      scripts: [{
        parts: [
          { type: 'usage', usage: { inputTokens: 100, cacheReadTokens: 60, cacheWriteTokens: 20, outputTokens: 1 }, raw: { type: 'message_start' } },
          { type: 'text-delta', text: 'a' },
          { type: 'usage', usage: { outputTokens: 15 }, raw: { type: 'message_delta', n: 1 } },
          { type: 'usage', usage: { outputTokens: 42, reasoningTokens: 30 }, raw: { type: 'message_delta', n: 2 } },
          { type: 'finish', unified: 'length', raw: 'max_tokens' },
        ],
      }],
    });
    const { settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.deepEqual(settled.usage, { inputTokens: 100, cacheReadTokens: 60, cacheWriteTokens: 20, outputTokens: 42, reasoningTokens: 30 });
    assert.deepEqual(settled.rawUsage, { type: 'message_delta', n: 2 }, 'the last raw object');
    assert.equal(settled.finish, 'length');
    assert.equal(settled.reportedCostUsd, undefined);
  });

  it('usage is undefined when the provider reported none, and finish defaults to other', async () => {
    const { router } = setup({ scripts: [{ parts: [{ type: 'text-delta', text: 'x' }] }] });
    const { settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(settled.outcome, 'ok');
    assert.equal('usage' in settled, false);
    assert.equal(settled.finish, 'other');
    assert.equal(settled.outputTokensPerSecond, undefined);
  });

  it('time to first token (first reasoning or text delta) and output tokens/s from an injected clock', async () => {
    const clock = new FakeClock();
    const { router, provider } = setup({
      clock,
      scripts: [{
        parts: [
          { type: 'reasoning-delta', text: 'thinking' },
          { type: 'text-delta', text: 'a' },
          { type: 'text-delta', text: 'b' },
          { type: 'usage', usage: { inputTokens: 3, outputTokens: 50 } },
          { type: 'finish', unified: 'stop', raw: 'stop' },
        ],
      }],
    });
    // 250 ms to the reasoning delta, then 400 + 600 ms to the last text delta, then 100 ms to the end.
    const steps = [250, 400, 600, 0, 100];
    provider.beforePart = (_part, index) => clock.advance(steps[index] ?? 0);
    const { outputs, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(settled.timeToFirstTokenMs, 250);
    assert.deepEqual(outputs.find(output => output.type === 'first-token'), { type: 'first-token', latencyMs: 250 });
    assert.equal(settled.outputTokensPerSecond, 50, '50 tokens over the 1 s between the first and the last token');
    assert.equal(settled.durationMs, 1350);
    assert.equal(settled.startedAt, 1_000_000);
  });

  it('no tokens/s from a single token or from tokens at the same instant', async () => {
    for (const parts of [
      [{ type: 'text-delta', text: 'only' }, { type: 'usage', usage: { outputTokens: 1 } }],
      [{ type: 'text-delta', text: 'a' }, { type: 'text-delta', text: 'b' }, { type: 'usage', usage: { outputTokens: 2 } }],
    ] as ChatStreamPart[][]) {
      const clock = new FakeClock();
      const { router, provider } = setup({ clock, scripts: [{ parts }] });
      provider.beforePart = (_part, index) => { if (index === 0) clock.advance(10); };
      const { settled } = await drain(router.turn(ask(), new AbortController().signal));
      assert.equal(settled.timeToFirstTokenMs, 10);
      assert.equal(settled.outputTokensPerSecond, undefined);
    }
  });

  it('error before the first token (not retryable): outcome error with its kind, one attempt, no usage', async () => {
    const { router, provider } = setup({ scripts: [new ProviderError({ kind: 'auth', providerId: 'openai', message: 'bad key', status: 401 })] });
    const { error, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(error?.kind, 'auth');
    assert.equal(provider.calls.length, 1);
    assert.equal(settled.outcome, 'error');
    assert.equal(settled.errorKind, 'auth');
    assert.equal(settled.attempts, 1);
    assert.equal(settled.usage, undefined);
    assert.equal(settled.timeToFirstTokenMs, undefined);
    assert.equal(settled.finish, undefined);
  });

  it('retries exhausted: the settled result counts every attempt', async () => {
    const failing = new ProviderError({ kind: 'server', providerId: 'openai', message: 'boom', status: 500 });
    const { router, provider, sleeps } = setup({ scripts: [failing], maxAttempts: 3 });
    const { error, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(error?.kind, 'server');
    assert.equal(provider.calls.length, 3);
    assert.deepEqual(sleeps, [375, 750]);
    assert.deepEqual([settled.outcome, settled.errorKind, settled.attempts], ['error', 'server', 3]);
  });

  it('a retry that succeeds reports the usage of the answer shown, not of the failed attempt', async () => {
    const { router } = setup({
      scripts: [
        { parts: [{ type: 'usage', usage: { inputTokens: 999 } }], failAfter: new ProviderError({ kind: 'overloaded', providerId: 'openai', message: 'busy', status: 529 }) },
        answer,
      ],
    });
    const { settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(settled.outcome, 'ok');
    assert.equal(settled.attempts, 2);
    assert.equal(settled.usage?.inputTokens, 12);
  });

  it('error after the first token keeps the text shown, the usage that arrived and the time to first token', async () => {
    const broken = new ProviderError({ kind: 'overloaded', providerId: 'openai', message: 'Overloaded', status: 529 });
    const { router, provider } = setup({ scripts: [{ parts: [{ type: 'usage', usage: { inputTokens: 7 } }, { type: 'text-delta', text: 'part' }], failAfter: broken }, answer] });
    const { outputs, error, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(error?.kind, 'overloaded');
    assert.equal(text(outputs), 'part');
    assert.equal(provider.calls.length, 1, 'never retried after a token was shown');
    assert.deepEqual([settled.outcome, settled.errorKind, settled.attempts], ['error', 'overloaded', 1]);
    assert.deepEqual(settled.usage, { inputTokens: 7, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 });
    assert.equal(settled.timeToFirstTokenMs, 0);
  });

  it('missing key: outcome error, nothing sent, the resolved label and model are recorded', async () => {
    const { router, provider } = setup({ keys: {} });
    const { error, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(error?.kind, 'missing-key');
    assert.equal(provider.calls.length, 0);
    assert.deepEqual([settled.outcome, settled.errorKind, settled.attempts, settled.providerLabel, settled.requestedModel], ['error', 'missing-key', 0, 'OpenAI', 'gpt-x']);
  });

  it('a failing key store becomes a key-store error; a ProviderError from it passes through', async () => {
    const { router } = setup({ getKey: async () => { throw new Error('no keyring'); } });
    const { error, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(error?.kind, 'key-store');
    assert.match(error!.message, /no keyring/);
    assert.equal(settled.errorKind, 'key-store');
    const typed = new ProviderError({ kind: 'key-store', providerId: 'openai', message: 'locked keychain', retryable: false });
    const second = setup({ getKey: async () => { throw typed; } });
    const outcome = await drain(second.router.turn(ask(), new AbortController().signal));
    assert.equal(outcome.error, typed);
  });

  it('unknown provider and no model selected settle as errors with the requested names', async () => {
    const { router } = setup();
    const unknown = await drain(router.turn(ask({ providerId: 'nope', model: 'm1' }), new AbortController().signal));
    assert.equal(unknown.error?.kind, 'bad-request');
    assert.deepEqual([unknown.settled.providerId, unknown.settled.providerLabel, unknown.settled.requestedModel, unknown.settled.outcome], ['nope', 'nope', 'm1', 'error']);
    const noModel = setup({ model: '' });
    const missing = await drain(noModel.router.turn(ask(), new AbortController().signal));
    assert.equal(missing.error?.kind, 'model-not-found');
    assert.equal(missing.settled.errorKind, 'model-not-found');
    assert.equal(noModel.provider.calls.length, 0);
  });
});

describe('router turn: stopping', () => {
  it('aborted before send: nothing is sent and the turn settles as aborted', async () => {
    const { router, provider } = setup();
    const controller = new AbortController();
    controller.abort();
    const { error, outputs, settled } = await drain(router.turn(ask(), controller.signal));
    assert.equal(error?.kind, 'aborted');
    assert.deepEqual(outputs, []);
    assert.equal(provider.calls.length, 0);
    assert.deepEqual([settled.outcome, settled.errorKind, settled.attempts], ['aborted', 'aborted', 0]);
  });

  it('stopped before anyone read the parts: settled still resolves, and reading afterwards throws aborted', async () => {
    const { router, provider } = setup();
    const controller = new AbortController();
    const turn = router.turn(ask(), controller.signal);
    controller.abort();
    const settled = await turn.settled;
    assert.equal(settled.outcome, 'aborted');
    await assert.rejects(async () => { for await (const _output of turn.parts) { /* nothing arrives */ } }, (error: unknown) => error instanceof ProviderError && error.kind === 'aborted');
    assert.equal(provider.calls.length, 0);
  });

  it('aborted mid-stream: what was shown stays, the result says aborted with the time to first token', async () => {
    const { router } = setup({ scripts: [{ parts: [{ type: 'text-delta', text: 'a' }, { type: 'text-delta', text: 'b' }, { type: 'text-delta', text: 'c' }], delayMs: 2 }] });
    const controller = new AbortController();
    const { outputs, error, settled } = await drain(router.turn(ask(), controller.signal), output => { if (output.type === 'text-delta') controller.abort(); });
    assert.equal(error?.kind, 'aborted');
    assert.equal(text(outputs), 'a');
    assert.deepEqual([settled.outcome, settled.errorKind, settled.attempts, settled.timeToFirstTokenMs], ['aborted', 'aborted', 1, 0]);
  });

  it('aborted while waiting to retry: no second attempt', async () => {
    const controller = new AbortController();
    const { router, provider } = setup({
      scripts: [new ProviderError({ kind: 'rate-limit', providerId: 'openai', message: 'slow down', status: 429, retryAfterMs: 1000 }), answer],
      sleep: async () => { controller.abort(); },
    });
    const { error, outputs, settled } = await drain(router.turn(ask(), controller.signal));
    assert.equal(error?.kind, 'aborted');
    assert.ok(outputs.some(output => output.type === 'retry-scheduled'));
    assert.equal(provider.calls.length, 1);
    assert.deepEqual([settled.outcome, settled.attempts], ['aborted', 1]);
  });

  it('aborted during the real retry wait rejects at once', async () => {
    const provider = new ScriptedProvider('openai', [new ProviderError({ kind: 'server', providerId: 'openai', message: 'boom', status: 500, retryAfterMs: 20_000 }), answer]);
    const router = new Router({
      selection: () => ({ providerId: 'openai', model: 'm' }),
      resolve: (providerId, model) => ({ provider, providerId, providerLabel: 'OpenAI', family: 'openai', model: model || 'm', keyRequired: false }),
      getKey: async () => undefined,
      retryPolicy: () => defaultRetryPolicy,
    });
    const controller = new AbortController();
    const started = Date.now();
    const { error, settled } = await drain(router.turn(ask(), controller.signal), output => { if (output.type === 'retry-scheduled') setTimeout(() => controller.abort(), 5); });
    assert.equal(error?.kind, 'aborted');
    assert.ok(Date.now() - started < 2000, 'did not wait out the 20 s');
    assert.equal(settled.outcome, 'aborted');
  });

  it('a reader that stops early settles the turn as aborted and closes the provider request', async () => {
    const { router, provider } = setup({ scripts: [{ parts: [{ type: 'text-delta', text: 'a' }, { type: 'text-delta', text: 'b' }, { type: 'usage', usage: { outputTokens: 2 } }] }] });
    const turn = router.turn(ask(), new AbortController().signal);
    for await (const output of turn.parts) {
      if (output.type === 'text-delta') break;
    }
    const settled = await turn.settled;
    assert.deepEqual([settled.outcome, settled.errorKind, settled.attempts], ['aborted', 'aborted', 1]);
    assert.equal(provider.calls[0]!.signal.aborted, true, 'the provider saw the stop');
  });

  it('parts can be read only once', async () => {
    const { router } = setup();
    const turn = router.turn(ask(), new AbortController().signal);
    await drain(turn);
    assert.throws(() => turn.parts[Symbol.asyncIterator](), /only once/);
  });
});

describe('router turn: hooks', () => {
  it('beforeSend sees the resolved provider, model, converted messages, output limit and feature — once per turn, not per attempt', async () => {
    const seen: BeforeSendContext[] = [];
    const { router, provider } = setup({ scripts: [new ProviderError({ kind: 'server', providerId: 'openai', message: 'boom', status: 500 }), answer] });
    router.use({ beforeSend: context => { seen.push(context); } });
    const messages = [{ role: 'system' as const, content: 'extra rules' }, { role: 'user' as const, content: 'question one' }];
    await drain(router.turn(ask({ feature: 'refactor', requestId: 'r-7', messages, system: 'be brief', maxOutputTokens: 321, model: 'gpt-y', overrideBudget: true }), new AbortController().signal));
    assert.equal(provider.calls.length, 2);
    assert.equal(seen.length, 1);
    const context = seen[0]!;
    assert.deepEqual(
      { ...context, messages: [...context.messages] },
      {
        requestId: 'r-7', feature: 'refactor', providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-y',
        messages: [{ role: 'user', content: 'question one' }], system: 'be brief\n\nextra rules', maxOutputTokens: 321,
        estimatedInputTokens: estimateConversationTokens('be brief\n\nextra rules', [{ role: 'user', content: 'question one' }]), overrideBudget: true,
      },
    );
    assert.deepEqual(provider.calls[0]!.request.messages, context.messages, 'beforeSend saw exactly what was sent');
  });

  it('beforeSend output limit: the request\'s, else the model\'s default, else 4096', async () => {
    const limits: number[] = [];
    for (const targetMaxOutputTokens of [2048, undefined]) {
      const { router } = setup({ targetMaxOutputTokens });
      router.use({ beforeSend: context => { limits.push(context.maxOutputTokens); } });
      await drain(router.turn(ask(), new AbortController().signal));
    }
    assert.deepEqual(limits, [2048, 4096]);
  });

  it('a budget refusal sends nothing, throws the budget error and settles as refused through price and afterSettle', async () => {
    const { router, provider } = setup();
    const order: string[] = [];
    const refusal = new ProviderError({ kind: 'budget', providerId: 'openai', message: 'Spent $9.80 of $10.00 this month; this request may cost up to $0.40.', retryable: false });
    router.use({
      beforeSend: () => { order.push('beforeSend 1'); throw refusal; },
      price: result => { order.push(`price ${result.outcome}`); return { usd: 0, source: 'free' }; },
      afterSettle: result => { order.push(`afterSettle ${result.outcome} ${result.errorKind}`); },
    });
    router.use({ beforeSend: () => { order.push('beforeSend 2'); } });
    const { error, outputs, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(error, refusal);
    assert.equal(provider.calls.length, 0, 'the provider was never called');
    assert.ok(!outputs.some(output => output.type === 'attempt'));
    assert.deepEqual(order, ['beforeSend 1', 'price refused', 'afterSettle refused budget'], 'the first refusal wins');
    assert.deepEqual([settled.outcome, settled.errorKind, settled.attempts], ['refused', 'budget', 0]);
  });

  it('a beforeSend that throws something other than a ProviderError refuses as bad-request with its message', async () => {
    const { router, provider } = setup();
    router.use({ beforeSend: async () => { throw new Error('ledger unavailable'); } });
    const { error, settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(error?.kind, 'bad-request');
    assert.match(error!.message, /ledger unavailable/);
    assert.equal(provider.calls.length, 0);
    assert.deepEqual([settled.outcome, settled.errorKind], ['refused', 'bad-request']);
  });

  it('price then every afterSettle, in order; the first price that answers wins; failures are logged and ignored', async () => {
    const { router, logs } = setup();
    const order: string[] = [];
    router.use({
      price: () => { order.push('price 1'); throw new Error('price data missing'); },
      afterSettle: () => { order.push('after 1'); throw new Error('disk full'); },
    });
    router.use({ price: () => { order.push('price 2'); return undefined; } });
    router.use({ price: async result => { order.push('price 3'); return { usd: (result.usage?.outputTokens ?? 0) * 0.001, source: 'prices', priceVersion: 'v1' }; } });
    router.use({ price: () => { order.push('price 4'); return { usd: 99, source: 'prices' }; }, afterSettle: result => { order.push(`after 2 ${result.cost?.usd}`); } });
    const { outputs, settled } = await drain(router.turn(ask({ requestId: 'req-9' }), new AbortController().signal));
    assert.deepEqual(order, ['price 1', 'price 2', 'price 3', 'after 1', 'after 2 0.002']);
    assert.deepEqual(settled.cost, { usd: 0.002, source: 'prices', priceVersion: 'v1' });
    const done = outputs.at(-1);
    assert.ok(done?.type === 'done');
    assert.deepEqual(done.result.cost, settled.cost, 'the done event carries the priced result');
    assert.equal(settled.outcome, 'ok', 'a failing hook does not break the turn');
    assert.deepEqual(logs, ['price failed for request req-9: price data missing', 'afterSettle failed for request req-9: disk full']);
  });

  it('afterSettle receives failed and aborted results too; a disposed hook set no longer runs', async () => {
    const { router } = setup({ scripts: [new ProviderError({ kind: 'quota', providerId: 'openai', message: 'no credit', status: 429 })] });
    const received: string[] = [];
    const registration = router.use({ afterSettle: result => { received.push(`${result.outcome}:${result.errorKind}`); } });
    await drain(router.turn(ask(), new AbortController().signal));
    const controller = new AbortController();
    controller.abort();
    await drain(router.turn(ask(), controller.signal));
    registration.dispose();
    await drain(router.turn(ask(), new AbortController().signal));
    assert.deepEqual(received, ['error:quota', 'aborted:aborted']);
  });

  it('the result afterSettle sees cannot be changed by it', async () => {
    const { router } = setup();
    router.use({ afterSettle: result => { (result as { outcome: string }).outcome = 'tampered'; } });
    const { settled } = await drain(router.turn(ask(), new AbortController().signal));
    assert.equal(settled.outcome, 'ok');
  });
});

describe('router verify', () => {
  it('ok: runs beforeSend as feature verify with an output limit of 1 and settles through price and afterSettle', async () => {
    const { router, provider } = setup();
    const contexts: BeforeSendContext[] = [];
    const settledResults: TurnResult[] = [];
    router.use({ beforeSend: context => { contexts.push(context); }, price: () => ({ source: 'free', usd: 0 }), afterSettle: result => { settledResults.push(result); } });
    const verified = await router.verify('openai', {});
    assert.equal(verified.ok, true);
    assert.equal(verified.modelCount, 1);
    assert.equal(provider.verifyCalls[0]!.apiKey, key);
    assert.deepEqual(contexts.map(context => [context.feature, context.maxOutputTokens, context.estimatedInputTokens, context.model]), [['verify', 1, 0, 'gpt-x']]);
    assert.deepEqual([verified.settled.feature, verified.settled.outcome, verified.settled.attempts, verified.settled.providerLabel], ['verify', 'ok', 1, 'OpenAI']);
    assert.deepEqual(verified.settled.cost, { source: 'free', usd: 0 });
    assert.deepEqual(settledResults, [verified.settled]);
  });

  it('missing key: not ok, the provider is not called', async () => {
    const { router, provider } = setup({ keys: {} });
    const verified = await router.verify('openai', {});
    assert.equal(verified.ok, false);
    assert.equal(verified.error?.kind, 'missing-key');
    assert.equal(provider.verifyCalls.length, 0);
    assert.deepEqual([verified.settled.outcome, verified.settled.errorKind, verified.settled.attempts], ['error', 'missing-key', 0]);
  });

  it('a key-store failure is reported as its own ProviderError', async () => {
    const failure = new ProviderError({ kind: 'key-store', providerId: 'openai', message: 'The OS keyring is locked.', retryable: false });
    const { router } = setup({ getKey: async () => { throw failure; } });
    const verified = await router.verify('openai', {});
    assert.equal(verified.error, failure);
    assert.equal(verified.settled.errorKind, 'key-store');
  });

  it('needs no model: a provider without a model selected can still be verified', async () => {
    const { router } = setup({ model: '' });
    const verified = await router.verify('openai', {});
    assert.equal(verified.ok, true);
    assert.equal(verified.settled.requestedModel, '');
  });

  it('an unknown provider is not ok', async () => {
    const { router } = setup();
    const verified = await router.verify('nope', {});
    assert.equal(verified.ok, false);
    assert.equal(verified.error?.kind, 'bad-request');
  });

  it('a provider error from verify is kept (auth stays auth)', async () => {
    const { router, provider } = setup();
    provider.verifyAnswer = async () => ({ ok: false, latencyMs: 3, error: new ProviderError({ kind: 'auth', providerId: 'openai', message: 'Incorrect API key', status: 401 }) });
    const verified = await router.verify('openai', {});
    assert.equal(verified.ok, false);
    assert.equal(verified.error?.kind, 'auth');
    assert.deepEqual([verified.settled.outcome, verified.settled.errorKind], ['error', 'auth']);
  });

  it('our time limit turns into a timeout error with a clear message', async () => {
    const { router, provider } = setup();
    provider.verifyAnswer = (_key, signal) => new Promise((_resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new ProviderError({ kind: 'aborted', providerId: 'openai', message: 'stopped', retryable: false })), { once: true });
    });
    const verified = await router.verify('openai', { timeoutMs: 30 });
    assert.equal(verified.ok, false);
    assert.equal(verified.error?.kind, 'timeout');
    assert.match(verified.error!.message, /OpenAI did not answer within 1 s\./);
    assert.deepEqual([verified.settled.outcome, verified.settled.errorKind], ['error', 'timeout']);
  });

  it('the caller stopping it settles as aborted; a refusal settles as refused without calling the provider', async () => {
    const { router, provider } = setup();
    provider.verifyAnswer = (_key, signal) => new Promise((_resolve, reject) => {
      signal?.addEventListener('abort', () => reject(new Error('socket closed')), { once: true });
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    const stopped = await router.verify('openai', { signal: controller.signal, timeoutMs: 5_000 });
    assert.equal(stopped.error?.kind, 'aborted');
    assert.equal(stopped.settled.outcome, 'aborted');

    const refusing = setup();
    refusing.router.use({ beforeSend: () => { throw new ProviderError({ kind: 'budget', providerId: 'openai', message: 'over budget', retryable: false }); } });
    const refused = await refusing.router.verify('openai', {});
    assert.equal(refused.ok, false);
    assert.equal(refused.error?.kind, 'budget');
    assert.equal(refused.settled.outcome, 'refused');
    assert.equal(refusing.provider.verifyCalls.length, 0);
  });
});

describe('retry-after cap wording', () => {
  it('names the wait in a readable unit and the cap', () => {
    assert.equal(describeWait(45_000), '45 s');
    assert.equal(describeWait(119_000), '119 s');
    assert.equal(describeWait(3_600_000), '60 min');
    assert.equal(describeWait(86_400_000), '24 h');
    assert.equal(
      retryAfterTooLongMessage('Rate limited.', 86_400_000, 30_000),
      'Rate limited. (the provider asked to wait 24 h, longer than BYOK AI waits automatically: 30 s. Retry later or switch provider.)',
    );
  });
});

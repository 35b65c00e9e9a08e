import assert from 'node:assert/strict';
import { Comparison, metricsOf, paneEstimates, type CompareTarget, type PaneEvent } from '../../../src/compare/fanOut';
import { BudgetGuard, noBudgetLimits, type BudgetLimits } from '../../../src/cost/budgets';
import { SpendTotals } from '../../../src/cost/spend';
import { ProviderError } from '../../../src/providers/errors';
import type { ChatStreamPart } from '../../../src/providers/types';
import { Router, defaultRetryPolicy } from '../../../src/router';
import type { TurnResult } from '../../../src/router/turn';
import { ScriptedProvider, type Script } from '../../fakes/scriptedProvider';

const answer = (text: string, outputTokens: number): ChatStreamPart[] => [
  ...text.split(' ').map((word, index) => ({ type: 'text-delta' as const, text: index ? ` ${word}` : word })),
  { type: 'usage', usage: { inputTokens: 100, cacheReadTokens: 40, outputTokens } },
  { type: 'finish', unified: 'stop', raw: 'stop' },
];

/** $1 per million input tokens, $10 per million output tokens; `mystery` has no price. */
const pricePer = (model: string) => model === 'mystery' ? undefined : { input: 1e-6, output: 1e-5 };

function setup(scripts: Record<string, Script>, limits: Partial<BudgetLimits> = {}, confirmUnpriced: (message: string) => Promise<boolean> = async () => true) {
  const providers = Object.fromEntries(Object.entries(scripts).map(([id, script]) => [id, new ScriptedProvider(id, [script])]));
  const totals = new SpendTotals();
  const guard = new BudgetGuard({
    limits: () => ({ ...noBudgetLimits, ...limits }), totals, now: () => Date.now(),
    estimate: (_providerId, model, usage) => {
      const price = pricePer(model);
      return price ? { usd: usage.inputTokens * price.input + usage.outputTokens * price.output, source: 'prices' } : { source: 'unpriced' };
    },
    notifier: { warn: () => undefined, confirmUnpriced },
  });
  const settled: TurnResult[] = [];
  const router = new Router({
    selection: () => ({ providerId: 'alpha', model: 'a-1' }),
    resolve: (providerId, model) => providers[providerId]
      ? { provider: providers[providerId]!, providerId, providerLabel: providerId.toUpperCase(), family: 'openai', model, keyRequired: false }
      : undefined,
    getKey: async () => undefined,
    retryPolicy: () => ({ ...defaultRetryPolicy, maxAttempts: 1 }),
    sleep: async () => undefined,
  });
  router.use({
    beforeSend: context => guard.beforeSend(context),
    price: result => {
      const price = pricePer(result.requestedModel);
      return price && result.usage ? { usd: result.usage.inputTokens * price.input + result.usage.outputTokens * price.output, source: 'prices' } : { source: 'unpriced' };
    },
    afterSettle: result => { settled.push(result); guard.settled(result); },
  });
  return { router, providers, guard, settled };
}

const targets: CompareTarget[] = [
  { providerId: 'alpha', model: 'a-1' },
  { providerId: 'beta', model: 'b-1' },
  { providerId: 'gamma', model: 'mystery' },
];
const request = { messages: [{ role: 'user' as const, content: 'Explain closures.' }], maxOutputTokens: 1_000 };

describe('compare: fan-out', () => {
  it('sends the prompt to every pane in parallel and reports each answer with its own metrics', async () => {
    const { router, providers, settled } = setup({
      alpha: { parts: answer('closures capture variables', 30), delayMs: 5 },
      beta: { parts: answer('a function with its scope', 50), delayMs: 2 },
      gamma: { parts: answer('lexical environment', 20) },
    });
    const comparison = new Comparison({ router }, targets, request);
    const events: PaneEvent[] = [];
    const results = await comparison.run(event => events.push(event));

    assert.deepEqual(results.map(result => result.text), ['closures capture variables', 'a function with its scope', 'lexical environment']);
    assert.deepEqual(results.map(result => result.outcome), ['ok', 'ok', 'ok']);
    for (const [id, provider] of Object.entries(providers)) {
      assert.equal(provider.calls.length, 1, `${id} got one request`);
      assert.deepEqual(provider.calls[0]!.request.messages.map(message => message.content), ['Explain closures.']);
      assert.equal(provider.calls[0]!.request.maxOutputTokens, 1_000);
    }
    assert.deepEqual(settled.map(result => result.feature), ['compare', 'compare', 'compare']);
    assert.deepEqual(results.map(result => result.providerLabel), ['ALPHA', 'BETA', 'GAMMA']);
    assert.deepEqual(results[0]!.metrics.inputTokens, 100);
    assert.deepEqual(results[0]!.metrics.cachedInputTokens, 40);
    assert.deepEqual(results.map(result => result.metrics.outputTokens), [30, 50, 20]);
    assert.ok(Math.abs(results[1]!.metrics.costUsd! - (100e-6 + 50e-5)) < 1e-12);
    assert.equal(results[2]!.metrics.unpriced, true);
    assert.equal(results[2]!.metrics.costUsd, undefined);
    assert.ok(results.every(result => typeof result.metrics.totalMs === 'number' && typeof result.metrics.timeToFirstTokenMs === 'number'));
    // Deltas are tagged with their pane and arrive interleaved, not pane after pane.
    const deltaPanes = events.filter(event => event.type === 'delta').map(event => event.pane);
    assert.equal(deltaPanes.length, 3 + 5 + 2);
    assert.notDeepEqual(deltaPanes, [...deltaPanes].sort());
    assert.deepEqual(events.filter(event => event.type === 'end').map(event => event.pane).sort(), [0, 1, 2]);
    assert.deepEqual(events.filter(event => event.type === 'route').map(event => event.type === 'route' && event.model), ['a-1', 'b-1', 'mystery']);
  });

  it('stops one pane without disturbing the others', async () => {
    const { router, providers } = setup({
      alpha: { parts: answer('one two three four five six seven eight', 10), delayMs: 15 },
      beta: { parts: answer('steady answer here', 10), delayMs: 5 },
      gamma: { parts: answer('quick', 5) },
    });
    const comparison = new Comparison({ router }, targets, request);
    const results = await comparison.run(event => { if (event.type === 'delta' && event.pane === 0) comparison.stop(0); });
    assert.equal(results[0]!.outcome, 'aborted');
    assert.equal(results[0]!.text, 'one');
    assert.equal(results[0]!.settled?.outcome, 'aborted');
    assert.equal(providers.alpha!.calls[0]!.signal.aborted, true);
    assert.deepEqual(results.slice(1).map(result => [result.outcome, result.text]), [['ok', 'steady answer here'], ['ok', 'quick']]);
    assert.equal(providers.beta!.calls[0]!.signal.aborted, false);
  });

  it('stopAll stops every pane', async () => {
    const { router } = setup({
      alpha: { parts: answer('a b c d e', 1), delayMs: 10 },
      beta: { parts: answer('a b c d e', 1), delayMs: 10 },
    });
    const comparison = new Comparison({ router }, targets.slice(0, 2), request);
    const running = comparison.run(() => undefined);
    setTimeout(() => comparison.stopAll(), 15);
    const results = await running;
    assert.deepEqual(results.map(result => result.outcome), ['aborted', 'aborted']);
    assert.ok(results.every(result => result.text.length < 'a b c d e'.length));
  });

  it('shows a failing pane\'s error there while the others finish', async () => {
    const { router } = setup({
      alpha: { parts: answer('fine answer', 10), delayMs: 3 },
      beta: new ProviderError({ kind: 'auth', providerId: 'beta', status: 401, message: 'Incorrect API key provided.', retryable: false }),
      gamma: { parts: answer('partial', 5), failAfter: new ProviderError({ kind: 'rate-limit', providerId: 'gamma', status: 429, message: 'Slow down.', retryable: false }) },
    });
    const events: PaneEvent[] = [];
    const results = await new Comparison({ router }, targets, request).run(event => events.push(event));
    assert.deepEqual(results.map(result => result.outcome), ['ok', 'error', 'error']);
    assert.equal(results[0]!.text, 'fine answer');
    assert.equal(results[1]!.error?.kind, 'auth');
    assert.match(results[1]!.error!.fix, /key/i);
    assert.equal(results[2]!.error?.kind, 'rate-limit');
    assert.equal(results[2]!.text, 'partial', 'what streamed before the error is kept');
    assert.equal(results[1]!.settled?.outcome, 'error');
  });

  it('a listener that throws does not fail the panes', async () => {
    const { router } = setup({ alpha: { parts: answer('x y', 1) }, beta: { parts: answer('z', 1) } });
    const results = await new Comparison({ router }, targets.slice(0, 2), request).run(() => { throw new Error('panel closed'); });
    assert.deepEqual(results.map(result => result.outcome), ['ok', 'ok']);
  });

  it('accepts only 2 to 4 panes', () => {
    const { router } = setup({});
    assert.throws(() => new Comparison({ router }, targets.slice(0, 1), request), RangeError);
    assert.throws(() => new Comparison({ router }, [...targets, ...targets], request), RangeError);
  });
});

describe('compare: budget pre-flight for the sum of the panes', () => {
  // Each pane's worst case: 5 input tokens (17 characters / 3.5) × $1/M + 1,000 output × $10/M ≈ $0.010005.
  const priced: CompareTarget[] = [{ providerId: 'alpha', model: 'a-1' }, { providerId: 'beta', model: 'b-1' }, { providerId: 'gamma', model: 'g-1' }];
  const scripts = { alpha: { parts: answer('a', 1) }, beta: { parts: answer('b', 1) }, gamma: { parts: answer('c', 1) } };

  it('refuses the whole comparison when the sum would exceed the budget, sending nothing', async () => {
    const { router, providers, guard, settled } = setup(scripts, { daily: 0.025 });
    const events: PaneEvent[] = [];
    const comparison = new Comparison({ router, preflight: items => guard.checkGroup(items) }, priced, request);
    await assert.rejects(comparison.run(event => events.push(event)), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.kind, 'budget');
      assert.match(error.message, /daily budget is \$0\.03.*these 3 requests together could cost up to \$0\.03/);
      return true;
    });
    for (const provider of Object.values(providers)) assert.equal(provider.calls.length, 0, 'no request reached any provider');
    assert.deepEqual(events, []);
    assert.deepEqual(settled, []);
    assert.equal(guard.reservedUsd(), 0);
  });

  it('lets the comparison through when the sum fits, even though each pane alone would fit too', async () => {
    const { router, providers, guard } = setup(scripts, { daily: 0.031 });
    const results = await new Comparison({ router, preflight: items => guard.checkGroup(items) }, priced, request).run(() => undefined);
    assert.deepEqual(results.map(result => result.outcome), ['ok', 'ok', 'ok']);
    assert.ok(Object.values(providers).every(provider => provider.calls.length === 1));
    assert.equal(guard.reservedUsd(), 0, 'every reservation was released');
  });

  it('sums per provider for a provider limit', async () => {
    const { guard } = setup(scripts, { perProvider: { alpha: { daily: 0.015 } } });
    const estimates = paneEstimates([{ providerId: 'alpha', model: 'a-1' }, { providerId: 'alpha', model: 'a-2' }, { providerId: 'beta', model: 'b-1' }], request);
    await assert.rejects(guard.checkGroup(estimates), /alpha daily budget.*these 3 requests together could cost up to \$0\.02/);
    await guard.checkGroup(estimates.filter(item => item.model !== 'a-2'));
  });

  it('refuses unpriced models under a budget when the policy is "block"', async () => {
    const { guard } = setup(scripts, { daily: 10, unpriced: 'block' });
    await assert.rejects(guard.checkGroup(paneEstimates(targets, request)), /mystery has no known price/);
    const { guard: allowing } = setup(scripts, { daily: 10, unpriced: 'allow' });
    assert.deepEqual(await allowing.checkGroup(paneEstimates(targets, request)), []);
  });

  it('asks once for all unpriced panes; a yes sends them without asking again, a no sends nothing', async () => {
    const unpricedTargets: CompareTarget[] = [{ providerId: 'alpha', model: 'a-1' }, { providerId: 'beta', model: 'mystery' }, { providerId: 'gamma', model: 'mystery' }];
    for (const answer of [true, false]) {
      const asked: string[] = [];
      const { router, providers, guard } = setup(scripts, { daily: 10, unpriced: 'ask' }, async message => { asked.push(message); return answer; });
      const running = new Comparison({ router, preflight: items => guard.checkGroup(items) }, unpricedTargets, request).run(() => undefined);
      if (answer) {
        const results = await running;
        assert.deepEqual(results.map(result => result.outcome), ['ok', 'ok', 'ok']);
        assert.equal(providers.beta!.calls.length + providers.gamma!.calls.length, 2);
      } else {
        await assert.rejects(running, /Not sent: mystery, mystery have no known price/);
        assert.equal(Object.values(providers).reduce((sum, provider) => sum + provider.calls.length, 0), 0);
      }
      assert.equal(asked.length, 1, 'one question for the group');
      assert.match(asked[0]!, /Send the comparison anyway\?/);
    }
  });

  it('estimates every pane with the router\'s input estimate and the output limit', () => {
    const estimates = paneEstimates(priced, { messages: [{ role: 'user', content: 'x'.repeat(35) }], system: 'y'.repeat(7) });
    assert.deepEqual(estimates.map(item => [item.estimatedInputTokens, item.maxOutputTokens]), [[12, 4096], [12, 4096], [12, 4096]]);
  });
});

describe('compare: metrics', () => {
  it('reads the pane figures from a settled result', () => {
    const result: TurnResult = {
      requestId: 'r', feature: 'compare', providerId: 'alpha', providerLabel: 'Alpha', requestedModel: 'a-1', servedModel: 'a-1-2026', outcome: 'ok',
      usage: { inputTokens: 10, cacheReadTokens: 3, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 0 },
      cost: { source: 'unpriced' }, startedAt: 0, timeToFirstTokenMs: 120, durationMs: 900, outputTokensPerSecond: 25, attempts: 1,
    };
    assert.deepEqual(metricsOf(result), {
      timeToFirstTokenMs: 120, totalMs: 900, tokensPerSecond: 25, inputTokens: 10, cachedInputTokens: 3, outputTokens: 20, unpriced: true, servedModel: 'a-1-2026',
    });
  });
});

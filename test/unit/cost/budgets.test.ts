import assert from 'node:assert/strict';
import { BudgetGuard, noBudgetLimits, type BudgetLimits, type BudgetNoticeAction } from '../../../src/cost/budgets';
import { Pricing } from '../../../src/cost/pricing';
import { bundledPricesVersion, loadPricesLibrary } from '../../../src/cost/pricesLibrary';
import { SpendTotals } from '../../../src/cost/spend';
import { ProviderError } from '../../../src/providers/errors';
import type { ChatStreamPart } from '../../../src/providers/types';
import { Router, defaultRetryPolicy, type RouterOutput } from '../../../src/router';
import type { TurnResult } from '../../../src/router/turn';
import { ScriptedProvider } from '../../fakes/scriptedProvider';

const noon = new Date(2026, 10, 20, 12).getTime();
const day = 86_400_000;
// gpt-5.4-mini: input $0.75 / MTok, output $4.5 / MTok. 4,000 characters ≈ 1,000 input tokens;
// with an output limit of 10,000 the worst case is 1,000 × 0.75e-6 + 10,000 × 4.5e-6 = $0.04575.
const answer: ChatStreamPart[] = [
  { type: 'text-delta', text: 'ok' },
  { type: 'usage', usage: { inputTokens: 1_000, outputTokens: 1_000 } },
  { type: 'finish', unified: 'stop', raw: 'stop' },
];

interface Harness {
  router: Router;
  provider: ScriptedProvider;
  guard: BudgetGuard;
  totals: SpendTotals;
  notices: { message: string; actions: readonly BudgetNoticeAction[] }[];
  settled: TurnResult[];
  limits: BudgetLimits;
  asked: string[];
}

async function harness(limits: Partial<BudgetLimits>, options: { delayMs?: number; confirm?: boolean; model?: string } = {}): Promise<Harness> {
  const library = await loadPricesLibrary();
  const pricing = new Pricing({ library, endpointPrice: () => undefined, endpointBaseUrl: () => undefined, priceVersion: () => bundledPricesVersion });
  const provider = new ScriptedProvider('openai', [{ parts: answer, ...(options.delayMs ? { delayMs: options.delayMs } : {}) }]);
  const totals = new SpendTotals();
  const notices: Harness['notices'] = [];
  const asked: string[] = [];
  const settled: TurnResult[] = [];
  const fullLimits: BudgetLimits = { ...noBudgetLimits, ...limits };
  const guard = new BudgetGuard({
    limits: () => fullLimits, totals, now: () => noon,
    estimate: (providerId, model, usage, at) => pricing.estimate(providerId, model, usage, at),
    notifier: { warn: (message, actions) => notices.push({ message, actions }), confirmUnpriced: async message => { asked.push(message); return options.confirm ?? false; } },
    providerLabel: id => id === 'openai' ? 'OpenAI' : id,
  });
  const router = new Router({
    selection: () => ({ providerId: 'openai', model: options.model ?? 'gpt-5.4-mini' }),
    resolve: (providerId, model) => ({ provider, providerId, providerLabel: 'OpenAI', family: 'openai', model, keyRequired: false, maxOutputTokens: 10_000 }),
    getKey: async () => undefined,
    retryPolicy: () => ({ ...defaultRetryPolicy, maxAttempts: 1 }),
    now: () => noon,
  });
  router.use({
    beforeSend: context => guard.beforeSend(context),
    price: result => pricing.price(result),
    afterSettle: result => {
      totals.add({ time: result.startedAt, provider: result.providerId, ...(result.cost?.usd !== undefined ? { costUsd: result.cost.usd } : {}) });
      guard.settled(result);
      settled.push(result);
    },
  });
  return { router, provider, guard, totals, notices, settled, limits: fullLimits, asked };
}

async function send(router: Router, overrideBudget = false): Promise<{ error?: ProviderError; outputs: RouterOutput[] }> {
  const turn = router.turn({ feature: 'chat', messages: [{ role: 'user', content: 'x'.repeat(4_000) }], maxOutputTokens: 10_000, ...(overrideBudget ? { overrideBudget } : {}) }, new AbortController().signal);
  const outputs: RouterOutput[] = [];
  try {
    for await (const output of turn.parts) outputs.push(output);
    await turn.settled;
    return { outputs };
  } catch (error) {
    await turn.settled;
    assert.ok(error instanceof ProviderError);
    return { error, outputs };
  }
}

describe('cost: budgets (pre-flight through the real router)', () => {
  it('refuses before sending: no request reaches the provider, the message states spent / limit / estimate', async () => {
    const setup = await harness({ daily: 1 });
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 0.98 });
    const { error } = await send(setup.router);
    assert.equal(error?.kind, 'budget');
    assert.equal(setup.provider.calls.length, 0);
    assert.match(error!.message, /daily budget is \$1\.00, \$0\.98 is spent.*up to \$0\.05/);
    assert.equal(setup.settled[0]?.outcome, 'refused');
    assert.equal(setup.guard.reservedUsd(), 0, 'a refusal reserves nothing');
  });

  it('"send once anyway" sends exactly one request', async () => {
    const setup = await harness({ daily: 1 });
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 0.98 });
    const first = await send(setup.router, true);
    assert.equal(first.error, undefined);
    assert.equal(setup.provider.calls.length, 1);
    const second = await send(setup.router);
    assert.equal(second.error?.kind, 'budget');
    assert.equal(setup.provider.calls.length, 1);
  });

  it('lets a request through when the worst case fits, and the actual cost replaces the reservation', async () => {
    const setup = await harness({ monthly: 10, perProvider: { openai: { daily: 0.5 } } });
    const { error } = await send(setup.router);
    assert.equal(error, undefined);
    assert.equal(setup.guard.reservedUsd(), 0);
    assert.ok(Math.abs(setup.totals.day(noon, 'openai') - (1_000 * 0.75e-6 + 1_000 * 4.5e-6)) < 1e-12);
  });

  it('parallel requests reserve their estimate so together they cannot overshoot', async () => {
    // Room for one worst case ($0.04575) but not two.
    const setup = await harness({ daily: 0.08 }, { delayMs: 20 });
    const [a, b] = await Promise.all([send(setup.router), send(setup.router)]);
    const refused = [a, b].filter(outcome => outcome.error?.kind === 'budget');
    assert.equal(refused.length, 1);
    assert.match(refused[0]!.error!.message, /reserved by requests in flight/);
    assert.equal(setup.provider.calls.length, 1);
    assert.equal(setup.guard.reservedUsd(), 0);
  });

  it('a per-provider limit counts only that provider', async () => {
    const setup = await harness({ perProvider: { openai: { daily: 0.05 } } });
    setup.totals.add({ time: noon, provider: 'anthropic', costUsd: 5 });
    assert.equal((await send(setup.router)).error, undefined);
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 0.04 });
    const { error } = await send(setup.router);
    assert.match(error!.message, /OpenAI daily budget/);
  });

  it('warns once at 80 %', async () => {
    const setup = await harness({ daily: 1 });
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 0.8 });
    await send(setup.router, true);
    await send(setup.router, true);
    const warnings = setup.notices.filter(notice => notice.message.includes('% of your daily budget'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /80 % of your daily budget \(\$0\.81 of \$1\.00\)/);
  });

  it('unpriced models under a budget: ask (declined → not sent), block, allow', async () => {
    const ask = await harness({ daily: 1 }, { model: 'unknown-model-x' });
    assert.equal((await send(ask.router)).error?.kind, 'budget');
    assert.equal(ask.asked.length, 1);
    assert.equal(ask.provider.calls.length, 0);
    const accepted = await harness({ daily: 1 }, { model: 'unknown-model-x', confirm: true });
    assert.equal((await send(accepted.router)).error, undefined);
    const block = await harness({ daily: 1, unpriced: 'block' }, { model: 'unknown-model-x' });
    assert.match((await send(block.router)).error!.message, /"block"/);
    assert.equal(block.asked.length, 0);
    const allow = await harness({ daily: 1, unpriced: 'allow' }, { model: 'unknown-model-x' });
    assert.equal((await send(allow.router)).error, undefined);
  });

  it('no limits: nothing is checked, even for unpriced models', async () => {
    const setup = await harness({}, { model: 'unknown-model-x' });
    assert.equal((await send(setup.router)).error, undefined);
    assert.equal(setup.asked.length, 0);
  });

  it('calls out unusual spend once: today > 3× the 30-day median and at least $1', async () => {
    const setup = await harness({});
    for (let back = 1; back <= 30; back++) setup.totals.add({ time: noon - back * day, provider: 'openai', costUsd: 0.4 });
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 1.1 });
    setup.guard.settled({ requestId: 'a', feature: 'chat', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'm', outcome: 'ok', startedAt: noon, durationMs: 1, attempts: 1 });
    assert.equal(setup.notices.length, 0, '$1.10 is not above 3 × $0.40');
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 0.2 });
    setup.guard.settled({ requestId: 'b', feature: 'chat', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'm', outcome: 'ok', startedAt: noon, durationMs: 1, attempts: 1 });
    assert.equal(setup.notices.length, 1);
    assert.match(setup.notices[0]!.message, /unusual spend on OpenAI — \$1\.30 today, more than 3× its usual \$0\.40/);
    assert.deepEqual(setup.notices[0]!.actions, [{ kind: 'showUsage' }, { kind: 'openDashboard', providerId: 'openai' }]);
    setup.guard.settled({ requestId: 'c', feature: 'chat', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'm', outcome: 'ok', startedAt: noon, durationMs: 1, attempts: 1 });
    assert.equal(setup.notices.length, 1, 'said once');
  });

  it('below $1 a spike is not called out', async () => {
    const setup = await harness({});
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 0.9 });
    setup.guard.settled({ requestId: 'a', feature: 'chat', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'm', outcome: 'ok', startedAt: noon, durationMs: 1, attempts: 1 });
    assert.equal(setup.notices.length, 0);
  });

  it('summarises today, the month and what is left', async () => {
    const setup = await harness({ daily: 2, monthly: 20 });
    setup.totals.add({ time: noon, provider: 'openai', costUsd: 0.5 });
    setup.totals.add({ time: noon - 3 * day, provider: 'openai', costUsd: 1 });
    const summary = setup.guard.summary();
    assert.equal(summary.today, 0.5);
    assert.equal(summary.dailyLeft, 1.5);
    assert.equal(summary.month, new Date(noon - 3 * day).getMonth() === new Date(noon).getMonth() ? 1.5 : 0.5);
  });
});

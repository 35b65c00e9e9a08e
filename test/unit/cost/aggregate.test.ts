import assert from 'node:assert/strict';
import { aggregateUsage, budgetBars } from '../../../src/cost/aggregate';
import { noBudgetLimits } from '../../../src/cost/budgets';
import type { LedgerRecord } from '../../../src/cost/ledgerRecord';

const now = new Date(2026, 10, 20, 15).getTime();
const day = 86_400_000;

function record(partial: Partial<LedgerRecord>): LedgerRecord {
  return { time: now - 3_600_000, requestId: 'r', workspace: 'w1', feature: 'chat', provider: 'openai', requestedModel: 'gpt-5.4-mini', durationMs: 100, outcome: 'ok', costUsd: 0.01, costSource: 'prices', ...partial };
}

describe('cost: dashboard aggregation', () => {
  const records: LedgerRecord[] = [
    record({ costUsd: 0.5, ttftMs: 100, tokensPerSecond: 50, usage: { inputTokens: 100, cacheReadTokens: 40, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 } }),
    record({ costUsd: 0.25, ttftMs: 300, tokensPerSecond: 70, outcome: 'error', errorKind: 'server' }),
    record({ costUsd: 0.1, ttftMs: 200, tokensPerSecond: 60 }),
    record({ time: now - 2 * day, provider: 'anthropic', requestedModel: 'claude-sonnet-4-6', costUsd: 1, feature: 'explain', workspace: 'w2' }),
    record({ time: now - 10 * day, costUsd: 3 }),
    record({ provider: 'custom:x', requestedModel: 'mystery', costUsd: undefined, costSource: 'unpriced' }),
    record({ time: now - 100 * day, requestId: 'day', costUsd: 9, requests: 40, errors: 4 }),
  ];

  it('stacks spend per day by provider over the range, leaving unpriced requests out of the money', () => {
    const result = aggregateUsage(records, { days: 7 }, now);
    assert.equal(result.days.length, 7);
    assert.equal(result.days.at(-1), '2026-11-20');
    assert.deepEqual(result.providers, ['anthropic', 'openai']);
    assert.deepEqual(result.spendByProvider[1]!.slice(-1), [0.85]);
    assert.equal(result.spendByProvider[0]![4], 1);
    assert.equal(result.totalUsd, 1.85);
    assert.equal(result.requests, 5);
    assert.equal(result.unpricedRequests, 1);
  });

  it('one row per model with medians and error rate', () => {
    const rows = aggregateUsage(records, { days: 7 }, now).models;
    const openai = rows.find(row => row.model === 'gpt-5.4-mini')!;
    assert.equal(openai.requests, 3);
    assert.equal(openai.costUsd, 0.85);
    assert.equal(openai.medianTtftMs, 200);
    assert.equal(openai.medianTokensPerSecond, 60);
    assert.equal(openai.errorRate, 1 / 3);
    assert.equal(openai.cachedTokens, 40);
    const mystery = rows.find(row => row.model === 'mystery')!;
    assert.equal(mystery.unpricedRequests, 1);
    assert.equal(mystery.costUsd, 0);
    assert.equal(rows[0]!.model, 'claude-sonnet-4-6', 'sorted by cost');
  });

  it('filters by workspace, provider and feature, and counts compacted lines as their requests', () => {
    assert.equal(aggregateUsage(records, { days: 7, workspace: 'w2' }, now).totalUsd, 1);
    assert.equal(aggregateUsage(records, { days: 30, provider: 'openai' }, now).totalUsd, 3.85);
    assert.equal(aggregateUsage(records, { days: 7, feature: 'explain' }, now).requests, 1);
    const ninety = aggregateUsage(records, { days: 90, provider: 'openai' }, now);
    assert.equal(ninety.requests, 4);
    const all = aggregateUsage([...records, record({ time: now - 80 * day, costUsd: 2, requests: 10, errors: 5 })], { days: 90, provider: 'openai' }, now);
    assert.equal(all.requests, 14);
    assert.equal(all.models[0]!.errorRate, 6 / 14);
    assert.deepEqual(all.choices.workspaces, ['w1', 'w2']);
  });

  it('budget bars with the projected month', () => {
    const bars = budgetBars(records, { ...noBudgetLimits, daily: 2, monthly: 20, perProvider: { openai: { monthly: 10 } } }, now);
    assert.deepEqual(bars.map(bar => bar.label), ['Today', 'This month', 'openai this month']);
    assert.equal(bars[0]!.spentUsd, 0.85);
    assert.equal(bars[1]!.spentUsd, 0.85 + 1 + 3);
    // 19 days and 15 hours into a 30-day November.
    const elapsed = 19 + 15 / 24;
    assert.ok(Math.abs(bars[1]!.projectedUsd! - (4.85 * 30) / elapsed) < 1e-9);
  });
});

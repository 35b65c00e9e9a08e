// Cost in plain Node: pricing one settled request once the price table is loaded (target < 0.1 ms
// median), the ledger append as the stream sees it (a synchronous enqueue), and the usage
// dashboard's aggregation of 100,000 ledger records — file read + parse + aggregate + budget bars
// (target < 500 ms). With `--view-out <file>` it also writes the usage/state message the host would
// post for that aggregate (built as src/webview/usagePanel.ts builds it), for the first-paint
// measurement in headless chromium (scripts/bench/costPaint.mjs).
// Bundled by scripts/bench/build.mjs; prints one `BYOK_BENCH_RESULT {json}` line.
//   node costBench.cjs --records 100000 --pricings 20000
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aggregateUsage, budgetBars } from '../../src/cost/aggregate';
import { UsageLedger, parseLedger } from '../../src/cost/ledger';
import { encodeLedgerLine, type LedgerRecord } from '../../src/cost/ledgerRecord';
import { Pricing } from '../../src/cost/pricing';
import { bundledPricesVersion, loadPricesLibrary } from '../../src/cost/pricesLibrary';
import type { TurnResult } from '../../src/router/turn';
import type { UsageHostToWebview } from '../../src/webview/protocol';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : NaN;
  return Number.isFinite(value) ? value : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const targets = [
  { providerId: 'openai', model: 'gpt-5.4-mini' },
  { providerId: 'anthropic', model: 'claude-sonnet-4-6' },
  { providerId: 'gemini', model: 'gemini-2.5-pro' },
  { providerId: 'deepseek', model: 'deepseek-chat' },
  { providerId: 'xai', model: 'grok-4' },
  { providerId: 'mistral', model: 'mistral-medium-latest' },
];

async function benchPricing(count: number): Promise<{ loadMs: number; medianMs: number; p95Ms: number }> {
  const loadStart = performance.now();
  const library = await loadPricesLibrary();
  const pricing = new Pricing({ library, endpointPrice: () => undefined, endpointBaseUrl: () => undefined, priceVersion: () => bundledPricesVersion });
  pricing.price(result(0));
  const loadMs = performance.now() - loadStart;
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const settled = result(index);
    const start = performance.now();
    pricing.price(settled);
    times.push(performance.now() - start);
  }
  const warm = times.slice(Math.floor(count / 10));
  const sorted = [...warm].sort((a, b) => a - b);
  return { loadMs, medianMs: median(warm), p95Ms: sorted[Math.floor(sorted.length * 0.95)]! };
}

function result(index: number): TurnResult {
  const target = targets[index % targets.length]!;
  return {
    requestId: `r${index}`, feature: 'chat', providerId: target.providerId, providerLabel: target.providerId, requestedModel: target.model, outcome: 'ok',
    usage: { inputTokens: 12_000 + index % 5000, cacheReadTokens: 4_000, cacheWriteTokens: 0, outputTokens: 800 + index % 300, reasoningTokens: 0 },
    startedAt: Date.now() - index * 1000, durationMs: 2000, attempts: 1,
  };
}

function syntheticRecords(count: number, now: number): LedgerRecord[] {
  const records: LedgerRecord[] = [];
  const span = 90 * 86_400_000;
  for (let index = 0; index < count; index++) {
    const target = targets[index % targets.length]!;
    records.push({
      time: now - Math.floor((index / count) * span), requestId: `r${index}`, workspace: `ws${index % 4}`, feature: index % 7 === 0 ? 'explain' : 'chat',
      provider: target.providerId, requestedModel: target.model, servedModel: `${target.model}-2026`,
      usage: { inputTokens: 12_000, cacheReadTokens: 4_000, cacheWriteTokens: 0, outputTokens: 900, reasoningTokens: 100 },
      rawUsage: { prompt_tokens: 12_000, completion_tokens: 900, prompt_tokens_details: { cached_tokens: 4_000 } },
      costUsd: 0.01 + (index % 13) / 1000, costSource: 'prices', priceVersion: bundledPricesVersion,
      ttftMs: 300 + index % 500, durationMs: 4000, tokensPerSecond: 40 + index % 60, outcome: index % 50 === 0 ? 'error' : 'ok',
    });
  }
  return records;
}

async function benchDashboard(count: number, viewOut: string | undefined): Promise<Record<string, number>> {
  const now = Date.now();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-cost-bench-'));
  try {
    const file = path.join(directory, 'ledger.jsonl');
    // Written as the ledger writes its lines (the compact format).
    fs.writeFileSync(file, syntheticRecords(count, now).map(record => `${encodeLedgerLine(record)}\n`).join(''));
    const fileBytes = fs.statSync(file).size;
    const runs: { readMs: number; parseMs: number; aggregateMs: number; totalMs: number }[] = [];
    for (let run = 0; run < 4; run++) {
      const start = performance.now();
      const text = fs.readFileSync(file, 'utf8');
      const read = performance.now();
      const { records } = parseLedger(text);
      const parsed = performance.now();
      aggregateUsage(records, { days: 90 }, now);
      budgetBars(records, { daily: 5, monthly: 100, perProvider: { openai: { monthly: 20 } }, unpriced: 'ask' }, now);
      const done = performance.now();
      runs.push({ readMs: read - start, parseMs: parsed - read, aggregateMs: done - parsed, totalMs: done - start });
    }
    const measured = runs.slice(1);
    if (viewOut) {
      const { records } = parseLedger(fs.readFileSync(file, 'utf8'));
      const aggregate = aggregateUsage(records, { days: 90 }, now);
      const budgets = budgetBars(records, { daily: 5, monthly: 100, perProvider: { openai: { monthly: 20 } }, unpriced: 'ask' }, now);
      const label = (id: string) => ({ id, label: id });
      const message: UsageHostToWebview = { type: 'usage/state', view: {
        filter: { days: 90 }, days: aggregate.days, providers: aggregate.providers.map(label), spendByProvider: aggregate.spendByProvider, models: aggregate.models,
        totalUsd: aggregate.totalUsd, requests: aggregate.requests, unpricedRequests: aggregate.unpricedRequests, budgets,
        choices: { workspaces: aggregate.choices.workspaces.map(label), providers: aggregate.choices.providers.map(label), features: aggregate.choices.features },
        priceData: { version: bundledPricesVersion, bundled: true },
      } };
      fs.writeFileSync(viewOut, JSON.stringify(message));
    }
    // The append as a stream's afterSettle sees it: a synchronous enqueue, the disk write happens later.
    const ledger = new UsageLedger(path.join(directory, 'append.jsonl'));
    const appendTimes: number[] = [];
    const sample = syntheticRecords(2000, now);
    for (const record of sample) {
      const start = performance.now();
      ledger.append(record);
      appendTimes.push(performance.now() - start);
    }
    await ledger.flush();
    return {
      records: count, fileBytes,
      readMs: median(measured.map(run => run.readMs)), parseMs: median(measured.map(run => run.parseMs)),
      aggregateMs: median(measured.map(run => run.aggregateMs)), totalMs: median(measured.map(run => run.totalMs)),
      appendMedianMs: median(appendTimes),
    };
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const pricing = await benchPricing(option('pricings', 20_000));
  const viewOutIndex = process.argv.indexOf('--view-out');
  const dashboard = await benchDashboard(option('records', 100_000), viewOutIndex >= 0 ? process.argv[viewOutIndex + 1] : undefined);
  console.log(`BYOK_BENCH_RESULT ${JSON.stringify({ node: process.version, pricing, dashboard })}`);
}

main().catch(error => { console.error(error); process.exit(1); });

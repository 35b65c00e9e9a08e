import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CostService } from '../../../src/cost/costService';
import { noBudgetLimits } from '../../../src/cost/budgets';
import { PriceData, type PriceDataStore } from '../../../src/cost/priceData';
import { bundledPricesVersion, loadPricesLibrary, type PricesLibrary } from '../../../src/cost/pricesLibrary';
import type { TurnResult } from '../../../src/router/turn';

class MemoryStore implements PriceDataStore {
  text: string | undefined;
  async read(): Promise<string | undefined> { return this.text; }
  async write(text: string): Promise<void> { this.text = text; }
}

/** A published table in which gpt-5.4-mini costs $1 / $2 per MTok (instead of $0.75 / $4.5). */
function publishedTable(): unknown[] {
  return [{ id: 'openai', name: 'OpenAI', api_pattern: 'https://api\\.openai\\.com', models: [{ id: 'gpt-5.4-mini', match: { equals: 'gpt-5.4-mini' }, prices: { input_mtok: 1, output_mtok: 2 } }] }];
}

const now = new Date(Date.UTC(2026, 11, 1, 16, 0, 0));

describe('cost: price data refresh (no network: the fetcher is injected)', () => {
  let library: PricesLibrary;
  let restore: unknown[];
  before(async () => {
    library = await loadPricesLibrary();
    // The library's table is global: put the bundled data back after these tests.
    restore = JSON.parse(JSON.stringify(library.findProvider({ providerId: 'openai' }) ? await bundledProviders(library) : []));
  });
  afterEach(() => library.updatePrices(({ setProviderData }) => setProviderData(restore as never)));

  it('downloads from the package URL only, applies, stores, and names the version by date', async () => {
    const store = new MemoryStore();
    const urls: string[] = [];
    const data = new PriceData(store, async url => { urls.push(url); return JSON.stringify(publishedTable()); });
    assert.equal(data.info().version, bundledPricesVersion);
    const outcome = await data.refresh(library, now);
    assert.deepEqual(urls, [library.REMOTE_DATA_JSON_URL]);
    assert.equal(outcome.providers, 1);
    assert.equal(outcome.models, 1);
    assert.equal(data.info().version, 'genai-prices data 2026-12-01T16:00:00.000Z');
    assert.equal(library.calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, 'gpt-5.4-mini', { providerId: 'openai' })?.total_price, 1);
    const stored = JSON.parse(store.text!) as { fetchedAt: string; data: unknown[] };
    assert.equal(stored.fetchedAt, now.toISOString());
    // A fresh start applies the stored copy.
    const again = new PriceData(store, async () => { throw new Error('must not fetch'); });
    await again.load(library);
    assert.equal(again.info().fetchedAt, now.toISOString());
  });

  it('keeps the current prices when the download is broken', async () => {
    const store = new MemoryStore();
    const data = new PriceData(store, async () => '<html>rate limited</html>');
    await assert.rejects(data.refresh(library, now), /not JSON/);
    const wrongShape = new PriceData(store, async () => JSON.stringify({ providers: [] }));
    await assert.rejects(wrongShape.refresh(library, now), /not a list of providers/);
    const failing = new PriceData(store, async () => { throw new Error('offline'); });
    await assert.rejects(failing.refresh(library, now), /offline/);
    assert.equal(store.text, undefined);
    assert.equal(data.info().bundled, true);
  });

  it('a corrupt stored copy falls back to the bundled table', async () => {
    const store = new MemoryStore();
    store.text = '{"fetchedAt": "x", "data": 5}';
    const logged: string[] = [];
    const data = new PriceData(store, async () => '', message => logged.push(message));
    await data.load(library);
    assert.equal(data.info().bundled, true);
    assert.match(logged[0]!, /unusable/);
  });

  it('a refresh recomputes ledger costs priced from the table and leaves provider-reported ones', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-cost-'));
    try {
      const service = new CostService({
        ledgerFile: path.join(directory, 'ledger.jsonl'), priceStore: new MemoryStore(), fetchText: async () => JSON.stringify(publishedTable()),
        workspaceId: 'w', limits: () => noBudgetLimits, endpointPrice: () => undefined, endpointBaseUrl: () => undefined, providerLabel: id => id,
        notifier: { warn: () => undefined, confirmUnpriced: async () => false }, log: () => undefined, now: () => now.getTime(),
      });
      const base: TurnResult = { requestId: 'a', feature: 'chat', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'gpt-5.4-mini', outcome: 'ok', usage: { inputTokens: 1_000_000, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1_000_000, reasoningTokens: 0 }, startedAt: now.getTime() - 1000, durationMs: 1, attempts: 1 };
      for (const result of [base, { ...base, requestId: 'b', reportedCostUsd: 7 }]) {
        const cost = await service.price(result);
        await service.afterSettle({ ...result, cost });
      }
      assert.deepEqual((await service.records()).map(record => record.costUsd), [0.75 + 4.5, 7]);
      const outcome = await service.refreshPrices();
      assert.equal(outcome.repriced, 1);
      const records = await service.records();
      assert.deepEqual(records.map(record => record.costUsd), [3, 7]);
      assert.equal(records[0]!.priceVersion, 'genai-prices data 2026-12-01T16:00:00.000Z');
      assert.equal(service.totals.day(now.getTime()), 10);
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });

  it('a budget check counts what another window spent since', async () => {
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-cost-'));
    try {
      const options = (id: string) => ({
        ledgerFile: path.join(directory, 'ledger.jsonl'), priceStore: new MemoryStore(), fetchText: async () => '[]',
        workspaceId: id, limits: () => ({ ...noBudgetLimits, daily: 5 }), endpointPrice: () => undefined, endpointBaseUrl: () => undefined, providerLabel: (provider: string) => provider,
        notifier: { warn: () => undefined, confirmUnpriced: async () => false }, log: () => undefined, now: () => now.getTime(),
      });
      const windowA = new CostService(options('a'));
      const windowB = new CostService(options('b'));
      await windowB.loadLedger();
      const spent: TurnResult = { requestId: 'x', feature: 'chat', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'gpt-5.4-mini', outcome: 'ok', reportedCostUsd: 4.99, startedAt: now.getTime() - 1000, durationMs: 1, attempts: 1 };
      await windowA.afterSettle({ ...spent, cost: await windowA.price(spent) });
      await windowA.ledger.flush();
      const context = { requestId: 'y', feature: 'chat' as const, providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-5.4-mini', messages: [], maxOutputTokens: 10_000, estimatedInputTokens: 1_000 };
      await assert.rejects(windowB.beforeSend(context), (error: Error & { kind?: string }) => error.kind === 'budget' && /\$4\.99 is spent/.test(error.message));
    } finally {
      fs.rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** The library's current (bundled) provider list, read back through findProvider for every id it knows. */
async function bundledProviders(library: PricesLibrary): Promise<unknown[]> {
  const ids = ['anthropic', 'openai', 'google', 'mistral', 'groq', 'x-ai', 'cohere', 'deepseek', 'together', 'perplexity', 'openrouter'];
  return ids.map(id => library.findProvider({ providerId: id })).filter(Boolean);
}

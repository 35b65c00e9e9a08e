// Golden cost tests: each expected number is worked out by hand from the per-million-token prices
// in the bundled @pydantic/genai-prices data (quoted next to each case), and asserted to 1e-9.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bundledPricesVersion, loadPricesLibrary, type PricesLibrary } from '../../../src/cost/pricesLibrary';
import { Pricing, type EndpointPriceSetting } from '../../../src/cost/pricing';
import type { NormalizedUsage, TurnCost, TurnResult } from '../../../src/router/turn';
import { repoRoot } from '../../fakes/repoRoot';

// 2026-11-20 10:00 UTC: inside DeepSeek's 00:30–16:30 UTC standard-price window.
const peak = Date.UTC(2026, 10, 20, 10, 0, 0);

function usage(partial: Partial<NormalizedUsage>): NormalizedUsage {
  return { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...partial };
}

function result(providerId: string, model: string, used: Partial<NormalizedUsage> | undefined, extra: Partial<TurnResult> = {}): TurnResult {
  return {
    requestId: 'r1', feature: 'chat', providerId, providerLabel: providerId, requestedModel: model, outcome: 'ok',
    ...(used ? { usage: usage(used) } : {}), startedAt: peak, durationMs: 1000, attempts: 1, ...extra,
  };
}

describe('cost: pricing (golden, per provider)', () => {
  let library: PricesLibrary;
  /** Every case here has a known cost; `undefined` (cost unknown) fails the test. */
  const priceOf = (settled: TurnResult): TurnCost => {
    const cost = pricing.price(settled);
    assert.ok(cost, 'a cost');
    return cost;
  };
  const endpoints: Record<string, { price?: EndpointPriceSetting; baseUrl: string }> = {
    'custom:router': { baseUrl: 'https://openrouter.ai/api/v1' },
    'custom:local': { baseUrl: 'http://127.0.0.1:11434/v1' },
    'custom:lan': { baseUrl: 'http://10.0.0.5:8000/v1' },
    'custom:priced': { baseUrl: 'https://llm.example.com/v1', price: { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0.5 } },
    'custom:free': { baseUrl: 'https://llm.example.com/v1', price: 'free' },
  };
  let pricing: Pricing;

  before(async () => {
    library = await loadPricesLibrary();
    pricing = new Pricing({
      library,
      endpointPrice: id => endpoints[id]?.price,
      endpointBaseUrl: id => endpoints[id]?.baseUrl,
      priceVersion: () => bundledPricesVersion,
    });
  });

  const cases: { name: string; result: () => TurnResult; usd: number }[] = [
    // gpt-5.4-mini: input 0.75, cache read 0.075, output 4.5 per MTok
    { name: 'OpenAI plain', result: () => result('openai', 'gpt-5.4-mini', { inputTokens: 10_000, outputTokens: 2_000 }), usd: 10_000 * 0.75e-6 + 2_000 * 4.5e-6 },
    { name: 'OpenAI cached input (cache inside input)', result: () => result('openai', 'gpt-5.4-mini', { inputTokens: 10_000, cacheReadTokens: 8_000, outputTokens: 1_000 }), usd: 2_000 * 0.75e-6 + 8_000 * 0.075e-6 + 1_000 * 4.5e-6 },
    { name: 'OpenAI reasoning is part of output, not billed twice', result: () => result('openai', 'gpt-5.4-mini', { inputTokens: 1_000, outputTokens: 5_000, reasoningTokens: 4_000 }), usd: 1_000 * 0.75e-6 + 5_000 * 4.5e-6 },
    { name: 'OpenAI served model snapshot id', result: () => result('openai', 'gpt-5.4-mini', { inputTokens: 1_000, outputTokens: 1_000 }, { servedModel: 'gpt-5.4-mini-2026-03-17' }), usd: 1_000 * 0.75e-6 + 1_000 * 4.5e-6 },
    { name: 'OpenAI unknown served model falls back to the requested one', result: () => result('openai', 'gpt-5.4-mini', { inputTokens: 1_000, outputTokens: 1_000 }, { servedModel: 'mystery-router-model' }), usd: 1_000 * 0.75e-6 + 1_000 * 4.5e-6 },
    // gemini-2.5-flash: input 0.3, cache read 0.03, output 2.5
    { name: 'Gemini cached input', result: () => result('gemini', 'gemini-2.5-flash', { inputTokens: 100_000, cacheReadTokens: 60_000, outputTokens: 3_000 }), usd: 40_000 * 0.3e-6 + 60_000 * 0.03e-6 + 3_000 * 2.5e-6 },
    // gemini-2.5-pro: input 1.25 / 2.5 above 200k, cache read 0.125 / 0.25, output 10 / 15 — the tier applies to the whole request
    { name: 'Gemini 2.5 Pro below 200k', result: () => result('gemini', 'gemini-2.5-pro', { inputTokens: 100_000, outputTokens: 1_000 }), usd: 100_000 * 1.25e-6 + 1_000 * 10e-6 },
    { name: 'Gemini 2.5 Pro above 200k: whole request at the higher tier', result: () => result('gemini', 'gemini-2.5-pro', { inputTokens: 300_000, cacheReadTokens: 100_000, outputTokens: 1_000 }), usd: 200_000 * 2.5e-6 + 100_000 * 0.25e-6 + 1_000 * 15e-6 },
    // deepseek-chat: 0.27 / cache 0.07 / output 1.1 from 00:30 to 16:30 UTC, half that off-peak
    { name: 'DeepSeek cached input, standard hours', result: () => result('deepseek', 'deepseek-chat', { inputTokens: 50_000, cacheReadTokens: 40_000, outputTokens: 2_000 }), usd: 10_000 * 0.27e-6 + 40_000 * 0.07e-6 + 2_000 * 1.1e-6 },
    { name: 'DeepSeek off-peak', result: () => result('deepseek', 'deepseek-chat', { inputTokens: 50_000, cacheReadTokens: 40_000, outputTokens: 2_000 }, { startedAt: Date.UTC(2026, 10, 20, 20, 0, 0) }), usd: 10_000 * 0.135e-6 + 40_000 * 0.035e-6 + 2_000 * 0.55e-6 },
    // claude-sonnet-4-6 (since 2026-03-13): input 3, cache write 3.75, cache read 0.3, output 15
    { name: 'Anthropic cache read + write', result: () => result('anthropic', 'claude-sonnet-4-6', { inputTokens: 30_000, cacheReadTokens: 20_000, cacheWriteTokens: 5_000, outputTokens: 1_000 }), usd: 5_000 * 3e-6 + 20_000 * 0.3e-6 + 5_000 * 3.75e-6 + 1_000 * 15e-6 },
    // claude-sonnet-4-5 above 200k input: input 6, cache write 7.5, cache read 0.6, output 22.5
    { name: 'Anthropic above 200k: whole request at the higher tier', result: () => result('anthropic', 'claude-sonnet-4-5', { inputTokens: 250_000, cacheReadTokens: 50_000, cacheWriteTokens: 20_000, outputTokens: 2_000 }), usd: 180_000 * 6e-6 + 50_000 * 0.6e-6 + 20_000 * 7.5e-6 + 2_000 * 22.5e-6 },
    // grok-4: input 3, cache read 0.75, output 15
    { name: 'xAI cached input', result: () => result('xai', 'grok-4', { inputTokens: 10_000, cacheReadTokens: 2_000, outputTokens: 1_000 }), usd: 8_000 * 3e-6 + 2_000 * 0.75e-6 + 1_000 * 15e-6 },
    // mistral-medium-latest (since 2026-06-16): input 1.5, output 7.5
    { name: 'Mistral', result: () => result('mistral', 'mistral-medium-latest', { inputTokens: 10_000, outputTokens: 1_000 }), usd: 10_000 * 1.5e-6 + 1_000 * 7.5e-6 },
    // llama-3.3-70b-versatile: input 0.59, output 0.79
    { name: 'Groq', result: () => result('groq', 'llama-3.3-70b-versatile', { inputTokens: 10_000, outputTokens: 1_000 }), usd: 10_000 * 0.59e-6 + 1_000 * 0.79e-6 },
    // command-a: input 2.5, output 10
    { name: 'Cohere', result: () => result('cohere', 'command-a-03-2025', { inputTokens: 10_000, outputTokens: 1_000 }), usd: 10_000 * 2.5e-6 + 1_000 * 10e-6 },
    // Llama-3.3-70B-Instruct-Turbo: 0.88 both ways
    { name: 'Together', result: () => result('together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', { inputTokens: 10_000, outputTokens: 1_000 }), usd: 11_000 * 0.88e-6 },
    // sonar: input 1, output 1, and $12 per 1000 requests
    { name: 'Perplexity (per-request fee, perplexity/ prefix)', result: () => result('perplexity', 'perplexity/sonar', { inputTokens: 1_000, outputTokens: 100 }), usd: 1_000 * 1e-6 + 100 * 1e-6 + 12 / 1000 },
    // OpenRouter recognised by its URL on a custom endpoint; anthropic/claude-sonnet-4.5: input 3, output 15
    { name: 'custom endpoint priced by its URL (OpenRouter)', result: () => result('custom:router', 'anthropic/claude-sonnet-4.5', { inputTokens: 10_000, outputTokens: 1_000 }), usd: 10_000 * 3e-6 + 1_000 * 15e-6 },
    { name: 'custom endpoint override', result: () => result('custom:priced', 'anything', { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 1_000 }), usd: 6_000 * 1e-6 + 4_000 * 0.5e-6 + 1_000 * 2e-6 },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const cost = priceOf(testCase.result());
      assert.ok(cost.usd !== undefined, `${testCase.name}: unpriced`);
      assert.ok(Math.abs(cost.usd - testCase.usd) < 1e-9, `${testCase.name}: ${cost.usd} ≠ ${testCase.usd}`);
      assert.equal(cost.priceVersion, bundledPricesVersion);
      assert.equal(cost.source, testCase.name.includes('override') ? 'override' : 'prices');
    });
  }

  it('uses the cost the provider reported itself', () => {
    const cost = priceOf(result('custom:router', 'openai/gpt-4o', { inputTokens: 1_000, outputTokens: 100 }, { reportedCostUsd: 0.0042 }));
    assert.deepEqual(cost, { usd: 0.0042, source: 'provider', priceVersion: bundledPricesVersion });
  });

  it('an unknown model is unpriced, never $0', () => {
    const cost = priceOf(result('openai', 'gpt-nonexistent-9', { inputTokens: 1_000, outputTokens: 100 }));
    assert.equal(cost.source, 'unpriced');
    assert.equal(cost.usd, undefined);
    assert.equal(priceOf(result('custom:lan', 'llama3', { inputTokens: 1_000, outputTokens: 100 })).source, 'unpriced');
  });

  it('a stream stopped after text but before usage has an unknown cost, never $0; one refused before sending costs $0', () => {
    assert.equal(pricing.price(result('openai', 'gpt-5.4-mini', undefined, { outcome: 'aborted', timeToFirstTokenMs: 120 })), undefined);
    assert.deepEqual(priceOf(result('openai', 'gpt-5.4-mini', undefined, { outcome: 'refused' })).usd, 0);
  });

  it('a "free" endpoint and a loopback server cost $0 as free', () => {
    assert.deepEqual(priceOf(result('custom:free', 'm', { inputTokens: 1_000, outputTokens: 100 })), { usd: 0, source: 'free', priceVersion: bundledPricesVersion });
    assert.deepEqual(priceOf(result('custom:local', 'llama3', { inputTokens: 1_000, outputTokens: 100 })), { usd: 0, source: 'free', priceVersion: bundledPricesVersion });
  });

  it('usage the table finds inconsistent is unpriced, not an exception', () => {
    const cost = priceOf(result('openai', 'gpt-5.4-mini', { inputTokens: 100, cacheReadTokens: 500, outputTokens: 10 }));
    assert.equal(cost.source, 'unpriced');
  });

  it('a request that reported no usage (refused, failed early) costs nothing, unless its model is unknown', () => {
    assert.deepEqual(priceOf(result('openai', 'gpt-5.4-mini', undefined, { outcome: 'refused' })), { usd: 0, source: 'prices', priceVersion: bundledPricesVersion });
    assert.deepEqual(priceOf(result('openai', 'nope-model', undefined, { outcome: 'error' })), { source: 'unpriced', priceVersion: bundledPricesVersion });
  });

  it('estimates a worst case for budgets with the same table', () => {
    const estimate = pricing.estimate('openai', 'gpt-5.4-mini', usage({ inputTokens: 4_000, outputTokens: 8_192 }), new Date(peak));
    assert.ok(Math.abs(estimate.usd! - (4_000 * 0.75e-6 + 8_192 * 4.5e-6)) < 1e-9);
  });

  it('bundledPricesVersion matches the installed package', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/@pydantic/genai-prices/package.json'), 'utf8')) as { version: string };
    assert.equal(bundledPricesVersion, `genai-prices@${manifest.version}`);
  });
});

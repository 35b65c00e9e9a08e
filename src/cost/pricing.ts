// What a settled request cost. In order: the cost the provider reported itself (OpenRouter,
// Perplexity); for a custom endpoint the user's own per-endpoint price ("free" for a local server);
// otherwise the published price from @pydantic/genai-prices, which applies whole-request tiers
// (Gemini and Claude above 200k tokens), cache reads/writes, reasoning and per-request fees.
// A model nobody has a price for is "unpriced" — never $0. Never imports `vscode`.

import { customProviderPrefix } from '../providers/registry';
import type { NormalizedUsage, TurnCost, TurnResult } from '../router/turn';
import type { PricesLibrary } from './pricesLibrary';

/** A custom endpoint's price per million tokens, from the user's own settings. */
export interface EndpointPrice {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Cache reads; billed at the input rate when absent. */
  cachedInputPerMTok?: number;
}

export type EndpointPriceSetting = EndpointPrice | 'free';

export interface PricingSources {
  library: PricesLibrary;
  /** The user-only price override for a custom endpoint (`custom:<id>`), if any. */
  endpointPrice(providerId: string): EndpointPriceSetting | undefined;
  /** A custom endpoint's base URL, so a known API (OpenRouter, …) is priced by its URL. */
  endpointBaseUrl(providerId: string): string | undefined;
  /** Version of the active price data (bundled package version or the refresh date). */
  priceVersion(): string;
}

/** Our provider ids → genai-prices provider ids, where they differ. */
const pricesProviderIds: Readonly<Record<string, string>> = { gemini: 'google', xai: 'x-ai' };

/** Local servers charge nothing: a custom endpoint on a loopback address is free unless priced. */
const loopbackUrl = /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;

export class Pricing {
  constructor(private readonly sources: PricingSources) {}

  /**
   * The cost of a settled request. Never throws: a failure to price reads "unpriced". Undefined
   * when the cost is unknown: a stream stopped after text arrived but before the provider reported
   * usage was billed for something we cannot count — shown as no cost, never as $0.
   */
  price(result: TurnResult): TurnCost | undefined {
    const priceVersion = this.sources.priceVersion();
    const reported = result.reportedCostUsd;
    if (reported !== undefined && Number.isFinite(reported) && reported >= 0) return { usd: reported, source: 'provider', priceVersion };
    // Output arrived but its usage never did (stopped mid-stream): the cost is unknown, not $0.
    if (!result.usage && result.timeToFirstTokenMs !== undefined) return undefined;
    // Nothing arrived (refused, or failed before the provider said anything): nothing to bill.
    if (!result.usage) {
      const source = this.costOf(result.providerId, [result.requestedModel], zeroUsage, new Date(result.startedAt)).source;
      return source === 'unpriced' ? { source, priceVersion } : { usd: 0, source, priceVersion };
    }
    const models = result.servedModel && result.servedModel !== result.requestedModel ? [result.servedModel, result.requestedModel] : [result.requestedModel];
    return this.costOf(result.providerId, models, result.usage, new Date(result.startedAt));
  }

  /** The cost of a hypothetical usage (a budget's worst case); `usd` undefined when unpriced. */
  estimate(providerId: string, model: string, usage: NormalizedUsage, at: Date): TurnCost {
    return this.costOf(providerId, [model], usage, at);
  }

  private costOf(providerId: string, models: readonly string[], usage: NormalizedUsage, at: Date): TurnCost {
    const priceVersion = this.sources.priceVersion();
    if (providerId.startsWith(customProviderPrefix)) {
      const override = this.sources.endpointPrice(providerId);
      if (override === 'free') return { usd: 0, source: 'free', priceVersion };
      if (override) return { usd: endpointCost(override, usage), source: 'override', priceVersion };
      const baseUrl = this.sources.endpointBaseUrl(providerId);
      if (baseUrl && loopbackUrl.test(baseUrl)) return { usd: 0, source: 'free', priceVersion };
      if (!baseUrl) return { source: 'unpriced', priceVersion };
      return this.published(models, usage, at, { providerApiUrl: baseUrl }, providerId);
    }
    return this.published(models, usage, at, { providerId: pricesProviderIds[providerId] ?? providerId }, providerId);
  }

  private published(models: readonly string[], usage: NormalizedUsage, at: Date, where: { providerId?: string; providerApiUrl?: string }, providerId: string): TurnCost {
    const priceVersion = this.sources.priceVersion();
    const pricesUsage = toPricesUsage(usage);
    for (const model of models) {
      for (const candidate of modelIdCandidates(providerId, model)) {
        try {
          const calculation = this.sources.library.calcPrice(pricesUsage, candidate, { ...where, timestamp: at });
          if (calculation && Number.isFinite(calculation.total_price)) return { usd: calculation.total_price, source: 'prices', priceVersion };
        } catch {
          // Usage the library finds inconsistent (e.g. more cached than input tokens): not priceable.
          return { source: 'unpriced', priceVersion };
        }
      }
    }
    return { source: 'unpriced', priceVersion };
  }
}

const zeroUsage: NormalizedUsage = { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/** Our usage → genai-prices' usage. Both conventions count cache inside input and reasoning inside output. */
export function toPricesUsage(usage: NormalizedUsage): Record<string, number> {
  const mapped: Record<string, number> = { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens };
  if (usage.cacheReadTokens > 0) mapped.cache_read_tokens = usage.cacheReadTokens;
  if (usage.cacheWriteTokens > 0) mapped.cache_write_tokens = usage.cacheWriteTokens;
  if (usage.reasoningTokens > 0) mapped.output_reasoning_tokens = usage.reasoningTokens;
  return mapped;
}

/** Perplexity's Agent API names models `perplexity/sonar`; the price table knows them as `sonar`. */
function modelIdCandidates(providerId: string, model: string): string[] {
  const prefix = `${providerId}/`;
  return model.startsWith(prefix) ? [model, model.slice(prefix.length)] : [model];
}

function endpointCost(price: EndpointPrice, usage: NormalizedUsage): number {
  const cached = Math.min(usage.cacheReadTokens, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  return (uncached * price.inputPerMTok + cached * (price.cachedInputPerMTok ?? price.inputPerMTok) + usage.outputTokens * price.outputPerMTok) / 1_000_000;
}

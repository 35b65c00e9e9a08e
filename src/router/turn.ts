// The turn: what every request through the router is, from every feature. A turn has two points
// the host can hook into — just before the request is sent (`beforeSend`, which may refuse it) and
// just after it settles (`afterSettle`, which receives the settled result of every request,
// including aborted and failed ones). Cost, the ledger and budgets plug in here and nowhere else.
// Never imports `vscode`.

import type { ProviderError, ProviderErrorKind } from '../providers/errors';
import type { ChatMessage, NormalizedUsage, UnifiedFinishReason } from '../providers/types';

export type { NormalizedUsage };

/** Which feature asked. The ledger and budgets group by it. */
export type TurnFeature = 'chat' | 'explain' | 'refactor' | 'verify' | 'compare' | 'preset' | 'lm-api';

export const turnFeatures: readonly TurnFeature[] = ['chat', 'explain', 'refactor', 'verify', 'compare', 'preset', 'lm-api'];


export const emptyUsage = (): NormalizedUsage => ({ inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 });

/** What a request cost. `usd` is absent when the model is unpriced: unknown is never $0. */
export interface TurnCost {
  usd?: number;
  source: 'provider' | 'prices' | 'override' | 'free' | 'unpriced';
  /** Version/date of the price data used, so a ledger entry can be recomputed later. */
  priceVersion?: string;
}

export type TurnOutcome = 'ok' | 'error' | 'aborted' | 'refused';

/** The settled result: exists for every request, whatever happened to it. */
export interface TurnResult {
  requestId: string;
  feature: TurnFeature;
  providerId: string;
  providerLabel: string;
  /** The model the request asked for. */
  requestedModel: string;
  /** The model the provider says served the request, when it says. */
  servedModel?: string;
  outcome: TurnOutcome;
  finish?: UnifiedFinishReason;
  /** Undefined when the provider reported no usage at all (e.g. the request failed before it). */
  usage?: NormalizedUsage;
  /** The provider's own usage object, as it arrived (last one seen). */
  rawUsage?: unknown;
  /** Cost the provider reported itself (OpenRouter, Perplexity), in USD. */
  reportedCostUsd?: number;
  /** Filled by the host's pricing before `afterSettle` listeners run. */
  cost?: TurnCost;
  startedAt: number;
  /** Request start → first text or reasoning delta. */
  timeToFirstTokenMs?: number;
  durationMs: number;
  /** Output tokens / (last token − first token); undefined when it cannot be measured. */
  outputTokensPerSecond?: number;
  attempts: number;
  errorKind?: ProviderErrorKind;
}

/** What `beforeSend` sees: the resolved target and exactly what is about to be sent. */
export interface BeforeSendContext {
  requestId: string;
  feature: TurnFeature;
  providerId: string;
  providerLabel: string;
  model: string;
  messages: readonly ChatMessage[];
  system?: string;
  /** The output limit the request will carry (the worst case for a budget). */
  maxOutputTokens: number;
  /** A fast estimate of the input tokens: the estimator context trimming uses (characters / 3.5, deliberately high). */
  estimatedInputTokens: number;
  /** Set when the user chose to send this one request despite a budget refusal. */
  overrideBudget?: boolean;
}

export interface TurnHooks {
  /** May refuse the request by throwing a ProviderError (kind `budget`); nothing is sent then. */
  beforeSend?(context: BeforeSendContext): void | Promise<void>;
  /** Sets `result.cost`. Runs before `afterSettle`; failures leave the cost undefined. */
  price?(result: TurnResult): TurnCost | undefined | Promise<TurnCost | undefined>;
  /** Receives every settled result. Must not throw (errors are logged and swallowed). */
  afterSettle?(result: TurnResult): void | Promise<void>;
}

export type { ProviderError };

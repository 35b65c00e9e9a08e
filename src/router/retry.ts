// When the router retries and how long it waits. The one owner of the retry-after cap and of the
// sentence the user reads when a provider asks for a longer wait than BYOK AI waits by itself.
// Never imports `vscode`.

import type { ProviderError } from '../providers/errors';

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A provider's retry-after above this is not waited for; the user is told instead. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/** Capped exponential backoff with full jitter; a provider's retry-after wins when it is given. Undefined: above the cap, do not wait. */
export function retryDelay(error: ProviderError, attempt: number, policy: RetryPolicy, random: () => number): number | undefined {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs > policy.maxRetryAfterMs ? undefined : error.retryAfterMs;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}

/** "45 s", "3 min", "24 h": the wait in the unit a person would say it. */
export function describeWait(milliseconds: number): string {
  const seconds = Math.ceil(milliseconds / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

/**
 * The one message for "the provider wants a longer wait than we retry after", appended to the
 * provider's own message: names the wait asked for and the cap, so the user can decide.
 */
export function retryAfterTooLongMessage(providerMessage: string, retryAfterMs: number, maxRetryAfterMs: number): string {
  return `${providerMessage} (the provider asked to wait ${describeWait(retryAfterMs)}, longer than BYOK AI waits automatically: ${describeWait(maxRetryAfterMs)}. Retry later or switch provider.)`;
}

// Turns the different ways providers say "wait this long" into milliseconds.
// @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
// @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers (x-ratelimit-reset-*: "1s", "6m0s", "20ms")
// @see https://docs.anthropic.com/en/api/rate-limits#response-headers (retry-after, anthropic-ratelimit-*-reset)
// @see https://ai.google.dev/gemini-api/docs/rate-limits (RetryInfo.retryDelay in the body)

export type HeaderReader = (name: string) => string | null | undefined;

/** The router waits at most this long before a retry; a provider asking for longer is not worth an automatic retry. */
export const maximumRetryAfterMs = 120_000;

export interface RetryHint {
  /** The wait the provider asked for, capped at `maximumRetryAfterMs`. */
  retryAfterMs: number;
  /** True when the provider asked for more than `maximumRetryAfterMs`. */
  exceedsCap: boolean;
}

export function retryHintFrom(header: HeaderReader, bodyDelayMs: number | undefined, message: string | undefined, now: number = Date.now()): RetryHint | undefined {
  const milliseconds =
    parseMilliseconds(header('retry-after-ms')) ??
    parseRetryAfter(header('retry-after'), now) ??
    bodyDelayMs ??
    parseMessageDelay(message) ??
    largest([parseResetDuration(header('x-ratelimit-reset-requests')), parseResetDuration(header('x-ratelimit-reset-tokens'))]) ??
    largest([parseResetTime(header('anthropic-ratelimit-requests-reset'), now), parseResetTime(header('anthropic-ratelimit-tokens-reset'), now)]);
  if (milliseconds === undefined) return undefined;
  return { retryAfterMs: Math.min(milliseconds, maximumRetryAfterMs), exceedsCap: milliseconds > maximumRetryAfterMs };
}

function parseMilliseconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const number = Number(value.trim());
  return Number.isFinite(number) && number >= 0 ? Math.round(number) : undefined;
}

/** `retry-after` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Go-style durations as OpenAI and Groq send them: "20ms", "1s", "6m0s", "1h2m3.5s". */
export function parseResetDuration(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let consumed = '';
  for (const match of value.trim().matchAll(pattern)) {
    total += Number(match[1]) * (units[match[2] ?? 's'] ?? 1000);
    consumed += match[0];
  }
  return consumed.length > 0 && consumed === value.trim() ? Math.round(total) : undefined;
}

function parseResetTime(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** OpenAI and Groq also write the wait into the message: "Please try again in 20s" / "in 644ms" / "in 1m30s". */
function parseMessageDelay(message: string | undefined): number | undefined {
  const match = message ? /try again in ((?:\d+(?:\.\d+)?(?:ms|h|m|s))+)/i.exec(message) : null;
  return match?.[1] ? parseResetDuration(match[1]) : undefined;
}

function largest(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((value): value is number => value !== undefined);
  return defined.length ? Math.max(...defined) : undefined;
}

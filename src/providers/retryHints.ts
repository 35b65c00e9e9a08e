// Turns the different ways providers say "wait this long" into milliseconds.
// @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
// @see https://platform.openai.com/docs/guides/rate-limits#rate-limits-in-headers (x-ratelimit-reset-*: "1s", "6m0s", "20ms")
// @see https://docs.anthropic.com/en/api/rate-limits#response-headers (retry-after, anthropic-ratelimit-*-reset)
// @see https://ai.google.dev/gemini-api/docs/rate-limits (RetryInfo.retryDelay in the body)

export type HeaderReader = (name: string) => string | null | undefined;

/**
 * Upper bound on a parsed wait, only so an absurd hint (a retry-after of hundreds of digits) stays
 * a sane, finite number. It is not a policy: whether a wait is too long, and what the user reads then,
 * is the router's decision (`RetryPolicy.maxRetryAfterMs` in src/router/retry.ts).
 */
export const largestParsedWaitMs = 7 * 24 * 3_600_000;

/** The wait the provider asked for in milliseconds, as given (clamped only to `largestParsedWaitMs`), or undefined when it named none. */
export function retryAfterFrom(header: HeaderReader, bodyDelayMs: number | undefined, message: string | undefined, now: number = Date.now()): number | undefined {
  return (
    parseMilliseconds(header('retry-after-ms')) ??
    parseRetryAfter(header('retry-after'), now) ??
    sane(bodyDelayMs) ??
    parseMessageDelay(message) ??
    largest([parseResetDuration(header('x-ratelimit-reset-requests')), parseResetDuration(header('x-ratelimit-reset-tokens'))]) ??
    largest([parseDateWait(header('anthropic-ratelimit-requests-reset'), now), parseDateWait(header('anthropic-ratelimit-tokens-reset'), now)])
  );
}

/** A wait rounded and clamped to `largestParsedWaitMs`; NaN or negative counts as "no hint", so the next source is tried. */
function sane(milliseconds: number | undefined): number | undefined {
  if (milliseconds === undefined || Number.isNaN(milliseconds) || milliseconds < 0) return undefined;
  return Math.min(Math.round(milliseconds), largestParsedWaitMs);
}

function parseMilliseconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : sane(Number(trimmed));
}

/** `retry-after` is either delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return sane(Number(trimmed) * 1000);
  return parseDateWait(trimmed, now);
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
  return consumed.length > 0 && consumed === value.trim() ? sane(total) : undefined;
}

/**
 * The wait until an HTTP date or RFC 3339 time; a date already past means "now". Both forms contain
 * letters ("Mon, 23 Nov …", "…T12:00:05Z"); without that check `Date.parse` reads "-5" as a year 2001 date.
 */
function parseDateWait(value: string | null | undefined, now: number): number | undefined {
  if (!value || !/[a-z]/i.test(value)) return undefined;
  const date = Date.parse(value.trim());
  return Number.isNaN(date) ? undefined : sane(Math.max(0, date - now));
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

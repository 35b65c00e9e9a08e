// One mapping from (status, body, headers) to a ProviderError, shared by every SDK family. Codes and
// types from the body win over message text; message patterns are the last resort, because several
// vendors only say what happened in prose (Anthropic's spend limits, Gemini's token limits, xAI's keys).
// @see https://platform.openai.com/docs/guides/error-codes/api-errors
// @see https://docs.anthropic.com/en/api/errors
// @see https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes

import { ProviderError, type ProviderErrorKind } from './errors';
import { describeErrorBody, parseBodyText, type ErrorDetails } from './errorBody';
import { retryAfterFrom, type HeaderReader } from './retryHints';

export interface HttpFailure {
  /** HTTP status, or undefined for an error reported inside a 200 stream. */
  status: number | undefined;
  headers?: HeadersLike;
  /** Parsed JSON, raw text, or an SDK's already-parsed error object. */
  body: unknown;
}

export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

const quotaCodes = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'insufficient_balance', 'billing_error', 'payment_required', 'credit_limit_exceeded']);
const authCodes = new Set(['invalid_api_key', 'authentication_error', 'api_key_invalid', 'unauthenticated', 'invalid_authentication', 'incorrect_api_key']);
const permissionCodes = new Set(['permission_error', 'permission_denied']);
const contextCodes = new Set(['context_length_exceeded', 'request_too_large', 'context_window_exceeded']);
const modelCodes = new Set(['model_not_found']);
const notFoundCodes = new Set(['not_found_error', 'not_found']);
const rateLimitCodes = new Set(['rate_limit_exceeded', 'rate_limit_error', 'rate_limited', 'resource_exhausted', 'too_many_requests']);
const overloadedCodes = new Set(['overloaded_error', 'unavailable', 'service_unavailable']);
const serverCodes = new Set(['api_error', 'internal', 'server_error', 'internal_server_error']);

const quotaMessage = /insufficient[ _](balance|credits?|quota|funds)|credit balance is too low|out of credits|(spend|spending|usage|budget) limit|payment required/i;
const authMessage = /unregistered callers|api key not valid|incorrect api key|invalid api key|invalid x-api-key|invalid api token|authentication fails|missing api key|no api key/i;
const contextMessage = /context[ _](length|window|size)|maximum context|exceeds? (the )?(available )?context|prompt is too long|input token count .*exceeds|exceeds the maximum number of tokens|too many (input )?tokens|reduce the length of the messages|input is too long|request too large/i;

export function classifyHttpFailure(providerId: string, failure: HttpFailure): ProviderError {
  const body = typeof failure.body === 'string' ? parseBodyText(failure.body) : failure.body;
  const details = describeErrorBody(body);
  const status = failure.status ?? details.statusInBody;
  const header = headerReader(failure.headers);
  const decision = decideKind(status, details);
  // Terse bodies ("Overloaded", "Unauthorized") read better with the status that came with them.
  const message = details.message === undefined ? defaultMessage(status) : details.message.length < 30 ? `${details.message} (${status === undefined ? 'reported inside the stream' : `HTTP ${status}`})` : details.message;

  const finalMessage = decision.hint ? `${message} ${decision.hint}` : message;
  // The wait exactly as asked: whether it is too long to wait for, and what the user reads then, is
  // the router's decision (RetryPolicy.maxRetryAfterMs), so there is one cap and one message.
  const retryAfterMs = decision.kind === 'rate-limit' || decision.kind === 'overloaded' || decision.kind === 'server'
    ? retryAfterFrom(header, details.retryDelayMs, details.message)
    : undefined;
  // Anthropic's `x-should-retry: false` overrides our default for the status.
  const retryable = header('x-should-retry') === 'false' ? false : undefined;

  return new ProviderError({
    kind: decision.kind,
    providerId,
    message: finalMessage,
    ...(status !== undefined ? { status } : {}),
    ...(retryable !== undefined ? { retryable } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(details.codes[0] !== undefined ? { code: details.codes[0] } : {}),
  });
}

interface KindDecision {
  kind: ProviderErrorKind;
  /** A sentence added to the provider's message when the message alone would mislead. */
  hint?: string;
}

function decideKind(status: number | undefined, details: ErrorDetails): KindDecision {
  const has = (codes: ReadonlySet<string>) => details.codes.some(code => codes.has(code));
  const message = details.message ?? '';

  // A quota is never cured by waiting a minute, so it is checked before rate limits (OpenAI's
  // insufficient_quota and Gemini's per-day quota both arrive as 429).
  if (status === 402 || has(quotaCodes) || quotaMessage.test(message) || details.quotaIds.some(id => /per ?day/i.test(id))) return { kind: 'quota' };
  if (status === 401 || has(authCodes) || ((status === undefined || status === 400 || status === 403) && authMessage.test(message))) return { kind: 'auth' };
  if (status === 403 || has(permissionCodes)) return { kind: 'permission' };
  // llama.cpp says exceed_context_size_error, OpenAI context_length_exceeded: any code about the context.
  if (status === 413 || has(contextCodes) || details.codes.some(code => code.includes('context')) || (status !== 429 && contextMessage.test(message))) return { kind: 'context-length' };
  if (has(modelCodes) || ((status === 404 || has(notFoundCodes)) && /model/i.test(message))) return { kind: 'model-not-found' };
  if (status === 404) return { kind: 'bad-request', hint: 'The endpoint was not found (HTTP 404): check the base URL.' };
  if (status === 429 || has(rateLimitCodes)) return { kind: 'rate-limit' };
  if (status === 503 || status === 529 || has(overloadedCodes)) return { kind: 'overloaded' };
  if (status === 408) return { kind: 'timeout' };
  if ((status !== undefined && status >= 500) || has(serverCodes)) return { kind: 'server' };
  if (status !== undefined && status >= 400) return { kind: 'bad-request' };
  // An error event inside a 200 stream that names no cause.
  return { kind: 'server' };
}

function defaultMessage(status: number | undefined): string {
  return status === undefined ? 'The provider reported an error in the middle of the answer.' : `The provider answered with HTTP ${status} and no error message.`;
}

export function headerReader(headers: HeadersLike | undefined): HeaderReader {
  if (!headers) return () => undefined;
  if (typeof (headers as Headers).get === 'function') return name => (headers as Headers).get(name);
  const record = headers as Record<string, string | string[] | undefined>;
  const lowered = new Map(Object.entries(record).map(([key, value]) => [key.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]));
  return name => lowered.get(name.toLowerCase());
}

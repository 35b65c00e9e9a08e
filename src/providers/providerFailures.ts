// Turns anything thrown while talking to a provider into one ProviderError. Order matters: the
// guard's own timeout or abort explains whatever the SDK threw afterwards, and the body the guard
// recorded is more complete than what an SDK kept.

import { ProviderError, isProviderError } from './errors';
import { isRecord } from './errorBody';
import { classifyHttpFailure, type HeadersLike } from './httpErrors';
import type { RequestGuard } from './streamGuards';
import { isAbortError, networkErrorFrom } from './transportErrors';

export interface FailureContext {
  providerId: string;
  /** Host shown in network messages. */
  target: string;
  guard?: RequestGuard | undefined;
}

export function toProviderError(error: unknown, context: FailureContext): ProviderError {
  const { providerId, guard } = context;
  if (guard?.failure) return guard.failure;
  if (isProviderError(error)) return error;

  const status = numberProperty(error, 'status');
  if (status !== undefined && status >= 400) {
    const recorded = guard?.lastHttpFailure;
    if (recorded && recorded.status === status) {
      return classifyHttpFailure(providerId, { status, headers: recorded.headers, body: recorded.bodyText });
    }
    return classifyHttpFailure(providerId, { status, headers: headersProperty(error), body: sdkErrorBody(error) });
  }

  // An error event inside a 200 stream: the SDKs throw an APIError without a status but with the payload.
  const streamPayload = sdkErrorBody(error);
  if (status === undefined && streamPayload !== undefined && isRecord(streamPayload)) {
    return classifyHttpFailure(providerId, { status: undefined, body: streamPayload });
  }

  if (isAbortError(error)) {
    return new ProviderError({ kind: 'aborted', providerId, message: 'The request was stopped before the answer finished.', retryable: false, cause: error });
  }

  const network = networkErrorFrom(providerId, error, context.target);
  if (network) return network;

  if (isMalformedStreamError(error)) {
    // Documented choice: a chunk we cannot parse is the provider's fault, so `server`; it is not
    // retryable because part of the answer may already be on screen.
    return new ProviderError({ kind: 'server', providerId, message: `The provider sent a malformed stream chunk (${messageOf(error)}).`, retryable: false, cause: error });
  }

  return new ProviderError({ kind: 'server', providerId, message: `Unexpected failure while talking to the provider: ${messageOf(error)}`, retryable: false, cause: error });
}

/** The provider's error payload as an SDK error carries it (OpenAI/Anthropic `error`, Gemini JSON in `message`). */
function sdkErrorBody(error: unknown): unknown {
  if (!isRecord(error) && !(error instanceof Error)) return undefined;
  const payload = (error as { error?: unknown }).error;
  if (payload !== undefined && payload !== null) return payload;
  const message = error instanceof Error ? error.message : '';
  const jsonStart = message.indexOf('{');
  if (jsonStart >= 0) {
    try {
      return JSON.parse(message.slice(jsonStart)) as unknown;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function isMalformedStreamError(error: unknown): boolean {
  if (error instanceof SyntaxError) return true;
  return /malformed|parsing stream chunk|incomplete json segment|unexpected token|not valid json/i.test(messageOf(error));
}

function numberProperty(value: unknown, name: string): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const property = (value as Record<string, unknown>)[name];
  return typeof property === 'number' ? property : undefined;
}

function headersProperty(value: unknown): HeadersLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const headers = (value as { headers?: unknown }).headers;
  if (headers instanceof Headers) return headers;
  return isRecord(headers) ? (headers as Record<string, string>) : undefined;
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

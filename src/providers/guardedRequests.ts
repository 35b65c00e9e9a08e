// What every adapter does around an SDK call: one RequestGuard per request (see streamGuards.ts),
// every failure turned into one ProviderError that names the provider and the host, the guard
// always disposed; and the relay of a mapped stream that tells the guard when content starts.

import type { ProviderError } from './errors';
import { isRecord } from './errorBody';
import { classifyHttpFailure } from './httpErrors';
import { toProviderError } from './providerFailures';
import { describeTarget, isContentPart, type AdapterSettings } from './providerSupport';
import type { ProviderDescriptor } from './registry';
import { RequestGuard } from './streamGuards';
import type { ChatStreamPart } from './types';

export interface GuardedRequests {
  /** A new guard for one request, linked to the caller's signal. The caller disposes it. */
  guard(signal: AbortSignal | undefined): RequestGuard;
  /** What `error`, raised by the request `guard` watched, means for this provider. */
  failure(error: unknown, guard: RequestGuard): ProviderError;
  /** Runs one whole exchange (model list, one-token verify) under a fresh guard. */
  run<T>(signal: AbortSignal | undefined, call: (guard: RequestGuard) => Promise<T>): Promise<T>;
  /**
   * Streams `parts` under a fresh guard that lives until the stream ends or its consumer stops. When
   * the first attempt fails before any part and `retryOnce` says the failure is one a changed request
   * avoids (a field the server rejects), `parts` runs once more on a new guard.
   */
  stream(signal: AbortSignal | undefined, parts: (guard: RequestGuard) => AsyncIterable<ChatStreamPart>, retryOnce?: RetryOnce): AsyncGenerator<ChatStreamPart, void, undefined>;
}

/** Decides whether a failure before the first part deserves one more attempt; may remember why. */
export type RetryOnce = (failure: ProviderError, guard: RequestGuard) => boolean;

export function guardedRequests(descriptor: ProviderDescriptor, settings: AdapterSettings): GuardedRequests {
  const target = describeTarget(settings.baseUrl);

  function guard(signal: AbortSignal | undefined): RequestGuard {
    return new RequestGuard({ providerId: descriptor.id, target, timeouts: settings.timeouts, callerSignal: signal, fetch: settings.fetch, timers: settings.timers });
  }

  function failure(error: unknown, guard: RequestGuard): ProviderError {
    return toProviderError(error, { providerId: descriptor.id, target, guard });
  }

  async function run<T>(signal: AbortSignal | undefined, call: (guard: RequestGuard) => Promise<T>): Promise<T> {
    const current = guard(signal);
    try {
      return await call(current);
    } catch (error) {
      throw failure(error, current);
    } finally {
      current.dispose();
    }
  }

  async function* stream(signal: AbortSignal | undefined, parts: (guard: RequestGuard) => AsyncIterable<ChatStreamPart>, retryOnce?: RetryOnce): AsyncGenerator<ChatStreamPart, void, undefined> {
    let current = guard(signal);
    try {
      current.throwIfStopped();
      let delivered = false;
      try {
        for await (const part of parts(current)) {
          delivered = true;
          yield part;
        }
      } catch (error) {
        const first = failure(error, current);
        if (delivered || !retryOnce?.(first, current)) throw first;
        current.dispose();
        current = guard(signal);
        current.throwIfStopped();
        yield* parts(current);
      }
    } catch (error) {
      throw failure(error, current);
    } finally {
      current.dispose();
    }
  }

  return { guard, failure, run, stream };
}

/**
 * Client options the two Stainless-generated SDKs (openai, @anthropic-ai/sdk) take alike: the guard's
 * fetch, and none of the SDK's own retries, time limits or logging.
 */
export function stainlessClientOptions(guard: RequestGuard) {
  return {
    // Retries belong to the router, which never replays a stream the user already saw.
    maxRetries: 0,
    // Our guard owns every time limit; the SDK's own would cut long answers at ten minutes.
    timeout: 24 * 60 * 60 * 1000,
    fetch: guard.fetch,
    logLevel: 'off' as const,
    // The SDK refuses to run where `window` exists, to keep keys out of web pages. The extension host
    // is not a web page and the key is the user's own; a webview test's global jsdom window would
    // otherwise trip the check.
    dangerouslyAllowBrowser: true,
  };
}

/** Feeds SDK events through the mapper, telling the guard when the first content arrives. */
export async function* relayEvents(
  guard: RequestGuard,
  stream: AsyncIterable<unknown>,
  accept: (event: unknown) => ChatStreamPart[],
): AsyncGenerator<ChatStreamPart, void, undefined> {
  for await (const event of guard.events(stream)) {
    for (const part of accept(event)) {
      if (isContentPart(part)) guard.markContent();
      yield part;
    }
  }
}

/**
 * Like relayEvents, but when the server ignored `stream: true` and answered with one JSON object
 * (a proxy, a gateway), feeds that object through `acceptWhole` instead.
 */
export async function* relay(
  providerId: string,
  guard: RequestGuard,
  stream: AsyncIterable<unknown>,
  response: Response,
  accept: (event: unknown) => ChatStreamPart[],
  acceptWhole: (body: unknown) => ChatStreamPart[],
): AsyncGenerator<ChatStreamPart, void, undefined> {
  if (/\bjson\b/i.test(response.headers.get('content-type') ?? '')) {
    const body: unknown = await guard.connect(response.json() as Promise<unknown>);
    // Some gateways report failures as a 200 with an error object.
    if (isRecord(body) && isRecord(body['error'])) throw classifyHttpFailure(providerId, { status: undefined, body });
    yield* acceptWhole(body);
    return;
  }
  yield* relayEvents(guard, stream, accept);
}

// Makes sure no request can hang. Each request gets one guard that owns an AbortController linked to
// the caller's signal; that controller's signal is what the SDK sees, so ending the guard ends the
// HTTP request. Three limits turn a stall into a `timeout` error:
//   connect      from sending the request until the response headers arrive;
//   first token  from the headers until the first text or reasoning part;
//   idle         between two network reads once the answer has started. Any bytes count, so SSE
//                keep-alive comments (DeepSeek's `: keep-alive`, OpenRouter's `: OPENROUTER PROCESSING`)
//                keep a slow but living stream open; the limit runs only while the adapter is
//                waiting for the SDK, so a slow consumer never causes a timeout.
// A caller abort ends the iteration at once with an `aborted` error; it does not wait for the SDK to
// notice. Every await on the SDK is raced against the guard, because SDKs end an aborted stream
// quietly instead of throwing, and a stalled socket may never settle at all.
// The limits run on injectable timers (real ones by default) so tests can move time by hand instead of
// waiting for it, and cannot flake when the machine is slow.

import { ProviderError } from './errors';
import type { TimeoutOptions } from './types';

export type TimeoutPhase = 'connect' | 'first-token' | 'idle';

/** What the guard remembers about a failed HTTP exchange, read before the SDK consumes the body. */
export interface RecordedHttpFailure {
  status: number;
  headers: Headers;
  bodyText: string;
}

/** The timer functions the guard's limits run on. */
export interface GuardTimers {
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: GuardTimers = {
  setTimeout: (callback, milliseconds) => setTimeout(callback, milliseconds),
  clearTimeout: handle => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface RequestGuardOptions {
  providerId: string;
  /** Host shown in messages, e.g. `api.openai.com`. */
  target: string;
  timeouts: TimeoutOptions;
  callerSignal?: AbortSignal | undefined;
  fetch?: typeof fetch | undefined;
  /** Defaults to the real timers. */
  timers?: GuardTimers | undefined;
}

export class RequestGuard {
  /** Give this to the SDK: it aborts on caller abort, on timeout and on dispose. */
  readonly signal: AbortSignal;
  /** Give this to the SDK as its fetch: it records failed responses and notices every byte that arrives. */
  readonly fetch: typeof fetch;

  private readonly controller = new AbortController();
  private readonly pendingRejections = new Set<(error: ProviderError) => void>();
  private stopError: ProviderError | undefined;
  private timer: unknown;
  private readonly timers: GuardTimers;
  private phase: TimeoutPhase = 'connect';
  /** True while `events()` waits for the SDK's next event. */
  private waiting = false;
  private httpFailure: RecordedHttpFailure | undefined;
  private readonly onCallerAbort = () => this.stop(this.abortedError());

  constructor(private readonly options: RequestGuardOptions) {
    this.signal = this.controller.signal;
    this.timers = options.timers ?? realTimers;
    this.fetch = this.createFetch(options.fetch ?? globalThis.fetch.bind(globalThis));
    const callerSignal = options.callerSignal;
    if (callerSignal?.aborted) this.stop(this.abortedError());
    else callerSignal?.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** The timeout or abort that ended this request, if one did. */
  get failure(): ProviderError | undefined {
    return this.stopError;
  }

  /** The last non-2xx response seen by the guarded fetch. */
  get lastHttpFailure(): RecordedHttpFailure | undefined {
    return this.httpFailure;
  }

  throwIfStopped(): void {
    if (this.stopError) throw this.stopError;
  }

  /** Awaits the SDK call that resolves once response headers arrive, under the connect limit. */
  async connect<T>(operation: Promise<T>): Promise<T> {
    this.phase = 'connect';
    this.arm(this.options.timeouts.connectMs);
    try {
      return await this.race(operation);
    } finally {
      this.disarm();
    }
  }

  /** Awaits a whole non-streaming exchange (model list, 1-token verify), under connect + first-token. */
  async complete<T>(operation: Promise<T>): Promise<T> {
    this.phase = 'connect';
    this.arm(this.options.timeouts.connectMs + this.options.timeouts.firstTokenMs);
    try {
      return await this.race(operation);
    } finally {
      this.disarm();
    }
  }

  /**
   * Iterates the SDK's events under the first-token limit (an absolute deadline) until the adapter
   * calls `markContent()`, then under the idle limit, measured only while waiting for the next event.
   */
  async *events<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
    this.throwIfStopped();
    const iterator = source[Symbol.asyncIterator]();
    let exhausted = false;
    if (this.phase !== 'idle') {
      this.phase = 'first-token';
      this.arm(this.options.timeouts.firstTokenMs);
    }
    try {
      while (true) {
        if (this.phase === 'idle') this.arm(this.options.timeouts.idleMs);
        this.waiting = true;
        const result = await this.race(iterator.next()).finally(() => {
          this.waiting = false;
        });
        if (this.phase === 'idle') this.disarm();
        if (result.done) {
          exhausted = true;
          break;
        }
        yield result.value;
      }
      // SDKs end an aborted stream without an error; make sure that never looks like success.
      this.throwIfStopped();
    } finally {
      this.disarm();
      if (!exhausted) {
        // Not awaited: an SDK may wait for the socket to drain, and the guard's abort already closes it.
        const closing = iterator.return?.();
        if (closing) closing.catch(() => undefined);
      }
    }
  }

  /** Called by the adapter on the first text or reasoning part: from now on only the idle limit applies. */
  markContent(): void {
    if (this.phase === 'idle') return;
    this.phase = 'idle';
    this.disarm();
  }

  /** Bytes arrived: while waiting on an answer that has started, the idle limit starts over. */
  private noteActivity(): void {
    if (this.waiting && this.phase === 'idle' && !this.stopError) this.arm(this.options.timeouts.idleMs);
  }

  /** Ends the request with `error` (if it has not ended already) and aborts the HTTP exchange. */
  stop(error: ProviderError): void {
    if (this.stopError) return;
    this.stopError = error;
    this.disarm();
    this.controller.abort();
    for (const reject of this.pendingRejections) reject(error);
    this.pendingRejections.clear();
  }

  /** Releases timers and listeners and closes any connection still open. Safe to call twice. */
  dispose(): void {
    this.disarm();
    this.options.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    this.pendingRejections.clear();
    if (!this.controller.signal.aborted) this.controller.abort();
  }

  private race<T>(operation: Promise<T>): Promise<T> {
    if (this.stopError) {
      operation.catch(() => undefined);
      return Promise.reject(this.stopError);
    }
    return new Promise<T>((resolve, reject) => {
      this.pendingRejections.add(reject);
      operation.then(
        value => {
          this.pendingRejections.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          this.pendingRejections.delete(reject);
          reject(error);
        },
      );
    });
  }

  private arm(milliseconds: number): void {
    this.disarm();
    const phase = this.phase;
    this.timer = this.timers.setTimeout(() => this.stop(this.timeoutError(phase, milliseconds)), milliseconds);
  }

  private disarm(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private createFetch(baseFetch: typeof fetch): typeof fetch {
    return async (input, init) => {
      this.throwIfStopped();
      const signal = init?.signal ? AbortSignal.any([init.signal, this.controller.signal]) : this.controller.signal;
      const response = await baseFetch(input, { ...init, signal });
      if (!response.ok) {
        // Read a copy now: SDKs keep only part of the body (and Gemini's keeps no headers).
        const bodyText = await response.clone().text().catch(() => '');
        this.httpFailure = { status: response.status, headers: response.headers, bodyText };
        return response;
      }
      if (!response.body) return response;
      const onBytes = () => this.noteActivity();
      const observed = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            onBytes();
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(observed, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  private abortedError(): ProviderError {
    return new ProviderError({ kind: 'aborted', providerId: this.options.providerId, message: 'The request was stopped before the answer finished.', retryable: false });
  }

  private timeoutError(phase: TimeoutPhase, milliseconds: number): ProviderError {
    const limit = formatDuration(milliseconds);
    const messages: Record<TimeoutPhase, string> = {
      'connect': `${this.options.target} did not start answering within ${limit} (connect timeout).`,
      'first-token': `${this.options.target} started the response but sent no text within ${limit} (first-token timeout).`,
      'idle': `The answer from ${this.options.target} stalled: nothing arrived for ${limit} (idle timeout).`,
    };
    return new ProviderError({ kind: 'timeout', providerId: this.options.providerId, message: messages[phase], code: `${phase}-timeout` });
  }
}

function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${Math.round(milliseconds / 100) / 10} s`;
}

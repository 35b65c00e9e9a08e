// The one router every feature goes through: the chat, explain, refactor, verify (later compare and
// the VS Code LM provider). A request is a turn: the router resolves provider + model + key, converts
// the conversation for the target, asks the `beforeSend` hooks (budgets), retries only before the
// first visible token, and settles a TurnResult for every request — ok, failed, aborted or refused —
// which is priced and handed to every `afterSettle` hook (the ledger).
// Never imports `vscode`: the host wires it to settings and secrets through RouterDependencies.

import { ProviderError, isProviderError, type ProviderErrorKind } from './providers/errors';
import type { ChatMessage, ChatStreamPart, Provider, ToolDefinition, ToolMode, VerifyResult } from './providers/types';
import { convertConversation, defaultOutputReserve, estimateConversationTokens, type ConversionTarget } from './router/conversation';
import { TurnHookRegistry } from './router/hooks';
import { describeWait, retryAfterTooLongMessage, retryDelay, type RetryPolicy } from './router/retry';
import type { TurnFeature, TurnHooks, TurnOutcome, TurnResult } from './router/turn';
import { TurnRecorder } from './router/turnRecorder';

export { defaultRetryPolicy, retryDelay, type RetryPolicy } from './router/retry';

export interface ResolvedTarget extends ConversionTarget {
  provider: Provider;
  providerLabel: string;
  keyRequired: boolean;
}

export interface RouterDependencies {
  /** The provider and model the user selected. */
  selection(): { providerId: string; model: string };
  /** Everything needed to call a provider; undefined for an unknown id. */
  resolve(providerId: string, model: string): ResolvedTarget | undefined;
  /** May throw a ProviderError (kind `key-store` when the OS key store fails). */
  getKey(providerId: string): Promise<string | undefined>;
  retryPolicy(): RetryPolicy;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  random?(): number;
  /** Milliseconds since the epoch; every time in a TurnResult comes from it. */
  now?(): number;
  /** Where failing price / afterSettle hooks are reported. Never receives keys or prompt text. */
  log?(message: string): void;
}

export interface TurnRequest {
  feature: TurnFeature;
  /** Given by the caller when it already names the request (the chat's message id); else generated. */
  requestId?: string;
  /** Overrides the selected provider for this request only. */
  providerId?: string;
  /** Overrides the selected (or the override provider's) model for this request only. */
  model?: string;
  messages: ChatMessage[];
  system?: string;
  maxOutputTokens?: number;
  temperature?: number;
  /** Tools the model may call (the VS Code LM API); absent for plain chat. */
  tools?: ToolDefinition[];
  toolMode?: ToolMode;
  /** The user chose to send this one request despite a budget refusal; passed to beforeSend. */
  overrideBudget?: boolean;
}

export interface Turn {
  readonly requestId: string;
  /** Iterate once; throws a ProviderError (kind `aborted` on stop, `budget` on refusal, …). The request starts when it is read. */
  readonly parts: AsyncIterable<RouterOutput>;
  /** Resolves (never rejects) for every request once it settled, after price() and afterSettle ran. */
  readonly settled: Promise<TurnResult>;
}

export type RouterEvent =
  | { type: 'route'; providerId: string; providerLabel: string; model: string }
  | { type: 'attempt'; attempt: number }
  | { type: 'retry-scheduled'; attempt: number; delayMs: number; error: ProviderError }
  | { type: 'trimmed'; droppedMessages: number }
  | { type: 'first-token'; latencyMs: number }
  /** The last output of a successful turn: its settled (and priced) result. */
  | { type: 'done'; result: TurnResult };

export type RouterOutput = ChatStreamPart | RouterEvent;

export interface VerifyOptions {
  signal?: AbortSignal;
  /** Our own limit; when it fires the result says "did not answer within N s" (kind `timeout`). */
  timeoutMs?: number;
}

const defaultVerifyTimeoutMs = 20_000;

/** A tool call is shown to the caller like text: once it went out, a retry would duplicate it. */
const isVisible = (part: ChatStreamPart): boolean => part.type === 'text-delta' || part.type === 'reasoning-delta' || part.type === 'tool-call';

type Settle = (outcome: TurnOutcome, errorKind?: ProviderErrorKind) => Promise<TurnResult>;

export class Router {
  private readonly hooks: TurnHookRegistry;
  private readonly now: () => number;

  constructor(private readonly dependencies: RouterDependencies) {
    this.hooks = new TurnHookRegistry(message => dependencies.log?.(message));
    this.now = dependencies.now ?? Date.now;
  }

  /** Registers a set of hooks; several sets may be active. Dispose to remove them. */
  use(hooks: TurnHooks): { dispose(): void } {
    return this.hooks.use(hooks);
  }

  turn(request: TurnRequest, signal: AbortSignal): Turn {
    const requestId = request.requestId ?? globalThis.crypto.randomUUID();
    const selection = this.dependencies.selection();
    const providerId = request.providerId ?? selection.providerId;
    // An override provider without a model uses that provider's own model, not the selected one's.
    const model = request.model ?? (request.providerId && request.providerId !== selection.providerId ? '' : selection.model);
    const recorder = new TurnRecorder(requestId, request.feature, this.now, providerId);
    recorder.requestedModel = model;

    // Our own controller: aborted by the caller's signal, and by us when the reader stops early,
    // so the provider's connection is closed either way.
    const control = new AbortController();
    let started = false;
    let settling: Promise<TurnResult> | undefined;
    let resolveSettled: (result: TurnResult) => void = () => undefined;
    const settled = new Promise<TurnResult>(resolve => { resolveSettled = resolve; });
    const onAbort = (): void => {
      control.abort();
      // Stopped before anyone read the parts: nothing will run, so settle now.
      if (!started) void settle('aborted', 'aborted');
    };
    const settle: Settle = (outcome, errorKind) => {
      settling ??= (async () => {
        signal.removeEventListener('abort', onAbort);
        const result = await this.hooks.settle(recorder.result(outcome, errorKind));
        resolveSettled(result);
        return result;
      })();
      return settling;
    };
    if (signal.aborted) onAbort(); else signal.addEventListener('abort', onAbort, { once: true });

    const generator = this.run(request, model, recorder, control, settle, () => settling !== undefined);
    const parts: AsyncIterable<RouterOutput> = {
      [Symbol.asyncIterator]: () => {
        if (started) throw new Error('A turn\'s parts can be read only once.');
        started = true;
        return generator;
      },
    };
    return { requestId, parts, settled };
  }

  private async *run(request: TurnRequest, model: string, recorder: TurnRecorder, control: AbortController, settle: Settle, isSettled: () => boolean): AsyncGenerator<RouterOutput, void, undefined> {
    const signal = control.signal;
    const providerId = recorder.providerId;
    let refused = false;
    try {
      throwIfAborted(signal, providerId);
      const target = this.resolveTarget(providerId, model);
      recorder.providerLabel = target.providerLabel;
      recorder.requestedModel = target.model;
      yield { type: 'route', providerId, providerLabel: target.providerLabel, model: target.model };

      const key = await this.fetchKey(target);
      const converted = convertConversation(request.messages, request.system, target);
      if (converted.droppedMessages > 0) yield { type: 'trimmed', droppedMessages: converted.droppedMessages };

      throwIfAborted(signal, providerId);
      try {
        await this.hooks.beforeSend({
          requestId: recorder.requestId, feature: request.feature, providerId, providerLabel: target.providerLabel, model: target.model,
          messages: converted.messages, ...(converted.system !== undefined ? { system: converted.system } : {}),
          maxOutputTokens: request.maxOutputTokens ?? target.maxOutputTokens ?? defaultOutputReserve,
          estimatedInputTokens: estimateConversationTokens(converted.system, converted.messages),
          ...(request.overrideBudget ? { overrideBudget: true } : {}),
        });
      } catch (refusal) {
        refused = true;
        throw refusal;
      }

      const policy = this.dependencies.retryPolicy();
      for (let attempt = 1; ; attempt++) {
        throwIfAborted(signal, providerId);
        recorder.startAttempt();
        yield { type: 'attempt', attempt };
        // Parts before the first visible token are held back so a retry never duplicates anything.
        const heldBack: ChatStreamPart[] = [];
        let shown = false;
        try {
          const stream = target.provider.streamChat(
            {
              model: target.model, messages: converted.messages, system: converted.system, maxOutputTokens: request.maxOutputTokens, temperature: request.temperature,
              ...(request.tools?.length ? { tools: request.tools, toolMode: request.toolMode ?? 'auto' } : {}),
            },
            key, signal,
          );
          for await (const part of stream) {
            recorder.observe(part);
            if (!shown && !isVisible(part)) { heldBack.push(part); continue; }
            if (!shown) {
              shown = true;
              yield { type: 'first-token', latencyMs: recorder.timeToFirstTokenMs ?? 0 };
              yield* heldBack.splice(0);
            }
            yield part;
          }
          yield* heldBack.splice(0);
          throwIfAborted(signal, providerId);
        } catch (caught) {
          const error = toProviderError(caught, providerId, signal);
          if (shown || !error.retryable || signal.aborted) throw error;
          const delayMs = retryDelay(error, attempt, policy, this.dependencies.random ?? Math.random);
          // Checked before the attempt count: providers report the raw wait, so this is the only
          // place that tells the user a wait is too long, also when no retries are left.
          if (delayMs === undefined) {
            throw new ProviderError({
              kind: error.kind, providerId, status: error.status, retryable: false, retryAfterMs: error.retryAfterMs, code: error.code,
              message: retryAfterTooLongMessage(error.message, error.retryAfterMs ?? 0, policy.maxRetryAfterMs),
            });
          }
          if (attempt >= policy.maxAttempts) throw error;
          yield { type: 'retry-scheduled', attempt, delayMs, error };
          await (this.dependencies.sleep ? this.dependencies.sleep(delayMs, signal) : abortableSleep(delayMs, signal, providerId));
          continue;
        }
        const result = await settle('ok');
        yield { type: 'done', result };
        return;
      }
    } catch (caught) {
      const error = toProviderError(caught, providerId, signal);
      await settle(refused ? 'refused' : outcomeOf(error), error.kind);
      throw error;
    } finally {
      // The reader stopped early (break, return, or an error in its loop body): that is a stop.
      if (!isSettled()) {
        control.abort();
        await settle('aborted', 'aborted');
      }
    }
  }

  /**
   * Checks that a provider answers with the stored key, as a turn of feature `verify`: beforeSend
   * runs (output limit 1), and the settled result goes through price and afterSettle like any request.
   */
  async verify(providerId: string, options: VerifyOptions = {}): Promise<VerifyResult & { settled: TurnResult }> {
    const recorder = new TurnRecorder(globalThis.crypto.randomUUID(), 'verify', this.now, providerId);
    const timeoutMs = options.timeoutMs ?? defaultVerifyTimeoutMs;
    const finish = async (verified: VerifyResult, outcome: TurnOutcome): Promise<VerifyResult & { settled: TurnResult }> => {
      const settled = await this.hooks.settle(recorder.result(outcome, verified.error?.kind));
      return { ...verified, settled };
    };
    const fail = (caught: unknown, refused = false): Promise<VerifyResult & { settled: TurnResult }> => {
      const error = toProviderError(caught, providerId, options.signal ?? new AbortController().signal);
      return finish({ ok: false, latencyMs: this.now() - recorder.startedAt, error }, refused ? 'refused' : outcomeOf(error));
    };

    let target: ResolvedTarget;
    let key: string | undefined;
    try {
      target = this.resolveTarget(providerId, '', false);
      recorder.providerLabel = target.providerLabel;
      recorder.requestedModel = target.model;
      key = await this.fetchKey(target);
    } catch (caught) {
      return fail(caught);
    }
    try {
      await this.hooks.beforeSend({
        requestId: recorder.requestId, feature: 'verify', providerId, providerLabel: target.providerLabel, model: target.model,
        messages: [], maxOutputTokens: 1, estimatedInputTokens: 0,
      });
    } catch (refusal) {
      return fail(refusal, true);
    }
    if (options.signal?.aborted) return fail(abortedError(providerId));

    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    recorder.startAttempt();
    let verified: VerifyResult;
    try {
      verified = await target.provider.verify(key, signal);
    } catch (caught) {
      verified = { ok: false, latencyMs: this.now() - recorder.startedAt, error: toProviderError(caught, providerId, signal, 'network') };
    }
    if (verified.ok && !verified.error) return finish(verified, 'ok');

    const stoppedByCaller = options.signal?.aborted === true;
    const error = stoppedByCaller
      ? abortedError(providerId)
      // Our own time limit aborts the request; the user should read "timed out", not "stopped".
      : timeout.aborted && (!verified.error || ['aborted', 'timeout', 'network'].includes(verified.error.kind))
        ? new ProviderError({ kind: 'timeout', providerId, message: `${target.providerLabel} did not answer within ${describeWait(timeoutMs)}.` })
        : verified.error ?? new ProviderError({ kind: 'server', providerId, message: `${target.providerLabel} did not confirm the key.`, retryable: false });
    return finish({ ...verified, ok: false, error }, outcomeOf(error));
  }

  /** Verify checks the key, not a model: a custom endpoint without a model selected yet can still be verified. */
  private resolveTarget(providerId: string, model: string, needsModel = true): ResolvedTarget {
    const target = this.dependencies.resolve(providerId, model);
    if (!target) {
      throw new ProviderError({ kind: 'bad-request', providerId, message: `Unknown provider "${providerId}". Pick one with "BYOK AI: Switch Provider".`, retryable: false });
    }
    if (needsModel && !target.model) {
      throw new ProviderError({ kind: 'model-not-found', providerId, message: `No model is selected for ${target.providerLabel}. Run "BYOK AI: Select Model".`, retryable: false });
    }
    return target;
  }

  /** The key, fetched per request; a failing key store becomes a `key-store` error, a missing required key `missing-key`. */
  private async fetchKey(target: ResolvedTarget): Promise<string | undefined> {
    let key: string | undefined;
    try {
      key = await this.dependencies.getKey(target.providerId);
    } catch (caught) {
      if (isProviderError(caught)) throw caught;
      const reason = caught instanceof Error ? caught.message : String(caught);
      throw new ProviderError({ kind: 'key-store', providerId: target.providerId, message: `Could not read the API key for ${target.providerLabel}: ${reason}`, retryable: false, cause: caught });
    }
    if (target.keyRequired && !key) {
      throw new ProviderError({ kind: 'missing-key', providerId: target.providerId, message: `No API key is set for ${target.providerLabel}.`, retryable: false });
    }
    return key;
  }
}

function outcomeOf(error: ProviderError): TurnOutcome {
  return error.kind === 'aborted' ? 'aborted' : 'error';
}

function abortedError(providerId: string): ProviderError {
  return new ProviderError({ kind: 'aborted', providerId, message: 'The request was stopped.', retryable: false });
}

function throwIfAborted(signal: AbortSignal, providerId: string): void {
  if (signal.aborted) throw abortedError(providerId);
}

export function toProviderError(caught: unknown, providerId: string, signal: AbortSignal, unexpectedKind: 'server' | 'network' = 'server'): ProviderError {
  if (isProviderError(caught)) return caught;
  if (signal.aborted) return abortedError(providerId);
  const message = caught instanceof Error ? caught.message : String(caught);
  return new ProviderError({ kind: unexpectedKind, providerId, message: `Unexpected failure: ${message}`, retryable: false, cause: caught });
}

/** Rejects with the same `aborted` error as any other stop, naming the provider the user was talking to. */
function abortableSleep(ms: number, signal: AbortSignal, providerId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(abortedError(providerId)); return; }
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(providerId));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

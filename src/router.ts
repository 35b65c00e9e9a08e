// The one router every feature goes through: the sidebar chat and the editor commands.
// It resolves provider + model + key per request, converts the conversation for the target,
// retries only before the first visible token, and reports what happened as events.
// Never imports `vscode`: the host wires it to settings and secrets through RouterDependencies.

import { ProviderError, isProviderError } from './providers/errors';
import type { ChatMessage, ChatStreamPart, Provider, UnifiedFinishReason, Usage } from './providers/types';
import { convertConversation, type ConversionTarget } from './router/conversation';

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A provider's retry-after above this is not waited for; the user is told instead. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

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
  getKey(providerId: string): Promise<string | undefined>;
  retryPolicy(): RetryPolicy;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
  random?(): number;
  now?(): number;
}

export interface RoutedChatRequest {
  /** Overrides the selected provider for this request only. */
  providerId?: string;
  /** Overrides the selected (or the override provider's) model for this request only. */
  model?: string;
  messages: ChatMessage[];
  system?: string;
  maxOutputTokens?: number;
  temperature?: number;
}

export type RouterEvent =
  | { type: 'route'; providerId: string; providerLabel: string; model: string }
  | { type: 'attempt'; attempt: number }
  | { type: 'retry-scheduled'; attempt: number; delayMs: number; error: ProviderError }
  | { type: 'trimmed'; droppedMessages: number }
  | { type: 'first-token'; latencyMs: number }
  | { type: 'done'; finish: UnifiedFinishReason; raw: string | undefined; usage: Usage; durationMs: number };

export type RouterOutput = ChatStreamPart | RouterEvent;

const isVisible = (part: ChatStreamPart): boolean => part.type === 'text-delta' || part.type === 'reasoning-delta';

export class Router {
  constructor(private readonly dependencies: RouterDependencies) {}

  /**
   * Streams one answer. Throws a ProviderError (kind `aborted` when the signal fires).
   * Parts before the first visible token are held back so a retry never duplicates anything.
   */
  async *streamChat(request: RoutedChatRequest, signal: AbortSignal): AsyncGenerator<RouterOutput, void, undefined> {
    const now = this.dependencies.now ?? Date.now;
    const started = now();
    const selection = this.dependencies.selection();
    const providerId = request.providerId ?? selection.providerId;
    const model = request.model ?? (request.providerId && request.providerId !== selection.providerId ? '' : selection.model);
    const target = this.dependencies.resolve(providerId, model);
    if (!target) {
      throw new ProviderError({ kind: 'bad-request', providerId, message: `Unknown provider "${providerId}". Pick one with "BYOK AI: Switch Provider".`, retryable: false });
    }
    if (!target.model) {
      throw new ProviderError({ kind: 'model-not-found', providerId, message: `No model is selected for ${target.providerLabel}. Run "BYOK AI: Select Model".`, retryable: false });
    }
    yield { type: 'route', providerId, providerLabel: target.providerLabel, model: target.model };

    const key = await this.dependencies.getKey(providerId);
    if (target.keyRequired && !key) {
      throw new ProviderError({ kind: 'missing-key', providerId, message: `No API key is set for ${target.providerLabel}.`, retryable: false });
    }

    const converted = convertConversation(request.messages, request.system, target);
    if (converted.droppedMessages > 0) yield { type: 'trimmed', droppedMessages: converted.droppedMessages };

    const policy = this.dependencies.retryPolicy();
    const usage: Usage = {};
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal, providerId);
      yield { type: 'attempt', attempt };
      const heldBack: ChatStreamPart[] = [];
      let shown = false;
      let finish: { unified: UnifiedFinishReason; raw: string | undefined } = { unified: 'other', raw: undefined };
      try {
        const stream = target.provider.streamChat(
          { model: target.model, messages: converted.messages, system: converted.system, maxOutputTokens: request.maxOutputTokens, temperature: request.temperature },
          key, signal,
        );
        for await (const part of stream) {
          if (part.type === 'usage') mergeUsage(usage, part);
          if (part.type === 'finish') finish = { unified: part.unified, raw: part.raw };
          if (!shown && !isVisible(part)) { heldBack.push(part); continue; }
          if (!shown) {
            shown = true;
            yield { type: 'first-token', latencyMs: now() - started };
            yield* heldBack;
          }
          yield part;
        }
        yield* heldBack.splice(0);
        throwIfAborted(signal, providerId);
        yield { type: 'done', finish: finish.unified, raw: finish.raw, usage, durationMs: now() - started };
        return;
      } catch (caught) {
        const error = toProviderError(caught, providerId, signal);
        if (shown || !error.retryable || attempt >= policy.maxAttempts || signal.aborted) throw error;
        const delayMs = retryDelay(error, attempt, policy, this.dependencies.random ?? Math.random);
        if (delayMs === undefined) {
          throw new ProviderError({
            kind: error.kind, providerId, status: error.status, retryable: false, retryAfterMs: error.retryAfterMs, code: error.code,
            message: `${error.message} (the provider asked to wait ${Math.ceil((error.retryAfterMs ?? 0) / 1000)} s, longer than BYOK AI waits automatically)`,
          });
        }
        yield { type: 'retry-scheduled', attempt, delayMs, error };
        await (this.dependencies.sleep ? this.dependencies.sleep(delayMs, signal) : abortableSleep(delayMs, signal, providerId));
      }
    }
  }
}

/** Capped exponential backoff with full jitter; a provider's retry-after wins when it is given. */
export function retryDelay(error: ProviderError, attempt: number, policy: RetryPolicy, random: () => number): number | undefined {
  if (error.retryAfterMs !== undefined) {
    return error.retryAfterMs > policy.maxRetryAfterMs ? undefined : error.retryAfterMs;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}

function mergeUsage(into: Usage, part: Usage): void {
  for (const key of ['inputTokens', 'outputTokens', 'cachedInputTokens', 'reasoningTokens'] as const) {
    if (part[key] !== undefined) into[key] = part[key];
  }
}

function throwIfAborted(signal: AbortSignal, providerId: string): void {
  if (signal.aborted) throw new ProviderError({ kind: 'aborted', providerId, message: 'The request was stopped.', retryable: false });
}

export function toProviderError(caught: unknown, providerId: string, signal: AbortSignal): ProviderError {
  if (isProviderError(caught)) return caught;
  if (signal.aborted) return new ProviderError({ kind: 'aborted', providerId, message: 'The request was stopped.', retryable: false });
  const message = caught instanceof Error ? caught.message : String(caught);
  return new ProviderError({ kind: 'server', providerId, message: `Unexpected failure: ${message}`, retryable: false, cause: caught });
}

/** Rejects with the same `aborted` error as any other stop, naming the provider the user was talking to. */
function abortableSleep(ms: number, signal: AbortSignal, providerId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) { reject(new ProviderError({ kind: 'aborted', providerId, message: 'The request was stopped.', retryable: false })); return; }
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new ProviderError({ kind: 'aborted', providerId, message: 'The request was stopped.', retryable: false }));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

// One prompt to several models at once ("Compare Models…"): a turn of feature `compare` per pane,
// all started together, each with its own AbortController so stopping or failing one pane never
// touches the others. Before anything is sent the budget pre-flight sees the SUM of the panes'
// worst cases; a refusal sends nothing at all. The metrics of each pane come from its settled
// TurnResult, the same figures the chat and the ledger use.
// Never imports `vscode`: the panel (src/webview/comparePanel.ts) shows what this reports.

import { ProviderError, isProviderError } from '../providers/errors';
import type { ChatMessage } from '../providers/types';
import type { Router, RouterOutput } from '../router';
import { defaultOutputReserve, estimateConversationTokens } from '../router/conversation';
import type { TurnResult } from '../router/turn';
import type { CompareMetrics, CompareOutcome } from '../webview/protocol';

export const minimumPanes = 2;
export const maximumPanes = 4;

export interface CompareTarget {
  providerId: string;
  model: string;
}

export interface CompareRequest {
  /** The conversation to answer; the last message is the prompt. */
  messages: ChatMessage[];
  system?: string;
  maxOutputTokens?: number;
}

/** One pane's worst case, for the group budget check. */
export interface PaneEstimate {
  providerId: string;
  model: string;
  estimatedInputTokens: number;
  maxOutputTokens: number;
}

export interface PaneResult {
  pane: number;
  target: CompareTarget;
  providerLabel: string;
  text: string;
  reasoning: string;
  outcome: CompareOutcome;
  error?: ProviderError;
  metrics: CompareMetrics;
  settled?: TurnResult;
}

export type PaneEvent =
  | { type: 'route'; pane: number; providerLabel: string; model: string }
  | { type: 'first-token'; pane: number; latencyMs: number }
  | { type: 'delta'; pane: number; text: string }
  | { type: 'reasoning'; pane: number; text: string }
  | { type: 'status'; pane: number; status: string }
  | { type: 'end'; pane: number; result: PaneResult };

export interface FanOutDependencies {
  router: Pick<Router, 'turn'>;
  /**
   * Throws a ProviderError (kind `budget`) when the sum of the estimates would break a budget. May
   * resolve with the panes the user already agreed to send past the budget check (unpriced models,
   * asked about once for the group): those go out with `overrideBudget`, so nobody asks again.
   */
  preflight?(estimates: readonly PaneEstimate[]): Promise<void | readonly number[]>;
}

/** The pane estimates the group pre-flight checks: the router's own input estimate, the output limit as the worst case. */
export function paneEstimates(targets: readonly CompareTarget[], request: CompareRequest): PaneEstimate[] {
  const estimatedInputTokens = estimateConversationTokens(request.system, request.messages);
  const maxOutputTokens = request.maxOutputTokens ?? defaultOutputReserve;
  return targets.map(target => ({ providerId: target.providerId, model: target.model, estimatedInputTokens, maxOutputTokens }));
}

/** The figures shown under a pane, from its settled result. */
export function metricsOf(result: TurnResult): CompareMetrics {
  return {
    ...(result.timeToFirstTokenMs !== undefined ? { timeToFirstTokenMs: result.timeToFirstTokenMs } : {}),
    totalMs: result.durationMs,
    ...(result.outputTokensPerSecond !== undefined ? { tokensPerSecond: result.outputTokensPerSecond } : {}),
    ...(result.usage ? { inputTokens: result.usage.inputTokens, cachedInputTokens: result.usage.cacheReadTokens, outputTokens: result.usage.outputTokens } : {}),
    ...(result.cost?.usd !== undefined ? { costUsd: result.cost.usd } : {}),
    ...(result.cost && result.cost.usd === undefined ? { unpriced: true } : {}),
    ...(result.servedModel && result.servedModel !== result.requestedModel ? { servedModel: result.servedModel } : {}),
  };
}

/** A running comparison. `run` once; `stop(pane)` / `stopAll()` at any time. */
export class Comparison {
  private readonly controllers: AbortController[];
  readonly requestIds: string[];

  constructor(private readonly dependencies: FanOutDependencies, readonly targets: readonly CompareTarget[], private readonly request: CompareRequest) {
    if (targets.length < minimumPanes || targets.length > maximumPanes) throw new RangeError(`Compare ${minimumPanes}–${maximumPanes} models, not ${targets.length}.`);
    this.controllers = targets.map(() => new AbortController());
    this.requestIds = targets.map(() => globalThis.crypto.randomUUID());
  }

  stop(pane: number): void {
    this.controllers[pane]?.abort();
  }

  stopAll(): void {
    for (const controller of this.controllers) controller.abort();
  }

  /**
   * Runs the group pre-flight, then every pane in parallel. Rejects with the pre-flight's
   * ProviderError when it refused (nothing was sent); otherwise resolves with every pane's result
   * once all settled — a failing pane is a result, never a rejection.
   */
  async run(onEvent: (event: PaneEvent) => void): Promise<PaneResult[]> {
    const approved = new Set((await this.dependencies.preflight?.(paneEstimates(this.targets, this.request))) ?? []);
    return Promise.all(this.targets.map((target, pane) => this.runPane(pane, target, approved.has(pane), onEvent)));
  }

  private async runPane(pane: number, target: CompareTarget, overrideBudget: boolean, onEvent: (event: PaneEvent) => void): Promise<PaneResult> {
    const result: PaneResult = { pane, target, providerLabel: target.providerId, text: '', reasoning: '', outcome: 'ok', metrics: {} };
    const emit = (event: PaneEvent): void => {
      // A throwing listener (a closed panel) must not turn into this pane's error.
      try { onEvent(event); } catch { /* the listener is gone; the pane still settles */ }
    };
    const signal = this.controllers[pane]!.signal;
    let settled: Promise<TurnResult> | undefined;
    try {
      const turn = this.dependencies.router.turn({
        feature: 'compare', requestId: this.requestIds[pane], providerId: target.providerId, model: target.model,
        messages: this.request.messages.map(message => ({ ...message })),
        ...(this.request.system !== undefined ? { system: this.request.system } : {}),
        ...(this.request.maxOutputTokens !== undefined ? { maxOutputTokens: this.request.maxOutputTokens } : {}),
        ...(overrideBudget ? { overrideBudget: true } : {}),
      }, signal);
      settled = turn.settled;
      for await (const output of turn.parts) this.observe(pane, output, result, emit);
    } catch (caught) {
      const error = isProviderError(caught)
        ? caught
        : new ProviderError({ kind: 'server', providerId: target.providerId, message: caught instanceof Error ? caught.message : String(caught), retryable: false });
      result.error = error;
      result.outcome = error.kind === 'aborted' ? 'aborted' : 'error';
    }
    if (settled) {
      const final = await settled;
      result.settled = final;
      result.providerLabel = final.providerLabel || result.providerLabel;
      result.metrics = metricsOf(final);
      if (final.outcome === 'refused') result.outcome = 'refused';
    }
    emit({ type: 'end', pane, result });
    return result;
  }

  private observe(pane: number, output: RouterOutput, result: PaneResult, emit: (event: PaneEvent) => void): void {
    switch (output.type) {
      case 'route':
        result.providerLabel = output.providerLabel;
        emit({ type: 'route', pane, providerLabel: output.providerLabel, model: output.model });
        break;
      case 'first-token':
        emit({ type: 'first-token', pane, latencyMs: output.latencyMs });
        break;
      case 'text-delta':
        result.text += output.text;
        emit({ type: 'delta', pane, text: output.text });
        break;
      case 'reasoning-delta':
        result.reasoning += output.text;
        emit({ type: 'reasoning', pane, text: output.text });
        break;
      case 'retry-scheduled':
        emit({ type: 'status', pane, status: `${output.error.message} Retrying in ${Math.ceil(output.delayMs / 1000)} s…` });
        break;
      case 'trimmed':
        emit({ type: 'status', pane, status: `The ${output.droppedMessages} oldest messages were left out to fit the model's context window.` });
        break;
      default:
        break;
    }
  }
}

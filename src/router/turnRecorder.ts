// Collects what happened during one turn and builds its settled result. One recorder per turn;
// the router feeds it every stream part of the attempt that is being shown.
// Never imports `vscode`.

import type { ProviderErrorKind } from '../providers/errors';
import type { ChatStreamPart, UnifiedFinishReason, Usage } from '../providers/types';
import type { TurnFeature, TurnOutcome, TurnResult } from './turn';
import { completeUsage, mergeUsageSnapshot } from './usage';

export class TurnRecorder {
  readonly startedAt: number;
  providerId: string;
  providerLabel: string;
  requestedModel = '';
  attempts = 0;
  private usage: Usage = {};
  private usageReported = false;
  private rawUsage: unknown;
  private reportedCostUsd: number | undefined;
  private servedModel: string | undefined;
  private finish: UnifiedFinishReason | undefined;
  private firstTokenAt: number | undefined;
  private lastTokenAt: number | undefined;

  constructor(readonly requestId: string, readonly feature: TurnFeature, private readonly now: () => number, providerId: string) {
    this.startedAt = now();
    this.providerId = providerId;
    this.providerLabel = providerId;
  }

  /** A new attempt replaces what a failed earlier attempt reported: only the answer shown counts. */
  startAttempt(): void {
    this.attempts++;
    this.usage = {};
    this.usageReported = false;
    this.rawUsage = undefined;
    this.reportedCostUsd = undefined;
    this.servedModel = undefined;
    this.finish = undefined;
  }

  observe(part: ChatStreamPart): void {
    switch (part.type) {
      case 'text-delta':
      case 'reasoning-delta':
      case 'tool-call': {
        const at = this.now();
        this.firstTokenAt ??= at;
        this.lastTokenAt = at;
        break;
      }
      case 'usage':
        mergeUsageSnapshot(this.usage, part.usage);
        this.usageReported = true;
        if (part.raw !== undefined) this.rawUsage = part.raw;
        if (part.costUsd !== undefined) this.reportedCostUsd = part.costUsd;
        break;
      case 'response-metadata':
        if (part.model) this.servedModel = part.model;
        break;
      case 'finish':
        this.finish = part.unified;
        break;
    }
  }

  get timeToFirstTokenMs(): number | undefined {
    return this.firstTokenAt === undefined ? undefined : this.firstTokenAt - this.startedAt;
  }

  result(outcome: TurnOutcome, errorKind?: ProviderErrorKind): TurnResult {
    const usage = completeUsage(this.usage, this.usageReported);
    const result: TurnResult = {
      requestId: this.requestId,
      feature: this.feature,
      providerId: this.providerId,
      providerLabel: this.providerLabel,
      requestedModel: this.requestedModel,
      outcome,
      startedAt: this.startedAt,
      durationMs: this.now() - this.startedAt,
      attempts: this.attempts,
    };
    if (this.servedModel !== undefined) result.servedModel = this.servedModel;
    const finish = this.finish ?? (outcome === 'ok' ? 'other' : undefined);
    if (finish !== undefined) result.finish = finish;
    if (usage) result.usage = usage;
    if (this.rawUsage !== undefined) result.rawUsage = this.rawUsage;
    if (this.reportedCostUsd !== undefined) result.reportedCostUsd = this.reportedCostUsd;
    const timeToFirstTokenMs = this.timeToFirstTokenMs;
    if (timeToFirstTokenMs !== undefined) result.timeToFirstTokenMs = timeToFirstTokenMs;
    const tokensPerSecond = this.outputTokensPerSecond();
    if (tokensPerSecond !== undefined) result.outputTokensPerSecond = tokensPerSecond;
    if (errorKind !== undefined) result.errorKind = errorKind;
    return result;
  }

  /** Output tokens over the time between the first and the last token; needs a reported count and a measurable span. */
  private outputTokensPerSecond(): number | undefined {
    const outputTokens = this.usage.outputTokens;
    if (outputTokens === undefined || this.firstTokenAt === undefined || this.lastTokenAt === undefined) return undefined;
    const spanMs = this.lastTokenAt - this.firstTokenAt;
    return spanMs > 0 ? outputTokens / (spanMs / 1000) : undefined;
  }
}

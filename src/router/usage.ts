// Usage reports arrive as snapshots (Anthropic's message_delta repeats cumulative counts; OpenAI
// sends one report at the end). A field a report carries replaces the earlier value; a field it
// omits keeps it. The settled result fills the gaps with 0 only when some usage arrived at all.

import type { NormalizedUsage, Usage } from '../providers/types';

const usageFields = ['inputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens'] as const satisfies readonly (keyof NormalizedUsage)[];

export function mergeUsageSnapshot(into: Usage, report: Usage): void {
  for (const field of usageFields) {
    const value = report[field];
    if (typeof value === 'number' && Number.isFinite(value)) into[field] = value;
  }
}

/** Undefined when nothing was reported, so "no usage" never reads as "free". */
export function completeUsage(partial: Usage, reported: boolean): NormalizedUsage | undefined {
  if (!reported) return undefined;
  return {
    inputTokens: partial.inputTokens ?? 0,
    cacheReadTokens: partial.cacheReadTokens ?? 0,
    cacheWriteTokens: partial.cacheWriteTokens ?? 0,
    outputTokens: partial.outputTokens ?? 0,
    reasoningTokens: partial.reasoningTokens ?? 0,
  };
}

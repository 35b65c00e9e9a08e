// Small pieces every adapter needs: the settings an adapter is built with, the missing-key error,
// the dated catalog as a model list, and verify's timing and never-throw contract.

import { ProviderError, registerSecretForRedaction } from './errors';
import { toProviderError } from './providerFailures';
import type { ProviderDescriptor } from './registry';
import type { GuardTimers } from './streamGuards';
import type { ChatStreamPart, ModelInfo, NormalizedUsage, TimeoutOptions, Usage, VerifyResult } from './types';

export interface AdapterSettings {
  baseUrl: string;
  headers: Record<string, string>;
  timeouts: TimeoutOptions;
  fetch?: typeof fetch | undefined;
  /** The timers the connect / first-token / idle limits run on; real ones unless a test injects its own. */
  timers?: GuardTimers | undefined;
}

/** The key to send, or a `missing-key` error when the provider needs one and none is set. */
export function resolveKey(descriptor: ProviderDescriptor, apiKey: string | undefined): string | undefined {
  const key = apiKey?.trim() || undefined;
  if (!key && descriptor.quirks.keyRequired) {
    throw new ProviderError({ kind: 'missing-key', providerId: descriptor.id, message: `No API key is set for ${descriptor.label}.`, retryable: false });
  }
  registerSecretForRedaction(key);
  return key;
}

export function catalogModels(descriptor: ProviderDescriptor): ModelInfo[] {
  return descriptor.catalog.map(model => ({
    id: model.id,
    displayName: model.id,
    ...(model.contextWindow !== undefined ? { contextWindow: model.contextWindow } : {}),
    ...(model.maxOutputTokens !== undefined ? { maxOutputTokens: model.maxOutputTokens } : {}),
  }));
}

/** Host and port for messages: enough to tell the user where we tried to go, never a path or query. */
export function describeTarget(baseUrl: string): string {
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

/**
 * Runs the cheapest call that proves a key and reports it as a VerifyResult. Never throws: every
 * failure, including a missing key, comes back as `error`.
 * @param probe resolves to the number of models seen, or undefined when the probe was not a listing.
 */
export async function runVerify(descriptor: ProviderDescriptor, baseUrl: string, probe: () => Promise<number | undefined>): Promise<VerifyResult> {
  const started = performance.now();
  try {
    const modelCount = await probe();
    return { ok: true, latencyMs: Math.round(performance.now() - started), ...(modelCount !== undefined ? { modelCount } : {}) };
  } catch (error) {
    const failure = toProviderError(error, { providerId: descriptor.id, target: describeTarget(baseUrl) });
    return { ok: false, latencyMs: failure.kind === 'missing-key' ? 0 : Math.round(performance.now() - started), error: failure };
  }
}

export function isContentPart(part: ChatStreamPart): boolean {
  return part.type === 'text-delta' || part.type === 'reasoning-delta';
}

export type UsageCounts = { [Key in keyof NormalizedUsage]?: number | undefined };

const usageKeys: readonly (keyof NormalizedUsage)[] = ['inputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens'];

/**
 * A usage part in the normalized convention (cache counts inside `inputTokens`, reasoning inside
 * `outputTokens`) carrying only the counts the provider reported, its own usage object as `raw`
 * and the cost it reported itself. Undefined when the provider reported no count and no cost.
 */
export function usagePart(counts: UsageCounts, raw?: unknown, costUsd?: number): ChatStreamPart | undefined {
  const usage: Usage = {};
  let any = false;
  for (const key of usageKeys) {
    const value = counts[key];
    if (typeof value === 'number' && Number.isFinite(value)) {
      usage[key] = value;
      any = true;
    }
  }
  const cost = typeof costUsd === 'number' && Number.isFinite(costUsd) ? costUsd : undefined;
  if (!any && cost === undefined) return undefined;
  return { type: 'usage', usage, ...(raw !== undefined ? { raw } : {}), ...(cost !== undefined ? { costUsd: cost } : {}) };
}

/** The served-model part, when the response named a model. */
export function responseMetadataPart(model: unknown): ChatStreamPart | undefined {
  return typeof model === 'string' && model.trim() ? { type: 'response-metadata', model } : undefined;
}

/** Adds two optional counts; undefined only when both are. */
export function sumCounts(first: number | undefined, second: number | undefined): number | undefined {
  return first === undefined && second === undefined ? undefined : (first ?? 0) + (second ?? 0);
}

export function numberField(record: Record<string, unknown> | undefined, name: string): number | undefined {
  const value = record?.[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function mergeTimeouts(defaults: TimeoutOptions, overrides: Partial<TimeoutOptions> | undefined): TimeoutOptions {
  return {
    connectMs: overrides?.connectMs ?? defaults.connectMs,
    firstTokenMs: overrides?.firstTokenMs ?? defaults.firstTokenMs,
    idleMs: overrides?.idleMs ?? defaults.idleMs,
  };
}

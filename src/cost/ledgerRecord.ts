// One line of the usage ledger: what a settled request was and cost — never prompt text, answer
// text or a key. Never imports `vscode`.

import type { NormalizedUsage, TurnCost, TurnFeature, TurnOutcome, TurnResult } from '../router/turn';

export interface LedgerRecord {
  /** Request start, ms since the epoch. */
  time: number;
  requestId: string;
  /** An opaque id of the workspace (a hash), never its path. */
  workspace: string;
  feature: TurnFeature;
  provider: string;
  requestedModel: string;
  servedModel?: string;
  usage?: NormalizedUsage;
  /** The provider's usage object with only its numbers kept. */
  rawUsage?: unknown;
  costUsd?: number;
  costSource?: TurnCost['source'];
  priceVersion?: string;
  ttftMs?: number;
  durationMs: number;
  tokensPerSecond?: number;
  outcome: TurnOutcome;
  errorKind?: string;
  /** Set on a compacted line that stands for several older requests of one day. */
  requests?: number;
  /** Failed requests among `requests` on a compacted line. */
  errors?: number;
}

export function toLedgerRecord(result: TurnResult, workspace: string): LedgerRecord {
  const record: LedgerRecord = {
    time: result.startedAt,
    requestId: result.requestId,
    workspace,
    feature: result.feature,
    provider: result.providerId,
    requestedModel: result.requestedModel,
    durationMs: Math.round(result.durationMs),
    outcome: result.outcome,
  };
  if (result.servedModel) record.servedModel = result.servedModel;
  if (result.usage) record.usage = { ...result.usage };
  const raw = numbersOnly(result.rawUsage, 0);
  if (raw !== undefined) record.rawUsage = raw;
  if (result.cost?.usd !== undefined) record.costUsd = result.cost.usd;
  if (result.cost) record.costSource = result.cost.source;
  if (result.cost?.priceVersion) record.priceVersion = result.cost.priceVersion;
  if (result.timeToFirstTokenMs !== undefined) record.ttftMs = Math.round(result.timeToFirstTokenMs);
  if (result.outputTokensPerSecond !== undefined && Number.isFinite(result.outputTokensPerSecond)) record.tokensPerSecond = Math.round(result.outputTokensPerSecond * 10) / 10;
  if (result.errorKind) record.errorKind = result.errorKind;
  return record;
}

/**
 * Keeps numbers (and objects/arrays of numbers) from a provider's usage object and drops every
 * string, so nothing a provider echoes back can carry text into the ledger.
 */
export function numbersOnly(value: unknown, depth: number): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value;
  if (depth >= 4 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    const kept = value.map(item => numbersOnly(item, depth + 1)).filter(item => item !== undefined);
    return kept.length ? kept : undefined;
  }
  const kept: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const cleaned = numbersOnly(item, depth + 1);
    if (cleaned !== undefined && /^[A-Za-z0-9_.-]{1,64}$/.test(key)) kept[key] = cleaned;
  }
  return Object.keys(kept).length ? kept : undefined;
}

/**
 * One line on disk. Short keys and the normalized usage as a five-number array keep a line near
 * half the size of the record's own JSON, so 100,000 lines read and parse within the dashboard's
 * budget. Lines written before this format (full key names, `time` instead of `t`) still parse.
 *   t time, i requestId, w workspace, f feature, p provider, m requestedModel, s servedModel,
 *   u usage [input, cacheRead, cacheWrite, output, reasoning], r rawUsage, c costUsd, cs costSource,
 *   v priceVersion, ft ttftMs, d durationMs, tps tokensPerSecond, o outcome, ek errorKind,
 *   n requests, e errors
 */
interface LedgerLine {
  t: number; i: string; w: string; f: TurnFeature; p: string; m: string; s?: string;
  u?: [number, number, number, number, number]; r?: unknown; c?: number; cs?: TurnCost['source']; v?: string;
  ft?: number; d: number; tps?: number; o: TurnOutcome; ek?: string; n?: number; e?: number;
}

export function encodeLedgerLine(record: LedgerRecord): string {
  const line: LedgerLine = { t: record.time, i: record.requestId, w: record.workspace, f: record.feature, p: record.provider, m: record.requestedModel, d: record.durationMs, o: record.outcome };
  if (record.servedModel !== undefined) line.s = record.servedModel;
  const usage = record.usage;
  if (usage) line.u = [usage.inputTokens, usage.cacheReadTokens, usage.cacheWriteTokens, usage.outputTokens, usage.reasoningTokens];
  if (record.rawUsage !== undefined) line.r = record.rawUsage;
  if (record.costUsd !== undefined) line.c = record.costUsd;
  if (record.costSource !== undefined) line.cs = record.costSource;
  if (record.priceVersion !== undefined) line.v = record.priceVersion;
  if (record.ttftMs !== undefined) line.ft = record.ttftMs;
  if (record.tokensPerSecond !== undefined) line.tps = record.tokensPerSecond;
  if (record.errorKind !== undefined) line.ek = record.errorKind;
  if (record.requests !== undefined) line.n = record.requests;
  if (record.errors !== undefined) line.e = record.errors;
  return JSON.stringify(line);
}

/** Parses one ledger line (either format); undefined for a torn or foreign line. */
export function parseLedgerLine(line: string): LedgerRecord | undefined {
  if (!line) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return toRecord(value);
}

/** A parsed line as a record; undefined for anything that is not one. */
export function toRecord(value: unknown): LedgerRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const line = value as Partial<LedgerLine> & Partial<LedgerRecord>;
  if (typeof line.t !== 'number') {
    // Written before the compact format: the record itself.
    if (typeof line.time !== 'number' || typeof line.provider !== 'string' || typeof line.outcome !== 'string') return undefined;
    return line as LedgerRecord;
  }
  if (typeof line.p !== 'string' || typeof line.o !== 'string') return undefined;
  const record: LedgerRecord = { time: line.t, requestId: String(line.i ?? ''), workspace: String(line.w ?? ''), feature: line.f!, provider: line.p, requestedModel: String(line.m ?? ''), durationMs: line.d ?? 0, outcome: line.o };
  if (line.s !== undefined) record.servedModel = line.s;
  const usage = line.u;
  if (Array.isArray(usage)) record.usage = { inputTokens: usage[0] ?? 0, cacheReadTokens: usage[1] ?? 0, cacheWriteTokens: usage[2] ?? 0, outputTokens: usage[3] ?? 0, reasoningTokens: usage[4] ?? 0 };
  if (line.r !== undefined) record.rawUsage = line.r;
  if (line.c !== undefined) record.costUsd = line.c;
  if (line.cs !== undefined) record.costSource = line.cs;
  if (line.v !== undefined) record.priceVersion = line.v;
  if (line.ft !== undefined) record.ttftMs = line.ft;
  if (line.tps !== undefined) record.tokensPerSecond = line.tps;
  if (line.ek !== undefined) record.errorKind = line.ek;
  if (line.n !== undefined) record.requests = line.n;
  if (line.e !== undefined) record.errors = line.e;
  return record;
}

/** How many requests a line stands for (1, or more on a compacted line). */
export const requestCount = (record: LedgerRecord): number => record.requests ?? 1;
export const errorCount = (record: LedgerRecord): number => record.errors ?? (record.outcome === 'error' ? 1 : 0);

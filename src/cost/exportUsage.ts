// Ledger records as CSV or JSON for the user's own spreadsheet. Never imports `vscode`.

import type { LedgerRecord } from './ledgerRecord';

const columns: readonly [string, (record: LedgerRecord) => string | number | undefined][] = [
  ['time', record => new Date(record.time).toISOString()],
  ['workspace', record => record.workspace],
  ['feature', record => record.feature],
  ['provider', record => record.provider],
  ['requestedModel', record => record.requestedModel],
  ['servedModel', record => record.servedModel],
  ['requests', record => record.requests ?? 1],
  ['inputTokens', record => record.usage?.inputTokens],
  ['cachedInputTokens', record => record.usage?.cacheReadTokens],
  ['cacheWriteTokens', record => record.usage?.cacheWriteTokens],
  ['outputTokens', record => record.usage?.outputTokens],
  ['reasoningTokens', record => record.usage?.reasoningTokens],
  ['costUsd', record => record.costUsd],
  ['costSource', record => record.costSource],
  ['priceVersion', record => record.priceVersion],
  ['timeToFirstTokenMs', record => record.ttftMs],
  ['durationMs', record => record.durationMs],
  ['tokensPerSecond', record => record.tokensPerSecond],
  ['outcome', record => record.outcome],
  ['errorKind', record => record.errorKind],
];

export function usageToCsv(records: readonly LedgerRecord[]): string {
  const lines = [columns.map(([name]) => name).join(',')];
  for (const record of records) lines.push(columns.map(([, value]) => csvCell(value(record))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function usageToJson(records: readonly LedgerRecord[]): string {
  return `${JSON.stringify(records, null, 1)}\n`;
}

function csvCell(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = String(value);
  // Quote what needs it, and defuse spreadsheet formulas in text cells (=, +, -, @).
  const safe = typeof value === 'string' && /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// Builds the "verify all" report from results: a Markdown document with one row per provider and,
// for each failure, the diagnosed cause, the fix and the key dashboard. Causes and fixes come from
// the one error presentation table, refined with what only the report knows (a custom base URL).
// Pure, so it is unit-tested.

import { presentationFor } from '../errorPresentation';
import type { ProviderErrorKind } from '../providers/errors';

export interface VerifyReportEntry {
  providerId: string;
  label: string;
  keyPresent: boolean;
  keyRequired: boolean;
  /** Activated or selected by the user: a missing key only needs fixing then. */
  active: boolean;
  baseUrl: string;
  defaultBaseUrl: string;
  dashboardUrl: string;
  /** The date (`YYYY-MM-DD`) the key was set in BYOK AI, when known. */
  keySetOn?: string;
  /** Set when the key store failed, so whether a key is stored is unknown. */
  keyStoreError?: { message: string };
  result?: { ok: boolean; latencyMs: number; modelCount?: number; error?: { kind: ProviderErrorKind; message: string; status?: number } };
}

export interface Diagnosis {
  cause: string;
  fix: string;
}

export function diagnose(entry: VerifyReportEntry): Diagnosis | undefined {
  if (entry.keyStoreError && entry.keyRequired) return fromTable('key-store', entry);
  if (!entry.keyPresent && entry.keyRequired) return fromTable('missing-key', entry);
  const error = entry.result?.error;
  if (!error || entry.result?.ok) return undefined;
  // Only the report knows whether the user changed the base URL: then "unreachable" and "404"
  // most likely mean the URL is wrong, not the provider.
  const customBase = entry.baseUrl !== entry.defaultBaseUrl;
  if (error.kind === 'network' && customBase) {
    return { cause: `Could not connect to ${entry.baseUrl} — the base URL may be wrong or the server down.`, fix: 'Check byok.baseUrls / the custom endpoint URL in your user settings, and that the server is running.' };
  }
  if (error.kind === 'model-not-found' && (customBase || error.status === 404)) {
    return { cause: `The endpoint answered 404 — the base URL ${entry.baseUrl} is probably wrong (a missing or extra /v1).`, fix: 'Correct the base URL in your user settings.' };
  }
  return fromTable(error.kind, entry);
}

function fromTable(kind: ProviderErrorKind, entry: VerifyReportEntry): Diagnosis {
  const presentation = presentationFor(kind, entry.dashboardUrl);
  return { cause: presentation.cause, fix: presentation.fix };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function buildVerifyReport(entries: readonly VerifyReportEntry[], generatedAt: Date): string {
  const lines: string[] = [];
  lines.push('# BYOK AI — provider verification report', '');
  lines.push(`Generated ${generatedAt.toISOString()}. Keys are never included in this report.`, '');
  const ok = entries.filter(entry => entry.result?.ok).length;
  const checked = entries.filter(entry => entry.result).length;
  lines.push(`**${ok} of ${checked} checked providers working** (${entries.length - checked} without a key were skipped).`, '');
  const storeFailure = entries.find(entry => entry.keyStoreError)?.keyStoreError;
  if (storeFailure) {
    const presentation = presentationFor('key-store');
    lines.push(`> **${presentation.title}.** ${cell(storeFailure.message)}`, '>', `> Fix: ${presentation.fix}`, '');
  }
  lines.push('| Provider | Key | Key set | Result | Latency | Models |', '| --- | --- | --- | --- | ---: | ---: |');
  for (const entry of entries) {
    const key = entry.keyStoreError && entry.keyRequired ? 'key store failed' : entry.keyPresent ? 'set' : entry.keyRequired ? 'missing' : 'not needed';
    const keySetOn = entry.keyPresent && entry.keySetOn ? entry.keySetOn : '—';
    const result = !entry.result ? (entry.keyRequired && !entry.keyPresent ? 'skipped' : 'not run') : entry.result.ok ? '✅ ok' : `❌ ${entry.result.error?.kind ?? 'failed'}`;
    const latency = entry.result ? `${entry.result.latencyMs} ms` : '—';
    const models = entry.result?.modelCount !== undefined ? String(entry.result.modelCount) : '—';
    lines.push(`| ${cell(entry.label)} | ${key} | ${keySetOn} | ${result} | ${latency} | ${models} |`);
  }
  const failures = entries
    .filter(entry => entry.keyPresent || entry.active)
    .map(entry => ({ entry, diagnosis: diagnose(entry) }))
    .filter(item => item.diagnosis);
  if (failures.length) {
    lines.push('', '## What to fix', '');
    for (const { entry, diagnosis } of failures) {
      lines.push(`### ${entry.label}`, '');
      if (entry.result?.error) lines.push(`- Error: ${cell(entry.result.error.message)}${entry.result.error.status ? ` (HTTP ${entry.result.error.status})` : ''}`);
      lines.push(`- Cause: ${diagnosis!.cause}`, `- Fix: ${diagnosis!.fix}`, `- Key dashboard: ${entry.dashboardUrl}`);
      if (entry.keyPresent && entry.keySetOn) lines.push(`- Key set: ${entry.keySetOn}`);
      lines.push('');
    }
  }
  return lines.join('\n') + '\n';
}

// Builds the "verify all" report from results: a Markdown document with one row per provider and,
// for each failure, the diagnosed cause, the fix and the key dashboard. Pure, so it is unit-tested.

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
  result?: { ok: boolean; latencyMs: number; modelCount?: number; error?: { kind: ProviderErrorKind; message: string; status?: number } };
}

export interface Diagnosis {
  cause: string;
  fix: string;
}

export function diagnose(entry: VerifyReportEntry): Diagnosis | undefined {
  if (!entry.keyPresent && entry.keyRequired) {
    return { cause: 'No key is set.', fix: `Run "BYOK AI: Set API Key" and paste a key from ${entry.dashboardUrl}.` };
  }
  const error = entry.result?.error;
  if (!error || entry.result?.ok) return undefined;
  const customBase = entry.baseUrl !== entry.defaultBaseUrl;
  switch (error.kind) {
    case 'auth':
      return { cause: 'Bad key: the provider rejected it.', fix: `Create or copy a valid key at ${entry.dashboardUrl}, then set it again.` };
    case 'permission':
      return { cause: 'The key lacks permission for this endpoint or model.', fix: `Check the key's project and permissions at ${entry.dashboardUrl}.` };
    case 'quota':
      return { cause: 'No credit, or a spend or daily limit is reached.', fix: `Add credit or raise the limit in the billing page of ${entry.dashboardUrl}.` };
    case 'rate-limit':
      return { cause: 'Rate-limited right now (the key itself works).', fix: 'Wait a minute and verify again, or raise the rate tier with the provider.' };
    case 'network':
      return customBase
        ? { cause: `Could not connect to ${entry.baseUrl} — the base URL may be wrong or the server down.`, fix: 'Check byok.baseUrls / the custom endpoint URL in your user settings, and that the server is running.' }
        : { cause: 'Could not reach the provider: network, proxy or firewall.', fix: 'Check the connection and VS Code\'s http.proxy / http.proxyStrictSSL settings.' };
    case 'timeout':
      return { cause: 'The provider did not answer in time.', fix: 'Check the network or proxy; verify again later.' };
    case 'model-not-found':
      return customBase || error.status === 404
        ? { cause: `The endpoint answered 404 — the base URL ${entry.baseUrl} is probably wrong (a missing or extra /v1).`, fix: 'Correct the base URL in your user settings.' }
        : { cause: 'The model was not found.', fix: 'Select a model from the live list.' };
    case 'server':
    case 'overloaded':
      return { cause: 'The provider is having problems (server error or overloaded).', fix: 'Verify again in a few minutes; check the provider\'s status page.' };
    default:
      return { cause: error.message, fix: 'See the message; verify again after fixing.' };
  }
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
  lines.push('| Provider | Key | Result | Latency | Models |', '| --- | --- | --- | ---: | ---: |');
  for (const entry of entries) {
    const key = entry.keyPresent ? 'set' : entry.keyRequired ? 'missing' : 'not needed';
    const result = !entry.result ? (entry.keyRequired && !entry.keyPresent ? 'skipped' : 'not run') : entry.result.ok ? '✅ ok' : `❌ ${entry.result.error?.kind ?? 'failed'}`;
    const latency = entry.result ? `${entry.result.latencyMs} ms` : '—';
    const models = entry.result?.modelCount !== undefined ? String(entry.result.modelCount) : '—';
    lines.push(`| ${cell(entry.label)} | ${key} | ${result} | ${latency} | ${models} |`);
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
      lines.push(`- Cause: ${diagnosis!.cause}`, `- Fix: ${diagnosis!.fix}`, `- Key dashboard: ${entry.dashboardUrl}`, '');
    }
  }
  return lines.join('\n') + '\n';
}

// What leaves a comparison as text: the Markdown export (prompt, each answer, its figures) and the
// code an answer contains, for the diff between two panes. Pure functions, no `vscode`.

import type { CompareMetrics, CompareOutcome } from '../webview/protocol';

export interface ExportedPane {
  providerLabel: string;
  model: string;
  text: string;
  outcome: CompareOutcome | 'running';
  metrics: CompareMetrics;
  errorMessage?: string;
}

const count = (value: number | undefined): string => (value === undefined ? '?' : value.toLocaleString('en-US'));

/** The figures of one pane as a single line, the way the panel shows them. */
export function metricsLine(metrics: CompareMetrics): string {
  const parts: string[] = [];
  if (metrics.timeToFirstTokenMs !== undefined) parts.push(`first token ${(metrics.timeToFirstTokenMs / 1000).toFixed(2)} s`);
  if (metrics.totalMs !== undefined) parts.push(`total ${(metrics.totalMs / 1000).toFixed(2)} s`);
  if (metrics.tokensPerSecond !== undefined && Number.isFinite(metrics.tokensPerSecond)) parts.push(`${metrics.tokensPerSecond.toFixed(metrics.tokensPerSecond >= 10 ? 0 : 1)} tok/s`);
  if (metrics.inputTokens !== undefined || metrics.outputTokens !== undefined) {
    parts.push(`${count(metrics.inputTokens)} in / ${count(metrics.cachedInputTokens ?? 0)} cached / ${count(metrics.outputTokens)} out`);
  }
  if (metrics.costUsd !== undefined) parts.push(formatUsd(metrics.costUsd));
  else if (metrics.unpriced) parts.push('unpriced');
  return parts.join(' · ');
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.0001) return '< $0.0001';
  return `$${usd.toFixed(usd >= 10 ? 2 : 4)}`;
}

const outcomeNote: Record<ExportedPane['outcome'], string> = { ok: '', running: ' (still running)', aborted: ' (stopped)', error: ' (failed)', refused: ' (not sent)' };

/** A fence longer than any backtick run in `text`, so the text cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map(match => match[0].length));
  return '`'.repeat(longest + 1);
}

export function comparisonToMarkdown(prompt: string, panes: readonly ExportedPane[], at: Date): string {
  const lines = [`# Model comparison`, '', `_${at.toISOString()}_`, '', '## Prompt', ''];
  const promptFence = fenceFor(prompt);
  lines.push(`${promptFence}text`, prompt, promptFence, '');
  for (const pane of panes) {
    lines.push(`## ${pane.providerLabel} · ${pane.model}${outcomeNote[pane.outcome]}`, '');
    const figures = metricsLine(pane.metrics);
    if (figures) lines.push(`> ${figures}`, '');
    if (pane.errorMessage) lines.push(`**Error:** ${pane.errorMessage}`, '');
    lines.push(pane.text || '_(no answer)_', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export interface CodeOfAnswer {
  code: string;
  /** The first block's language tag, for the diff documents' file extension. */
  language: string;
}

/** The fenced code blocks of an answer, joined; the whole answer when it has none. */
export function codeOf(answer: string): CodeOfAnswer {
  const blocks: string[] = [];
  let language = '';
  const lines = answer.split(/\r?\n/);
  let open: { marker: string; body: string[] } | undefined;
  for (const line of lines) {
    if (!open) {
      const start = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
      if (start) {
        open = { marker: start[1]!, body: [] };
        if (!blocks.length && !language) language = start[2] ?? '';
      }
      continue;
    }
    const end = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (end && end[1]![0] === open.marker[0] && end[1]!.length >= open.marker.length) {
      blocks.push(open.body.join('\n'));
      open = undefined;
      continue;
    }
    open.body.push(line);
  }
  // A block still open (a stopped answer) counts up to where it stopped.
  if (open) blocks.push(open.body.join('\n'));
  return blocks.length ? { code: `${blocks.join('\n\n')}\n`, language } : { code: answer, language: 'markdown' };
}

const extensions: Record<string, string> = {
  typescript: 'ts', ts: 'ts', javascript: 'js', js: 'js', python: 'py', py: 'py', rust: 'rs', go: 'go', java: 'java', csharp: 'cs', cs: 'cs',
  cpp: 'cpp', 'c++': 'cpp', c: 'c', json: 'json', yaml: 'yaml', yml: 'yaml', bash: 'sh', sh: 'sh', shell: 'sh', html: 'html', css: 'css', sql: 'sql', markdown: 'md', md: 'md',
};

export function extensionFor(language: string): string {
  return extensions[language.toLowerCase()] ?? 'txt';
}

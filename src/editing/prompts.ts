// Prompts for the editor commands. Pure functions, so they are unit-tested without VS Code.

import { builtInPresets } from '../presets/builtins';

export interface CodeContext {
  languageId: string;
  path: string;
  /** 1-based line numbers of the code. */
  startLine: number;
  endLine: number;
  code: string;
  before: string;
  after: string;
}

export function fence(text: string, language = ''): string {
  const longestRun = Math.max(2, ...[...text.matchAll(/`+/g)].map(match => match[0].length));
  const ticks = '`'.repeat(longestRun + 1);
  return `${ticks}${language}\n${text}\n${ticks}`;
}

export function buildExplainPrompt(context: CodeContext): string {
  const parts = [
    `Explain the following ${context.languageId} code from \`${context.path}\` (lines ${context.startLine}-${context.endLine}).`,
    'Say what it does, how, and anything surprising or risky. Be concise.',
    '',
    fence(context.code, context.languageId),
  ];
  if (context.before.trim() || context.after.trim()) {
    parts.push('', 'Surrounding code, for context only:', fence(`${context.before}\n/* … the code above … */\n${context.after}`, context.languageId));
  }
  return parts.join('\n');
}

export interface RefactorPreset {
  label: string;
  instruction: string;
}

/** The built-in refactor-mode presets (src/presets/builtins.ts), as the refactor quick pick lists them. */
export const refactorPresets: readonly RefactorPreset[] = builtInPresets
  .filter(preset => preset.mode === 'refactor')
  .map(preset => ({ label: preset.title, instruction: preset.body }));

export function buildRefactorPrompt(context: CodeContext, instruction: string): string {
  return [
    `Rewrite the following ${context.languageId} code from \`${context.path}\` (lines ${context.startLine}-${context.endLine}).`,
    `Instruction: ${instruction.trim()}`,
    '',
    'Reply with ONLY the complete replacement code in one fenced code block: no explanation before or after.',
    'Keep the same indentation style. The code must be a drop-in replacement for the selection.',
    '',
    fence(context.code, context.languageId),
    ...(context.before.trim() || context.after.trim()
      ? ['', 'Surrounding code, for context only (do not repeat it):', fence(`${context.before}\n/* … selection … */\n${context.after}`, context.languageId)]
      : []),
  ].join('\n');
}

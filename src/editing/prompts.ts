// Prompts for the editor commands. Pure functions, so they are unit-tested without VS Code.

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

export const refactorPresets: readonly RefactorPreset[] = [
  { label: 'Simplify', instruction: 'Simplify this code without changing its behaviour.' },
  { label: 'Improve naming', instruction: 'Improve the names of variables, functions and parameters; keep behaviour identical.' },
  { label: 'Add types', instruction: 'Add precise type annotations where the language supports them.' },
  { label: 'Extract function', instruction: 'Extract the core logic into a well-named function and call it.' },
  { label: 'Add error handling', instruction: 'Add appropriate error handling for the failure cases.' },
  { label: 'Add comments', instruction: 'Add concise comments that explain why, not what.' },
];

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

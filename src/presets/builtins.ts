// The presets that ship with BYOK AI. The refactor quick pick's choices are the refactor-mode ones,
// so there is one list. A user or workspace preset of the same name replaces one; a user setting
// (byok.presets.hiddenBuiltIns) hides it.

import type { Preset } from './types';

interface BuiltIn extends Preset {
  /** The short label the refactor quick pick and the diff title show. */
  title: string;
}

const refactor = (name: string, title: string, instruction: string): BuiltIn => ({
  name, title, description: instruction, argumentHint: '', mode: 'refactor', body: instruction, source: 'built-in',
});

export const builtInPresets: readonly BuiltIn[] = [
  refactor('simplify', 'Simplify', 'Simplify this code without changing its behaviour.'),
  refactor('improve-naming', 'Improve naming', 'Improve the names of variables, functions and parameters; keep behaviour identical.'),
  refactor('add-types', 'Add types', 'Add precise type annotations where the language supports them.'),
  refactor('extract-function', 'Extract function', 'Extract the core logic into a well-named function and call it.'),
  refactor('add-error-handling', 'Add error handling', 'Add appropriate error handling for the failure cases.'),
  refactor('add-comments', 'Add comments', 'Add concise comments that explain why, not what.'),
  refactor('add-docs', 'Add docs', 'Add documentation comments (JSDoc, docstrings or the language\'s convention) to the public functions, classes and parameters; do not change the code itself.'),
  {
    name: 'explain', title: 'Explain', mode: 'explain', source: 'built-in', argumentHint: 'what to focus on (optional)',
    description: 'Explain the selected code: what it does, how, and anything surprising or risky.',
    body: 'Explain the selected code: what it does, how, and anything surprising or risky. Be concise.\n\n$ARGUMENTS',
  },
  {
    name: 'write-tests', title: 'Write tests', mode: 'explain', source: 'built-in', argumentHint: 'test framework or focus (optional)',
    description: 'Write unit tests for the selected code, covering normal cases, edge cases and errors.',
    body: 'Write unit tests for the selected ${language} code from `${fileBasename}`. Cover normal cases, edge cases and error paths; use the test framework the project already uses. $ARGUMENTS',
  },
  {
    name: 'find-bugs', title: 'Find bugs', mode: 'explain', source: 'built-in', argumentHint: 'what to look for (optional)',
    description: 'Review the selected code for bugs, with the line and a fix for each.',
    body: 'Review the selected code for bugs: wrong logic, unhandled errors, edge cases, races, security problems. For each, give the line, why it is a bug and a fix. Say so plainly if you find none. $ARGUMENTS',
  },
];

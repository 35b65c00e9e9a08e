// A small, strict parser for a preset file: `---` front matter of `key: value` lines, then the
// prompt. It accepts the subset of YAML prompt files use (plain, single- or double-quoted scalars,
// comments) and reports anything else as a problem with its line instead of guessing. A broken
// header never throws: the caller gets the problems, and the preset when it is still usable.

import { isValidPresetModelId } from './names';
import type { PresetDefinition, PresetMode, PresetProblem } from './types';

export interface ParsedPresetFile {
  /** Absent when the file cannot be used (the problems say why). */
  preset?: PresetDefinition;
  problems: PresetProblem[];
}

const knownKeys = new Set(['name', 'description', 'argument-hint', 'provider', 'model', 'mode']);
/** Keys other tools' prompt files use (VS Code, Continue, Claude Code): ignored quietly. */
const foreignKeys = new Set(['agent', 'tools', 'invokable', 'allowed-tools', 'disable-model-invocation', 'title']);
const modes: readonly PresetMode[] = ['chat', 'refactor', 'explain'];
export const presetNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const providerIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** `fallbackName`: the file's name without `.prompt.md`, used when the header has no `name`. */
export function parsePresetFile(text: string, fallbackName: string): ParsedPresetFile {
  const problems: PresetProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let fields = new Map<string, { value: string; line: number }>();
  let bodyStart = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
    if (end < 0) {
      problems.push({ line: 0, severity: 'error', message: 'The front matter starts with --- but never ends: add a closing --- line.' });
      return { problems };
    }
    fields = readFields(lines.slice(1, end), 1, problems);
    bodyStart = end + 1;
  }
  if (problems.some(problem => problem.severity === 'error')) return { problems };

  const name = fields.get('name')?.value ?? fallbackName;
  if (!presetNamePattern.test(name)) {
    problems.push({
      line: fields.get('name')?.line ?? 0, severity: 'error',
      message: `"${name.slice(0, 80)}" is not a usable preset name: use letters, digits, ".", "_" or "-" (at most 64, no spaces).`,
    });
  }
  let mode: PresetMode = 'chat';
  const modeField = fields.get('mode');
  if (modeField) {
    if ((modes as readonly string[]).includes(modeField.value)) mode = modeField.value as PresetMode;
    // VS Code's own prompt files say `mode: agent|ask|edit`: run those as chat, with a note.
    else problems.push({ line: modeField.line, severity: 'warning', message: `mode "${modeField.value.slice(0, 40)}" is not one of ${modes.join(', ')}; the preset runs as chat.` });
  }
  const provider = fields.get('provider');
  if (provider && !providerIdPattern.test(provider.value)) {
    problems.push({ line: provider.line, severity: 'error', message: `provider "${provider.value.slice(0, 60)}" is not a provider id (for example openai, anthropic, custom:my-server).` });
  }
  let model = fields.get('model');
  if (model && !isValidPresetModelId(model.value)) {
    // VS Code's prompt files name models by display name ("Claude Sonnet 4"): run on the user's model instead.
    problems.push({ line: model.line, severity: 'warning', message: `model "${model.value.slice(0, 60)}" is not a model id (like gpt-5.1); it is ignored and the preset runs on your selected model.` });
    model = undefined;
  }
  const body = lines.slice(bodyStart).join('\n').trim();
  if (!body) problems.push({ line: bodyStart, severity: 'error', message: 'The preset has no prompt: write it below the front matter.' });
  if (problems.some(problem => problem.severity === 'error')) return { problems };

  return {
    preset: {
      name,
      description: fields.get('description')?.value ?? '',
      argumentHint: fields.get('argument-hint')?.value ?? '',
      ...(provider ? { provider: provider.value } : {}),
      ...(model ? { model: model.value } : {}),
      mode,
      body,
    },
    problems,
  };
}

function readFields(lines: string[], firstLine: number, problems: PresetProblem[]): Map<string, { value: string; line: number }> {
  const fields = new Map<string, { value: string; line: number }>();
  let skippingForeignBlock = false;
  lines.forEach((raw, index) => {
    const line = firstLine + index;
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    if (/^\s/.test(raw)) {
      // Indented lines continue a foreign key's list or block (e.g. `tools:` then `- a`): skipped with it.
      if (!skippingForeignBlock) problems.push({ line, severity: 'error', message: 'Unexpected indented line: values must be on one line (key: value).' });
      return;
    }
    skippingForeignBlock = false;
    const match = /^([A-Za-z][A-Za-z0-9_-]*)\s*:(.*)$/.exec(raw);
    if (!match) {
      problems.push({ line, severity: 'error', message: `Cannot read "${raw.slice(0, 60)}": write key: value.` });
      return;
    }
    const key = match[1]!;
    const rest = match[2]!.trim();
    if (!knownKeys.has(key)) {
      if (!foreignKeys.has(key)) problems.push({ line, severity: 'warning', message: `Unknown key "${key}" is ignored (known: ${[...knownKeys].join(', ')}).` });
      // Its indented continuation lines (a list, a block) go with it.
      skippingForeignBlock = true;
      return;
    }
    if (fields.has(key)) {
      problems.push({ line, severity: 'error', message: `"${key}" is set twice.` });
      return;
    }
    const value = readScalar(rest);
    if (value === undefined) {
      problems.push({ line, severity: 'error', message: `The value of "${key}" is not a one-line text (block scalars, lists and unclosed quotes are not supported).` });
      return;
    }
    fields.set(key, { value, line });
  });
  return fields;
}

/** A one-line scalar: plain (a trailing ` # comment` removed), 'single' ('' escapes ') or "double" (\" \\ \n). */
function readScalar(text: string): string | undefined {
  if (text.startsWith('"')) {
    const match = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(text);
    if (!match) return undefined;
    return match[1]!.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char === 't' ? '\t' : char));
  }
  if (text.startsWith("'")) {
    const match = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(text);
    return match ? match[1]!.replace(/''/g, "'") : undefined;
  }
  if (/^[|>[{&*!]/.test(text)) return undefined;
  return text.replace(/\s+#.*$/, '').trim();
}

/** Writes a preset file the parser reads back unchanged. */
export function formatPresetFile(preset: PresetDefinition): string {
  const quote = (value: string): string => JSON.stringify(value);
  const header = [
    `name: ${preset.name}`,
    `description: ${quote(preset.description)}`,
    `argument-hint: ${quote(preset.argumentHint)}`,
    ...(preset.mode !== 'chat' ? [`mode: ${preset.mode}`] : []),
    ...(preset.provider ? [`provider: ${preset.provider}`] : []),
    ...(preset.model ? [`model: ${quote(preset.model)}`] : []),
  ];
  return ['---', ...header, '---', '', preset.body.trim(), ''].join('\n');
}

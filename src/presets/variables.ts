// Variables in a preset's prompt: VS Code prompt-file style `${selection}`, `${file}`, … and
// `${input:name}` / `${input:name:placeholder}`, plus `$ARGUMENTS` (the text after the slash
// command). An unknown variable, or one without a value (no selection, no open file), is an error
// shown before anything is sent: a prompt never goes out with a literal `${…}` in it.

export interface PresetInput {
  name: string;
  placeholder: string;
}

/** What the editor and the user supplied; absent fields have no value right now. */
export interface VariableValues {
  selection?: string;
  /** The whole text of the active file. */
  file?: string;
  /** Its workspace-relative path, shown next to `${file}`'s content. */
  filePath?: string;
  fileBasename?: string;
  language?: string;
  workspaceFolder?: string;
  /** The text after the slash command (may be empty). */
  arguments: string;
  inputs: Record<string, string>;
}

export type Expansion = { ok: true; text: string } | { ok: false; errors: string[] };

const variablePattern = /\$\{([^}\n]*)\}|\$ARGUMENTS\b/g;
const inputPattern = /^input:([A-Za-z_][A-Za-z0-9_-]*)(?::(.*))?$/;

/** The aliases VS Code's prompt files use for the same values. */
const aliases: Record<string, keyof VariableValues> = {
  selection: 'selection', selectedText: 'selection',
  file: 'file', fileBasename: 'fileBasename', language: 'language',
  workspaceFolder: 'workspaceFolder',
};

const missingReason: Partial<Record<keyof VariableValues, string>> = {
  selection: 'select some code in the editor first',
  file: 'open a file in the editor first',
  fileBasename: 'open a file in the editor first',
  language: 'open a file in the editor first',
  workspaceFolder: 'open a folder first',
};

/** The `${input:…}` variables in order of first use, each once. */
export function presetInputs(body: string): PresetInput[] {
  const inputs = new Map<string, PresetInput>();
  for (const match of body.matchAll(variablePattern)) {
    const input = match[1] !== undefined ? inputPattern.exec(match[1].trim()) : null;
    if (input && !inputs.has(input[1]!)) inputs.set(input[1]!, { name: input[1]!, placeholder: input[2]?.trim() ?? '' });
  }
  return [...inputs.values()];
}

/** Which editor values the prompt needs (so the host reads the file only when it is used). */
export function usesVariable(body: string, name: 'selection' | 'file' | 'arguments'): boolean {
  for (const match of body.matchAll(variablePattern)) {
    if (name === 'arguments' && match[1] === undefined) return true;
    if (match[1] !== undefined && aliases[match[1].trim()] === name) return true;
  }
  return false;
}

/** Problems that do not depend on values: unknown variables. For the editor's diagnostics too. */
export function unknownVariables(body: string): string[] {
  const unknown: string[] = [];
  for (const match of body.matchAll(variablePattern)) {
    if (match[1] === undefined) continue;
    const name = match[1].trim();
    if (!(name in aliases) && !inputPattern.test(name) && !unknown.includes(name)) unknown.push(name);
  }
  return unknown;
}

export function expandPreset(body: string, values: VariableValues): Expansion {
  const errors = unknownVariables(body).map(name => `Unknown variable \${${name}}: use selection, file, fileBasename, language, workspaceFolder, input:name or $ARGUMENTS.`);
  let usedArguments = false;
  const text = body.replace(variablePattern, (whole, inner: string | undefined) => {
    if (inner === undefined) {
      usedArguments = true;
      return values.arguments;
    }
    const name = inner.trim();
    const input = inputPattern.exec(name);
    if (input) {
      const value = values.inputs[input[1]!];
      if (value === undefined) errors.push(`No value was given for \${input:${input[1]}}.`);
      return value ?? whole;
    }
    const key = aliases[name];
    if (!key) return whole;
    const value = values[key];
    if (typeof value !== 'string' || (key === 'selection' && value.trim() === '')) {
      const message = `This preset uses \${${name}}: ${missingReason[key] ?? 'it has no value here'}.`;
      if (!errors.includes(message)) errors.push(message);
      return whole;
    }
    return key === 'file' && values.filePath ? fenceFile(values.filePath, values.language ?? '', value) : value;
  });
  if (errors.length) return { ok: false, errors };
  // Text after the command that the prompt does not place goes at the end, so it is never lost.
  const trailing = !usedArguments && values.arguments.trim() ? `\n\n${values.arguments.trim()}` : '';
  return { ok: true, text: text + trailing };
}

function fenceFile(path: string, language: string, content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map(match => match[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `\`${path}\`:\n${ticks}${language}\n${content}\n${ticks}`;
}


// What a preset is, independent of where it was read from. Pure types: no `vscode`.

export type PresetMode = 'chat' | 'refactor' | 'explain';

/** Where a preset came from; the order of `presetSourcePrecedence` decides a name clash. */
export type PresetSource = 'workspace' | 'github' | 'user' | 'built-in';

/** Highest first: a workspace preset wins over a user preset of the same name, which wins over a built-in. */
export const presetSourcePrecedence: readonly PresetSource[] = ['workspace', 'github', 'user', 'built-in'];

export const presetSourceLabels: Record<PresetSource, string> = {
  'workspace': 'workspace (.byok/prompts)',
  'github': '.github/prompts (read-only)',
  'user': 'user',
  'built-in': 'built-in',
};

/** Workspace files are repository content: not offered in Restricted Mode. */
export function isWorkspaceSource(source: PresetSource): boolean {
  return source === 'workspace' || source === 'github';
}

export interface PresetDefinition {
  name: string;
  description: string;
  argumentHint: string;
  /** Optional override for this preset's requests only; only ever picks among configured providers. */
  provider?: string;
  model?: string;
  mode: PresetMode;
  /** The prompt: the Markdown after the front matter. */
  body: string;
}

export interface Preset extends PresetDefinition {
  source: PresetSource;
  /** The file it was read from (absent for built-ins); an fsPath or URI string. */
  location?: string;
}

export interface PresetProblem {
  /** 0-based line in the file. */
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

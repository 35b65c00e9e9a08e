// Which presets are offered: every source's presets, workspace ones only in a trusted workspace,
// hidden built-ins left out, and one preset per name by precedence (workspace > .github > user >
// built-in). Each offered preset says which others of its name it wins over, so the UI can show it.

import { isWorkspaceSource, presetSourcePrecedence, type Preset, type PresetSource } from './types';

export interface OfferedPreset extends Preset {
  /** The sources of same-named presets this one wins over, highest first. */
  overrides: PresetSource[];
}

export interface ResolveOptions {
  /** `vscode.workspace.isTrusted`: false (Restricted Mode) drops workspace and .github presets. */
  trusted: boolean;
  /** Built-in names the user hid (a user-scope setting). */
  hiddenBuiltIns: readonly string[];
}

export function resolvePresets(presets: readonly Preset[], options: ResolveOptions): OfferedPreset[] {
  const hidden = new Set(options.hiddenBuiltIns.map(name => name.toLowerCase()));
  const byName = new Map<string, Preset[]>();
  for (const preset of presets) {
    if (!options.trusted && isWorkspaceSource(preset.source)) continue;
    if (preset.source === 'built-in' && hidden.has(preset.name.toLowerCase())) continue;
    const key = preset.name.toLowerCase();
    const list = byName.get(key);
    if (list) list.push(preset);
    else byName.set(key, [preset]);
  }
  const rank = (source: PresetSource): number => presetSourcePrecedence.indexOf(source);
  const offered: OfferedPreset[] = [];
  for (const candidates of byName.values()) {
    // Stable: two files of one source with one name keep their read order; the first wins.
    const sorted = [...candidates].sort((a, b) => rank(a.source) - rank(b.source));
    const [winner, ...losers] = sorted;
    offered.push({ ...winner!, overrides: [...new Set(losers.map(loser => loser.source))] });
  }
  return offered.sort((a, b) => a.name.localeCompare(b.name));
}

/** One line for the quick pick / autocomplete: "workspace (.byok/prompts), overrides built-in". */
export function describeSource(preset: OfferedPreset, labels: Record<PresetSource, string>): string {
  const label = labels[preset.source];
  return preset.overrides.length ? `${label}, overrides ${preset.overrides.map(source => labels[source]).join(' and ')}` : label;
}

// The `/` autocomplete's matching: fuzzy on name, then description. Pure and allocation-light, so
// a keystroke over 1,000 presets stays far below a frame (a unit test measures it).
import type { PresetSummary } from '../../protocol';

/** The most rows the menu shows; the rest are reachable by typing more. */
export const presetMenuLimit = 50;

/** Higher is better; -1 means no match. A prefix of the name beats a substring, which beats a subsequence. */
export function presetScore(preset: PresetSummary, query: string): number {
  if (query === '') return 1;
  const name = preset.name.toLowerCase();
  if (name.startsWith(query)) return 10_000 - name.length;
  const at = name.indexOf(query);
  if (at >= 0) return 8_000 - at;
  const gaps = subsequenceGaps(name, query);
  if (gaps >= 0) return 6_000 - gaps;
  const description = preset.description.toLowerCase();
  const inDescription = description.indexOf(query);
  if (inDescription >= 0) return 4_000 - Math.min(inDescription, 1_000);
  const descriptionGaps = subsequenceGaps(description, query);
  return descriptionGaps >= 0 && descriptionGaps < query.length * 4 ? 2_000 - descriptionGaps : -1;
}

/** Characters skipped to find `query` in order inside `text`; -1 when it is not there. */
function subsequenceGaps(text: string, query: string): number {
  let position = 0;
  let gaps = 0;
  for (let index = 0; index < query.length; index++) {
    const found = text.indexOf(query[index]!, position);
    if (found < 0) return -1;
    if (index > 0) gaps += found - position;
    position = found + 1;
  }
  return gaps;
}

/** The presets matching `query` (the text after `/`), best first, at most `limit`. */
export function filterPresets(presets: readonly PresetSummary[], query: string, limit = presetMenuLimit): PresetSummary[] {
  const wanted = query.trim().toLowerCase();
  const scored: { preset: PresetSummary; score: number }[] = [];
  for (const preset of presets) {
    const score = presetScore(preset, wanted);
    if (score >= 0) scored.push({ preset, score });
  }
  scored.sort((a, b) => b.score - a.score || a.preset.name.localeCompare(b.preset.name));
  return scored.slice(0, limit).map(entry => entry.preset);
}

/** The query while the user is typing a command name (`/na` → `na`); undefined once there is a space. */
export function slashQuery(draft: string): string | undefined {
  const match = /^\/([A-Za-z0-9._-]*)$/.exec(draft);
  return match ? match[1] : undefined;
}

/** `/name rest` → the preset and its arguments, when `name` is one of `presets`. */
export function matchSlashCommand(draft: string, presets: readonly PresetSummary[] | undefined): { name: string; arguments: string } | undefined {
  const match = /^\/([A-Za-z0-9][A-Za-z0-9._-]*)(?:\s+([\s\S]*))?$/.exec(draft.trim());
  if (!match || !presets) return undefined;
  const wanted = match[1]!.toLowerCase();
  const preset = presets.find(candidate => candidate.name.toLowerCase() === wanted);
  return preset ? { name: preset.name, arguments: (match[2] ?? '').trim() } : undefined;
}

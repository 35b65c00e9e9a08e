// The provider/model pairs a comparison runs on, and the last set the user picked (kept in
// globalState by the panel, validated here because stored state can be anything).

import { maximumPanes, type CompareTarget } from './fanOut';

export const lastTargetsKey = 'byok.compare.lastTargets';

export const targetKey = (target: CompareTarget): string => `${target.providerId}\u0000${target.model}`;

/** The remembered set, or [] when what is stored is not a list of pairs. */
export function parseTargets(value: unknown): CompareTarget[] {
  if (!Array.isArray(value)) return [];
  const targets: CompareTarget[] = [];
  const seen = new Set<string>();
  for (const item of value) {
    if (!item || typeof item !== 'object') continue;
    const { providerId, model } = item as Record<string, unknown>;
    if (typeof providerId !== 'string' || typeof model !== 'string' || !providerId || !model || providerId.length > 200 || model.length > 200) continue;
    const target = { providerId, model };
    if (seen.has(targetKey(target))) continue;
    seen.add(targetKey(target));
    targets.push(target);
    if (targets.length === maximumPanes) break;
  }
  return targets;
}

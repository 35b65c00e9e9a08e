// Merges the live model list with the registry's dated catalog for the model pickers.
// The live list wins; catalog-only entries stay available (marked) so a picker is never empty.

import type { CatalogModel } from './registry';
import type { ModelInfo } from './types';

export interface ModelOption {
  id: string;
  label: string;
  /** Reported by the provider just now, rather than taken from the built-in catalog. */
  live: boolean;
  contextWindow?: number;
  maxOutputTokens?: number;
}

export function mergeModelLists(live: readonly ModelInfo[] | undefined, catalog: readonly CatalogModel[], selected?: string): ModelOption[] {
  const options = new Map<string, ModelOption>();
  for (const model of live ?? []) {
    options.set(model.id, { id: model.id, label: model.displayName || model.id, live: true, contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens });
  }
  for (const model of catalog) {
    const existing = options.get(model.id);
    if (existing) {
      existing.contextWindow ??= model.contextWindow;
      existing.maxOutputTokens ??= model.maxOutputTokens;
    } else if (!live || live.length === 0) {
      options.set(model.id, { id: model.id, label: model.id, live: false, contextWindow: model.contextWindow, maxOutputTokens: model.maxOutputTokens });
    }
  }
  if (selected && !options.has(selected)) options.set(selected, { id: selected, label: selected, live: false });
  const sorted = [...options.values()].sort((a, b) => Number(b.live) - Number(a.live) || a.id.localeCompare(b.id));
  if (selected) {
    const index = sorted.findIndex(option => option.id === selected);
    if (index > 0) sorted.unshift(...sorted.splice(index, 1));
  }
  return sorted;
}

// What the usage dashboard webview may send, validated at the host boundary; anything else is
// dropped. No `vscode` import, so it is tested in plain Node.

import { dashboardRanges, type DashboardRange } from '../cost/aggregate';
import type { UsageFilterMessage, UsageWebviewToHost } from './protocol';

/** The dashboard's buttons run the same commands as the palette. */
export const usageCommands = { refreshPrices: 'byok.refreshPrices', exportUsage: 'byok.exportUsage', clearUsage: 'byok.clearUsage' } as const;

const optionalShortString = (value: unknown): boolean => value === undefined || (typeof value === 'string' && value.length <= 200);

/** Validates what the usage webview sends; anything else is dropped. */
export function parseUsageMessage(raw: unknown): UsageWebviewToHost | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const message = raw as Record<string, unknown>;
  if (message.type === 'ready' && message.view === 'usage') return { type: 'ready', view: 'usage' };
  if (message.type === 'usage/command' && typeof message.command === 'string' && Object.hasOwn(usageCommands, message.command)) {
    return { type: 'usage/command', command: message.command as keyof typeof usageCommands };
  }
  if (message.type === 'usage/filter' && message.filter && typeof message.filter === 'object') {
    const filter = message.filter as Record<string, unknown>;
    if (!dashboardRanges.includes(filter.days as DashboardRange)) return undefined;
    if (!optionalShortString(filter.workspace) || !optionalShortString(filter.provider) || !optionalShortString(filter.feature)) return undefined;
    const clean: UsageFilterMessage = { days: filter.days as DashboardRange };
    for (const key of ['workspace', 'provider', 'feature'] as const) if (typeof filter[key] === 'string' && filter[key]) clean[key] = filter[key] as string;
    return { type: 'usage/filter', filter: clean };
  }
  return undefined;
}

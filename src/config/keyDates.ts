// When each provider's key was set: the calendar date only, kept in globalState (outside the secret
// store, never the key itself) so the Providers cards and the verify report can show the key's age
// and the rotation reminder can suggest replacing an old one. No `vscode` runtime import.

import type * as vscode from 'vscode';

const stateKey = 'byok.keySetDates';

/** The slice of `vscode.Memento` this needs; a Map-backed fake satisfies it in unit tests. */
export type DateMemento = Pick<vscode.Memento, 'get' | 'update'>;

/** The UTC calendar date of a moment, `YYYY-MM-DD`. */
export function calendarDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole days from a `YYYY-MM-DD` date to `now` (UTC); undefined for a malformed date. */
export function daysSince(date: string, now: Date): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const then = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(then)) return undefined;
  return Math.floor((Date.parse(`${calendarDate(now)}T00:00:00Z`) - then) / 86_400_000);
}

export class KeyDates {
  constructor(private readonly memento: DateMemento, private readonly now: () => Date = () => new Date()) {}

  private all(): Record<string, string> {
    const value = this.memento.get<unknown>(stateKey);
    return value && typeof value === 'object' && !Array.isArray(value) ? { ...(value as Record<string, string>) } : {};
  }

  /** The date the key was set, or undefined when unknown (set before BYOK AI recorded dates, or none). */
  get(providerId: string): string | undefined {
    const value = this.all()[providerId];
    return typeof value === 'string' && daysSince(value, this.now()) !== undefined ? value : undefined;
  }

  async recordSet(providerId: string): Promise<void> {
    await this.memento.update(stateKey, { ...this.all(), [providerId]: calendarDate(this.now()) });
  }

  async clear(providerId: string): Promise<void> {
    const dates = this.all();
    if (!(providerId in dates)) return;
    delete dates[providerId];
    await this.memento.update(stateKey, dates);
  }
}

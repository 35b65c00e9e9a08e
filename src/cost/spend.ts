// Running spend totals per local day and provider, kept in memory from the ledger so a budget check
// never reads the file. Days are the user's local days ("today" is what the clock on the wall says).
// Never imports `vscode`.

import type { LedgerRecord } from './ledgerRecord';

export function dayKey(time: number): string {
  const date = new Date(time);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export function monthKey(time: number): string {
  return dayKey(time).slice(0, 7);
}

export class SpendTotals {
  /** day → provider → USD */
  private readonly days = new Map<string, Map<string, number>>();

  add(record: Pick<LedgerRecord, 'time' | 'provider' | 'costUsd'>): void {
    const usd = record.costUsd;
    if (usd === undefined || !Number.isFinite(usd) || usd <= 0) return;
    const day = dayKey(record.time);
    let providers = this.days.get(day);
    if (!providers) { providers = new Map(); this.days.set(day, providers); }
    providers.set(record.provider, (providers.get(record.provider) ?? 0) + usd);
  }

  reset(records: Iterable<Pick<LedgerRecord, 'time' | 'provider' | 'costUsd'>> = []): void {
    this.days.clear();
    for (const record of records) this.add(record);
  }

  day(time: number, provider?: string): number {
    return sum(this.days.get(dayKey(time)), provider);
  }

  month(time: number, provider?: string): number {
    const month = monthKey(time);
    let total = 0;
    for (const [day, providers] of this.days) if (day.startsWith(month)) total += sum(providers, provider);
    return total;
  }

  /** A provider's spend on each of the `count` days before `time`'s day (oldest first), zero days included. */
  previousDays(time: number, provider: string, count: number): number[] {
    const today = new Date(time);
    const values: number[] = [];
    for (let back = count; back >= 1; back--) {
      const day = new Date(today.getFullYear(), today.getMonth(), today.getDate() - back, 12);
      values.push(sum(this.days.get(dayKey(day.getTime())), provider));
    }
    return values;
  }
}

function sum(providers: Map<string, number> | undefined, provider?: string): number {
  if (!providers) return 0;
  if (provider !== undefined) return providers.get(provider) ?? 0;
  let total = 0;
  for (const value of providers.values()) total += value;
  return total;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  // A typed array sorts numerically without a comparator call per pair.
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

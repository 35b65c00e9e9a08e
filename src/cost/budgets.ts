// Budgets that hold: a `beforeSend` hook estimates each request's worst case (estimated input
// tokens × input price + output limit × output price) and refuses it — before anything is sent —
// when that could break a daily or monthly limit, in total or for its provider. Requests in flight
// reserve their estimate, so parallel requests cannot overshoot together; the actual cost replaces
// the reservation when the request settles. Also warns once at 80 % and calls out unusual spend.
// Never imports `vscode`: limits, totals, prices and notices are injected.

import { ProviderError } from '../providers/errors';
import type { BeforeSendContext, NormalizedUsage, TurnCost, TurnResult } from '../router/turn';
import { dayKey, median, monthKey, type SpendTotals } from './spend';

export type UnpricedPolicy = 'ask' | 'allow' | 'block';

export interface BudgetLimits {
  /** USD per local day in total; 0 = no limit. */
  daily: number;
  /** USD per calendar month in total; 0 = no limit. */
  monthly: number;
  perProvider: Readonly<Record<string, { daily?: number; monthly?: number }>>;
  unpriced: UnpricedPolicy;
}

export const noBudgetLimits: BudgetLimits = { daily: 0, monthly: 0, perProvider: {}, unpriced: 'ask' };

export type BudgetNoticeAction = { kind: 'showUsage' } | { kind: 'openDashboard'; providerId: string };

export interface BudgetNotifier {
  /** A non-modal notice; the host shows the actions as buttons. */
  warn(message: string, actions: readonly BudgetNoticeAction[]): void;
  /** Asks whether to send a request that has no price under a budget; true sends it. */
  confirmUnpriced(message: string): Promise<boolean>;
}

export interface BudgetGuardOptions {
  limits(): BudgetLimits;
  totals: SpendTotals;
  /** The cost of a hypothetical usage for a provider and model; `usd` undefined when unpriced. */
  estimate(providerId: string, model: string, usage: NormalizedUsage, at: Date): TurnCost | Promise<TurnCost>;
  notifier: BudgetNotifier;
  now(): number;
  providerLabel?(providerId: string): string;
}

/** One request of a group, as the group pre-flight needs it. */
export type BudgetGroupItem = Pick<BeforeSendContext, 'providerId' | 'model' | 'estimatedInputTokens' | 'maxOutputTokens'>;

interface Limit {
  label: string;
  providerId?: string;
  period: 'day' | 'month';
  usd: number;
}

interface Reservation {
  providerId: string;
  usd: number;
}

export const warnAtFraction = 0.8;
export const unusualFactor = 3;
export const unusualMinimumUsd = 1;
export const unusualHistoryDays = 30;

export class BudgetGuard {
  private readonly reservations = new Map<string, Reservation>();
  private readonly warned = new Set<string>();

  constructor(private readonly options: BudgetGuardOptions) {}

  /** The `beforeSend` hook. Throws a ProviderError of kind `budget` to refuse the request. */
  async beforeSend(context: BeforeSendContext): Promise<void> {
    const limits = this.applicableLimits(context.providerId);
    if (limits.length === 0) return;
    const now = this.options.now();
    const worstCase: NormalizedUsage = { inputTokens: context.estimatedInputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: context.maxOutputTokens, reasoningTokens: 0 };
    const estimate = await this.options.estimate(context.providerId, context.model, worstCase, new Date(now));
    if (estimate.usd === undefined) {
      await this.checkUnpriced(context);
      return;
    }
    if (!context.overrideBudget) {
      for (const limit of limits) {
        const spent = this.spent(limit, now);
        const reserved = this.reserved(limit);
        if (spent + reserved + estimate.usd > limit.usd) throw this.refusal(context, limit, spent, reserved, estimate.usd);
      }
    }
    this.reservations.set(context.requestId, { providerId: context.providerId, usd: estimate.usd });
  }

  /**
   * The pre-flight of a group of requests sent together (a model comparison): refuses — so that
   * none is sent — when the SUM of their worst cases could break a limit. Unpriced requests under a
   * limit are asked about once for the whole group (per the unpriced policy), not once each.
   * Reserves nothing: each request still passes `beforeSend`, which reserves its own estimate.
   * Resolves with the indices of the unpriced requests the user chose to send: the caller sends
   * those with `overrideBudget`, so `beforeSend` does not ask again.
   */
  async checkGroup(items: readonly BudgetGroupItem[]): Promise<number[]> {
    const now = this.options.now();
    const estimates: { item: BudgetGroupItem; usd: number }[] = [];
    const unpriced: number[] = [];
    for (const [index, item] of items.entries()) {
      const worstCase: NormalizedUsage = { inputTokens: item.estimatedInputTokens, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: item.maxOutputTokens, reasoningTokens: 0 };
      const estimate = await this.options.estimate(item.providerId, item.model, worstCase, new Date(now));
      if (estimate.usd !== undefined) estimates.push({ item, usd: estimate.usd });
      else if (this.applicableLimits(item.providerId).length > 0) unpriced.push(index);
    }
    const seen = new Set<string>();
    for (const item of items) {
      for (const limit of this.applicableLimits(item.providerId)) {
        const key = `${limit.providerId ?? '*'}:${limit.period}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const sum = estimates.filter(each => limit.providerId === undefined || each.item.providerId === limit.providerId).reduce((total, each) => total + each.usd, 0);
        const spent = this.spent(limit, now);
        const reserved = this.reserved(limit);
        if (spent + reserved + sum > limit.usd) {
          const inFlight = reserved > 0 ? ` (plus ${money(reserved)} reserved by requests in flight)` : '';
          throw new ProviderError({
            kind: 'budget', providerId: limit.providerId ?? item.providerId, retryable: false,
            message: `Not sent: your ${limit.label} budget is ${money(limit.usd)}, ${money(spent)} is spent${inFlight}, and these ${items.length} requests together could cost up to ${money(sum)}.`,
          });
        }
      }
    }
    const policy = this.options.limits().unpriced;
    if (unpriced.length === 0 || policy === 'allow') return [];
    const names = unpriced.map(index => items[index]!.model);
    const what = `${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} no known price, so BYOK AI cannot check ${names.length === 1 ? 'it' : 'them'} against your budget.`;
    const providerId = items[unpriced[0]!]!.providerId;
    if (policy === 'block') throw new ProviderError({ kind: 'budget', providerId, retryable: false, message: `Not sent: ${what} (byok.budget.unpriced is "block").` });
    if (!(await this.options.notifier.confirmUnpriced(`${what} Send the comparison anyway?`))) {
      throw new ProviderError({ kind: 'budget', providerId, retryable: false, message: `Not sent: ${what}` });
    }
    return unpriced;
  }

  /** Call once the settled cost is in the totals: drops the reservation, then warns if due. */
  settled(result: TurnResult): void {
    this.reservations.delete(result.requestId);
    const now = this.options.now();
    for (const limit of this.applicableLimits(result.providerId)) {
      const spent = this.spent(limit, now);
      if (spent < warnAtFraction * limit.usd) continue;
      const key = `limit:${limit.providerId ?? '*'}:${limit.period}:${limit.period === 'day' ? dayKey(now) : monthKey(now)}`;
      if (this.warned.has(key)) continue;
      this.warned.add(key);
      const percent = Math.floor((spent / limit.usd) * 100);
      this.options.notifier.warn(`BYOK AI: you have used ${percent} % of your ${limit.label} budget (${money(spent)} of ${money(limit.usd)}).`, [{ kind: 'showUsage' }]);
    }
    this.checkUnusual(result.providerId, now);
  }

  /** Money reserved by requests in flight (for the status bar and tests). */
  reservedUsd(providerId?: string): number {
    let total = 0;
    for (const reservation of this.reservations.values()) if (providerId === undefined || reservation.providerId === providerId) total += reservation.usd;
    return total;
  }

  /** Today's and this month's spend, and what is left of each total limit (undefined = no limit). */
  summary(): { today: number; month: number; dailyLeft?: number; monthlyLeft?: number } {
    const now = this.options.now();
    const limits = this.options.limits();
    const today = this.options.totals.day(now);
    const month = this.options.totals.month(now);
    return {
      today, month,
      ...(limits.daily > 0 ? { dailyLeft: Math.max(0, limits.daily - today) } : {}),
      ...(limits.monthly > 0 ? { monthlyLeft: Math.max(0, limits.monthly - month) } : {}),
    };
  }

  private applicableLimits(providerId: string): Limit[] {
    const limits = this.options.limits();
    const label = this.options.providerLabel?.(providerId) ?? providerId;
    const perProvider = limits.perProvider[providerId];
    const all: Limit[] = [
      { label: 'daily', period: 'day', usd: limits.daily },
      { label: 'monthly', period: 'month', usd: limits.monthly },
      { label: `${label} daily`, providerId, period: 'day', usd: perProvider?.daily ?? 0 },
      { label: `${label} monthly`, providerId, period: 'month', usd: perProvider?.monthly ?? 0 },
    ];
    return all.filter(limit => Number.isFinite(limit.usd) && limit.usd > 0);
  }

  private spent(limit: Limit, now: number): number {
    return limit.period === 'day' ? this.options.totals.day(now, limit.providerId) : this.options.totals.month(now, limit.providerId);
  }

  private reserved(limit: Limit): number {
    return this.reservedUsd(limit.providerId);
  }

  private refusal(context: BeforeSendContext, limit: Limit, spent: number, reserved: number, estimate: number): ProviderError {
    const inFlight = reserved > 0 ? ` (plus ${money(reserved)} reserved by requests in flight)` : '';
    return new ProviderError({
      kind: 'budget', providerId: context.providerId, retryable: false,
      message: `Not sent: your ${limit.label} budget is ${money(limit.usd)}, ${money(spent)} is spent${inFlight}, and this request to ${context.model} could cost up to ${money(estimate)}.`,
    });
  }

  private async checkUnpriced(context: BeforeSendContext): Promise<void> {
    const policy = this.options.limits().unpriced;
    if (policy === 'allow' || context.overrideBudget) return;
    const what = `${context.model} has no known price, so BYOK AI cannot check it against your budget.`;
    if (policy === 'block') {
      throw new ProviderError({ kind: 'budget', providerId: context.providerId, retryable: false, message: `Not sent: ${what} (byok.budget.unpriced is "block").` });
    }
    const send = await this.options.notifier.confirmUnpriced(`${what} Send it anyway?`);
    if (!send) throw new ProviderError({ kind: 'budget', providerId: context.providerId, retryable: false, message: `Not sent: ${what}` });
  }

  private checkUnusual(providerId: string, now: number): void {
    const today = this.options.totals.day(now, providerId);
    if (today < unusualMinimumUsd) return;
    const usual = median(this.options.totals.previousDays(now, providerId, unusualHistoryDays));
    if (today <= unusualFactor * usual) return;
    const key = `unusual:${providerId}:${dayKey(now)}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const label = this.options.providerLabel?.(providerId) ?? providerId;
    this.options.notifier.warn(
      `BYOK AI: unusual spend on ${label} — ${money(today)} today, more than ${unusualFactor}× its usual ${money(usual)} a day. If you did not expect this, check the key on ${label}'s dashboard.`,
      [{ kind: 'showUsage' }, { kind: 'openDashboard', providerId }],
    );
  }
}

export function money(usd: number): string {
  if (usd > 0 && usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

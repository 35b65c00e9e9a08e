// Cost, ledger and budgets behind one set of router hooks. Nothing is loaded until it is needed:
// the price table on the first price or budget check, the ledger file on the first settled
// request (or when the status bar first asks after start-up). Never imports `vscode`.

import type { BeforeSendContext, TurnCost, TurnHooks, TurnResult } from '../router/turn';
import { BudgetGuard, type BudgetGroupItem, type BudgetLimits, type BudgetNotifier } from './budgets';
import { UsageLedger } from './ledger';
import { toLedgerRecord, type LedgerRecord } from './ledgerRecord';
import { PriceData, type FetchText, type PriceDataInfo, type PriceDataStore } from './priceData';
import { loadPricesLibrary, type PricesLibrary } from './pricesLibrary';
import { Pricing, type EndpointPriceSetting } from './pricing';
import { SpendTotals } from './spend';

export interface CostServiceOptions {
  ledgerFile: string;
  priceStore: PriceDataStore;
  fetchText: FetchText;
  /** The opaque id of this window's workspace. */
  workspaceId: string;
  limits(): BudgetLimits;
  endpointPrice(providerId: string): EndpointPriceSetting | undefined;
  endpointBaseUrl(providerId: string): string | undefined;
  providerLabel(providerId: string): string;
  notifier: BudgetNotifier;
  log(message: string): void;
  now?(): number;
  loadLibrary?(): Promise<PricesLibrary>;
  /** Called after every change of the totals (a settled request, a refresh, a clear). */
  onDidChange?(): void;
}

export class CostService {
  readonly ledger: UsageLedger;
  readonly totals = new SpendTotals();
  readonly guard: BudgetGuard;
  private readonly priceData: PriceData;
  private readonly now: () => number;
  private pricing: Promise<Pricing> | undefined;
  private ledgerLoaded: Promise<void> | undefined;
  private ledgerReady = false;

  /** The three router hooks; pass to `router.use`. */
  readonly hooks: TurnHooks = {
    beforeSend: context => this.beforeSend(context),
    price: result => this.price(result),
    afterSettle: result => this.afterSettle(result),
  };

  constructor(private readonly options: CostServiceOptions) {
    this.now = options.now ?? Date.now;
    this.ledger = new UsageLedger(options.ledgerFile, options.log);
    this.ledger.onAppend(record => this.totals.add(record));
    this.priceData = new PriceData(options.priceStore, options.fetchText, options.log);
    this.guard = new BudgetGuard({
      limits: options.limits,
      totals: this.totals,
      estimate: async (providerId, model, usage, at) => (await this.loadPricing()).estimate(providerId, model, usage, at),
      notifier: options.notifier,
      now: this.now,
      providerLabel: options.providerLabel,
    });
  }

  async beforeSend(context: BeforeSendContext): Promise<void> {
    if (!this.anyLimit()) return;
    await this.loadLedger();
    // Other windows append to the same ledger: count their spend too.
    const current = await this.ledger.snapshot(true).catch(() => undefined);
    if (current) this.totals.reset(current.records);
    await this.guard.beforeSend(context);
  }

  /** The budget pre-flight of requests sent together (a comparison): refuses when their sum could break a limit; see BudgetGuard.checkGroup. */
  async checkGroup(items: readonly BudgetGroupItem[]): Promise<number[]> {
    if (!this.anyLimit()) return [];
    await this.loadLedger();
    // Other windows append to the same ledger: count their spend too (as beforeSend does).
    const current = await this.ledger.snapshot(true).catch(() => undefined);
    if (current) this.totals.reset(current.records);
    return this.guard.checkGroup(items);
  }

  async price(result: TurnResult): Promise<TurnCost | undefined> {
    return (await this.loadPricing()).price(result);
  }

  async afterSettle(result: TurnResult): Promise<void> {
    await this.loadLedger();
    this.ledger.append(toLedgerRecord(result, this.options.workspaceId));
    this.guard.settled(result);
    this.options.onDidChange?.();
  }

  /** Today's and this month's spend, or undefined until the ledger has been read. */
  summary(): ReturnType<BudgetGuard['summary']> | undefined {
    return this.ledgerReady ? this.guard.summary() : undefined;
  }

  priceInfo(): PriceDataInfo {
    return this.priceData.info();
  }

  /** Reads the ledger once into the running totals; compacts it when it holds old detail. */
  loadLedger(): Promise<void> {
    this.ledgerLoaded ??= (async () => {
      try {
        const { records, skipped } = (await this.ledger.snapshot()) ?? { records: [], skipped: 0 };
        if (skipped > 0) this.options.log(`usage ledger: skipped ${skipped} unreadable line(s)`);
        this.totals.reset(records);
        if (needsCompaction(records, this.now())) await this.ledger.compact(this.now());
      } catch (error) {
        this.options.log(`usage ledger: could not read it (${error instanceof Error ? error.message : String(error)}); totals start at zero`);
      }
      this.ledgerReady = true;
      this.options.onDidChange?.();
    })();
    return this.ledgerLoaded;
  }

  async records(): Promise<LedgerRecord[]> {
    await this.loadLedger();
    return (await this.ledger.read()).records;
  }

  /** Downloads the published prices, then recomputes the cost of every ledger entry priced from the table. */
  async refreshPrices(signal?: AbortSignal): Promise<{ info: PriceDataInfo; providers: number; models: number; repriced: number }> {
    const library = await (this.options.loadLibrary ?? loadPricesLibrary)();
    const pricing = await this.loadPricing();
    const outcome = await this.priceData.refresh(library, new Date(this.now()), signal);
    await this.loadLedger();
    let repriced = 0;
    let all: LedgerRecord[] = [];
    await this.ledger.rewrite(records => {
      all = records.map(record => {
        const next = repriceRecord(record, pricing);
        if (next !== record) repriced++;
        return next;
      });
      return all;
    });
    this.totals.reset(all);
    this.options.onDidChange?.();
    return { ...outcome, repriced };
  }

  async clear(): Promise<void> {
    await this.ledger.clear();
    this.totals.reset();
    this.options.onDidChange?.();
  }

  private anyLimit(): boolean {
    const limits = this.options.limits();
    return limits.daily > 0 || limits.monthly > 0 || Object.values(limits.perProvider).some(limit => (limit.daily ?? 0) > 0 || (limit.monthly ?? 0) > 0);
  }

  private loadPricing(): Promise<Pricing> {
    this.pricing ??= (async () => {
      const library = await (this.options.loadLibrary ?? loadPricesLibrary)();
      await this.priceData.load(library);
      return new Pricing({
        library,
        endpointPrice: this.options.endpointPrice,
        endpointBaseUrl: this.options.endpointBaseUrl,
        priceVersion: () => this.priceData.info().version,
      });
    })().catch(error => {
      this.pricing = undefined;
      throw error;
    });
    return this.pricing;
  }
}

function needsCompaction(records: readonly LedgerRecord[], now: number): boolean {
  const cutoff = now - 96 * 86_400_000;
  return records.some(record => record.requests === undefined && record.time < cutoff);
}

/** A ledger entry priced from the table gets today's table; provider-reported, override and free costs stay. */
export function repriceRecord(record: LedgerRecord, pricing: Pricing): LedgerRecord {
  if (record.requests !== undefined || !record.usage) return record;
  if (record.costSource !== 'prices' && record.costSource !== 'unpriced') return record;
  const cost = pricing.estimate(record.provider, record.servedModel ?? record.requestedModel, record.usage, new Date(record.time));
  const fallback = cost.usd === undefined && record.servedModel ? pricing.estimate(record.provider, record.requestedModel, record.usage, new Date(record.time)) : cost;
  const { costUsd: _previous, ...rest } = record;
  return { ...rest, ...(fallback.usd !== undefined ? { costUsd: fallback.usd } : {}), costSource: fallback.source, ...(fallback.priceVersion ? { priceVersion: fallback.priceVersion } : {}) };
}

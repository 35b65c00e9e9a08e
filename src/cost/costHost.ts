// The VS Code side of cost: builds the CostService on first use (activation loads neither the
// price table nor the ledger), turns budget notices into notifications, and implements the
// usage commands. Wired in extension.ts with `router.use(cost.hooks)`.

import type * as Crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { Settings } from '../config/settings';
import type { Log } from '../log';
import type { TurnHooks } from '../router/turn';
import type { BudgetGroupItem, BudgetNoticeAction } from './budgets';
import type { CostService } from './costService';

export class CostHost implements vscode.Disposable {
  private service: Promise<CostService> | undefined;
  private started: CostService | undefined;
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Fires when totals change (a settled request, a refresh, a clear). */
  readonly onDidChange = this.changeEmitter.event;

  readonly hooks: TurnHooks = {
    beforeSend: async context => (await this.get()).beforeSend(context),
    price: async result => (await this.get()).price(result),
    afterSettle: async result => (await this.get()).afterSettle(result),
  };

  constructor(private readonly context: vscode.ExtensionContext, private readonly settings: Settings, private readonly log: Log) {}

  dispose(): void {
    this.changeEmitter.dispose();
  }

  /** The CostService, created (and its module loaded) on first use. */
  get(): Promise<CostService> {
    this.service ??= (async () => {
      const { CostService } = await import('./costService');
      const pricesFile = vscode.Uri.joinPath(this.context.globalStorageUri, 'prices', 'data.json').fsPath;
      const service = new CostService({
        ledgerFile: vscode.Uri.joinPath(this.context.globalStorageUri, 'usage', 'ledger.jsonl').fsPath,
        priceStore: {
          read: async () => fs.readFile(pricesFile, 'utf8').catch(error => { if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; throw error; }),
          write: async text => { await fs.mkdir(vscode.Uri.joinPath(this.context.globalStorageUri, 'prices').fsPath, { recursive: true }); await fs.writeFile(pricesFile, text, 'utf8'); },
        },
        fetchText,
        workspaceId: workspaceId(),
        limits: () => this.settings.budgetLimits(),
        endpointPrice: providerId => this.settings.endpointPrice(providerId),
        endpointBaseUrl: providerId => providerId.startsWith('custom:') ? this.settings.baseUrl(providerId) : undefined,
        providerLabel: providerId => this.settings.describe(providerId)?.label ?? providerId,
        notifier: { warn: (message, actions) => this.warn(message, actions), confirmUnpriced: message => this.confirm(message) },
        log: message => this.log.warn(message),
        onDidChange: () => this.changeEmitter.fire(),
      });
      this.started = service;
      return service;
    })();
    return this.service;
  }

  /** The budget pre-flight for requests sent together (a model comparison); throws a ProviderError of kind `budget`. */
  async checkGroup(items: readonly BudgetGroupItem[]): Promise<number[]> {
    return (await this.get()).checkGroup(items);
  }

  /** Reads the ledger in the background (for the status bar), after start-up has finished. */
  warmUp(): void {
    void this.get().then(service => service.loadLedger()).catch(error => this.log.warn(`usage: ${String(error)}`));
  }

  /** One line for the status bar tooltip, or undefined before the ledger was read. */
  summaryLine(): string | undefined {
    const summary = this.started?.summary();
    if (!summary) return undefined;
    const left = [
      summary.dailyLeft !== undefined ? `${usd(summary.dailyLeft)} left today` : undefined,
      summary.monthlyLeft !== undefined ? `${usd(summary.monthlyLeft)} left this month` : undefined,
    ].filter(Boolean);
    return `Spend: ${usd(summary.today)} today, ${usd(summary.month)} this month${left.length ? ` — ${left.join(', ')}` : ''}`;
  }

  async refreshPrices(): Promise<void> {
    const service = await this.get();
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'BYOK AI: downloading the published prices…', cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return service.refreshPrices(controller.signal);
      },
    );
    void vscode.window.showInformationMessage(`BYOK AI: prices updated (${outcome.models} models from ${outcome.providers} providers); ${outcome.repriced} usage entries recomputed.`);
  }

  async exportUsage(): Promise<void> {
    const service = await this.get();
    const records = await service.records();
    const target = await vscode.window.showSaveDialog({
      title: 'Export BYOK AI usage',
      defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? '/'), `byok-usage-${new Date().toISOString().slice(0, 10)}.csv`),
      filters: { CSV: ['csv'], JSON: ['json'] },
    });
    if (!target) return;
    const { usageToCsv, usageToJson } = await import('./exportUsage');
    const text = target.path.toLowerCase().endsWith('.json') ? usageToJson(records) : usageToCsv(records);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    void vscode.window.showInformationMessage(`BYOK AI: exported ${records.length} usage entries.`);
  }

  async clearUsage(): Promise<void> {
    const choice = await vscode.window.showWarningMessage(
      'Delete all BYOK AI usage data? Spend totals, budgets and the dashboard start again from zero. This cannot be undone.',
      { modal: true }, 'Delete Usage Data',
    );
    if (choice !== 'Delete Usage Data') return;
    await (await this.get()).clear();
    void vscode.window.showInformationMessage('BYOK AI: usage data deleted.');
  }

  private warn(message: string, actions: readonly BudgetNoticeAction[]): void {
    const labels: string[] = actions.map(action => action.kind === 'showUsage' ? 'Show Usage' : 'Open Provider Dashboard');
    void vscode.window.showWarningMessage(message, ...labels).then(choice => {
      const action = actions[labels.indexOf(choice ?? '')];
      if (!action) return;
      if (action.kind === 'showUsage') void vscode.commands.executeCommand('byok.showUsage');
      else void vscode.commands.executeCommand('byok.openDashboard', action.providerId);
    });
  }

  private async confirm(message: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true }, 'Send')) === 'Send';
  }
}

/** An opaque id for this window's workspace: a hash, never the path itself. */
export function workspaceId(): string {
  const identity = vscode.workspace.workspaceFile?.toString() ?? vscode.workspace.workspaceFolders?.[0]?.uri.toString();
  if (!identity) return 'no-workspace';
  // Required here, on first use (the first priced request), not when the activation bundle loads.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use
  const { createHash } = require('node:crypto') as typeof Crypto;
  return createHash('sha256').update(identity).digest('hex').slice(0, 12);
}

async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  const signals = [AbortSignal.timeout(60_000), ...(signal ? [signal] : [])];
  const response = await fetch(url, { signal: AbortSignal.any(signals) });
  if (!response.ok) throw new Error(`Downloading the price data failed: HTTP ${response.status}.`);
  return response.text();
}

function usd(value: number): string {
  return value > 0 && value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

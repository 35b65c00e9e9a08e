// "BYOK AI: Show Usage": an editor webview with the same strict CSP as the chat. The host does the
// aggregation (src/cost/aggregate.ts) and posts a ready-made view; the webview only draws it.

import * as vscode from 'vscode';
import { aggregateUsage, budgetBars } from '../cost/aggregate';
import type { CostHost } from '../cost/costHost';
import type { LedgerRecord } from '../cost/ledgerRecord';
import { workspaceId } from '../cost/costHost';
import type { Settings } from '../config/settings';
import type { Log } from '../log';
import { renderWebviewHtml, webviewOptions } from './html';
import type { UsageFilterMessage, UsageHostToWebview, UsageView } from './protocol';
import { parseUsageMessage, usageCommands } from './usagePanelMessages';

export class UsagePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private filter: UsageFilterMessage = { days: 30 };
  /** The ledger, read once while the panel is open (a filter change only re-aggregates). */
  private records: Promise<LedgerRecord[]> | undefined;
  private staleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly cost: CostHost, private readonly settings: Settings, private readonly log: Log) {}

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  show(): void {
    if (this.panel) { this.panel.reveal(); return; }
    const panel = vscode.window.createWebviewPanel('byok.usage', 'BYOK AI Usage', vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.panel = panel;
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, 'usage', 'BYOK AI Usage');
    let ready = false;
    const push = (): void => { if (ready) void this.post(panel); };
    // New requests re-read the ledger, at most every two seconds while answers stream in.
    const changed = (): void => {
      if (this.staleTimer) return;
      this.staleTimer = setTimeout(() => { this.staleTimer = undefined; this.records = undefined; push(); }, 2_000);
    };
    const subscriptions = [
      this.cost.onDidChange(changed),
      panel.webview.onDidReceiveMessage(raw => {
        const message = parseUsageMessage(raw);
        if (!message) { this.log.warn('usage panel: dropped an invalid message'); return; }
        if (message.type === 'ready') { ready = true; push(); return; }
        if (message.type === 'usage/filter') { this.filter = toFilter(message.filter); push(); return; }
        void vscode.commands.executeCommand(usageCommands[message.command]);
      }),
    ];
    panel.onDidDispose(() => {
      for (const subscription of subscriptions) subscription.dispose();
      if (this.staleTimer) clearTimeout(this.staleTimer);
      this.staleTimer = undefined;
      this.records = undefined;
      this.panel = undefined;
    });
  }

  private async post(panel: vscode.WebviewPanel): Promise<void> {
    try {
      const service = await this.cost.get();
      this.records ??= service.records();
      const records = await this.records;
      const now = Date.now();
      const aggregate = aggregateUsage(records, this.filter, now);
      const label = (id: string): string => this.settings.describe(id)?.label ?? id;
      const current = workspaceId();
      const view: UsageView = {
        filter: this.filter,
        days: aggregate.days,
        providers: aggregate.providers.map(id => ({ id, label: label(id) })),
        spendByProvider: aggregate.spendByProvider,
        models: aggregate.models,
        totalUsd: aggregate.totalUsd,
        requests: aggregate.requests,
        unpricedRequests: aggregate.unpricedRequests,
        budgets: budgetBars(records, this.settings.budgetLimits(), now),
        choices: {
          workspaces: aggregate.choices.workspaces.map(id => ({ id, label: id === current ? 'This workspace' : `Workspace ${id}` })),
          providers: aggregate.choices.providers.map(id => ({ id, label: label(id) })),
          features: aggregate.choices.features,
        },
        priceData: service.priceInfo(),
      };
      const message: UsageHostToWebview = { type: 'usage/state', view };
      await panel.webview.postMessage(message);
    } catch (error) {
      this.records = undefined;
      this.log.error('usage panel: could not build the view', error);
    }
  }
}

function toFilter(message: UsageFilterMessage): UsageFilterMessage {
  return {
    days: message.days,
    ...(message.workspace ? { workspace: message.workspace } : {}),
    ...(message.provider ? { provider: message.provider } : {}),
    ...(message.feature ? { feature: message.feature } : {}),
  };
}

// Shows the selected provider and model, warns when its key is missing or failing, spins while a
// request streams. Clicking it opens the provider switcher. It only listens; it changes nothing.

import * as vscode from 'vscode';
import type { ProviderHub } from './providerHub';

export const statusItemId = 'byok.status';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private busy = false;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly hub: ProviderHub) {
    this.item = vscode.window.createStatusBarItem(statusItemId, vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'BYOK AI';
    this.item.command = 'byok.switchProvider';
    this.subscription = hub.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  /** The text shown, exposed for tests. */
  get text(): string {
    return this.item.text;
  }

  render(): void {
    const settings = this.hub.settings;
    const providerId = settings.selectedProviderId();
    const descriptor = settings.describe(providerId);
    const label = descriptor?.label ?? providerId;
    const model = settings.model(providerId);
    const state = this.hub.keyState(providerId);
    const icon = this.busy ? '$(loading~spin)' : state === 'missing' || state === 'failing' ? '$(warning)' : '$(key)';
    const shortModel = model.length > 28 ? `${model.slice(0, 27)}…` : model;
    this.item.text = `${icon} ${label}${shortModel ? ` · ${shortModel}` : ''}`;
    this.item.backgroundColor = state === 'missing' || state === 'failing' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const verify = this.hub.lastVerify(providerId);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**BYOK AI** — ${label}\n\n`);
    tooltip.appendMarkdown(`Model: \`${model || 'none selected'}\`\n\n`);
    tooltip.appendMarkdown(`Key: ${describeState(state)}${verify ? ` (checked ${new Date(verify.at).toLocaleTimeString()}, ${verify.latencyMs} ms)` : ''}\n\n`);
    if (verify?.error) tooltip.appendMarkdown(`Last error: ${escapeMarkdown(verify.error.message)}\n\n`);
    tooltip.appendMarkdown(this.busy ? 'A request is streaming.\n\n' : '');
    tooltip.appendMarkdown('Click to switch provider or model.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `BYOK AI: ${label}, ${model}, key ${describeState(state)}`, role: 'button' };
  }
}

function describeState(state: string): string {
  switch (state) {
    case 'missing': return 'missing';
    case 'failing': return 'failing';
    case 'verified': return 'verified';
    case 'not-needed': return 'not needed';
    default: return 'set, not verified yet';
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

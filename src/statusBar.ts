// Shows the selected provider and model, warns when it cannot be used (no key, a failing key, a
// failing key store), spins while a request streams. Clicking it opens the provider switcher.
// It only listens; it changes nothing.

import * as vscode from 'vscode';
import type { Settings } from './config/settings';
import { presentError } from './errorPresentation';
import type { ProviderState } from './providerState/store';
import { describeKeyState, describeUnusable } from './providerState/usable';
import { createStatusItem } from './statusItem';

export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private busy = false;
  private readonly subscription: vscode.Disposable;
  private tooltipMarkdown = '';
  private spendLine: (() => string | undefined) | undefined;

  /**
   * `spendLine`: the cost area's line for the tooltip (the same as a later `setSpendLine`, without a
   * second render). `item`: the one activation created (a new one otherwise).
   */
  constructor(
    private readonly providers: ProviderState, private readonly settings: Pick<Settings, 'selectedProviderId' | 'model'>,
    spendLine?: () => string | undefined, item: vscode.StatusBarItem = createStatusItem(),
  ) {
    this.spendLine = spendLine;
    this.item = item;
    this.subscription = providers.onDidChange(() => this.render());
    this.render();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  /** The cost area's spend line (today, this month, budget left), shown in the tooltip when it has one. */
  setSpendLine(line: () => string | undefined): void {
    this.spendLine = line;
    this.render();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.render();
  }

  /** The text shown, exposed for tests. */
  get text(): string {
    return this.item.text;
  }

  /** The tooltip's Markdown source, exposed for tests. */
  get tooltip(): string {
    return this.tooltipMarkdown;
  }

  render(): void {
    const providerId = this.settings.selectedProviderId();
    const label = this.providers.catalog.label(providerId);
    const model = this.settings.model(providerId);
    const state = this.providers.keyState(providerId);
    const usability = this.providers.usability(providerId);
    const warn = !usability.usable || state === 'failing';
    const icon = this.busy ? '$(loading~spin)' : warn ? '$(warning)' : '$(key)';
    const shortModel = model.length > 28 ? `${model.slice(0, 27)}…` : model;
    this.item.text = `${icon} ${label}${shortModel ? ` · ${shortModel}` : ''}`;
    this.item.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const verify = this.providers.lastVerify(providerId);
    const keySetOn = this.providers.keySetOn(providerId);
    const lines = [`**BYOK AI** — ${escapeMarkdown(label)}`, `Model: \`${model || 'none selected'}\``];
    lines.push(`Key: ${describeKeyState(state)}${keySetOn ? `, set ${keySetOn}` : ''}${verify ? ` (checked ${new Date(verify.at).toLocaleTimeString()}, ${verify.latencyMs} ms)` : ''}`);
    const storeFailure = state === 'store-failed' ? this.providers.keyStoreFailure() : undefined;
    if (storeFailure) {
      const info = presentError(storeFailure);
      lines.push(`**${info.title}:** ${escapeMarkdown(info.message)}`, `Fix: ${escapeMarkdown(info.fix)}`);
    } else if (!usability.usable) {
      lines.push(escapeMarkdown(describeUnusable(usability.reason, label)));
    }
    if (verify?.error && !storeFailure) lines.push(`Last error: ${escapeMarkdown(verify.error.message)}`);
    const spend = this.spendLine?.();
    if (spend) lines.push(escapeMarkdown(spend));
    if (this.busy) lines.push('A request is streaming.');
    lines.push('Click to switch provider or model.');
    this.tooltipMarkdown = lines.join('\n\n');
    const tooltip = new vscode.MarkdownString(this.tooltipMarkdown, true);
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `BYOK AI: ${label}, ${model}, key ${describeKeyState(state)}`, role: 'button' };
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

// The Providers view: one card per provider and custom endpoint, like a control panel. Every
// button runs the same command the palette offers, so there is one code path per action.

import * as vscode from 'vscode';
import { errorInfo } from '../chat/chatController';
import type { Log } from '../log';
import type { ProviderHub } from '../providerHub';
import { customProviderPrefix } from '../providers/registry';
import { renderWebviewHtml, webviewOptions } from './html';
import { parseWebviewMessage, type HostToWebview, type ProviderAction, type ProviderCard, type WebviewToHost } from './protocol';

export const providersViewId = 'byok.providersView';

const actionCommands: Record<Exclude<ProviderAction, 'select'>, string> = {
  setKey: 'byok.setKey',
  deleteKey: 'byok.deleteKey',
  activate: 'byok.activateProvider',
  deactivate: 'byok.deactivateProvider',
  verify: 'byok.verifyProvider',
  refreshModels: 'byok.refreshModels',
  openDashboard: 'byok.openDashboard',
  editEndpoint: 'byok.editCustomEndpoint',
  removeEndpoint: 'byok.removeCustomEndpoint',
};

export function buildProviderCards(hub: ProviderHub): ProviderCard[] {
  const settings = hub.settings;
  const selected = settings.selectedProviderId();
  return settings.allProviders().map(descriptor => {
    const verify = hub.lastVerify(descriptor.id);
    const busy = hub.busyState(descriptor.id);
    return {
      id: descriptor.id,
      label: descriptor.label,
      custom: descriptor.id.startsWith(customProviderPrefix),
      keyState: hub.keyState(descriptor.id),
      keyRequired: descriptor.quirks.keyRequired,
      enabled: settings.isEnabled(descriptor.id),
      selected: descriptor.id === selected,
      model: settings.model(descriptor.id),
      models: hub.knownModels(descriptor.id).map(option => ({ id: option.id, label: option.label, live: option.live })),
      dashboardUrl: descriptor.dashboardUrl,
      baseUrl: settings.baseUrl(descriptor.id) ?? descriptor.defaultBaseUrl,
      ...(verify ? { verify: { ok: verify.ok, latencyMs: verify.latencyMs, at: verify.at, ...(verify.modelCount !== undefined ? { modelCount: verify.modelCount } : {}), ...(verify.error ? { error: errorInfo(verify.error) } : {}) } } : {}),
      ...(busy ? { busy } : {}),
    };
  });
}

export class ProvidersViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly hub: ProviderHub, private readonly log: Log) {}

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, 'providers', 'BYOK AI Providers');
    let ready = false;
    const push = (): void => {
      if (!ready) return;
      const message: HostToWebview = { type: 'providers/state', cards: buildProviderCards(this.hub) };
      void view.webview.postMessage(message);
    };
    const subscriptions = [
      this.hub.onDidChange(push),
      view.webview.onDidReceiveMessage(raw => {
        const parsed = parseWebviewMessage(raw);
        if (!parsed.ok) {
          this.log.warn(`providers view: dropped an invalid message (${parsed.reason})`);
          return;
        }
        if (parsed.message.type === 'ready') {
          ready = true;
          void this.hub.refreshKeyPresence().then(push);
          return;
        }
        this.handle(parsed.message).catch(error => this.log.error(`providers view: ${parsed.message.type} failed`, error));
      }),
    ];
    this.disposables.push(...subscriptions);
    view.onDidDispose(() => { for (const subscription of subscriptions) subscription.dispose(); });
  }

  private async handle(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'provider/action':
        if (message.action === 'select') {
          if (message.model) await vscode.commands.executeCommand('byok.selectModel', message.providerId, message.model);
          else await vscode.commands.executeCommand('byok.switchProvider', message.providerId);
          return;
        }
        await vscode.commands.executeCommand(actionCommands[message.action], message.providerId);
        return;
      case 'provider/addEndpoint':
        await vscode.commands.executeCommand('byok.addCustomEndpoint');
        return;
      case 'provider/verifyAll':
        await vscode.commands.executeCommand('byok.verifyAll');
        return;
      default:
        this.log.warn(`providers view: ignored ${message.type}, which belongs to another view`);
    }
  }
}

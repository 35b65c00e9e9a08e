// The Providers view: one card per provider and custom endpoint, like a control panel. Every
// button runs the same command the palette offers, so there is one code path per action.

import * as vscode from 'vscode';
import { runErrorAction } from '../commands/showError';
import type { Settings } from '../config/settings';
import { presentError } from '../errorPresentation';
import type { Log } from '../log';
import type { ProviderState } from '../providerState/store';
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

export type CardSettings = Pick<Settings, 'selectedProviderId' | 'isEnabled' | 'model' | 'baseUrl'>;

export function buildProviderCards(providers: ProviderState, settings: CardSettings): ProviderCard[] {
  const selected = settings.selectedProviderId();
  return providers.catalog.all().map(descriptor => {
    const verify = providers.lastVerify(descriptor.id);
    const busy = providers.busyState(descriptor.id);
    const keyState = providers.keyState(descriptor.id);
    const keySetOn = providers.keySetOn(descriptor.id);
    const storeFailure = keyState === 'store-failed' ? providers.keyStoreFailure() : undefined;
    return {
      id: descriptor.id,
      label: descriptor.label,
      custom: providers.catalog.isCustom(descriptor.id),
      keyState,
      keyRequired: descriptor.quirks.keyRequired,
      enabled: settings.isEnabled(descriptor.id),
      selected: descriptor.id === selected,
      model: settings.model(descriptor.id),
      models: providers.knownModels(descriptor.id).map(option => ({ id: option.id, label: option.label, live: option.live })),
      dashboardUrl: descriptor.dashboardUrl,
      baseUrl: settings.baseUrl(descriptor.id) ?? descriptor.defaultBaseUrl,
      ...(verify ? { verify: { ok: verify.ok, latencyMs: verify.latencyMs, at: verify.at, ...(verify.modelCount !== undefined ? { modelCount: verify.modelCount } : {}), ...(verify.error ? { error: presentError(verify.error, descriptor.dashboardUrl) } : {}) } } : {}),
      ...(busy ? { busy } : {}),
      ...(keySetOn ? { keySetOn } : {}),
      ...(storeFailure ? { keyError: presentError(storeFailure) } : {}),
    };
  });
}

/** The whole state message of the view: the cards and the problems in the provider settings. */
export function buildProvidersState(providers: ProviderState, settings: CardSettings): HostToWebview {
  const problems = providers.catalog.problems();
  return { type: 'providers/state', cards: buildProviderCards(providers, settings), ...(problems.length ? { problems } : {}) };
}

export class ProvidersViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly providers: ProviderState, private readonly settings: CardSettings, private readonly log: Log) {}

  /** The state the view shows now, exposed for in-host tests. */
  currentState(): HostToWebview {
    return buildProvidersState(this.providers, this.settings);
  }

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, 'providers', 'BYOK AI Providers');
    let ready = false;
    const push = (): void => {
      if (!ready) return;
      void view.webview.postMessage(this.currentState());
    };
    const subscriptions = [
      this.providers.onDidChange(push),
      view.webview.onDidReceiveMessage(raw => {
        const parsed = parseWebviewMessage(raw);
        if (!parsed.ok) {
          this.log.warn(`providers view: dropped an invalid message (${parsed.reason})`);
          return;
        }
        if (parsed.message.type === 'ready') {
          ready = true;
          void this.providers.refreshKeyPresence().then(push);
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
      case 'error/action':
        // The key-store card offers "how to fix"; other error actions run the same commands.
        await runErrorAction(message.action, message.providerId);
        return;
      default:
        this.log.warn(`providers view: ignored ${message.type}, which belongs to another view`);
    }
  }
}

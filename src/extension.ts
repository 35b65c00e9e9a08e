// Activation is a short wiring list: construct the few objects, register them, load no SDK.

import * as vscode from 'vscode';
import { ChatController } from './chat/chatController';
import { registerCommands } from './commands';
import { ConversationStore } from './config/conversationStore';
import { KeyStore } from './config/secrets';
import { Settings } from './config/settings';
import { SelectionCodeActions } from './commands/editorCommands';
import { RefactorPreviewDocuments } from './editing/refactorPreview';
import { createLog } from './log';
import { ProviderHub } from './providerHub';
import { Router } from './router';
import { StatusBar } from './statusBar';
import { ChatViewProvider, chatViewId } from './webview/chatViewProvider';
import { ProvidersViewProvider, providersViewId } from './webview/providersViewProvider';

/** What tests and other extensions can reach. Never exposes a key. */
export interface ByokApi {
  hub: ProviderHub;
  router: Router;
  chat: ChatController;
  statusBar: StatusBar;
  chatView: ChatViewProvider;
  /** Where the extension writes, so tests can check that no key ever lands there. */
  directories: { log: string; storage: string; globalStorage: string };
  activatedAt: { start: number; end: number };
  /** Provider SDK bundles already loaded when activation finished: must be none. */
  sdkModulesAtActivation: string[];
}

export function activate(context: vscode.ExtensionContext): ByokApi {
  const start = performance.now();
  try {
    const log = createLog();
    const settings = new Settings();
    const keys = new KeyStore(context.secrets);
    const hub = new ProviderHub(settings, keys);
    const router = new Router(hub.routerDependencies());
    const statusBar = new StatusBar(hub);
    const storage = context.storageUri ?? context.globalStorageUri;
    const chat = new ChatController({
      store: new ConversationStore(vscode.Uri.joinPath(storage, 'conversations').fsPath),
      router,
      systemPrompt: () => settings.systemPrompt(),
      maxOutputTokens: () => settings.maxOutputTokens(),
      currentChoice: () => {
        const providerId = settings.selectedProviderId();
        const descriptor = settings.describe(providerId);
        if (!descriptor) return undefined;
        return { providerId, providerLabel: descriptor.label, model: settings.model(providerId), hasKey: hub.hasKey(providerId) || !hub.keyRequired(providerId) };
      },
      onBusyChange: busy => statusBar.setBusy(busy),
      log: message => log.info(message),
    });
    const chatView = new ChatViewProvider(context.extensionUri, chat, log);
    const providersView = new ProvidersViewProvider(context.extensionUri, hub, log);
    const previews = new RefactorPreviewDocuments();
    context.subscriptions.push(
      log, settings, keys, hub, statusBar, chatView, providersView, previews,
      vscode.window.registerWebviewViewProvider(chatViewId, chatView, { webviewOptions: { retainContextWhenHidden: true } }),
      vscode.window.registerWebviewViewProvider(providersViewId, providersView),
      ...registerCommands({ context, hub, router, chat, chatView, log, previews }),
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new SelectionCodeActions(), { providedCodeActionKinds: SelectionCodeActions.kinds }),
      vscode.languages.registerCodeActionsProvider({ scheme: 'untitled' }, new SelectionCodeActions(), { providedCodeActionKinds: SelectionCodeActions.kinds }),
      hub.onDidChange(() => chat.sendChoice()),
      { dispose: () => { chat.cancelAll(); } },
    );
    void hub.refreshKeyPresence().then(() => { statusBar.render(); chat.sendChoice(); });
    showSidebarOnFirstRun(context);
    for (const problem of settings.problems) log.warn(problem);
    return { hub, router, chat, statusBar, chatView,
      directories: { log: context.logUri.fsPath, storage: storage.fsPath, globalStorage: context.globalStorageUri.fsPath },
      activatedAt: { start, end: performance.now() },
      sdkModulesAtActivation: Object.keys(require.cache).filter(file => /[\\/]dist[\\/]vendor[\\/]/.test(file)),
    };
  } catch (error) {
    void vscode.window.showErrorMessage(`BYOK AI failed to start: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

/** The first time BYOK AI runs, show its sidebar once so the user finds the chat and setup. */
function showSidebarOnFirstRun(context: vscode.ExtensionContext): void {
  const introduced = 'byok.introduced';
  if (context.globalState.get<boolean>(introduced)) return;
  void context.globalState.update(introduced, true);
  void vscode.commands.executeCommand('workbench.view.extension.byok');
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

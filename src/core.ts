// Everything BYOK AI needs only once it is used: the router, the chat (controller, conversation
// store, view), the Providers view, the usage dashboard, prompt presets, refactor previews and the
// command handlers.
// esbuild builds this file as its own chunk, dist/core.js, which src/extension.ts requires on first
// use (a command, a view being resolved, a test reading `api.chat`), so activation neither parses nor
// runs this code. Modules the services chunk or the host bundle also use (settings, provider state, …)
// are their instances, not copies (see lazyChunks in esbuild.mjs).

import * as vscode from 'vscode';
import { ChatController } from './chat/chatController';
import { ConversationStore } from './chat/conversationStore';
import { commandHandlers, type CommandHandler } from './commands';
import { RefactorPreviewDocuments } from './editing/refactorPreview';
import { PresetLibrary } from './presets/presetLibrary';
import { runPreset } from './presets/runPreset';
import { Router } from './router';
import type { Services } from './services';
import { ChatViewProvider } from './webview/chatViewProvider';
import { ProvidersViewProvider } from './webview/providersViewProvider';
import { UsagePanel } from './webview/usagePanel';

/** What activation and the services built and hand to the core: the objects all sides share. */
export interface CoreHost extends Pick<Services, 'log' | 'settings' | 'keys' | 'catalog' | 'providers' | 'statusBar' | 'cost'> {
  context: vscode.ExtensionContext;
  /** Where conversations are saved (workspace storage, or global storage without a folder). */
  storage: vscode.Uri;
}

export interface Core extends vscode.Disposable {
  router: Router;
  chat: ChatController;
  chatView: ChatViewProvider;
  providersView: ProvidersViewProvider;
  usagePanel: UsagePanel;
  presets: PresetLibrary;
  /** The wrapped handler of a command in the command table (undefined for an unknown id). */
  command(id: string): CommandHandler | undefined;
}

export function createCore(host: CoreHost): Core {
  const { context, log, settings, keys, catalog, providers, statusBar, cost, storage } = host;
  // Failing price / afterSettle hooks never break a turn; they are reported here.
  const router = new Router({ ...providers.routerDependencies(), log: message => log.warn(message) });
  const costHooks = router.use(cost.hooks);
  const usagePanel = new UsagePanel(context.extensionUri, cost, settings, log);
  const chat = new ChatController({
    store: new ConversationStore(vscode.Uri.joinPath(storage, 'conversations').fsPath, { onError: message => log.warn(message) }),
    router,
    systemPrompt: () => settings.systemPrompt(),
    maxOutputTokens: () => settings.maxOutputTokens(),
    currentChoice: () => {
      const providerId = settings.selectedProviderId();
      const descriptor = catalog.describe(providerId);
      if (!descriptor) return undefined;
      return { providerId, providerLabel: descriptor.label, model: settings.model(providerId), hasKey: providers.usable(providerId) };
    },
    onBusyChange: busy => statusBar.setBusy(busy),
    dashboardUrl: providerId => settings.describe(providerId)?.dashboardUrl,
    log: message => log.info(message),
  });
  const chatView = new ChatViewProvider(context.extensionUri, chat, log);
  const providersView = new ProvidersViewProvider(context.extensionUri, providers, settings, log);
  const previews = new RefactorPreviewDocuments();
  // Presets: nothing is read here; the library reads its folders on first use.
  const presets = new PresetLibrary({ globalStorage: context.globalStorageUri, hiddenBuiltIns: () => settings.hiddenBuiltInPresets(), onDidChangeSettings: settings.onDidChange, log });
  const commandContext = { extension: context, settings, keys, catalog, providers, router, chat, chatView, log, previews, cost, usagePanel, presets };
  chatView.usePresets({
    summaries: () => presets.summaries(),
    onDidChange: presets.onDidChange,
    send: async (requestId, name, args) => {
      const preset = await presets.find(name);
      if (!preset) return { ran: false, reason: `There is no preset named /${name} (any more).`, restoreDraft: true };
      return runPreset(commandContext, preset, args, { requestId, from: 'chat' });
    },
  });
  const handlers = commandHandlers(commandContext);
  const disposables: vscode.Disposable[] = [
    presets, costHooks, usagePanel, chatView, providersView, previews,
    providers.onDidChange(() => chat.sendChoice()),
    { dispose: () => { chat.cancelAll(); } },
  ];
  return {
    router, chat, chatView, providersView, usagePanel, presets,
    command: id => handlers.get(id),
    dispose: () => { for (const disposable of disposables.splice(0).reverse()) disposable.dispose(); },
  };
}

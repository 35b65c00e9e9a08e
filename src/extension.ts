// Activation is a short wiring list: it registers the views, the commands, the status bar and the
// listeners, and loads nothing else. The router, the chat, the views' HTML, the command handlers and
// the usage dashboard live in src/core.ts, built as its own chunk (dist/core.js) and required on first
// use: a command run, a view resolved, a test reading `api.chat`. No SDK loads either (dist/vendor/).

import * as vscode from 'vscode';
import { SelectionCodeActions } from './commands/selectionCodeActions';
import { KeyDates } from './config/keyDates';
import { KeyStore } from './config/secrets';
import { Settings } from './config/settings';
import type { Core, CoreHost } from './core';
import { CostHost } from './cost/costHost';
import { FirstRunLayout } from './firstRunLayout';
import { registerByokChatProvider } from './languageModels/byokChatProvider';
import { createLog } from './log';
import { ProviderCatalog } from './providerState/catalog';
import { ProviderNotices } from './providerState/notices';
import { ProviderState } from './providerState/store';
import type { Router } from './router';
import { StatusBar } from './statusBar';
import type { ChatController } from './chat/chatController';
import type { PresetLibrary } from './presets/presetLibrary';
import type { ChatViewProvider } from './webview/chatViewProvider';
import type { ProvidersViewProvider } from './webview/providersViewProvider';

/** The view ids of `contributes.views` (the providers in the core export the same constants). */
const chatViewId = 'byok.chatView';
const providersViewId = 'byok.providersView';

/** What tests and other extensions can reach. Never exposes a key. */
export interface ByokApi {
  settings: Settings;
  keys: KeyStore;
  catalog: ProviderCatalog;
  /** Key presence, verify results, model lists and the one `usable(id)` rule. */
  providers: ProviderState;
  statusBar: StatusBar;
  /** Cost, ledger and budgets (its modules and the price table load on first use). */
  cost: CostHost;
  /** These live in the core chunk: reading one loads it (like the first command would). */
  readonly providersView: ProvidersViewProvider;
  readonly router: Router;
  readonly chat: ChatController;
  readonly chatView: ChatViewProvider;
  /** Prompt presets (read on first use). */
  readonly presets: PresetLibrary;
  /** Where the extension writes, so tests can check that no key ever lands there. */
  directories: { log: string; storage: string; globalStorage: string };
  activatedAt: { start: number; end: number };
  /** Provider SDK bundles already loaded when activation finished: must be none. */
  sdkModulesAtActivation: string[];
  /** Lazily required chunks (dist/core.js, dist/adapters.js) already loaded when activation finished: must be none. */
  lazyChunksAtActivation: string[];
}

/** The core chunk, required (not imported) so that esbuild leaves it out of the activation bundle. */
function loadCore(): typeof import('./core') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use, see esbuild.mjs lazyChunks
  return require('./core') as typeof import('./core');
}

export function activate(context: vscode.ExtensionContext): ByokApi {
  const start = performance.now();
  try {
    const log = createLog();
    const settings = new Settings();
    const keys = new KeyStore(context.secrets, new KeyDates(context.globalState));
    const catalog = new ProviderCatalog(settings);
    // Verify goes through the router (in the core), so it is a turn like any other request.
    const providers = new ProviderState({ settings, catalog, keys, verifier: (providerId, options) => core().router.verify(providerId, options) });
    // Cost, ledger and budgets: the price table and the ledger file load on first use, not here.
    const cost = new CostHost(context, settings, log);
    const statusBar = new StatusBar(providers, settings, () => cost.summaryLine());
    const warmUp = setTimeout(() => cost.warmUp(), 5_000);
    warmUp.unref?.();
    const notices = new ProviderNotices(providers, settings, log);
    const storage = context.storageUri ?? context.globalStorageUri;

    const host: CoreHost = { context, log, settings, keys, catalog, providers, statusBar, cost, storage };
    let loaded: Core | undefined;
    const core = (): Core => {
      if (!loaded) {
        const started = performance.now();
        loaded = loadCore().createCore(host);
        log.info(`loaded the core in ${(performance.now() - started).toFixed(1)} ms`);
      }
      return loaded;
    };
    const runCommand = (id: string, args: unknown[]): unknown => {
      let handler;
      try {
        handler = core().command(id);
      } catch (error) {
        log.error(`BYOK AI could not load to run ${id}`, error);
        void vscode.window.showErrorMessage(`BYOK AI: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
      if (!handler) {
        log.error(`command ${id} is in package.json but not in the command table`);
        return undefined;
      }
      return handler(...args);
    };

    const commandIds = (context.extension.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map(each => each.command);

    context.subscriptions.push(
      log, settings, keys, catalog, providers, notices, statusBar,
      cost, cost.onDidChange(() => statusBar.render()), { dispose: () => clearTimeout(warmUp) },
      // Thin stubs: the real providers (and their HTML) load when VS Code first shows a view.
      vscode.window.registerWebviewViewProvider(chatViewId, { resolveWebviewView: view => core().chatView.resolveWebviewView(view) },
        { webviewOptions: { retainContextWhenHidden: true } }),
      vscode.window.registerWebviewViewProvider(providersViewId, { resolveWebviewView: view => core().providersView.resolveWebviewView(view) }),
      // Every command is registered now (the palette, keybindings and menus need it); its handler loads on first run.
      ...commandIds.map(id => vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(id, args))),
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new SelectionCodeActions(), { providedCodeActionKinds: SelectionCodeActions.kinds }),
      vscode.languages.registerCodeActionsProvider({ scheme: 'untitled' }, new SelectionCodeActions(), { providedCodeActionKinds: SelectionCodeActions.kinds }),
      { dispose: () => loaded?.dispose() },
    );
    const layout = new FirstRunLayout({
      state: context.globalState,
      selectedProviderUsable: () => providers.usable(settings.selectedProviderId()),
      onDidChangeProviders: providers.onDidChange,
      executeCommand: command => vscode.commands.executeCommand(command),
    });
    context.subscriptions.push(layout);
    // VS Code's chat and `vscode.lm` callers see our providers' models (vendor `byok`); requests go
    // through the router, which (with the rest of the core) loads on the first request.
    context.subscriptions.push(registerByokChatProvider({
      providers, get router() { return core().router; }, maxOutputTokens: () => settings.maxOutputTokens(),
    }));
    // The chat (once loaded) listens to provider changes itself, so this only renders the status bar.
    // Settings problems are shown once the keys are known: parsing the settings is not activation's work.
    void providers.refreshKeyPresence().then(() => { statusBar.render(); loaded?.chat.sendChoice(); layout.arrange(); notices.checkSettings(); });
    return {
      settings, keys, catalog, providers, statusBar, cost,
      get providersView() { return core().providersView; },
      get router() { return core().router; },
      get chat() { return core().chat; },
      get chatView() { return core().chatView; },
      get presets() { return core().presets; },
      directories: { log: context.logUri.fsPath, storage: storage.fsPath, globalStorage: context.globalStorageUri.fsPath },
      activatedAt: { start, end: performance.now() },
      sdkModulesAtActivation: Object.keys(require.cache).filter(file => /[\\/]dist[\\/]vendor[\\/]/.test(file)),
      lazyChunksAtActivation: Object.keys(require.cache).filter(file => /[\\/]dist[\\/](core|adapters)\.js$/.test(file)),
    };
  } catch (error) {
    void vscode.window.showErrorMessage(`BYOK AI failed to start: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

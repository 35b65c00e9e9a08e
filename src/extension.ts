// Activation is a short wiring list: it registers the views, the commands, the status bar item, the
// code actions and the Language Model vendor, and loads nothing else. Everything behind them is in
// lazily required chunks (see lazyChunks in esbuild.mjs):
// - src/services.ts (dist/services.js): settings, keys, provider state, cost, the status bar's real
//   state, notices, the first-run layout. Loaded on the tick after activate() returns, or sooner when
//   a command, a view, the Language Model API or `api.*` needs it.
// - src/core.ts (dist/core.js): the router, the chat, the views' HTML, the command handlers, the usage
//   dashboard. Loaded on first use: a command run, a view resolved, a request.
// No SDK loads either (dist/vendor/).

// Named imports from 'vscode' in every file of this bundle: see src/commands/selectionCodeActions.ts.
import { commands, languages, window, type ExtensionContext, type Uri } from 'vscode';
import { SelectionCodeActions } from './commands/selectionCodeActions';
import type { KeyStore } from './config/secrets';
import type { Settings } from './config/settings';
import type { Core } from './core';
import type { CostHost } from './cost/costHost';
import { registerLanguageModels } from './languageModels/registration';
import type { ProviderCatalog } from './providerState/catalog';
import type { ProviderState } from './providerState/store';
import type { Router } from './router';
import type { Services } from './services';
import type { StatusBar } from './statusBar';
import { createStatusItem } from './statusItem';
import type { ChatController } from './chat/chatController';
import type { PresetLibrary } from './presets/presetLibrary';
import type { ChatViewProvider } from './webview/chatViewProvider';
import type { ProvidersViewProvider } from './webview/providersViewProvider';

/** The view ids of `contributes.views` (the providers in the core export the same constants). */
const chatViewId = 'byok.chatView';
const providersViewId = 'byok.providersView';

/** What tests and other extensions can reach. Never exposes a key. Reading a member loads what it lives in. */
export interface ByokApi {
  readonly settings: Settings;
  readonly keys: KeyStore;
  readonly catalog: ProviderCatalog;
  /** Key presence, verify results, model lists and the one `usable(id)` rule. */
  readonly providers: ProviderState;
  readonly statusBar: StatusBar;
  /** Cost, ledger and budgets (its modules and the price table load on first use). */
  readonly cost: CostHost;
  readonly providersView: ProvidersViewProvider;
  readonly router: Router;
  readonly chat: ChatController;
  readonly chatView: ChatViewProvider;
  /** Prompt presets (read on first use). */
  readonly presets: PresetLibrary;
  /** Where the extension writes, so tests can check that no key ever lands there. */
  readonly directories: { log: string; storage: string; globalStorage: string };
  activatedAt: { start: number; end: number };
  /** Provider SDK bundles already loaded when activation finished: must be none. */
  sdkModulesAtActivation: string[];
  /** Lazily required chunks (dist/services.js, dist/core.js, …) already loaded when activation finished: must be none. */
  lazyChunksAtActivation: string[];
}

/* eslint-disable @typescript-eslint/no-require-imports -- synchronous loads on first use, see esbuild.mjs lazyChunks */
/** The chunks, required (not imported) so that esbuild leaves them out of the activation bundle. */
const loadServices = (): typeof import('./services') => require('./services') as typeof import('./services');
const loadCore = (): typeof import('./core') => require('./core') as typeof import('./core');
/* eslint-enable @typescript-eslint/no-require-imports */

/** The log line for a chunk loaded since `started`. */
function loadedIn(what: string, started: number): string {
  return `loaded ${what} in ${(performance.now() - started).toFixed(1)} ms`;
}

/**
 * Which of our lazily loaded bundles are already loaded: the SDKs (dist/vendor/) and the chunks
 * (dist/*.js but the activation bundle). One pass over the require cache, for the tests and the bench.
 */
function loadedLazyBundles(dist: string): { sdks: string[]; chunks: string[] } {
  const sdks: string[] = [];
  const chunks: string[] = [];
  for (const file of Object.keys(require.cache)) {
    if (!file.startsWith(dist)) continue;
    const rest = file.slice(dist.length + 1);
    if (/^vendor[\\/]/.test(rest)) sdks.push(file);
    else if (/^[^\\/]+\.js$/.test(rest) && rest !== 'extension.js') chunks.push(file);
  }
  return { sdks, chunks };
}

/** Where conversations are saved: workspace storage, or global storage without a folder. */
function conversationStorage(context: ExtensionContext): Uri {
  return context.storageUri ?? context.globalStorageUri;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function activate(context: ExtensionContext): ByokApi {
  const start = performance.now();
  try {
    const statusItem = createStatusItem();
    const languageModels = registerLanguageModels(() => services().languageModels);

    let loadedServices: Services | undefined;
    let loadedCore: Core | undefined;
    const services = (): Services => {
      if (!loadedServices) {
        const started = performance.now();
        loadedServices = loadServices().createServices({
          context, statusItem, core,
          languageModelsChanged: () => languageModels.changed(),
          // The chat (once loaded) listens to provider changes itself; key presence may also change its choice.
          onKeysKnown: () => loadedCore?.chat.sendChoice(),
        });
        loadedServices.log.info(loadedIn('the services', started));
      }
      return loadedServices;
    };
    const core = (): Core => {
      if (!loadedCore) {
        const { log, settings, keys, catalog, providers, statusBar, cost } = services();
        const started = performance.now();
        loadedCore = loadCore().createCore({ context, log, storage: conversationStorage(context), settings, keys, catalog, providers, statusBar, cost });
        log.info(loadedIn('the core', started));
      }
      return loadedCore;
    };
    const runCommand = (id: string, args: unknown[]): unknown => {
      let handler;
      try {
        handler = core().command(id);
      } catch (error) {
        loadedServices?.log.error(`BYOK AI could not load to run ${id}`, error);
        void window.showErrorMessage(`BYOK AI: ${describe(error)}`);
        return undefined;
      }
      if (!handler) {
        services().log.error(`command ${id} is in package.json but not in the command table`);
        return undefined;
      }
      return handler(...args);
    };
    // Reading the keys and settings and drawing the status bar's real state are startup work, not
    // activation: they run on the next tick (unless something above needed them first).
    const startup = setImmediate(() => {
      try {
        services();
      } catch (error) {
        const message = `BYOK AI failed to start: ${describe(error)}`;
        // The status bar must not keep saying "reading keys" when nothing will read them.
        statusItem.text = '$(error) BYOK AI';
        statusItem.tooltip = message;
        void window.showErrorMessage(message);
      }
    });

    const commandIds = (context.extension.packageJSON as { contributes: { commands: Array<{ command: string }> } }).contributes.commands.map(each => each.command);
    const selectionActions = new SelectionCodeActions();
    context.subscriptions.push(
      { dispose: () => { clearImmediate(startup); loadedCore?.dispose(); loadedServices?.dispose(); } },
      statusItem, languageModels,
      // Thin stubs: the real providers (and their HTML) load when VS Code first shows a view.
      window.registerWebviewViewProvider(chatViewId, { resolveWebviewView: view => core().chatView.resolveWebviewView(view) },
        { webviewOptions: { retainContextWhenHidden: true } }),
      window.registerWebviewViewProvider(providersViewId, { resolveWebviewView: view => core().providersView.resolveWebviewView(view) }),
      // Every command is registered now (the palette, keybindings and menus need it); its handler loads on first run.
      ...commandIds.map(id => commands.registerCommand(id, (...args: unknown[]) => runCommand(id, args))),
      languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], selectionActions, { providedCodeActionKinds: SelectionCodeActions.kinds }),
    );
    const activatedAt = { start, end: performance.now() };
    const loaded = loadedLazyBundles(context.asAbsolutePath('dist'));
    return {
      get settings() { return services().settings; },
      get keys() { return services().keys; },
      get catalog() { return services().catalog; },
      get providers() { return services().providers; },
      get statusBar() { return services().statusBar; },
      get cost() { return services().cost; },
      get providersView() { return core().providersView; },
      get router() { return core().router; },
      get chat() { return core().chat; },
      get chatView() { return core().chatView; },
      get presets() { return core().presets; },
      get directories() {
        return { log: context.logUri.fsPath, storage: conversationStorage(context).fsPath, globalStorage: context.globalStorageUri.fsPath };
      },
      activatedAt,
      sdkModulesAtActivation: loaded.sdks,
      lazyChunksAtActivation: loaded.chunks,
    };
  } catch (error) {
    void window.showErrorMessage(`BYOK AI failed to start: ${describe(error)}`);
    throw error;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

// What runs once activation has registered everything: the settings, the key store, the provider
// state, cost, the status bar's real state, one-time notices, the first-run layout and the Language
// Model provider. esbuild builds this file as its own chunk, dist/services.js; src/extension.ts
// requires it on the tick after activate() returns (or sooner, when a command, a view or the API
// needs it), so activation neither parses nor runs this code. The core (dist/core.js) takes these
// very instances (see lazyChunks in esbuild.mjs).

import * as vscode from 'vscode';
import { KeyDates } from './config/keyDates';
import { KeyStore } from './config/secrets';
import { Settings } from './config/settings';
import type { Core } from './core';
import { CostHost } from './cost/costHost';
import { FirstRunLayout } from './firstRunLayout';
import { ByokChatProvider } from './languageModels/byokChatProvider';
import { createLog, type Log } from './log';
import { ProviderCatalog } from './providerState/catalog';
import { ProviderNotices } from './providerState/notices';
import { ProviderState } from './providerState/store';
import { StatusBar } from './statusBar';

/** What activation hands over. */
export interface ServicesHost {
  context: vscode.ExtensionContext;
  /** The status bar item activation created (with a placeholder); the status bar draws on it. */
  statusItem: vscode.StatusBarItem;
  /** The core, loaded on first use: verify and Language Model requests go through its router. */
  core(): Core;
  /** Fires the Language Model registration's change event. */
  languageModelsChanged(): void;
  /** Runs once key presence is known. */
  onKeysKnown(): void;
}

export interface Services extends vscode.Disposable {
  /** The extension's one log (its output channel is created with the first line). */
  log: Log;
  settings: Settings;
  keys: KeyStore;
  catalog: ProviderCatalog;
  /** Key presence, verify results, model lists and the one `usable(id)` rule. */
  providers: ProviderState;
  statusBar: StatusBar;
  /** Cost, ledger and budgets (the price table and the ledger file load on first use). */
  cost: CostHost;
  /** The Language Model provider the activation's registration forwards to. */
  languageModels: ByokChatProvider;
}

export function createServices(host: ServicesHost): Services {
  const { context } = host;
  const log = createLog();
  const settings = new Settings();
  const keys = new KeyStore(context.secrets, new KeyDates(context.globalState));
  const catalog = new ProviderCatalog(settings);
  // Verify goes through the router (in the core), so it is a turn like any other request.
  const providers = new ProviderState({ settings, catalog, keys, verifier: (providerId, options) => host.core().router.verify(providerId, options) });
  const cost = new CostHost(context, settings, log);
  const statusBar = new StatusBar(providers, settings, () => cost.summaryLine(), host.statusItem);
  // The spend line in the tooltip needs the ledger: read it a little later, off the startup path.
  const warmUp = setTimeout(() => cost.warmUp(), 5_000);
  warmUp.unref?.();
  const notices = new ProviderNotices(providers, settings, log);
  const layout = new FirstRunLayout({
    state: context.globalState,
    selectedProviderUsable: () => providers.usable(settings.selectedProviderId()),
    onDidChangeProviders: providers.onDidChange,
    executeCommand: command => vscode.commands.executeCommand(command),
  });
  // VS Code's chat and `vscode.lm` callers see our providers' models; requests go through the router.
  const languageModels = new ByokChatProvider({
    providers, get router() { return host.core().router; }, maxOutputTokens: () => settings.maxOutputTokens(), changed: host.languageModelsChanged,
  });
  const disposables: vscode.Disposable[] = [
    settings, keys, catalog, providers, notices, statusBar, cost, cost.onDidChange(() => statusBar.render()),
    { dispose: () => clearTimeout(warmUp) }, layout, languageModels, log,
  ];
  // Settings problems are shown once the keys are known: parsing the settings is not startup's work.
  void providers.refreshKeyPresence().then(() => { statusBar.render(); host.onKeysKnown(); layout.arrange(); notices.checkSettings(); });
  return {
    log, settings, keys, catalog, providers, statusBar, cost, languageModels,
    dispose: () => { for (const disposable of disposables.splice(0)) disposable.dispose(); },
  };
}

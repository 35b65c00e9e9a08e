import type * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import type { KeyStore } from '../config/secrets';
import type { Settings } from '../config/settings';
import type { RefactorPreviewDocuments } from '../editing/refactorPreview';
import type { Log } from '../log';
import type { ProviderCatalog } from '../providerState/catalog';
import type { ProviderState } from '../providerState/store';
import type { Router } from '../router';
import type { ChatViewProvider } from '../webview/chatViewProvider';
import type { CostHost } from '../cost/costHost';
import type { UsagePanel } from '../webview/usagePanel';
import type { PresetLibrary } from '../presets/presetLibrary';

/** The one context every command handler receives; built once in `activate`. */
export interface CommandContext {
  extension: vscode.ExtensionContext;
  settings: Settings;
  keys: KeyStore;
  /** Which providers exist (registry + custom endpoints). */
  catalog: ProviderCatalog;
  /** Key presence, verify results, model lists, busy flags and the one `usable(id)` rule. */
  providers: ProviderState;
  router: Router;
  chat: ChatController;
  chatView: ChatViewProvider;
  log: Log;
  previews: RefactorPreviewDocuments;
  /** Cost, ledger and budgets (loaded on first use) and the usage dashboard. */
  cost: CostHost;
  usagePanel: UsagePanel;
  /** Prompt presets (slash commands), read on first use. */
  presets: PresetLibrary;
}

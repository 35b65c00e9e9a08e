import type * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import type { RefactorPreviewDocuments } from '../editing/refactorPreview';
import type { Log } from '../log';
import type { ProviderHub } from '../providerHub';
import type { Router } from '../router';
import type { ChatViewProvider } from '../webview/chatViewProvider';

/** What command handlers may use; built once in `activate`. */
export interface CommandDependencies {
  context: vscode.ExtensionContext;
  hub: ProviderHub;
  router: Router;
  chat: ChatController;
  chatView: ChatViewProvider;
  log: Log;
  previews: RefactorPreviewDocuments;
}

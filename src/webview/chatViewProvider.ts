// The sidebar chat view: hands validated webview messages to the chat controller and the host
// actions. Invalid messages are dropped and logged; nothing is posted before the view's `ready`.

import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { describeFile, describeSelection } from '../editorContext';
import type { Log } from '../log';
import { renderWebviewHtml, webviewOptions } from './html';
import { runErrorCommand } from '../commands/showError';
import { runAnswerButton } from './hostActions';
import { parseWebviewMessage, type ErrorAction, type HostToWebview, type PresetSummary, type WebviewToHost } from './protocol';

/** What the chat view needs from the preset library (src/presets), wired in by `activate`. */
export interface ChatPresetHooks {
  /** The `/` menu's entries; reads the preset files on first use. */
  summaries(): Promise<PresetSummary[]>;
  onDidChange: vscode.Event<void>;
  /** Expands and sends a slash command; a refusal says why nothing was sent. */
  send(requestId: string, name: string, args: string): Promise<{ ran: true } | { ran: false; reason: string; restoreDraft: boolean }>;
}

export const chatViewId = 'byok.chatView';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private presets: ChatPresetHooks | undefined;
  /** Set once the view asked for the presets: from then on it gets the list again on every change. */
  private presetsWatched: vscode.Disposable | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly chat: ChatController, private readonly log: Log) {}

  dispose(): void {
    this.presetsWatched?.dispose();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  usePresets(hooks: ChatPresetHooks): void {
    this.presets = hooks;
  }

  get isResolved(): boolean {
    return this.view !== undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.extensionUri);
    view.webview.html = renderWebviewHtml(view.webview, this.extensionUri, 'chat', 'BYOK AI Chat');
    const post = (message: HostToWebview): void => { void view.webview.postMessage(message); };
    this.disposables.push(
      view.webview.onDidReceiveMessage(raw => {
        const parsed = parseWebviewMessage(raw);
        if (!parsed.ok) {
          this.log.warn(`chat view: dropped an invalid message (${parsed.reason})`);
          return;
        }
        this.handle(parsed.message, post).catch(error => this.log.error(`chat view: ${parsed.message.type} failed`, error));
      }),
      view.onDidDispose(() => {
        this.presetsWatched?.dispose();
        this.presetsWatched = undefined;
        this.chat.disconnect(post);
        if (this.view === view) this.view = undefined;
      }),
    );
  }

  /** Shows the view and focuses its input. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${chatViewId}.focus`);
  }

  private async handle(message: WebviewToHost, post: (message: HostToWebview) => void): Promise<void> {
    switch (message.type) {
      case 'ready':
        await this.chat.connect(post);
        return;
      case 'chat/send':
        await this.chat.send(message.requestId, message.text);
        return;
      case 'chat/send-preset': {
        const outcome = this.presets
          ? await this.presets.send(message.requestId, message.name, message.arguments)
          : { ran: false as const, reason: 'Presets are not available.', restoreDraft: true };
        if (!outcome.ran) post({ type: 'presets/refused', requestId: message.requestId, reason: outcome.reason, restoreDraft: outcome.restoreDraft });
        return;
      }
      case 'presets/request':
        await this.postPresets(post);
        this.presetsWatched ??= this.presets?.onDidChange(() => { void this.postPresets(post); });
        return;
      case 'presets/save':
        await vscode.commands.executeCommand('byok.saveAsPreset', message.text);
        return;
      case 'chat/cancel':
        this.chat.cancel(message.requestId);
        return;
      case 'chat/retry':
        await this.chat.retry(message.requestId);
        return;
      case 'chat/new':
        await this.chat.newChat();
        return;
      case 'chat/open':
        await this.chat.open(message.conversationId);
        return;
      case 'chat/history':
        await this.chat.showHistory();
        return;
      case 'chat/rename':
        await vscode.commands.executeCommand('byok.renameChat', message.conversationId);
        return;
      case 'chat/delete':
        await vscode.commands.executeCommand('byok.deleteChat', message.conversationId);
        return;
      case 'chat/export':
        await vscode.commands.executeCommand('byok.exportChat', message.conversationId);
        return;
      case 'context/attach':
        this.attachFromEditor(message.kind);
        return;
      case 'context/remove':
        this.chat.removeAttachment(message.attachmentId);
        return;
      case 'model/pick':
        await vscode.commands.executeCommand('byok.switchProvider');
        return;
      case 'code/action':
      case 'link/open':
        await runAnswerButton(message);
        return;
      case 'error/action':
        await this.runErrorAction(message.action, message.providerId, message.requestId);
        return;
      case 'chat/compare':
        await vscode.commands.executeCommand('byok.compareModels', { prompt: message.text });
        return;
      default:
        this.log.warn(`chat view: ignored ${message.type}, which belongs to another view`);
    }
  }

  private async postPresets(post: (message: HostToWebview) => void): Promise<void> {
    if (this.presets) post({ type: 'presets/list', presets: await this.presets.summaries() });
  }

  /** An error box button. Retry and "send anyway" re-run the failed answer named by `requestId`. */
  private async runErrorAction(action: ErrorAction, providerId: string, requestId: string | undefined): Promise<void> {
    if (action === 'retry' || action === 'sendAnyway') {
      if (!requestId) {
        this.log.warn(`chat view: ${action} without the failed answer's requestId was ignored`);
        return;
      }
      await (action === 'retry' ? this.chat.retry(requestId) : this.chat.sendAnyway(requestId));
      return;
    }
    await runErrorCommand(action, providerId);
  }

  private attachFromEditor(kind: 'selection' | 'file'): void {
    const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
    if (!editor) {
      void vscode.window.showInformationMessage('Open a file to attach it, or select code in it first.');
      return;
    }
    const context = kind === 'selection' ? describeSelection(editor) : describeFile(editor);
    if (!context) {
      void vscode.window.showInformationMessage('Select some code first, then attach the selection.');
      return;
    }
    this.chat.attach({ kind, label: context.label, content: context.content });
  }
}

// The sidebar chat view: hands validated webview messages to the chat controller and the host
// actions. Invalid messages are dropped and logged; nothing is posted before the view's `ready`.

import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController';
import { describeFile, describeSelection } from '../editorContext';
import type { Log } from '../log';
import { renderWebviewHtml, webviewOptions } from './html';
import { openLink, runCodeAction } from './hostActions';
import { parseWebviewMessage, type ErrorAction, type HostToWebview, type WebviewToHost } from './protocol';

export const chatViewId = 'byok.chatView';

const errorActionCommands: Record<Exclude<ErrorAction, 'retry'>, string> = {
  setKey: 'byok.setKey',
  verify: 'byok.verifyProvider',
  switchProvider: 'byok.switchProvider',
  openDashboard: 'byok.openDashboard',
};

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly chat: ChatController, private readonly log: Log) {}

  dispose(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
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
        await this.chat.sendFullState();
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
        await runCodeAction(message.action, message.code, message.language);
        return;
      case 'link/open':
        await openLink(message.href);
        return;
      case 'error/action':
        if (message.action !== 'retry') await vscode.commands.executeCommand(errorActionCommands[message.action], message.providerId);
        return;
      default:
        this.log.warn(`chat view: ignored ${message.type}, which belongs to another view`);
    }
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

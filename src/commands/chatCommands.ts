// Chat commands: open, new, stop, rename, delete and export conversations.

import * as vscode from 'vscode';
import { conversationToMarkdown } from '../chat/exportMarkdown';
import type { CommandContext } from './types';

export async function exportChat(dependencies: CommandContext, argument?: unknown): Promise<vscode.Uri | undefined> {
  const conversation = typeof argument === 'string' ? await dependencies.chat.find(argument) : await dependencies.chat.activeConversation();
  if (!conversation || conversation.turns.length === 0) {
    void vscode.window.showInformationMessage('There is nothing to export yet.');
    return undefined;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${conversation.title.replace(/[^\w\- ]+/g, '').trim().slice(0, 50) || 'chat'}.md`;
  const target = await vscode.window.showSaveDialog({
    title: 'Export conversation as Markdown',
    filters: { Markdown: ['md'] },
    ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
  });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, Buffer.from(conversationToMarkdown(conversation), 'utf8'));
  void vscode.window.showInformationMessage(`Exported to ${vscode.workspace.asRelativePath(target)}.`);
  return target;
}

export async function renameChat(dependencies: CommandContext, argument?: unknown): Promise<boolean> {
  const conversation = typeof argument === 'string' ? await dependencies.chat.find(argument) : await dependencies.chat.activeConversation();
  if (!conversation) return false;
  const title = await vscode.window.showInputBox({ title: 'Rename conversation', value: conversation.title, validateInput: text => text.trim() ? undefined : 'Enter a name.' });
  if (!title) return false;
  await dependencies.chat.rename(conversation.id, title);
  return true;
}

export async function deleteChat(dependencies: CommandContext, argument?: unknown): Promise<boolean> {
  const conversation = typeof argument === 'string' ? await dependencies.chat.find(argument) : await dependencies.chat.activeConversation();
  if (!conversation) return false;
  const remove = 'Delete';
  const choice = await vscode.window.showWarningMessage(`Delete the conversation "${conversation.title}"? This cannot be undone.`, { modal: true }, remove);
  if (choice !== remove) return false;
  await dependencies.chat.delete(conversation.id);
  return true;
}

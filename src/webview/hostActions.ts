// What the host does for buttons in rendered answers: code block actions and links (the chat and
// the comparison panel share them; error buttons run through commands/showError.ts). Links are validated here
// (http/https only) and opened only after the user confirms the exact URL.

import * as vscode from 'vscode';
import { applyReplacement, withDocumentEol } from '../commands/safeEdit';
import type { WebviewToHost } from './protocol';

/** A button in a rendered answer (the chat and the comparison panel send the same two messages). */
export type AnswerButtonMessage = Extract<WebviewToHost, { type: 'code/action' | 'link/open' }>;

/** Does what a code block action or a link in a rendered answer asks for. */
export async function runAnswerButton(message: AnswerButtonMessage): Promise<void> {
  if (message.type === 'code/action') await runCodeAction(message.action, message.code, message.language);
  else await openLink(message.href);
}

export function safeExternalUri(href: string): vscode.Uri | undefined {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password) return undefined;
  return vscode.Uri.parse(url.toString(), true);
}

export async function openLink(href: string): Promise<void> {
  const uri = safeExternalUri(href);
  if (!uri) {
    void vscode.window.showWarningMessage(`BYOK AI did not open "${href.slice(0, 100)}": only http and https links can be opened.`);
    return;
  }
  const open = 'Open';
  const choice = await vscode.window.showInformationMessage(`Open this link from the chat?\n${uri.toString(true)}`, { modal: true }, open);
  if (choice === open) await vscode.env.openExternal(uri);
}

export async function runCodeAction(action: 'copy' | 'insert' | 'apply' | 'open', code: string, language: string): Promise<void> {
  switch (action) {
    case 'copy':
      await vscode.env.clipboard.writeText(code);
      void vscode.window.setStatusBarMessage('$(check) Copied', 2000);
      return;
    case 'open': {
      const document = await vscode.workspace.openTextDocument({ content: code, language: await pickLanguage(language) });
      await vscode.window.showTextDocument(document, { preview: false });
      return;
    }
    case 'insert':
    case 'apply': {
      const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
      if (!editor) {
        void vscode.window.showWarningMessage('Open a file first: there is no editor to put the code in.');
        return;
      }
      const range = action === 'insert' ? new vscode.Range(editor.selection.active, editor.selection.active) : editor.selection;
      if (action === 'apply' && range.isEmpty) {
        void vscode.window.showWarningMessage('Select the code to replace first, then press Apply again.');
        return;
      }
      const outcome = await applyReplacement({ uri: editor.document.uri, range, version: editor.document.version }, withDocumentEol(code, editor.document.eol));
      if (!outcome.applied) void vscode.window.showWarningMessage(outcome.reason);
      return;
    }
  }
}

const languageAliases: Record<string, string> = { ts: 'typescript', js: 'javascript', py: 'python', sh: 'shellscript', bash: 'shellscript', yml: 'yaml', md: 'markdown', cs: 'csharp', 'c++': 'cpp' };

async function pickLanguage(language: string): Promise<string> {
  const wanted = languageAliases[language.toLowerCase()] ?? language.toLowerCase();
  const known = await vscode.languages.getLanguages();
  return known.includes(wanted) ? wanted : 'plaintext';
}

// The one way BYOK AI changes a document: a single WorkspaceEdit (one undo step), refused when
// the document changed since the text was read, so an edit is never applied half or stale.

import * as vscode from 'vscode';

export interface EditTarget {
  uri: vscode.Uri;
  range: vscode.Range;
  /** The document version the replacement was computed against. */
  version: number;
}

export type EditOutcome = { applied: true } | { applied: false; reason: string };

export async function applyReplacement(target: EditTarget, text: string): Promise<EditOutcome> {
  const document = vscode.workspace.textDocuments.find(each => each.uri.toString() === target.uri.toString())
    ?? await vscode.workspace.openTextDocument(target.uri);
  if (document.version !== target.version) {
    return { applied: false, reason: `${vscode.workspace.asRelativePath(document.uri)} changed after the request was sent, so the edit was not applied. Run the command again on the current text.` };
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, target.range, text);
  const ok = await vscode.workspace.applyEdit(edit);
  return ok ? { applied: true } : { applied: false, reason: 'VS Code refused the edit (the file may be read-only).' };
}

/** Matches the document's line endings so an edit never mixes CRLF and LF. */
export function withDocumentEol(text: string, eol: vscode.EndOfLine): string {
  const normalized = text.replace(/\r\n/g, '\n');
  return eol === vscode.EndOfLine.CRLF ? normalized.replace(/\n/g, '\r\n') : normalized;
}

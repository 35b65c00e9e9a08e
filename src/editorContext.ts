// Reads what the user points at in the editor: the selection or the whole file, as context text.

import * as vscode from 'vscode';
import { fence } from './editing/prompts';

const maxContextCharacters = 200_000;

export interface EditorContext {
  label: string;
  content: string;
}

export function describeSelection(editor: vscode.TextEditor): EditorContext | undefined {
  if (editor.selection.isEmpty) return undefined;
  const text = editor.document.getText(editor.selection).slice(0, maxContextCharacters);
  const path = vscode.workspace.asRelativePath(editor.document.uri);
  const lines = `${editor.selection.start.line + 1}-${editor.selection.end.line + 1}`;
  return { label: `${path}:${lines}`, content: `Selected code from ${path} (lines ${lines}):\n${fence(text, editor.document.languageId)}` };
}

export function describeFile(editor: vscode.TextEditor): EditorContext {
  const text = editor.document.getText().slice(0, maxContextCharacters);
  const path = vscode.workspace.asRelativePath(editor.document.uri);
  return { label: path, content: `File ${path}:\n${fence(text, editor.document.languageId)}` };
}

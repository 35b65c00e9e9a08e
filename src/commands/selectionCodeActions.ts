// The light bulb on a selection: Explain and Refactor. Registered at activation, so it stays tiny
// and runs the commands (whose handlers load on first use) instead of importing them.

import * as vscode from 'vscode';

export class SelectionCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.RefactorRewrite, vscode.CodeActionKind.Empty];

  provideCodeActions(_document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    if (range.isEmpty) return [];
    const explainAction = new vscode.CodeAction('BYOK AI: Explain selection', vscode.CodeActionKind.Empty);
    explainAction.command = { command: 'byok.explain', title: 'Explain selection' };
    const refactorAction = new vscode.CodeAction('BYOK AI: Refactor selection…', vscode.CodeActionKind.RefactorRewrite);
    refactorAction.command = { command: 'byok.refactor', title: 'Refactor selection' };
    return [explainAction, refactorAction];
  }
}

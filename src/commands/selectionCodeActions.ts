// The light bulb on a selection: Explain and Refactor. Registered at activation, so it stays tiny
// and runs the commands (whose handlers load on first use) instead of importing them.

// Named imports (not `import * as vscode`): in the activation bundle a namespace import makes esbuild
// copy all of the API's ~350 properties at load, about a millisecond (see esbuild.mjs host).
import { CodeAction, CodeActionKind, type CodeActionProvider, type Range, type Selection, type TextDocument } from 'vscode';

export class SelectionCodeActions implements CodeActionProvider {
  static readonly kinds = [CodeActionKind.RefactorRewrite, CodeActionKind.Empty];

  provideCodeActions(_document: TextDocument, range: Range | Selection): CodeAction[] {
    if (range.isEmpty) return [];
    const explainAction = new CodeAction('BYOK AI: Explain selection', CodeActionKind.Empty);
    explainAction.command = { command: 'byok.explain', title: 'Explain selection' };
    const refactorAction = new CodeAction('BYOK AI: Refactor selection…', CodeActionKind.RefactorRewrite);
    refactorAction.command = { command: 'byok.refactor', title: 'Refactor selection' };
    return [explainAction, refactorAction];
  }
}

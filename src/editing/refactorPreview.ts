// Read-only virtual documents for the refactor diff: the original text and the proposal.

import * as vscode from 'vscode';

export const previewScheme = 'byok-refactor';

export class RefactorPreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private counter = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(previewScheme, this);
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Registers a text and returns the URI that shows it, named after the original file. */
  add(fileName: string, label: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: previewScheme, path: `/${++this.counter}/${label}/${fileName}` });
    this.contents.set(uri.toString(), text);
    return uri;
  }

  release(...uris: vscode.Uri[]): void {
    for (const uri of uris) this.contents.delete(uri.toString());
  }
}

// The few `vscode` members the chat view provider touches on the chat/send path, for the pipeline
// bench in plain Node (bundled in place of `vscode` by scripts/bench/build.mjs). Anything else the
// provider could reach (code actions, links, commands) is a no-op that records its call.

export const calls: string[] = [];

export class Uri {
  constructor(readonly path: string) {}
  static joinPath(base: Uri, ...parts: string[]): Uri { return new Uri([base.path, ...parts].join('/').replace(/\/+/g, '/')); }
  static parse(value: string): Uri { return new Uri(value); }
  static file(value: string): Uri { return new Uri(value); }
  get fsPath(): string { return this.path; }
  toString(): string { return this.path; }
}

export class Disposable {
  constructor(private readonly callback: () => void) {}
  dispose(): void { this.callback(); }
}

export class Range { constructor(readonly start: unknown, readonly end: unknown) {} }
export class Selection extends Range {}
export class WorkspaceEdit {}
export const EndOfLine = { LF: 1, CRLF: 2 };

export const commands = { executeCommand: async (command: string): Promise<undefined> => { calls.push(command); return undefined; } };
export const window = {
  activeTextEditor: undefined,
  visibleTextEditors: [],
  showInformationMessage: async (): Promise<undefined> => undefined,
  showWarningMessage: async (): Promise<undefined> => undefined,
  setStatusBarMessage: () => new Disposable(() => undefined),
  showTextDocument: async (): Promise<undefined> => undefined,
};
export const workspace = {
  textDocuments: [],
  asRelativePath: (value: unknown) => String(value),
  openTextDocument: async (): Promise<undefined> => undefined,
  applyEdit: async (): Promise<boolean> => false,
};
export const env = { clipboard: { writeText: async (): Promise<void> => undefined }, openExternal: async (): Promise<boolean> => false };
export const languages = { getLanguages: async (): Promise<string[]> => [] };

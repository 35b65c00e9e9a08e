// The extension's one log: a VS Code log output channel. Every line passes through `redact`,
// so a key that slipped into an error message still never reaches the log. The channel is created
// with the first line (or "show"), so an activation that has nothing to say creates none.

import * as vscode from 'vscode';
import { redact } from './providers/errors';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  show(): void;
}

export function createLog(): Log & vscode.Disposable {
  let channel: vscode.LogOutputChannel | undefined;
  let disposed = false;
  const open = (): vscode.LogOutputChannel | undefined => {
    if (!channel && !disposed) channel = vscode.window.createOutputChannel('BYOK AI', { log: true });
    return channel;
  };
  const describe = (error: unknown): string => error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    info: message => open()?.info(redact(message)),
    warn: message => open()?.warn(redact(message)),
    error: (message, error) => open()?.error(redact(error === undefined ? message : `${message}: ${describe(error)}`)),
    show: () => open()?.show(true),
    dispose: () => { disposed = true; channel?.dispose(); },
  };
}

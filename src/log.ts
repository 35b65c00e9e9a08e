// The extension's one log: a VS Code log output channel. Every line passes through `redact`,
// so a key that slipped into an error message still never reaches the log.

import * as vscode from 'vscode';
import { redact } from './providers/errors';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  show(): void;
}

export function createLog(): Log & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('BYOK AI', { log: true });
  const describe = (error: unknown): string => error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    info: message => channel.info(redact(message)),
    warn: message => channel.warn(redact(message)),
    error: (message, error) => channel.error(redact(error === undefined ? message : `${message}: ${describe(error)}`)),
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}

// The only user of `context.secrets`. One key per provider id; nothing else ever persists a key.
// Failures of the platform's secret store are caught here and reported as "key missing" plus a
// clear message; a key is never written anywhere else as a fallback.

import * as vscode from 'vscode';
import { forgetSecretForRedaction, redact, registerSecretForRedaction } from '../providers/errors';
import { normalizeKey } from './keyFormat';

const keyPrefix = 'byok.key.';

export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
}

export const secretStoreHelp = 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues';

export class KeyStore implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<string>();
  /** Fires with the provider id whose key changed, in this window or another one. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  /** The last failure of the platform store, shown by the UI; cleared by the next success. */
  private failure: string | undefined;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange(event => {
      if (event.key.startsWith(keyPrefix)) this.changeEmitter.fire(event.key.slice(keyPrefix.length));
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  get lastFailure(): string | undefined {
    return this.failure;
  }

  /** The key, or undefined when none is stored or the store failed (never an empty string). */
  async get(providerId: string): Promise<string | undefined> {
    try {
      const value = await this.secrets.get(keyPrefix + providerId);
      this.failure = undefined;
      const key = value ? normalizeKey(value) : undefined;
      registerSecretForRedaction(key);
      return key || undefined;
    } catch (error) {
      this.failure = describeStoreFailure('read', error);
      return undefined;
    }
  }

  async has(providerId: string): Promise<boolean> {
    return (await this.get(providerId)) !== undefined;
  }

  /** Stores a key and reads it back, so a store that silently drops writes is caught now. */
  async set(providerId: string, raw: string): Promise<void> {
    const key = normalizeKey(raw);
    if (!key) throw new SecretStoreError('The key is empty.');
    registerSecretForRedaction(key);
    try {
      await this.secrets.store(keyPrefix + providerId, key);
      const readBack = await this.secrets.get(keyPrefix + providerId);
      if (readBack !== key) throw new Error('the value read back differs from the value stored');
      this.failure = undefined;
    } catch (error) {
      this.failure = describeStoreFailure('save', error);
      throw new SecretStoreError(this.failure);
    }
  }

  async delete(providerId: string): Promise<void> {
    const previous = await this.get(providerId);
    try {
      await this.secrets.delete(keyPrefix + providerId);
      forgetSecretForRedaction(previous);
    } catch (error) {
      this.failure = describeStoreFailure('delete', error);
      throw new SecretStoreError(this.failure);
    }
  }
}

function describeStoreFailure(action: 'read' | 'save' | 'delete', error: unknown): string {
  const detail = redact(error instanceof Error ? error.message : String(error));
  return `VS Code's secret storage could not ${action} the key (${detail.slice(0, 200)}). ` +
    'On Linux, make sure a keyring (GNOME Keyring or KWallet) is running, or set "password-store" in argv.json (Preferences: Configure Runtime Arguments). ' +
    'BYOK AI never stores keys anywhere else.';
}

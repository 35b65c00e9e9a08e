// The only user of `context.secrets`. One key per provider id; nothing else ever persists a key.
// When the platform's secret store fails (no keyring on Linux, a locked keychain, browser storage
// unavailable) every operation throws a ProviderError of kind `key-store`, so the chat, the cards,
// the status bar and the verify report say that the key store failed — never "no key is set".
// A key is never written anywhere else as a fallback. No `vscode` runtime import (unit-tested).

import type * as vscode from 'vscode';
import { Emitter, type Disposable, type Event } from '../emitter';
import { ProviderError, forgetSecretForRedaction, redact, registerSecretForRedaction } from '../providers/errors';
import type { KeyDates } from './keyDates';
import { normalizeKey } from './keyFormat';

const keyPrefix = 'byok.key.';

export type SecretStore = Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>;

type StoreAction = 'read' | 'save' | 'delete';

export class KeyStore implements Disposable {
  private readonly changeEmitter = new Emitter<string>();
  /** Fires with the provider id whose key changed, in this window or another one. */
  readonly onDidChange: Event<string> = this.changeEmitter.event;
  private readonly failureEmitter = new Emitter<ProviderError | undefined>();
  /** Fires when the store starts failing (not on every further failure) or works again. */
  readonly onDidChangeFailure: Event<ProviderError | undefined> = this.failureEmitter.event;
  private readonly subscription: Disposable;
  private failure: ProviderError | undefined;

  constructor(private readonly secrets: SecretStore, private readonly dates: KeyDates) {
    this.subscription = secrets.onDidChange(event => {
      if (event.key.startsWith(keyPrefix)) this.changeEmitter.fire(event.key.slice(keyPrefix.length));
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
    this.failureEmitter.dispose();
  }

  /** The last failure of the platform store; cleared by the next success. */
  get lastFailure(): ProviderError | undefined {
    return this.failure;
  }

  /** The key, or undefined when none is stored (never an empty string). Throws `key-store`. */
  async get(providerId: string): Promise<string | undefined> {
    let value: string | undefined;
    try {
      value = await this.secrets.get(keyPrefix + providerId);
    } catch (error) {
      throw this.failed(providerId, 'read', error);
    }
    this.succeeded();
    const key = value ? normalizeKey(value) : undefined;
    registerSecretForRedaction(key);
    return key || undefined;
  }

  async has(providerId: string): Promise<boolean> {
    return (await this.get(providerId)) !== undefined;
  }

  /** The date (`YYYY-MM-DD`) the key was set in BYOK AI, if known. Never the key. */
  setOn(providerId: string): string | undefined {
    return this.dates.get(providerId);
  }

  /** Stores a key and reads it back, so a store that silently drops writes is caught now. */
  async set(providerId: string, raw: string): Promise<void> {
    const key = normalizeKey(raw);
    if (!key) throw new Error('The key is empty.');
    registerSecretForRedaction(key);
    try {
      await this.secrets.store(keyPrefix + providerId, key);
      const readBack = await this.secrets.get(keyPrefix + providerId);
      if (readBack !== key) throw new Error('the value read back differs from the value stored');
    } catch (error) {
      throw this.failed(providerId, 'save', error);
    }
    this.succeeded();
    await this.dates.recordSet(providerId);
  }

  async delete(providerId: string): Promise<void> {
    const previous = await this.get(providerId).catch(() => undefined);
    try {
      await this.secrets.delete(keyPrefix + providerId);
    } catch (error) {
      throw this.failed(providerId, 'delete', error);
    }
    this.succeeded();
    forgetSecretForRedaction(previous);
    await this.dates.clear(providerId);
  }

  private failed(providerId: string, action: StoreAction, cause: unknown): ProviderError {
    const wasWorking = this.failure === undefined;
    this.failure = keyStoreError(providerId, action, cause);
    if (wasWorking) this.failureEmitter.fire(this.failure);
    return this.failure;
  }

  private succeeded(): void {
    if (!this.failure) return;
    this.failure = undefined;
    this.failureEmitter.fire(undefined);
  }
}

/** The `key-store` error for a failed platform call; the detail is redacted and short. */
export function keyStoreError(providerId: string, action: StoreAction, cause: unknown): ProviderError {
  const detail = redact(cause instanceof Error ? cause.message : String(cause)).slice(0, 200);
  return new ProviderError({
    kind: 'key-store', providerId, retryable: false, cause,
    message: `The key store failed: VS Code's secret storage could not ${action} the key (${detail}). BYOK AI never stores keys anywhere else.`,
  });
}

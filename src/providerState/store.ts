// The state of every provider as the user sees it: whether a key is stored (and since when),
// whether the key store works, the last verify result, the live model list and what is busy.
// Views and the status bar listen to `onDidChange`; nothing here shows UI. Verify goes through
// the router (so it is a turn like any other request) and its result is recorded here.
// No `vscode` import: unit-tested with fakes.

import type { KeyStore } from '../config/secrets';
import type { Settings } from '../config/settings';
import { Emitter, type Disposable, type Event } from '../emitter';
import { ProviderError } from '../providers/errors';
import { mergeModelLists, type ModelOption } from '../providers/modelList';
import type { VerifyResult } from '../providers/types';
import type { ResolvedTarget, RouterDependencies } from '../router';
// From router/retry, not the router's index: a value import of '../router' would put the whole router
// (it lives in the core chunk) into the activation bundle.
import { defaultRetryPolicy } from '../router/retry';
import type { KeyState } from '../webview/protocol';
import type { ProviderCatalog } from './catalog';
import { usability, type Usability } from './usable';

export type { KeyState };

export interface VerifyRecord extends VerifyResult {
  at: number;
}

export type BusyState = 'verifying' | 'loading-models';

/** Runs a verify request for a provider; the host passes `router.verify`. */
export type Verifier = (providerId: string, options: { signal?: AbortSignal; timeoutMs?: number }) => Promise<VerifyResult>;

export type StateSettings = Pick<Settings, 'selectedProviderId' | 'isEnabled' | 'model' | 'maxAttempts' | 'onDidChange'>;
export type StateKeys = Pick<KeyStore, 'get' | 'setOn' | 'lastFailure' | 'onDidChange' | 'onDidChangeFailure'>;

export interface ProviderStateOptions {
  settings: StateSettings;
  catalog: ProviderCatalog;
  keys: StateKeys;
  verifier: Verifier;
  now?: () => number;
}

export class ProviderState implements Disposable {
  private readonly changeEmitter = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changeEmitter.event;
  private readonly liveModels = new Map<string, ModelOption[]>();
  private readonly verifyResults = new Map<string, VerifyRecord>();
  /** true/false once read; absent when never read or when the store failed to answer. */
  private readonly keyPresence = new Map<string, boolean>();
  private readonly busy = new Map<string, BusyState>();
  private readonly disposables: Disposable[] = [];
  private readonly settings: StateSettings;
  private readonly keys: StateKeys;
  private readonly verifier: Verifier;
  private readonly now: () => number;
  readonly catalog: ProviderCatalog;

  constructor(options: ProviderStateOptions) {
    this.settings = options.settings;
    this.catalog = options.catalog;
    this.keys = options.keys;
    this.verifier = options.verifier;
    this.now = options.now ?? Date.now;
    this.disposables.push(
      this.catalog.onDidChange(() => this.changed()),
      this.keys.onDidChange(providerId => {
        this.verifyResults.delete(providerId);
        this.liveModels.delete(providerId);
        void this.refreshKeyPresence(providerId);
      }),
      this.keys.onDidChangeFailure(() => this.changed()),
      this.changeEmitter,
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private changed(): void {
    this.changeEmitter.fire();
  }

  // ---------- keys ----------

  /** Re-reads which keys are stored. A failing store is recorded, never thrown. */
  async refreshKeyPresence(providerId?: string): Promise<void> {
    const ids = providerId ? [providerId] : this.catalog.all().map(provider => provider.id);
    await Promise.all(ids.map(async id => {
      try {
        this.keyPresence.set(id, (await this.keys.get(id)) !== undefined);
      } catch {
        this.keyPresence.delete(id); // the key store's failure is recorded by the KeyStore itself
      }
    }));
    this.changed();
  }

  hasKey(providerId: string): boolean {
    return this.keyPresence.get(providerId) === true;
  }

  keyRequired(providerId: string): boolean {
    return this.catalog.keyRequired(providerId);
  }

  /** The key store's current failure (kind `key-store`), if its last use failed. */
  keyStoreFailure(): ProviderError | undefined {
    return this.keys.lastFailure;
  }

  /** The date the key was set (`YYYY-MM-DD`), when a key is stored and the date is known. */
  keySetOn(providerId: string): string | undefined {
    return this.hasKey(providerId) ? this.keys.setOn(providerId) : undefined;
  }

  keyState(providerId: string): KeyState {
    const verified = this.verifyResults.get(providerId);
    const required = this.keyRequired(providerId);
    if (required && this.keys.lastFailure) return 'store-failed';
    if (!this.hasKey(providerId)) {
      if (required) return 'missing';
      return verified?.ok === false ? 'failing' : verified?.ok ? 'verified' : 'not-needed';
    }
    if (!verified) return 'set';
    return verified.ok ? 'verified' : 'failing';
  }

  // ---------- the one usability rule ----------

  usability(providerId: string): Usability {
    const descriptor = this.catalog.describe(providerId);
    return usability({
      known: descriptor !== undefined,
      active: this.settings.isEnabled(providerId) || this.settings.selectedProviderId() === providerId,
      keyRequired: descriptor?.quirks.keyRequired ?? true,
      keyPresent: this.keyPresence.get(providerId),
      keyStoreFailed: this.keys.lastFailure !== undefined,
    });
  }

  /** Whether a request can be sent to this provider now. Everything that lists providers asks this. */
  usable(providerId: string): boolean {
    return this.usability(providerId).usable;
  }

  // ---------- verify and models ----------

  lastVerify(providerId: string): VerifyRecord | undefined {
    return this.verifyResults.get(providerId);
  }

  busyState(providerId: string): BusyState | undefined {
    return this.busy.get(providerId);
  }

  /** Verifies through the router and records the result; never throws. */
  async verify(providerId: string, timeoutMs = 20_000, signal?: AbortSignal): Promise<VerifyRecord> {
    const started = this.now();
    if (!this.catalog.describe(providerId)) {
      const error = new ProviderError({ kind: 'bad-request', providerId, message: `Unknown provider ${providerId}.`, retryable: false });
      return { ok: false, latencyMs: 0, error, at: started };
    }
    this.setBusy(providerId, 'verifying');
    try {
      const result = await this.verifier(providerId, { timeoutMs, ...(signal ? { signal } : {}) }).catch((caught: unknown): VerifyResult => ({
        ok: false, latencyMs: this.now() - started,
        error: caught instanceof ProviderError ? caught : new ProviderError({ kind: 'network', providerId, message: String(caught), cause: caught }),
      }));
      // The router turns its own time limit into a `timeout` error and records the verify as a turn.
      const error = result.error;
      const record: VerifyRecord = { ok: result.ok, latencyMs: result.latencyMs, ...(result.modelCount !== undefined ? { modelCount: result.modelCount } : {}), ...(error ? { error } : {}), at: this.now() };
      this.verifyResults.set(providerId, record);
      if (error?.kind !== 'key-store') await this.refreshKeyPresence(providerId);
      // A working key is the moment to replace the catalog with the provider's live model list.
      if (record.ok && !this.liveModels.has(providerId)) void this.models(providerId, true);
      return record;
    } finally {
      this.setBusy(providerId, undefined);
    }
  }

  /** Live models when the provider lists them (cached until refresh), merged with the catalog. */
  async models(providerId: string, refresh = false): Promise<ModelOption[]> {
    const descriptor = this.catalog.describe(providerId);
    if (!descriptor) return [];
    const selected = this.settings.model(providerId);
    const cached = this.liveModels.get(providerId);
    if (!refresh && cached) return cached;
    const fallback = mergeModelLists(undefined, descriptor.catalog, selected);
    const provider = this.catalog.provider(providerId);
    let key: string | undefined;
    try {
      key = await this.readKey(providerId);
    } catch {
      return fallback; // the key store failed; the KeyStore recorded it and the views say so
    }
    if (!provider || (descriptor.quirks.keyRequired && !key)) return fallback;
    this.setBusy(providerId, 'loading-models');
    try {
      const live = await provider.listModels(key, AbortSignal.timeout(20_000));
      const merged = mergeModelLists(live, descriptor.catalog, selected);
      this.liveModels.set(providerId, merged);
      return merged;
    } catch {
      return fallback;
    } finally {
      this.setBusy(providerId, undefined);
    }
  }

  /** Models already known without a network call: the cached live list or the catalog. */
  knownModels(providerId: string): ModelOption[] {
    const descriptor = this.catalog.describe(providerId);
    if (!descriptor) return [];
    return this.liveModels.get(providerId) ?? mergeModelLists(undefined, descriptor.catalog, this.settings.model(providerId));
  }

  private setBusy(providerId: string, state: BusyState | undefined): void {
    if (state) this.busy.set(providerId, state); else this.busy.delete(providerId);
    this.changed();
  }

  /** The key for a request. A keyless endpoint still works while the key store fails. */
  private async readKey(providerId: string): Promise<string | undefined> {
    try {
      return await this.keys.get(providerId);
    } catch (error) {
      if (!this.keyRequired(providerId)) return undefined;
      throw error;
    }
  }

  // ---------- router wiring ----------

  routerDependencies(): RouterDependencies {
    return {
      selection: () => {
        const providerId = this.settings.selectedProviderId();
        return { providerId, model: this.settings.model(providerId) };
      },
      resolve: (providerId, model): ResolvedTarget | undefined => {
        const descriptor = this.catalog.describe(providerId);
        const provider = this.catalog.provider(providerId);
        if (!descriptor || !provider) return undefined;
        const resolvedModel = model || this.settings.model(providerId);
        const known = this.knownModels(providerId).find(option => option.id === resolvedModel)
          ?? descriptor.catalog.find(entry => entry.id === resolvedModel);
        return {
          provider, providerId, providerLabel: descriptor.label, family: descriptor.family, model: resolvedModel,
          keyRequired: descriptor.quirks.keyRequired, contextWindow: known?.contextWindow, maxOutputTokens: known?.maxOutputTokens,
        };
      },
      // Throws ProviderError kind `key-store` when the store fails, so the chat names that failure.
      getKey: providerId => this.readKey(providerId),
      retryPolicy: () => ({ ...defaultRetryPolicy, maxAttempts: this.settings.maxAttempts() }),
    };
  }
}

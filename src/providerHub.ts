// Connects the provider layer to the user's settings and keys: builds provider instances with the
// user's base URL and timeouts, keeps live model lists and the latest verify result per provider,
// and supplies the router's dependencies. The status bar and views listen to `onDidChange`.

import * as vscode from 'vscode';
import type { KeyStore } from './config/secrets';
import type { Settings } from './config/settings';
import { createProvider } from './providers';
import { ProviderError } from './providers/errors';
import { mergeModelLists, type ModelOption } from './providers/modelList';
import type { ProviderDescriptor } from './providers/registry';
import type { Provider, VerifyResult } from './providers/types';
import { defaultRetryPolicy, type ResolvedTarget, type RouterDependencies } from './router';

export type KeyState = 'set' | 'missing' | 'failing' | 'verified' | 'not-needed';

export interface VerifyRecord extends VerifyResult {
  at: number;
}

function descriptorLabel(descriptor: ProviderDescriptor | undefined, providerId: string): string {
  return descriptor?.label ?? providerId;
}

export class ProviderHub implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly instances = new Map<string, { signature: string; provider: Provider }>();
  private readonly liveModels = new Map<string, ModelOption[]>();
  private readonly verifyResults = new Map<string, VerifyRecord>();
  private readonly keyPresence = new Map<string, boolean>();
  private readonly busy = new Map<string, 'verifying' | 'loading-models'>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly settings: Settings, readonly keys: KeyStore) {
    this.disposables.push(
      settings.onDidChange(() => { this.instances.clear(); this.changeEmitter.fire(); }),
      keys.onDidChange(providerId => {
        this.verifyResults.delete(providerId);
        this.liveModels.delete(providerId);
        void this.refreshKeyPresence(providerId).then(() => this.changeEmitter.fire());
      }),
      this.changeEmitter,
    );
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  describe(providerId: string): ProviderDescriptor | undefined {
    return this.settings.describe(providerId);
  }

  /** A provider instance configured from the user's settings; rebuilt when they change. */
  provider(providerId: string): Provider | undefined {
    const descriptor = this.settings.describe(providerId);
    if (!descriptor) return undefined;
    const baseUrl = this.settings.baseUrl(providerId);
    const headers = this.settings.customEndpoint(providerId)?.headers;
    const timeouts = this.settings.timeouts();
    const signature = JSON.stringify([baseUrl, headers, timeouts]);
    const cached = this.instances.get(providerId);
    if (cached?.signature === signature) return cached.provider;
    const provider = createProvider(descriptor, { baseUrl, headers, timeouts });
    this.instances.set(providerId, { signature, provider });
    return provider;
  }

  // ---------- key state ----------

  async refreshKeyPresence(providerId?: string): Promise<void> {
    const ids = providerId ? [providerId] : this.settings.allProviders().map(provider => provider.id);
    await Promise.all(ids.map(async id => { this.keyPresence.set(id, await this.keys.has(id)); }));
  }

  hasKey(providerId: string): boolean {
    return this.keyPresence.get(providerId) === true;
  }

  keyRequired(providerId: string): boolean {
    return this.settings.describe(providerId)?.quirks.keyRequired ?? true;
  }

  keyState(providerId: string): KeyState {
    const verified = this.verifyResults.get(providerId);
    if (!this.hasKey(providerId)) return this.keyRequired(providerId) ? 'missing' : (verified?.ok === false ? 'failing' : verified?.ok ? 'verified' : 'not-needed');
    if (!verified) return 'set';
    return verified.ok ? 'verified' : 'failing';
  }

  lastVerify(providerId: string): VerifyRecord | undefined {
    return this.verifyResults.get(providerId);
  }

  busyState(providerId: string): 'verifying' | 'loading-models' | undefined {
    return this.busy.get(providerId);
  }

  // ---------- verify and models ----------

  async verify(providerId: string, timeoutMs = 20_000): Promise<VerifyRecord> {
    const provider = this.provider(providerId);
    const started = Date.now();
    if (!provider) {
      const error = new ProviderError({ kind: 'bad-request', providerId, message: `Unknown provider ${providerId}.`, retryable: false });
      return { ok: false, latencyMs: 0, error, at: started };
    }
    this.setBusy(providerId, 'verifying');
    try {
      const key = await this.keys.get(providerId);
      const signal = AbortSignal.timeout(timeoutMs);
      const result = await provider.verify(key, signal).catch((caught: unknown) => ({
        ok: false, latencyMs: Date.now() - started,
        error: caught instanceof ProviderError ? caught : new ProviderError({ kind: signal.aborted ? 'timeout' : 'network', providerId, message: String(caught), cause: caught }),
      }));
      // Our own time limit aborts the request; the user should read "timed out", not "stopped".
      const timedOut = signal.aborted && result.error?.kind === 'aborted';
      const error = timedOut
        ? new ProviderError({ kind: 'timeout', providerId, message: `${descriptorLabel(this.settings.describe(providerId), providerId)} did not answer within ${Math.round(timeoutMs / 1000)} s.` })
        : result.error;
      const record: VerifyRecord = { ...result, ...(error ? { error } : {}), at: Date.now() };
      this.verifyResults.set(providerId, record);
      // A working key is the moment to replace the catalog with the provider's live model list.
      if (record.ok && !this.liveModels.has(providerId)) void this.models(providerId, true);
      return record;
    } finally {
      this.setBusy(providerId, undefined);
    }
  }

  /** Live models when the provider lists them (cached until refresh), merged with the catalog. */
  async models(providerId: string, refresh = false): Promise<ModelOption[]> {
    const descriptor = this.settings.describe(providerId);
    if (!descriptor) return [];
    const selected = this.settings.model(providerId);
    const cached = this.liveModels.get(providerId);
    if (!refresh && cached) return cached;
    const provider = this.provider(providerId);
    const key = await this.keys.get(providerId);
    if (!provider || (descriptor.quirks.keyRequired && !key)) return mergeModelLists(undefined, descriptor.catalog, selected);
    this.setBusy(providerId, 'loading-models');
    try {
      const live = await provider.listModels(key, AbortSignal.timeout(20_000));
      const merged = mergeModelLists(live, descriptor.catalog, selected);
      this.liveModels.set(providerId, merged);
      return merged;
    } catch {
      return mergeModelLists(undefined, descriptor.catalog, selected);
    } finally {
      this.setBusy(providerId, undefined);
    }
  }

  /** Models already known without a network call: the cached live list or the catalog. */
  knownModels(providerId: string): ModelOption[] {
    const descriptor = this.settings.describe(providerId);
    if (!descriptor) return [];
    return this.liveModels.get(providerId) ?? mergeModelLists(undefined, descriptor.catalog, this.settings.model(providerId));
  }

  private setBusy(providerId: string, state: 'verifying' | 'loading-models' | undefined): void {
    if (state) this.busy.set(providerId, state); else this.busy.delete(providerId);
    this.changeEmitter.fire();
  }

  // ---------- router wiring ----------

  routerDependencies(): RouterDependencies {
    return {
      selection: () => {
        const providerId = this.settings.selectedProviderId();
        return { providerId, model: this.settings.model(providerId) };
      },
      resolve: (providerId, model): ResolvedTarget | undefined => {
        const descriptor = this.settings.describe(providerId);
        const provider = this.provider(providerId);
        if (!descriptor || !provider) return undefined;
        const resolvedModel = model || this.settings.model(providerId);
        const known = this.knownModels(providerId).find(option => option.id === resolvedModel)
          ?? descriptor.catalog.find(entry => entry.id === resolvedModel);
        return {
          provider, providerId, providerLabel: descriptor.label, family: descriptor.family, model: resolvedModel,
          keyRequired: descriptor.quirks.keyRequired, contextWindow: known?.contextWindow, maxOutputTokens: known?.maxOutputTokens,
        };
      },
      getKey: providerId => this.keys.get(providerId),
      retryPolicy: () => ({ ...defaultRetryPolicy, maxAttempts: this.settings.maxAttempts() }),
    };
  }
}

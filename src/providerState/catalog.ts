// Which providers exist and how to call them: the registry's built-ins plus the user's custom
// endpoints (parsed once per settings change by the settings module), and one configured Provider
// instance per id, rebuilt only when its base URL, headers or timeouts change. No `vscode` import.

import type { Settings } from '../config/settings';
import { Emitter, type Disposable, type Event } from '../emitter';
import type { createProvider } from '../providers';
import { customProviderPrefix, type ProviderDescriptor } from '../providers/registry';
import type { Provider } from '../providers/types';

/** What the catalog reads from settings (the real Settings, or a fake in unit tests). */
export type CatalogSettings = Pick<Settings, 'allProviders' | 'describe' | 'baseUrl' | 'customEndpoint' | 'timeouts' | 'problems' | 'onDidChange'>;

/** The adapters are their own chunk (dist/adapters.js, see lazyChunks in esbuild.mjs), loaded by the first request. */
const createProviderOnFirstUse: typeof createProvider = (descriptor, options) =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use
  (require('../providers') as typeof import('../providers')).createProvider(descriptor, options);

export class ProviderCatalog implements Disposable {
  private readonly changeEmitter = new Emitter<void>();
  /** Fires after the settings changed and the catalog dropped what it derived from them. */
  readonly onDidChange: Event<void> = this.changeEmitter.event;
  private readonly instances = new Map<string, { signature: string; provider: Provider }>();
  private readonly subscription: Disposable;

  constructor(private readonly settings: CatalogSettings, private readonly create: typeof createProvider = createProviderOnFirstUse) {
    this.subscription = settings.onDidChange(() => {
      this.instances.clear();
      this.changeEmitter.fire();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  /** Built-in providers first, then the user's custom endpoints. */
  all(): ProviderDescriptor[] {
    return this.settings.allProviders();
  }

  describe(providerId: string): ProviderDescriptor | undefined {
    return this.settings.describe(providerId);
  }

  label(providerId: string): string {
    return this.describe(providerId)?.label ?? providerId;
  }

  isCustom(providerId: string): boolean {
    return providerId.startsWith(customProviderPrefix);
  }

  keyRequired(providerId: string): boolean {
    return this.describe(providerId)?.quirks.keyRequired ?? true;
  }

  /** Problems in the user's provider settings (ignored endpoint entries, invalid model ids). */
  problems(): string[] {
    return this.settings.problems();
  }

  /** A provider instance configured from the user's settings; rebuilt when they change. */
  provider(providerId: string): Provider | undefined {
    const descriptor = this.describe(providerId);
    if (!descriptor) return undefined;
    const baseUrl = this.settings.baseUrl(providerId);
    const headers = this.settings.customEndpoint(providerId)?.headers;
    const timeouts = this.settings.timeouts();
    const signature = JSON.stringify([baseUrl, headers, timeouts]);
    const cached = this.instances.get(providerId);
    if (cached?.signature === signature) return cached.provider;
    const provider = this.create(descriptor, { baseUrl, headers, timeouts });
    this.instances.set(providerId, { signature, provider });
    return provider;
  }
}

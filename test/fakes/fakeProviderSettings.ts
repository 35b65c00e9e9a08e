// The slice of Settings the provider catalog and state read, in memory: the built-in registry plus
// custom endpoints parsed by the real parser, enabled flags, models and a change event.
import { parseCustomEndpoints } from '../../src/config/customEndpoints';
import { Emitter } from '../../src/emitter';
import { builtInProviders, customProviderPrefix, describeCustomEndpoint, type CustomEndpoint, type ProviderDescriptor } from '../../src/providers/registry';
import { defaultTimeouts, type TimeoutOptions } from '../../src/providers/types';

export class FakeProviderSettings {
  private readonly emitter = new Emitter<void>();
  readonly onDidChange = this.emitter.event;
  selected = 'openai';
  readonly enabled = new Set<string>();
  readonly models = new Map<string, string>();
  private endpoints: CustomEndpoint[] = [];
  private endpointProblems: string[] = [];
  rotateAfterDays = 0;

  /** Replaces `byok.customEndpoints` with a raw value, as the user's settings.json would. */
  setCustomEndpoints(raw: unknown): void {
    const parsed = parseCustomEndpoints(raw);
    this.endpoints = parsed.endpoints;
    this.endpointProblems = parsed.problems;
    this.emitter.fire();
  }

  changed(): void {
    this.emitter.fire();
  }

  allProviders(): ProviderDescriptor[] {
    return [...builtInProviders, ...this.endpoints.map(describeCustomEndpoint)];
  }

  describe(providerId: string): ProviderDescriptor | undefined {
    return this.allProviders().find(provider => provider.id === providerId);
  }

  customEndpoint(providerId: string): CustomEndpoint | undefined {
    return this.endpoints.find(endpoint => `${customProviderPrefix}${endpoint.id}` === providerId);
  }

  baseUrl(providerId: string): string | undefined {
    return this.describe(providerId)?.defaultBaseUrl;
  }

  timeouts(): TimeoutOptions {
    return { ...defaultTimeouts };
  }

  problems(): string[] {
    return [...this.endpointProblems];
  }

  selectedProviderId(): string {
    return this.selected;
  }

  isEnabled(providerId: string): boolean {
    return this.enabled.has(providerId);
  }

  model(providerId: string): string {
    return this.models.get(providerId) ?? this.describe(providerId)?.defaultModel ?? '';
  }

  maxAttempts(): number {
    return 1;
  }

  keyRotationDays(): number {
    return this.rotateAfterDays;
  }
}

// The only caller of `workspace.getConfiguration`. Typed getters, one change event, and the
// rules about which settings a workspace may set.

import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { builtInProviders, customProviderPrefix, describeCustomEndpoint, type CustomEndpoint, type ProviderDescriptor } from '../providers/registry';
import type { TimeoutOptions } from '../providers/types';
import { settingDefaults, type ProviderSettings, type SettingName } from './settingDefaults';

const section = 'byok';

const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/@+\-]{0,199}$/;

/** Model ids end up in request bodies and, for Gemini, in URL paths: only plain ids pass. */
export function isValidModelId(model: string): boolean {
  return modelIdPattern.test(model) && !model.includes('..');
}

const customEndpointSchema = z.object({
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9\-]{0,39}$/)),
  name: z.string().check(z.minLength(1), z.maxLength(60)),
  baseUrl: z.string().check(z.regex(/^https?:\/\/[^\s]+$/)),
  headers: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z0-9\-]{1,64}$/)), z.string().check(z.maxLength(2048)))),
  keyRequired: z.optional(z.boolean()),
  defaultModel: z.optional(z.string()),
});

const timeoutsSchema = z.object({
  connectMs: z.optional(z.number().check(z.gte(1000), z.lte(600_000))),
  firstTokenMs: z.optional(z.number().check(z.gte(1000), z.lte(900_000))),
  idleMs: z.optional(z.number().check(z.gte(1000), z.lte(900_000))),
});

export class Settings implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  /** Problems found in the user's settings, reported once each. */
  readonly problems = new Set<string>();

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration(event => {
      if (event.affectsConfiguration(section)) this.changeEmitter.fire();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  private configuration(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(section);
  }

  private read<T>(name: SettingName): T {
    return this.configuration().get<T>(name, settingDefaults[name] as T);
  }

  /** Reads a setting from the user's own (global) settings only, ignoring workspace values. */
  private readUserOnly(name: SettingName): unknown {
    const inspected = this.configuration().inspect(name);
    return inspected?.globalValue ?? inspected?.defaultValue;
  }

  /** Where user choices (activation, model, selection) are written: the workspace when one is open. */
  private target(): vscode.ConfigurationTarget {
    return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  }

  // ---------- providers ----------

  customEndpoints(): CustomEndpoint[] {
    const raw = this.readUserOnly('customEndpoints');
    if (!Array.isArray(raw)) return [];
    const endpoints: CustomEndpoint[] = [];
    const seen = new Set<string>();
    for (const entry of raw) {
      const parsed = customEndpointSchema.safeParse(entry);
      if (!parsed.success) {
        this.problems.add(`Ignored an invalid entry in byok.customEndpoints: ${JSON.stringify(entry)?.slice(0, 120)}`);
        continue;
      }
      if (seen.has(parsed.data.id)) continue;
      seen.add(parsed.data.id);
      endpoints.push({ ...parsed.data, keyRequired: parsed.data.keyRequired ?? false });
    }
    return endpoints;
  }

  async setCustomEndpoints(endpoints: CustomEndpoint[]): Promise<void> {
    await this.configuration().update('customEndpoints', endpoints, vscode.ConfigurationTarget.Global);
  }

  /** Built-in providers first, then the user's custom endpoints. */
  allProviders(): ProviderDescriptor[] {
    return [...builtInProviders, ...this.customEndpoints().map(describeCustomEndpoint)];
  }

  describe(providerId: string): ProviderDescriptor | undefined {
    return this.allProviders().find(provider => provider.id === providerId);
  }

  customEndpoint(providerId: string): CustomEndpoint | undefined {
    if (!providerId.startsWith(customProviderPrefix)) return undefined;
    const id = providerId.slice(customProviderPrefix.length);
    return this.customEndpoints().find(endpoint => endpoint.id === id);
  }

  /** The base URL a key for this provider may be sent to: the user's override or the registry default. */
  baseUrl(providerId: string): string | undefined {
    const descriptor = this.describe(providerId);
    if (!descriptor) return undefined;
    const overrides = this.readUserOnly('baseUrls');
    if (overrides && typeof overrides === 'object' && !Array.isArray(overrides)) {
      const value = (overrides as Record<string, unknown>)[providerId];
      if (typeof value === 'string' && /^https?:\/\/\S+$/.test(value)) return value.replace(/\/+$/, '');
    }
    return descriptor.defaultBaseUrl.replace(/\/+$/, '');
  }

  private providerSettings(): Record<string, ProviderSettings> {
    const value = this.read<unknown>('providers');
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, ProviderSettings> : {};
  }

  isEnabled(providerId: string): boolean {
    return this.providerSettings()[providerId]?.enabled === true;
  }

  /** The model chosen for a provider, or its default; invalid ids from settings are ignored. */
  model(providerId: string): string {
    const chosen = this.providerSettings()[providerId]?.model;
    if (typeof chosen === 'string' && isValidModelId(chosen)) return chosen;
    if (typeof chosen === 'string' && chosen) this.problems.add(`Ignored an invalid model id for ${providerId} in byok.providers.`);
    return this.describe(providerId)?.defaultModel ?? '';
  }

  private async updateProvider(providerId: string, change: ProviderSettings): Promise<void> {
    const inspected = this.configuration().inspect<Record<string, ProviderSettings>>('providers');
    const target = this.target();
    const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {};
    const next = { ...current, [providerId]: { ...current[providerId], ...change } };
    await this.configuration().update('providers', next, target);
  }

  async setEnabled(providerId: string, enabled: boolean): Promise<void> {
    await this.updateProvider(providerId, { enabled });
  }

  async setModel(providerId: string, model: string): Promise<void> {
    if (!isValidModelId(model)) throw new Error(`"${model.slice(0, 80)}" is not a valid model id.`);
    await this.updateProvider(providerId, { model });
  }

  /** The selected provider: a workspace may choose among known providers, never invent one. */
  selectedProviderId(): string {
    const chosen = this.read<unknown>('selectedProvider');
    if (typeof chosen === 'string' && this.describe(chosen)) return chosen;
    return settingDefaults.selectedProvider;
  }

  async setSelectedProvider(providerId: string): Promise<void> {
    await this.configuration().update('selectedProvider', providerId, this.target());
  }

  // ---------- behaviour ----------

  timeouts(): TimeoutOptions {
    const parsed = timeoutsSchema.safeParse(this.read<unknown>('timeouts'));
    return { ...settingDefaults.timeouts, ...(parsed.success ? parsed.data : {}) } as TimeoutOptions;
  }

  maxAttempts(): number {
    const value = this.read<number>('retry.maxAttempts');
    return Number.isInteger(value) && value >= 1 && value <= 6 ? value : settingDefaults['retry.maxAttempts'];
  }

  systemPrompt(): string {
    const value = this.read<unknown>('chat.systemPrompt');
    return typeof value === 'string' ? value.slice(0, 20_000) : settingDefaults['chat.systemPrompt'];
  }

  maxOutputTokens(): number {
    const value = this.read<number>('chat.maxOutputTokens');
    return Number.isInteger(value) && value >= 16 && value <= 200_000 ? value : settingDefaults['chat.maxOutputTokens'];
  }

  refactorShowDiff(): boolean {
    return this.read<boolean>('refactor.showDiff') !== false;
  }
}

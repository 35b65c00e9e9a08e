// The only caller of `workspace.getConfiguration`. Typed getters, one change event, and the
// rules about which settings a workspace may set.

import * as vscode from 'vscode';
import { builtInProviders, customProviderPrefix, describeCustomEndpoint, type CustomEndpoint, type ProviderDescriptor } from '../providers/registry';
import type { TimeoutOptions } from '../providers/types';
import type { BudgetLimits } from '../cost/budgets';
import type { EndpointPriceSetting } from '../cost/pricing';
import { settingDefaults, type ProviderSettings, type SettingName } from './settingDefaults';

const section = 'byok';

const modelIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

/** Model ids end up in request bodies and, for Gemini, in URL paths: only plain ids pass. */
export function isValidModelId(model: string): boolean {
  return modelIdPattern.test(model) && !model.includes('..');
}

/** The zod parsers, their own chunk: loaded when a setting that needs one has a value (see lazyChunks in esbuild.mjs). */
function parsers(): typeof import('./settingsParsing') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use
  return require('./settingsParsing') as typeof import('./settingsParsing');
}

export class Settings implements vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;
  /** The custom endpoints and provider list, parsed once per configuration change. */
  private parsed: { endpoints: CustomEndpoint[]; providers: Map<string, ProviderDescriptor>; problems: string[] } | undefined;
  /**
   * What was read since the last change of a `byok.*` setting: each setting is read from VS Code once
   * per change, not on every call (the status bar, the pickers and the LM provider's model list ask
   * for the same few settings many times, activation included). VS Code updates its configuration
   * and fires the change event in one step, before an `update()` resolves, so nothing reads a stale value.
   */
  private snapshot: vscode.WorkspaceConfiguration | undefined;
  private readonly values = new Map<SettingName, unknown>();
  private readonly userValues = new Map<SettingName, unknown>();

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration(event => {
      if (!event.affectsConfiguration(section)) return;
      this.parsed = undefined;
      this.snapshot = undefined;
      this.values.clear();
      this.userValues.clear();
      this.changeEmitter.fire();
    });
  }

  /** Problems found in the user's settings right now: ignored endpoint entries, invalid model ids. */
  problems(): string[] {
    const invalidModels = Object.entries(this.providerSettings())
      .filter(([, choice]) => typeof choice?.model === 'string' && choice.model !== '' && !isValidModelId(choice.model))
      .map(([providerId]) => `Ignored an invalid model id for ${providerId.slice(0, 60)} in byok.providers.`);
    return [...this.parse().problems, ...invalidModels];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }

  /** For reads: the snapshot since the last change. */
  private configuration(): vscode.WorkspaceConfiguration {
    return (this.snapshot ??= this.current());
  }

  /** For writes (and the read-modify-write of `providers`): VS Code's configuration right now. */
  private current(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(section);
  }

  private read<T>(name: SettingName): T {
    if (!this.values.has(name)) this.values.set(name, this.configuration().get<unknown>(name, settingDefaults[name]));
    return this.values.get(name) as T;
  }

  /** Reads a setting from the user's own (global) settings only, ignoring workspace values. */
  private readUserOnly(name: SettingName): unknown {
    if (!this.userValues.has(name)) {
      const inspected = this.configuration().inspect(name);
      this.userValues.set(name, inspected?.globalValue ?? inspected?.defaultValue);
    }
    return this.userValues.get(name);
  }

  /** Where user choices (activation, model, selection) are written: the workspace when one is open. */
  private target(): vscode.ConfigurationTarget {
    return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  }

  // ---------- providers ----------

  private parse(): { endpoints: CustomEndpoint[]; providers: Map<string, ProviderDescriptor>; problems: string[] } {
    if (this.parsed) return this.parsed;
    const raw = this.readUserOnly('customEndpoints');
    // None (the default): nothing to parse, so zod is not loaded.
    const none = raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0);
    const { endpoints, problems } = none ? { endpoints: [], problems: [] } : parsers().parseCustomEndpoints(raw);
    const providers = new Map([...builtInProviders, ...endpoints.map(describeCustomEndpoint)].map(descriptor => [descriptor.id, descriptor]));
    this.parsed = { endpoints, providers, problems };
    return this.parsed;
  }

  customEndpoints(): CustomEndpoint[] {
    return [...this.parse().endpoints];
  }

  async setCustomEndpoints(endpoints: CustomEndpoint[]): Promise<void> {
    await this.current().update('customEndpoints', endpoints, vscode.ConfigurationTarget.Global);
  }

  /** Built-in providers first, then the user's custom endpoints. */
  allProviders(): ProviderDescriptor[] {
    return [...this.parse().providers.values()];
  }

  describe(providerId: string): ProviderDescriptor | undefined {
    return this.parse().providers.get(providerId);
  }

  customEndpoint(providerId: string): CustomEndpoint | undefined {
    if (!providerId.startsWith(customProviderPrefix)) return undefined;
    const id = providerId.slice(customProviderPrefix.length);
    return this.parse().endpoints.find(endpoint => endpoint.id === id);
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
    return this.describe(providerId)?.defaultModel ?? '';
  }

  private async updateProvider(providerId: string, change: ProviderSettings): Promise<void> {
    const inspected = this.current().inspect<Record<string, ProviderSettings>>('providers');
    const target = this.target();
    const current = (target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {};
    const next = { ...current, [providerId]: { ...current[providerId], ...change } };
    await this.current().update('providers', next, target);
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
    await this.current().update('selectedProvider', providerId, this.target());
  }

  // ---------- behaviour ----------

  timeouts(): TimeoutOptions {
    return { ...settingDefaults.timeouts, ...parsers().parseTimeouts(this.read<unknown>('timeouts')) } as TimeoutOptions;
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

  /** Built-in presets the user hid; a workspace cannot hide or unhide them. */
  hiddenBuiltInPresets(): string[] {
    const value = this.readUserOnly('presets.hiddenBuiltIns');
    return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string').slice(0, 500) : [];
  }

  refactorShowDiff(): boolean {
    return this.read<boolean>('refactor.showDiff') !== false;
  }

  // ---------- cost (owned by the cost area) ----------
  // Read from the user's own settings only: a repository must not raise a budget or price an endpoint.

  budgetLimits(): BudgetLimits {
    const amount = (name: SettingName): number => {
      const value = this.readUserOnly(name);
      return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
    };
    const perProvider: Record<string, { daily?: number; monthly?: number }> = {};
    const raw = this.readUserOnly('budget.perProvider');
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [providerId, limit] of Object.entries(raw as Record<string, unknown>)) {
        if (!limit || typeof limit !== 'object') continue;
        const { daily, monthly } = limit as { daily?: unknown; monthly?: unknown };
        perProvider[providerId] = {
          ...(typeof daily === 'number' && daily > 0 ? { daily } : {}),
          ...(typeof monthly === 'number' && monthly > 0 ? { monthly } : {}),
        };
      }
    }
    const unpriced = this.readUserOnly('budget.unpriced');
    return {
      daily: amount('budget.daily'), monthly: amount('budget.monthly'), perProvider,
      unpriced: unpriced === 'allow' || unpriced === 'block' ? unpriced : 'ask',
    };
  }

  /** A custom endpoint's price (`custom:<id>`), from `byok.customEndpointPrices`. */
  endpointPrice(providerId: string): EndpointPriceSetting | undefined {
    if (!providerId.startsWith(customProviderPrefix)) return undefined;
    const all = this.readUserOnly('customEndpointPrices');
    if (!all || typeof all !== 'object' || Array.isArray(all)) return undefined;
    const entry = (all as Record<string, unknown>)[providerId.slice(customProviderPrefix.length)];
    if (entry === 'free') return 'free';
    if (!entry || typeof entry !== 'object') return undefined;
    const { input, output, cachedInput } = entry as { input?: unknown; output?: unknown; cachedInput?: unknown };
    const valid = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
    if (!valid(input) || !valid(output)) return undefined;
    return { inputPerMTok: input, outputPerMTok: output, ...(valid(cachedInput) ? { cachedInputPerMTok: cachedInput } : {}) };
  }

  /** Days after which BYOK AI suggests rotating a key; 0 turns the reminder off. User settings only. */
  keyRotationDays(): number {
    const value = this.readUserOnly('keys.rotateAfterDays');
    return typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 3650 ? value : 0;
  }
}

// Every `byok.*` setting's default, declared once. A unit test checks this table against
// `contributes.configuration` in package.json, so the two can never drift apart.
// No `vscode` import: the test runs in plain Node.

import { builtInProviders } from '../providers/registry';
import { defaultTimeouts } from '../providers/types';

export interface ProviderSettings {
  enabled?: boolean;
  model?: string;
}

export const settingDefaults = {
  selectedProvider: 'openai',
  providers: {} as Record<string, ProviderSettings>,
  customEndpoints: [] as unknown[],
  baseUrls: {} as Record<string, string>,
  timeouts: { ...defaultTimeouts },
  'retry.maxAttempts': 3,
  'chat.systemPrompt': 'You are a concise, expert coding assistant inside VS Code. Answer in Markdown and put code in fenced blocks with a language tag.',
  'chat.maxOutputTokens': 8192,
  'refactor.showDiff': true,
  'keys.rotateAfterDays': 0,
  /** Built-in preset names not offered (read from the user's own settings only). */
  'presets.hiddenBuiltIns': [] as string[],
  // cost (budgets and endpoint prices: user settings only, see costSettings below)
  'budget.daily': 0,
  'budget.monthly': 0,
  'budget.perProvider': {} as Record<string, { daily?: number; monthly?: number }>,
  'budget.unpriced': 'ask',
  customEndpointPrices: {} as Record<string, unknown>,
} as const;

export type SettingName = keyof typeof settingDefaults;

/**
 * Settings that decide where a key is sent. They are declared with `application` scope and read
 * only from the user's own settings (never from a workspace), so a cloned repository's
 * `.vscode/settings.json` cannot redirect a keyed request.
 */
export const keyRoutingSettings: readonly SettingName[] = ['customEndpoints', 'baseUrls'];

/** Settings a repository must not change: it could raise your budget or make an endpoint look free. */
export const costSettings: readonly SettingName[] = ['budget.daily', 'budget.monthly', 'budget.perProvider', 'budget.unpriced', 'customEndpointPrices'];

export const builtInProviderIds: readonly string[] = builtInProviders.map(provider => provider.id);

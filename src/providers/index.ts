// The one place that turns a registry row into a working Provider. It picks the adapter by SDK family
// only; everything vendor-specific comes from the descriptor. Nothing under src/providers imports
// `vscode`: settings, secrets and UI stay with the caller.

import { createAnthropicProvider } from './anthropic';
import { createGeminiProvider } from './gemini';
import { createOpenAICompatibleProvider } from './openaiCompatible';
import { mergeTimeouts, type AdapterSettings } from './providerSupport';
import type { ProviderDescriptor } from './registry';
import type { GuardTimers } from './streamGuards';
import { defaultTimeouts, type Provider, type TimeoutOptions } from './types';

export interface CreateProviderOptions {
  /** Overrides the descriptor's default base URL (user setting). */
  baseUrl?: string;
  /** Extra headers sent with every request (custom endpoints). */
  headers?: Record<string, string>;
  timeouts?: Partial<TimeoutOptions>;
  /** Defaults to the global fetch, so VS Code's proxy support applies. */
  fetch?: typeof fetch;
  /** The timers the request limits run on (tests inject manual ones); real timers by default. */
  timers?: GuardTimers;
}

export function createProvider(descriptor: ProviderDescriptor, options: CreateProviderOptions = {}): Provider {
  const settings: AdapterSettings = {
    baseUrl: (options.baseUrl?.trim() || descriptor.defaultBaseUrl).replace(/\/+$/, ''),
    headers: { ...options.headers },
    timeouts: mergeTimeouts(defaultTimeouts, options.timeouts),
    fetch: options.fetch,
    timers: options.timers,
  };
  switch (descriptor.family) {
    case 'anthropic':
      return createAnthropicProvider(descriptor, settings);
    case 'gemini':
      return createGeminiProvider(descriptor, settings);
    case 'openai':
      return createOpenAICompatibleProvider(descriptor, settings);
  }
}

export { createOpenAICompatibleProvider } from './openaiCompatible';
export type { AdapterSettings } from './providerSupport';

// What BYOK AI offers VS Code's Language Model API: one entry per model of every provider the one
// `usable(id)` rule accepts (built-ins and custom endpoints), with limits from our catalog or the
// provider's live list. Never makes a network call and never prompts: the list is what is known now.
// No `vscode` import: byokChatProvider.ts turns these into LanguageModelChatInformation.
// @see https://code.visualstudio.com/api/extension-guides/ai/language-model-chat-provider

import type { ModelOption } from '../providers/modelList';
import type { ProviderDescriptor } from '../providers/registry';
import { defaultOutputReserve } from '../router/conversation';

export interface ChatModelInformation {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
  /** Ours, not VS Code's: where the request goes. */
  providerId: string;
  model: string;
}

/** What the list is built from: the provider state store in the host, a fake in tests. */
export interface ModelSource {
  all(): readonly ProviderDescriptor[];
  usable(providerId: string): boolean;
  /** Known without a network call: the cached live list, or the catalog. */
  knownModels(providerId: string): readonly ModelOption[];
}

/** Assumed when neither the catalog nor the live list knows a model's window (small local models). */
export const defaultContextWindow = 32_768;

export function chatModelInformation(source: ModelSource): ChatModelInformation[] {
  const entries: ChatModelInformation[] = [];
  for (const descriptor of source.all()) {
    if (!source.usable(descriptor.id)) continue;
    const seen = new Set<string>();
    for (const model of source.knownModels(descriptor.id)) {
      if (!model.id || seen.has(model.id)) continue;
      seen.add(model.id);
      entries.push(describeModel(descriptor, model));
    }
  }
  return entries;
}

function describeModel(descriptor: ProviderDescriptor, model: ModelOption): ChatModelInformation {
  const contextWindow = model.contextWindow ?? defaultContextWindow;
  const maxOutputTokens = model.maxOutputTokens ?? defaultOutputReserve;
  // The same reserve context trimming keeps free for the answer, so VS Code's budget and ours agree.
  const maxInputTokens = contextWindow - Math.min(maxOutputTokens, Math.floor(contextWindow / 4));
  const label = model.label && model.label !== model.id ? `${model.label} (${model.id})` : model.id;
  return {
    id: languageModelId(descriptor.id, model.id),
    name: `${descriptor.label} · ${model.label || model.id}`,
    family: model.id,
    version: model.id,
    detail: descriptor.label,
    tooltip: `${label} through ${descriptor.label}, with your own key (BYOK AI).${model.live ? '' : ' From the built-in catalog.'}`,
    maxInputTokens,
    maxOutputTokens,
    capabilities: { toolCalling: supportsToolCalling(descriptor), imageInput: false },
    providerId: descriptor.id,
    model: model.id,
  };
}

/** Every family translates tools except the OpenAI Responses path (Perplexity's Agent API), which does not send them. */
export function supportsToolCalling(descriptor: ProviderDescriptor): boolean {
  return descriptor.family !== 'openai' || descriptor.quirks.api === 'chat';
}

/** `<provider id, URI-encoded>/<model id>`: provider ids never contain an encoded "/", model ids may contain "/". */
export function languageModelId(providerId: string, model: string): string {
  return `${encodeURIComponent(providerId)}/${model}`;
}

export function parseLanguageModelId(id: string): { providerId: string; model: string } | undefined {
  const slash = id.indexOf('/');
  if (slash <= 0 || slash === id.length - 1) return undefined;
  try {
    return { providerId: decodeURIComponent(id.slice(0, slash)), model: id.slice(slash + 1) };
  } catch {
    return undefined;
  }
}

/** A cheap fingerprint of the list: the change event fires only when what VS Code would see changed. */
export function informationSignature(entries: readonly ChatModelInformation[]): string {
  return JSON.stringify(entries.map(entry => [entry.id, entry.name, entry.maxInputTokens, entry.maxOutputTokens, entry.capabilities.toolCalling, entry.tooltip]));
}

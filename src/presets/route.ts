// Where a preset's request goes, and whether its prompt fits there. Pure: the provider state is
// passed in, so the rules — a preset only picks among providers the user set up, never an
// endpoint, header or key, and a prompt larger than the context window is refused — are unit-tested.

import { estimateTokens } from '../router/conversation';
import type { PresetDefinition } from './types';

export interface RouteFacts {
  selectedProviderId(): string;
  /** The user's model for a provider. */
  model(providerId: string): string;
  /** The provider's label when BYOK AI knows it (built-in or the user's custom endpoint). */
  label(providerId: string): string | undefined;
  /** The one usable() rule: activated, with a key when one is needed. */
  usable(providerId: string): boolean;
}

export type PresetRoute =
  | { ok: true; providerId: string; model: string; override?: { providerId: string; model: string } }
  | { ok: false; reason: string };

export function routePreset(preset: Pick<PresetDefinition, 'name' | 'provider' | 'model'>, facts: RouteFacts): PresetRoute {
  const providerId = preset.provider ?? facts.selectedProviderId();
  const model = preset.model ?? facts.model(providerId);
  if (!preset.provider && !preset.model) return { ok: true, providerId, model };
  const label = facts.label(providerId);
  if (!label) return { ok: false, reason: `The preset /${preset.name} asks for the provider "${providerId}", which is not one of your providers.` };
  if (!facts.usable(providerId)) return { ok: false, reason: `The preset /${preset.name} asks for ${label}, which is not set up: activate it and set its key first.` };
  // Only ids leave here: the router looks the endpoint, headers and key up in the user's own settings.
  return { ok: true, providerId, model, override: { providerId, model } };
}

/** Why the prompt cannot be sent to a model with `contextWindow` tokens, or undefined when it fits (or the window is unknown). */
export function contextProblem(prompt: string, presetName: string, model: string, contextWindow: number | undefined, file: { used: boolean; name?: string }): string | undefined {
  const tokens = estimateTokens(prompt);
  if (!contextWindow || tokens <= contextWindow) return undefined;
  const what = file.used ? `\${file} (${file.name ?? 'the file'}) makes the prompt` : 'The prompt is';
  return `/${presetName} was not sent: ${what} about ${tokens.toLocaleString('en-US')} tokens, more than ${model}'s ${contextWindow.toLocaleString('en-US')}-token context. Select less or pick a model with a larger context.`;
}

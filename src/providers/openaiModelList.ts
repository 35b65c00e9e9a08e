// Reads `GET /models` from OpenAI-compatible vendors. The envelope is `{"object":"list","data":[...]}`
// except for Together (a bare array) and Ollama with nothing installed (`"data": null`). Context
// windows come from whichever vendor field exists; models the vendor marks as not for chat are dropped.
// @see https://platform.openai.com/docs/api-reference/models/list
// @see https://docs.together.ai/reference/models (bare array, context_length, type)
// @see https://console.groq.com/docs/models (context_window, max_completion_tokens, active)
// @see https://docs.mistral.ai/api/#tag/models (max_context_length, capabilities.completion_chat)

import { isRecord } from './errorBody';
import { numberField } from './providerSupport';
import type { ModelInfo } from './types';

// Together's `type` values that cannot chat; Mistral uses `type` for base / fine-tuned, which can.
const nonChatModelTypes = new Set(['image', 'embedding', 'moderation', 'rerank', 'audio', 'transcribe', 'video']);

export function parseOpenAIModelList(body: unknown): ModelInfo[] {
  const entries = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body['data']) ? body['data'] : [];
  const models: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!isRecord(entry) || typeof entry['id'] !== 'string' || !entry['id'] || seen.has(entry['id'])) continue;
    if (!isChatModel(entry)) continue;
    seen.add(entry['id']);
    const contextWindow = positive(numberField(entry, 'context_window') ?? numberField(entry, 'context_length') ?? numberField(entry, 'max_context_length'));
    const maxOutputTokens = positive(numberField(entry, 'max_completion_tokens'));
    models.push({
      id: entry['id'],
      displayName: entry['id'],
      ...(contextWindow !== undefined ? { contextWindow } : {}),
      ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    });
  }
  return models;
}

/** Only explicit vendor metadata excludes a model; ids are never guessed at. */
function isChatModel(entry: Record<string, unknown>): boolean {
  if (entry['active'] === false) return false;
  if (typeof entry['type'] === 'string' && nonChatModelTypes.has(entry['type'])) return false;
  const capabilities = isRecord(entry['capabilities']) ? entry['capabilities'] : undefined;
  return capabilities?.['completion_chat'] !== false;
}

function positive(value: number | undefined): number | undefined {
  return value !== undefined && value > 0 ? value : undefined;
}

// Converts a ChatRequest to generateContent's shape: the system prompt goes to `systemInstruction`,
// turns are `user` / `model` contents that alternate and start with the user. Tool calls become
// `functionCall` parts of the model's turn and tool results `functionResponse` parts of the user's
// turn; Gemini matches a response to its call by function name, so the name is looked up from the
// call the result answers.
// @see https://ai.google.dev/api/generate-content#request-body
// @see https://ai.google.dev/gemini-api/docs/text-generation#system-instructions
// @see https://ai.google.dev/gemini-api/docs/function-calling#step-4

import { ProviderError } from './errors';
import type { ChatMessage, ChatRequest } from './types';

export type GeminiPart =
  | { text: string }
  | { functionCall: { name: string; args: Record<string, unknown> } }
  | { functionResponse: { name: string; response: { output: string } } };

export interface GeminiPrompt {
  systemInstruction: string | undefined;
  contents: { role: 'user' | 'model'; parts: GeminiPart[] }[];
}

/** Stands in for the user turn Gemini expects before a conversation that starts with the model. */
export const leadingGeminiUserTurn = '(continuing an earlier conversation)';

export function toGeminiPrompt(request: ChatRequest): GeminiPrompt {
  const systemParts = request.system?.trim() ? [request.system] : [];
  const contents: GeminiPrompt['contents'] = [];
  const callNames = new Map<string, string>();
  for (const message of request.messages) {
    if (message.role === 'system') {
      if (message.content.trim()) systemParts.push(message.content);
      continue;
    }
    for (const call of message.toolCalls ?? []) callNames.set(call.id, call.name);
    const parts = partsOf(message, callNames);
    if (!parts.length) continue;
    const role = message.role === 'assistant' ? 'model' : 'user';
    const previous = contents[contents.length - 1];
    if (previous && previous.role === role) previous.parts.push(...parts);
    else contents.push({ role, parts });
  }
  if (contents[0]?.role === 'model') contents.unshift({ role: 'user', parts: [{ text: leadingGeminiUserTurn }] });
  return { systemInstruction: systemParts.length ? systemParts.join('\n\n') : undefined, contents };
}

function partsOf(message: ChatMessage, callNames: ReadonlyMap<string, string>): GeminiPart[] {
  const parts: GeminiPart[] = [];
  for (const result of message.toolResults ?? []) {
    parts.push({ functionResponse: { name: callNames.get(result.callId) ?? result.callId, response: { output: result.content } } });
  }
  if (message.content.trim()) parts.push({ text: message.content });
  for (const call of message.toolCalls ?? []) parts.push({ functionCall: { name: call.name, args: call.input } });
  return parts;
}

/**
 * Gemini puts the model id in the URL path (`/models/{model}:streamGenerateContent`), so an id must be
 * a plain name: no slashes beyond the `models/` or `tunedModels/` prefix, no dots-only segments, no
 * query or fragment characters. Anything else is refused before a request is made.
 */
export function checkGeminiModelId(providerId: string, model: string): string {
  const name = model.trim();
  if (!/^(models\/|tunedModels\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name) || /\.\./.test(name)) {
    throw new ProviderError({
      kind: 'model-not-found',
      providerId,
      message: `"${model.slice(0, 80)}" is not a valid Gemini model id (expected a name such as gemini-2.5-flash).`,
      retryable: false,
    });
  }
  return name;
}

/** Model names come back from models.list as `models/gemini-2.5-flash`; the rest of the app uses the bare id. */
export function stripModelPrefix(name: string): string {
  return name.startsWith('models/') ? name.slice('models/'.length) : name;
}

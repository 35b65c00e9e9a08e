// Converts a ChatRequest to the Messages API shape. The system prompt is a top-level `system`
// parameter, not a message; messages must alternate and start with the user, and text blocks must be
// non-empty. The router normalises conversations too, but the adapter must never send a request the
// API rejects for shape alone.
// @see https://docs.anthropic.com/en/api/messages (system, messages)
// @see https://github.com/vercel/ai/blob/main/packages/anthropic/src/convert-to-anthropic-messages-prompt.ts

import type { ChatRequest } from './types';

export interface AnthropicPrompt {
  system: string | undefined;
  messages: { role: 'user' | 'assistant'; content: string }[];
}

/** Stands in for the user turn the API requires before a conversation that starts with the assistant. */
export const leadingUserTurn = '(continuing an earlier conversation)';

export function toAnthropicPrompt(request: ChatRequest): AnthropicPrompt {
  const systemParts = request.system?.trim() ? [request.system] : [];
  const messages: AnthropicPrompt['messages'] = [];
  for (const message of request.messages) {
    if (!message.content.trim()) continue;
    if (message.role === 'system') {
      systemParts.push(message.content);
      continue;
    }
    const previous = messages[messages.length - 1];
    if (previous && previous.role === message.role) previous.content = `${previous.content}\n\n${message.content}`;
    else messages.push({ role: message.role, content: message.content });
  }
  if (messages[0]?.role === 'assistant') messages.unshift({ role: 'user', content: leadingUserTurn });
  return { system: systemParts.length ? systemParts.join('\n\n') : undefined, messages };
}

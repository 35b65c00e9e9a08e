// Converts a ChatRequest to the Messages API shape. The system prompt is a top-level `system`
// parameter, not a message; messages must alternate and start with the user, and text blocks must be
// non-empty. The router normalises conversations too, but the adapter must never send a request the
// API rejects for shape alone. Plain text turns stay plain strings; a turn with tool calls or tool
// results becomes content blocks: `tool_use` blocks after the assistant's text, `tool_result` blocks
// first in the user's turn (the API requires them before any text).
// @see https://docs.anthropic.com/en/api/messages (system, messages)
// @see https://docs.anthropic.com/en/docs/build-with-claude/tool-use/implement-tool-use#handling-tool-use-and-tool-result-content-blocks
// @see https://github.com/vercel/ai/blob/main/packages/anthropic/src/convert-to-anthropic-messages-prompt.ts

import type { ChatMessage, ChatRequest } from './types';

export type AnthropicBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string };

export interface AnthropicPrompt {
  system: string | undefined;
  messages: { role: 'user' | 'assistant'; content: string | AnthropicBlock[] }[];
}

/** Stands in for the user turn the API requires before a conversation that starts with the assistant. */
export const leadingUserTurn = '(continuing an earlier conversation)';

export function toAnthropicPrompt(request: ChatRequest): AnthropicPrompt {
  const systemParts = request.system?.trim() ? [request.system] : [];
  const messages: AnthropicPrompt['messages'] = [];
  for (const message of request.messages) {
    if (message.role === 'system') {
      if (message.content.trim()) systemParts.push(message.content);
      continue;
    }
    const hasTools = Boolean(message.toolCalls?.length || message.toolResults?.length);
    if (!message.content.trim() && !hasTools) continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content = hasTools ? blocksOf(message) : message.content;
    const previous = messages[messages.length - 1];
    if (previous && previous.role === role) previous.content = merge(previous.content, content);
    else messages.push({ role, content });
  }
  if (messages[0]?.role === 'assistant') messages.unshift({ role: 'user', content: leadingUserTurn });
  return { system: systemParts.length ? systemParts.join('\n\n') : undefined, messages };
}

function blocksOf(message: ChatMessage): AnthropicBlock[] {
  const text: AnthropicBlock[] = message.content.trim() ? [{ type: 'text', text: message.content }] : [];
  const results: AnthropicBlock[] = (message.toolResults ?? []).map(result => ({ type: 'tool_result', tool_use_id: result.callId, content: result.content }));
  const calls: AnthropicBlock[] = (message.toolCalls ?? []).map(call => ({ type: 'tool_use', id: call.id, name: call.name, input: call.input }));
  return [...results, ...text, ...calls];
}

function merge(previous: string | AnthropicBlock[], next: string | AnthropicBlock[]): string | AnthropicBlock[] {
  if (typeof previous === 'string' && typeof next === 'string') return `${previous}\n\n${next}`;
  const blocks = [...toBlocks(previous), ...toBlocks(next)];
  // Tool results must lead the user turn.
  return [...blocks.filter(block => block.type === 'tool_result'), ...blocks.filter(block => block.type !== 'tool_result')];
}

function toBlocks(content: string | AnthropicBlock[]): AnthropicBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

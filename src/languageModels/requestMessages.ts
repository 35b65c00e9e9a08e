// VS Code's LM request messages in a vscode-free shape, and their conversion to the provider
// contract's ChatMessage: text parts joined, LanguageModelToolCallPart → `toolCalls` on the assistant
// message, LanguageModelToolResultPart → `toolResults` on the user message. byokChatProvider.ts reads
// the vscode classes into this shape; everything here is unit-tested in plain Node.

import type { ChatMessage, ToolDefinition, ToolMode } from '../providers/types';
import { estimateMessageTokens, estimateTokens } from '../router/conversation';

export type RequestPart =
  | { kind: 'text'; text: string }
  | { kind: 'tool-call'; callId: string; name: string; input: Record<string, unknown> }
  | { kind: 'tool-result'; callId: string; content: string };

export interface RequestMessage {
  role: 'user' | 'assistant' | 'system';
  parts: RequestPart[];
}

export function toChatMessages(messages: readonly RequestMessage[]): ChatMessage[] {
  return messages.map(toChatMessage);
}

export function toChatMessage(message: RequestMessage): ChatMessage {
  const content = message.parts.flatMap(part => (part.kind === 'text' ? [part.text] : [])).join('');
  const converted: ChatMessage = { role: message.role, content };
  const calls = message.parts.flatMap(part => (part.kind === 'tool-call' ? [{ id: part.callId, name: part.name, input: part.input }] : []));
  const results = message.parts.flatMap(part => (part.kind === 'tool-result' ? [{ callId: part.callId, content: part.content }] : []));
  // A call only makes sense from the assistant and a result only from the user; anything else is sent as text.
  if (calls.length && message.role === 'assistant') converted.toolCalls = calls;
  else if (calls.length) converted.content = [content, ...calls.map(call => `[tool call ${call.name} ${JSON.stringify(call.input)}]`)].filter(Boolean).join('\n');
  if (results.length && message.role === 'user') converted.toolResults = results;
  else if (results.length) converted.content = [converted.content, ...results.map(result => result.content)].filter(Boolean).join('\n');
  return converted;
}

/** VS Code's tool list as the provider contract's; a schema that is not an object is left out. */
export function toToolDefinitions(tools: readonly { name: string; description: string; inputSchema?: object | undefined }[] | undefined): ToolDefinition[] | undefined {
  if (!tools?.length) return undefined;
  return tools.map(tool => ({
    name: tool.name,
    description: tool.description,
    ...(tool.inputSchema && !Array.isArray(tool.inputSchema) ? { inputSchema: tool.inputSchema as Record<string, unknown> } : {}),
  }));
}

/** VS Code's LanguageModelChatToolMode: Auto = 1, Required = 2. */
export function toToolMode(mode: number | undefined): ToolMode {
  return mode === 2 ? 'required' : 'auto';
}

/** The estimate context trimming and the budget pre-flight use, so VS Code's budget agrees with ours. */
export function countTokens(input: string | RequestMessage): number {
  return typeof input === 'string' ? estimateTokens(input) : estimateMessageTokens(toChatMessage(input));
}

/** A tool result's content parts as one string: text parts as they are, anything else as JSON. */
export function toolResultText(content: readonly unknown[]): string {
  return content.map(part => {
    if (typeof part === 'string') return part;
    if (typeof part === 'object' && part !== null && 'value' in part) {
      const value = (part as { value: unknown }).value;
      return typeof value === 'string' ? value : safeJson(value);
    }
    return safeJson(part);
  }).join('');
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

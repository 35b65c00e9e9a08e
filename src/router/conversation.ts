// Converts a stored conversation for the provider that will answer next, so switching provider
// or model mid-conversation always works: the system prompt goes to one place, roles alternate
// starting with the user (Anthropic requires it, the others accept it), reasoning produced by a
// different provider is dropped, and the oldest turns are trimmed when the context would overflow.
// Tool calls (VS Code's LM API) stay paired with their results through merging and trimming.

import type { ChatMessage } from '../providers/types';
import type { SdkFamily } from '../providers/registry';

export interface ConversionTarget {
  providerId: string;
  family: SdkFamily;
  model: string;
  /** Input budget of the model in tokens, if known. */
  contextWindow?: number;
  maxOutputTokens?: number;
}

export interface ConvertedConversation {
  system: string | undefined;
  messages: ChatMessage[];
  droppedMessages: number;
}

/** Rough and deliberately conservative: about 3.5 characters per token across languages and code. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

/**
 * What a request sends, in estimated tokens: the system prompt and every message with the reasoning
 * it carries back. Context trimming and the budget pre-flight both use it, so they agree.
 */
export function estimateConversationTokens(system: string | undefined, messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, message) => sum + estimateMessageTokens(message), estimateTokens(system ?? ''));
}

/** One message in estimated tokens, with the reasoning, tool calls and tool results it carries. */
export function estimateMessageTokens(message: ChatMessage): number {
  let total = estimateTokens(message.content) + (message.reasoning ? estimateTokens(message.reasoning) : 0);
  for (const call of message.toolCalls ?? []) total += estimateTokens(call.name) + estimateTokens(JSON.stringify(call.input));
  for (const result of message.toolResults ?? []) total += estimateTokens(result.content);
  return total;
}

const carriesTools = (message: ChatMessage): boolean => Boolean(message.toolCalls?.length || message.toolResults?.length);

/** The output limit assumed when neither the request nor the model names one. */
export const defaultOutputReserve = 4_096;

export function convertConversation(messages: readonly ChatMessage[], system: string | undefined, target: ConversionTarget): ConvertedConversation {
  const systemParts = system?.trim() ? [system.trim()] : [];
  const turns: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      if (message.content.trim()) systemParts.push(message.content.trim());
      continue;
    }
    // An assistant turn that failed before producing text carries nothing the model should see.
    if (!message.content.trim() && !carriesTools(message)) continue;
    const keepReasoning = message.role === 'assistant' && message.reasoning && message.providerId === target.providerId;
    const converted: ChatMessage = { role: message.role, content: message.content };
    if (keepReasoning) converted.reasoning = message.reasoning;
    if (message.providerId) converted.providerId = message.providerId;
    if (message.toolCalls?.length) converted.toolCalls = [...message.toolCalls];
    if (message.toolResults?.length) converted.toolResults = [...message.toolResults];
    const previous = turns[turns.length - 1];
    if (previous && previous.role === converted.role) {
      previous.content = [previous.content, converted.content].filter(text => text.trim()).join('\n\n');
      delete previous.reasoning;
      if (converted.toolCalls) previous.toolCalls = [...(previous.toolCalls ?? []), ...converted.toolCalls];
      if (converted.toolResults) previous.toolResults = [...(previous.toolResults ?? []), ...converted.toolResults];
    } else {
      turns.push(converted);
    }
  }
  dropUnansweredToolCalls(turns);

  const systemText = systemParts.length ? systemParts.join('\n\n') : undefined;
  const droppedMessages = trimToWindow(turns, systemText, target);
  if (turns[0]?.role === 'assistant') turns.unshift({ role: 'user', content: '(The conversation so far follows.)' });
  return { system: systemText, messages: turns, droppedMessages };
}

/**
 * Every API refuses a tool call without its result and a result without its call. A call whose
 * result never came (the request was stopped mid-agent-loop) is removed, and so is a result whose
 * call is not in the message right before it.
 */
function dropUnansweredToolCalls(turns: ChatMessage[]): void {
  for (let index = 0; index < turns.length; index++) {
    const message = turns[index];
    if (!message) continue;
    if (message.toolResults) {
      const previous = turns[index - 1];
      const calls = new Set(previous?.role === 'assistant' ? (previous.toolCalls ?? []).map(call => call.id) : []);
      message.toolResults = message.toolResults.filter(result => calls.has(result.callId));
      if (!message.toolResults.length) delete message.toolResults;
    }
    if (message.toolCalls) {
      const next = turns[index + 1];
      const answered = new Set(next?.role === 'user' ? (next.toolResults ?? []).map(result => result.callId) : []);
      message.toolCalls = message.toolCalls.filter(call => answered.has(call.id));
      if (!message.toolCalls.length) delete message.toolCalls;
    }
  }
  for (let index = turns.length - 1; index >= 0; index--) {
    const message = turns[index];
    if (message && !message.content.trim() && !carriesTools(message)) turns.splice(index, 1);
  }
  // Removing an empty turn can leave two of the same role next to each other: merge them again.
  for (let index = turns.length - 1; index > 0; index--) {
    const message = turns[index];
    const previous = turns[index - 1];
    if (!message || !previous || message.role !== previous.role) continue;
    previous.content = [previous.content, message.content].filter(text => text.trim()).join('\n\n');
    if (message.toolCalls) previous.toolCalls = [...(previous.toolCalls ?? []), ...message.toolCalls];
    if (message.toolResults) previous.toolResults = [...(previous.toolResults ?? []), ...message.toolResults];
    turns.splice(index, 1);
  }
}

/**
 * Drops the oldest turns until the estimate fits. Always keeps the last user turn, and with it the
 * assistant turn whose tool calls it answers; never leaves a tool result at the front without its call.
 */
function trimToWindow(turns: ChatMessage[], system: string | undefined, target: ConversionTarget): number {
  if (!target.contextWindow) return 0;
  const reserve = Math.min(target.maxOutputTokens ?? defaultOutputReserve, Math.floor(target.contextWindow / 4));
  const budget = target.contextWindow - reserve - estimateTokens(system ?? '');
  let total = estimateConversationTokens(undefined, turns);
  let dropped = 0;
  const minimum = (): number => (turns[turns.length - 1]?.toolResults?.length ? 2 : 1);
  while (total > budget && turns.length > minimum()) {
    const removed = turns.shift();
    if (!removed) break;
    total -= estimateMessageTokens(removed);
    dropped++;
    // Keep the user-first rule after trimming, and never start with a result whose call was dropped.
    while (turns.length > minimum() && (turns[0]?.role === 'assistant' || turns[0]?.toolResults?.length)) {
      const orphan = turns.shift();
      if (orphan) total -= estimateMessageTokens(orphan);
      dropped++;
    }
  }
  return dropped;
}

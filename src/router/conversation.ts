// Converts a stored conversation for the provider that will answer next, so switching provider
// or model mid-conversation always works: the system prompt goes to one place, roles alternate
// starting with the user (Anthropic requires it, the others accept it), reasoning produced by a
// different provider is dropped, and the oldest turns are trimmed when the context would overflow.

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

const defaultOutputReserve = 4_096;

export function convertConversation(messages: readonly ChatMessage[], system: string | undefined, target: ConversionTarget): ConvertedConversation {
  const systemParts = system?.trim() ? [system.trim()] : [];
  const turns: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system') {
      if (message.content.trim()) systemParts.push(message.content.trim());
      continue;
    }
    // An assistant turn that failed before producing text carries nothing the model should see.
    if (!message.content.trim()) continue;
    const keepReasoning = message.role === 'assistant' && message.reasoning && message.providerId === target.providerId;
    const converted: ChatMessage = { role: message.role, content: message.content };
    if (keepReasoning) converted.reasoning = message.reasoning;
    if (message.providerId) converted.providerId = message.providerId;
    const previous = turns[turns.length - 1];
    if (previous && previous.role === converted.role) {
      previous.content = `${previous.content}\n\n${converted.content}`;
      delete previous.reasoning;
    } else {
      turns.push(converted);
    }
  }
  if (turns[0]?.role === 'assistant') turns.unshift({ role: 'user', content: '(The conversation so far follows.)' });

  const systemText = systemParts.length ? systemParts.join('\n\n') : undefined;
  const droppedMessages = trimToWindow(turns, systemText, target);
  return { system: systemText, messages: turns, droppedMessages };
}

/** Drops the oldest user/assistant pairs until the estimate fits; always keeps the last user turn. */
function trimToWindow(turns: ChatMessage[], system: string | undefined, target: ConversionTarget): number {
  if (!target.contextWindow) return 0;
  const reserve = Math.min(target.maxOutputTokens ?? defaultOutputReserve, Math.floor(target.contextWindow / 4));
  const budget = target.contextWindow - reserve - estimateTokens(system ?? '');
  let total = turns.reduce((sum, turn) => sum + estimateTokens(turn.content), 0);
  let dropped = 0;
  while (total > budget && turns.length > 1) {
    const removed = turns.shift();
    if (!removed) break;
    total -= estimateTokens(removed.content);
    dropped++;
    // Keep the user-first rule after trimming.
    if (turns[0]?.role === 'assistant' && turns.length > 1) {
      const orphan = turns.shift();
      if (orphan) total -= estimateTokens(orphan.content);
      dropped++;
    }
  }
  return dropped;
}

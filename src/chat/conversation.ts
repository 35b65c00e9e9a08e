// The conversation domain: turns (one question, one or more answers, one of them chosen), what the
// model gets as history and what the view may see. Pure data and functions: no I/O, no `vscode`.

import { randomUUID } from 'node:crypto';
import type { ChatMessage } from '../providers/types';
import type { AttachmentChip, TranscriptMessage } from '../webview/protocol';

export interface StoredMessage extends TranscriptMessage {
  /** What was sent to the model for a user turn: the text plus attached context. */
  content?: string;
  /** Request id of the answer, so retry can find it. */
  requestId?: string;
  /** Which provider wrote an assistant message, so its reasoning goes back only to it. */
  providerId?: string;
  /** Set while the answer streams; left behind only by a crash or reload (then read as stopped). */
  pending?: boolean;
  /** The answer hit the output token limit. */
  truncated?: boolean;
}

/**
 * One question and its answers. Several answers exist when the user compares models; only the
 * `chosen` one is shown in the transcript and sent back to the model as history.
 */
export interface Turn {
  id: string;
  user: StoredMessage;
  answers: StoredMessage[];
  /** Index into `answers`; meaningless while `answers` is empty. */
  chosen: number;
  /** Set for a question asked from the editor (explain), so a retry is counted as the same feature. */
  feature?: 'explain';
  /** The provider/model a preset asked for instead of the chat's choice, so Retry and Send anyway use them too. */
  overrides?: TurnOverrides;
}

export interface TurnOverrides {
  providerId?: string;
  model?: string;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: Turn[];
}

/** What the history list shows; kept in the index so listing never reads a conversation. */
export interface ConversationIndexEntry {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Messages in the transcript (questions + chosen answers). */
  messageCount: number;
  /** Sum over every answer with a price, chosen or not: that money was spent. */
  totalCostUsd?: number;
}

export function newConversation(now = Date.now()): Conversation {
  return { id: randomUUID(), title: 'New chat', createdAt: now, updatedAt: now, turns: [] };
}

export function newTurn(user: StoredMessage, feature: 'chat' | 'explain' = 'chat', overrides?: TurnOverrides): Turn {
  return {
    id: randomUUID(), user, answers: [], chosen: 0, ...(feature === 'explain' ? { feature } : {}),
    ...(overrides && (overrides.providerId || overrides.model) ? { overrides: { ...overrides } } : {}),
  };
}

export function chosenAnswer(turn: Turn): StoredMessage | undefined {
  return turn.answers[turn.chosen] ?? turn.answers[turn.answers.length - 1];
}

/** The transcript: each question followed by its chosen answer. */
export function visibleMessages(conversation: Conversation): StoredMessage[] {
  const messages: StoredMessage[] = [];
  for (const turn of conversation.turns) {
    messages.push(turn.user);
    const answer = chosenAnswer(turn);
    if (answer) messages.push(answer);
  }
  return messages;
}

export function messageCount(conversation: Conversation): number {
  let count = 0;
  for (const turn of conversation.turns) count += turn.answers.length ? 2 : 1;
  return count;
}

export function totalCost(conversation: Conversation): number | undefined {
  let total: number | undefined;
  for (const turn of conversation.turns) {
    for (const answer of turn.answers) if (answer.meta?.costUsd !== undefined) total = (total ?? 0) + answer.meta.costUsd;
  }
  return total;
}

export function indexEntryOf(conversation: Conversation): ConversationIndexEntry {
  const total = totalCost(conversation);
  return {
    id: conversation.id, title: conversation.title, createdAt: conversation.createdAt, updatedAt: conversation.updatedAt,
    messageCount: messageCount(conversation), ...(total !== undefined ? { totalCostUsd: total } : {}),
  };
}

export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
}

/** An answer a reload cut off keeps its text and is shown as stopped, as if the user had pressed Stop. */
export function settleInterrupted(message: StoredMessage): StoredMessage {
  if (!message.pending) return message;
  const { pending: _pending, ...rest } = message;
  return { ...rest, stopped: true };
}

export function toChatMessage(message: StoredMessage): ChatMessage {
  return {
    role: message.role,
    content: message.role === 'user' ? message.content ?? message.text : message.text,
    ...(message.reasoning ? { reasoning: message.reasoning } : {}),
    ...(message.providerId ? { providerId: message.providerId } : {}),
  };
}

/** What the webview may see of a stored message: never the attached content sent to the model. */
export function toTranscript(message: StoredMessage): TranscriptMessage {
  const { id, role, text, reasoning, meta, stopped, error, attachments, requestId, preset } = message;
  return {
    id, role, text, ...(requestId ? { requestId } : {}),
    ...(reasoning ? { reasoning } : {}), ...(meta ? { meta } : {}), ...(stopped ? { stopped } : {}),
    ...(error ? { error } : {}), ...(attachments ? { attachments } : {}), ...(preset ? { preset } : {}),
  };
}

export function chipOf(attachment: AttachmentChip): AttachmentChip {
  return { id: attachment.id, label: attachment.label, kind: attachment.kind };
}

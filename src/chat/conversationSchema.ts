// The on-disk schema of a conversation and the migration from older files.
//   0.1.0 (no `version`): { id, title, createdAt, updatedAt, messages: StoredMessage[] }, a flat list
//         rewritten whole on every save.
//   2:    { version: 2, id, title, createdAt, updatedAt, turns: Turn[] } — the compacted snapshot;
//         later changes live in the journal next to it (see conversationStore.ts).
// Reading never throws: anything that is not a conversation is `undefined`.

import { randomUUID } from 'node:crypto';
import { settleInterrupted, type Conversation, type StoredMessage, type Turn } from './conversation';

export const schemaVersion = 2;

export interface ConversationFileV2 extends Conversation {
  version: 2;
}

export const idPattern = /^[A-Za-z0-9_-]{1,80}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function isMessage(value: unknown): value is StoredMessage {
  return isRecord(value) && typeof value['id'] === 'string' && (value['role'] === 'user' || value['role'] === 'assistant') && typeof value['text'] === 'string';
}

function isTurn(value: unknown): value is Turn {
  return isRecord(value) && typeof value['id'] === 'string' && isMessage(value['user']) && Array.isArray(value['answers'])
    && value['answers'].every(isMessage) && typeof value['chosen'] === 'number';
}

/**
 * A stored turn's provider/model override is kept only as optional strings and nothing else (the
 * router checks that they exist); anything else is dropped, never the turn: a hand-edited or hostile
 * file loses no history, and it cannot smuggle other request fields into a retry.
 */
function withValidOverrides(turn: Turn): Turn {
  const { overrides } = turn as { overrides?: unknown };
  if (overrides === undefined) return turn;
  const valid = isRecord(overrides) && Object.keys(overrides).length > 0
    && Object.entries(overrides).every(([name, field]) => (name === 'providerId' || name === 'model') && typeof field === 'string');
  if (valid) return turn;
  const { overrides: _dropped, ...rest } = turn;
  return rest;
}

function hasHeader(record: Record<string, unknown>): boolean {
  return typeof record['id'] === 'string' && idPattern.test(record['id']) && typeof record['title'] === 'string'
    && typeof record['updatedAt'] === 'number';
}

/** Parses a conversation file of any known version into the current shape, or undefined. */
export function parseConversationFile(value: unknown): { conversation: Conversation; migrated: boolean } | undefined {
  if (!isRecord(value) || !hasHeader(value)) return undefined;
  if (value['version'] === undefined) {
    if (!Array.isArray(value['messages']) || !value['messages'].every(isMessage)) return undefined;
    return { conversation: migrateFrom010(value as unknown as LegacyConversation), migrated: true };
  }
  if (value['version'] !== schemaVersion || !Array.isArray(value['turns']) || !value['turns'].every(isTurn)) return undefined;
  const { version: _version, ...conversation } = value as unknown as ConversationFileV2;
  return {
    conversation: { ...conversation, turns: conversation.turns.map(withValidOverrides), createdAt: typeof conversation.createdAt === 'number' ? conversation.createdAt : conversation.updatedAt },
    migrated: false,
  };
}

interface LegacyConversation {
  id: string;
  title: string;
  createdAt?: number;
  updatedAt: number;
  messages: StoredMessage[];
}

/**
 * 0.1.0 → 2: each user message opens a turn; the answers after it belong to that turn, the last one
 * chosen (0.1.0 replaced a retried answer, so there is normally exactly one). An answer left
 * `pending` by a reload mid-stream keeps its text and is marked stopped, as 0.1.0 showed it.
 */
export function migrateFrom010(legacy: LegacyConversation): Conversation {
  const turns: Turn[] = [];
  for (const message of legacy.messages) {
    if (message.role === 'user') {
      turns.push({ id: randomUUID(), user: message, answers: [], chosen: 0 });
      continue;
    }
    let turn = turns[turns.length - 1];
    if (!turn) {
      // An answer without a question before it (never written by 0.1.0, but kept rather than lost).
      turn = { id: randomUUID(), user: { id: randomUUID(), role: 'user', text: '' }, answers: [], chosen: 0 };
      turns.push(turn);
    }
    turn.answers.push(settleInterrupted(message));
    turn.chosen = turn.answers.length - 1;
  }
  return { id: legacy.id, title: legacy.title, createdAt: legacy.createdAt ?? legacy.updatedAt, updatedAt: legacy.updatedAt, turns };
}

export function toFile(conversation: Conversation): ConversationFileV2 {
  return { version: schemaVersion, id: conversation.id, title: conversation.title, createdAt: conversation.createdAt, updatedAt: conversation.updatedAt, turns: conversation.turns };
}

// ---------- journal records (appended after the snapshot, replayed on open) ----------

export type JournalRecord =
  /** A new turn (the question; its answers follow as `answer` records). */
  | { t: 'turn'; turn: Turn; updatedAt: number }
  /** A settled answer: replaces the answer with the same id or is added; becomes the chosen one. */
  | { t: 'answer'; turnId: string; answer: StoredMessage; updatedAt: number }
  | { t: 'remove-answer'; turnId: string; answerId: string }
  | { t: 'remove-turn'; turnId: string }
  | { t: 'header'; title: string; updatedAt: number };

export function applyRecord(conversation: Conversation, record: JournalRecord): void {
  switch (record.t) {
    case 'turn':
      if (!conversation.turns.some(turn => turn.id === record.turn.id)) conversation.turns.push(withValidOverrides(record.turn));
      conversation.updatedAt = Math.max(conversation.updatedAt, record.updatedAt);
      return;
    case 'answer': {
      const turn = conversation.turns.find(each => each.id === record.turnId);
      if (!turn) return;
      const index = turn.answers.findIndex(answer => answer.id === record.answer.id);
      if (index >= 0) turn.answers[index] = record.answer;
      else turn.answers.push(record.answer);
      turn.chosen = index >= 0 ? index : turn.answers.length - 1;
      conversation.updatedAt = Math.max(conversation.updatedAt, record.updatedAt);
      return;
    }
    case 'remove-answer': {
      const turn = conversation.turns.find(each => each.id === record.turnId);
      if (!turn) return;
      const index = turn.answers.findIndex(answer => answer.id === record.answerId);
      if (index < 0) return;
      turn.answers.splice(index, 1);
      if (turn.chosen >= index && turn.chosen > 0) turn.chosen--;
      return;
    }
    case 'remove-turn':
      conversation.turns = conversation.turns.filter(turn => turn.id !== record.turnId);
      return;
    case 'header':
      conversation.title = record.title;
      conversation.updatedAt = Math.max(conversation.updatedAt, record.updatedAt);
      return;
  }
}

export function isJournalRecord(value: unknown): value is JournalRecord {
  if (!isRecord(value)) return false;
  switch (value['t']) {
    case 'turn': return isTurn(value['turn']) && typeof value['updatedAt'] === 'number';
    case 'answer': return typeof value['turnId'] === 'string' && isMessage(value['answer']) && typeof value['updatedAt'] === 'number';
    case 'remove-answer': return typeof value['turnId'] === 'string' && typeof value['answerId'] === 'string';
    case 'remove-turn': return typeof value['turnId'] === 'string';
    case 'header': return typeof value['title'] === 'string' && typeof value['updatedAt'] === 'number';
    default: return false;
  }
}

/** The in-progress answer, rewritten (small) while it streams. */
export interface LiveAnswer {
  turnId: string;
  answer: StoredMessage;
}

export function isLiveAnswer(value: unknown): value is LiveAnswer {
  return isRecord(value) && typeof value['turnId'] === 'string' && isMessage(value['answer']);
}

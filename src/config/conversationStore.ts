// Persists chat conversations per workspace as one JSON file each under the extension's
// workspace storage (global storage when no folder is open). Writes are atomic (temp file +
// rename) and throttled while a answer streams, so a crash or reload loses at most the last
// fraction of a second of text, never a whole conversation.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TranscriptMessage } from '../webview/protocol';

export interface StoredMessage extends TranscriptMessage {
  /** What was sent to the model for a user turn: the text plus attached context. */
  content?: string;
  /** Request id of the answer, so retry can find it. */
  requestId?: string;
  /** Which provider wrote an assistant message, so its reasoning goes back only to it. */
  providerId?: string;
  /** Set while the answer streams; left behind only by a crash or reload. */
  pending?: boolean;
  /** The answer hit the output token limit. */
  truncated?: boolean;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  messages: StoredMessage[];
}

const idPattern = /^[A-Za-z0-9_\-]{1,80}$/;

export class ConversationStore {
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly latest = new Map<string, Conversation>();
  /** One write at a time per conversation, so two saves never race on the same file. */
  private readonly writing = new Map<string, Promise<void>>();
  private writeCounter = 0;

  constructor(private readonly directory: string, private readonly throttleMs = 250) {}

  async list(): Promise<Conversation[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch {
      return [];
    }
    const conversations: Conversation[] = [];
    for (const name of names.filter(file => file.endsWith('.json'))) {
      const conversation = await this.read(name.slice(0, -'.json'.length));
      if (conversation) conversations.push(conversation);
    }
    return conversations.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async read(id: string): Promise<Conversation | undefined> {
    if (!idPattern.test(id)) return undefined;
    const pending = this.latest.get(id);
    if (pending) return pending;
    try {
      const parsed: unknown = JSON.parse(await fs.readFile(this.file(id), 'utf8'));
      return isConversation(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves soon; repeated calls within the throttle window write once. */
  saveSoon(conversation: Conversation): void {
    this.latest.set(conversation.id, conversation);
    if (this.pending.has(conversation.id)) return;
    // A failed background save is retried by the next save; it must never become an unhandled rejection.
    this.pending.set(conversation.id, setTimeout(() => { this.flush(conversation.id).catch(() => undefined); }, this.throttleMs));
  }

  async save(conversation: Conversation): Promise<void> {
    this.latest.set(conversation.id, conversation);
    await this.flush(conversation.id);
  }

  async flush(id?: string): Promise<void> {
    const ids = id ? [id] : [...this.latest.keys()];
    for (const each of ids) {
      const timer = this.pending.get(each);
      if (timer) clearTimeout(timer);
      this.pending.delete(each);
      const conversation = this.latest.get(each);
      if (!conversation) continue;
      this.latest.delete(each);
      const previous = this.writing.get(each) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => this.write(conversation));
      this.writing.set(each, next);
      try {
        await next;
      } finally {
        if (this.writing.get(each) === next) this.writing.delete(each);
      }
    }
  }

  async delete(id: string): Promise<void> {
    if (!idPattern.test(id)) return;
    const timer = this.pending.get(id);
    if (timer) clearTimeout(timer);
    this.pending.delete(id);
    this.latest.delete(id);
    await fs.rm(this.file(id), { force: true });
  }

  private file(id: string): string {
    return path.join(this.directory, `${id}.json`);
  }

  private async write(conversation: Conversation): Promise<void> {
    if (!idPattern.test(conversation.id)) return;
    await fs.mkdir(this.directory, { recursive: true });
    const target = this.file(conversation.id);
    const temporary = `${target}.${process.pid}.${++this.writeCounter}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(conversation), 'utf8');
    await fs.rename(temporary, target);
  }
}

function isConversation(value: unknown): value is Conversation {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['id'] === 'string' && idPattern.test(record['id']) && typeof record['title'] === 'string'
    && typeof record['updatedAt'] === 'number' && Array.isArray(record['messages']);
}

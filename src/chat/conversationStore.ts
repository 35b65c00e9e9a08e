// Persists chat conversations per workspace under the extension's storage folder. Layout:
//   index.json              titles, times, message counts and costs of every conversation: the
//                           history list reads only this, never a conversation's messages
//   <id>.json               the compacted snapshot (schema 2; 0.1.0 files are migrated on open)
//   <id>.journal.jsonl      what changed since the snapshot, one record per line, append-only
//   <id>.live.json          the answer that is streaming right now (small; rewritten, throttled)
// So a turn writes its question and its settled answer once each, and a streaming answer rewrites
// only itself — never the whole conversation. Opening a conversation replays the journal, keeps an
// answer a reload cut off (marked stopped) and compacts everything back into the snapshot.
// Crash safety: snapshots, live answers and the index are written to a temp file and renamed; a
// journal line torn by a crash is skipped (each record starts on a fresh line); a lost index is
// rebuilt from the files. One writer per conversation: its writes run one after another.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { indexEntryOf, settleInterrupted, type Conversation, type ConversationIndexEntry, type StoredMessage, type Turn } from './conversation';
import { applyRecord, idPattern, isJournalRecord, isLiveAnswer, parseConversationFile, toFile, type JournalRecord } from './conversationSchema';

export interface ConversationStoreOptions {
  /** How often the streaming answer is written at most. */
  liveThrottleMs?: number;
  /** How long index changes are gathered before the index is written. */
  indexDelayMs?: number;
  /** Journal records after which the next settled answer compacts the conversation. */
  compactAfterRecords?: number;
  onError?(message: string): void;
}

/** What the store wrote and read, per kind: for tests and the pipeline bench. */
export interface ConversationStoreStats {
  bytesWritten: { snapshot: number; journal: number; live: number; index: number };
  /** Conversation files (snapshot/journal) read: listing must not add to it. */
  conversationReads: number;
}

const indexFile = 'index.json';

export class ConversationStore {
  readonly stats: ConversationStoreStats = { bytesWritten: { snapshot: 0, journal: 0, live: 0, index: 0 }, conversationReads: 0 };
  private index: Promise<Map<string, ConversationIndexEntry>> | undefined;
  private indexTimer: NodeJS.Timeout | undefined;
  private indexWrite: Promise<void> = Promise.resolve();
  /** Per conversation: the tail of its write queue. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Conversations whose snapshot exists on disk (or is queued). */
  private readonly onDisk = new Set<string>();
  private readonly journalRecords = new Map<string, number>();
  /** Deleted conversations: an answer that settles afterwards must not bring files or an index entry back. */
  private readonly deleted = new Set<string>();
  private readonly live = new Map<string, { turnId: string; answer: StoredMessage; timer: NodeJS.Timeout | undefined }>();
  private temporaryCounter = 0;
  private readonly liveThrottleMs: number;
  private readonly indexDelayMs: number;
  private readonly compactAfterRecords: number;

  constructor(readonly directory: string, private readonly options: ConversationStoreOptions = {}) {
    this.liveThrottleMs = options.liveThrottleMs ?? 250;
    this.indexDelayMs = options.indexDelayMs ?? 250;
    this.compactAfterRecords = options.compactAfterRecords ?? 400;
  }

  // ---------- reading ----------

  /** The history list, newest first, from the index alone. */
  async list(): Promise<ConversationIndexEntry[]> {
    const index = await this.loadIndex();
    return [...index.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** The index entry of one conversation, without reading it. */
  async summary(id: string): Promise<ConversationIndexEntry | undefined> {
    return (await this.loadIndex()).get(id);
  }

  /** Opens a conversation: snapshot + journal + interrupted answer, compacted back into the snapshot. */
  async read(id: string): Promise<Conversation | undefined> {
    if (!idPattern.test(id)) return undefined;
    await this.settleWrites(id);
    const loaded = await this.load(id);
    if (!loaded) return undefined;
    if (loaded.dirty) await this.enqueue(id, () => this.compact(loaded.conversation));
    (await this.loadIndex()).set(id, indexEntryOf(loaded.conversation));
    if (loaded.dirty) this.scheduleIndexWrite();
    return loaded.conversation;
  }

  private async load(id: string): Promise<{ conversation: Conversation; dirty: boolean } | undefined> {
    this.stats.conversationReads++;
    const snapshotText = await readText(this.file(id, 'snapshot'));
    const journalText = await readText(this.file(id, 'journal'));
    const liveText = await readText(this.file(id, 'live'));
    if (snapshotText === undefined) return undefined;
    const parsed = parseConversationFile(parseJson(snapshotText));
    if (!parsed) return undefined;
    const conversation = parsed.conversation;
    this.onDisk.add(id);
    let records = 0;
    for (const line of (journalText ?? '').split('\n')) {
      if (!line.trim()) continue;
      const record = parseJson(line);
      if (!isJournalRecord(record)) continue; // a line torn by a crash
      applyRecord(conversation, record);
      records++;
    }
    const live = liveText === undefined ? undefined : parseJson(liveText);
    if (isLiveAnswer(live)) {
      applyRecord(conversation, { t: 'answer', turnId: live.turnId, answer: settleInterrupted({ ...live.answer, pending: true }), updatedAt: conversation.updatedAt });
    }
    // Answers still `pending` in the snapshot (a 0.1.0 file, or a live answer compacted mid-crash).
    for (const turn of conversation.turns) turn.answers = turn.answers.map(settleInterrupted);
    this.journalRecords.set(id, records);
    return { conversation, dirty: parsed.migrated || journalText !== undefined || liveText !== undefined };
  }

  private loadIndex(): Promise<Map<string, ConversationIndexEntry>> {
    this.index ??= (async () => {
      const entries = new Map<string, ConversationIndexEntry>();
      const stored = parseJson(await readText(path.join(this.directory, indexFile)) ?? '');
      const list = typeof stored === 'object' && stored !== null && Array.isArray((stored as { conversations?: unknown }).conversations)
        ? (stored as { conversations: unknown[] }).conversations : [];
      for (const entry of list) if (isIndexEntry(entry)) entries.set(entry.id, entry);
      // Reconcile with the folder (names only): a crash may have lost the last index write.
      let names: string[] = [];
      try { names = await fs.readdir(this.directory); } catch { /* no folder yet */ }
      const ids = new Set(names.filter(name => name.endsWith('.json') && name !== indexFile && !name.endsWith('.live.json')).map(name => name.slice(0, -'.json'.length)).filter(id => idPattern.test(id)));
      let changed = false;
      for (const id of [...entries.keys()]) if (!ids.has(id)) { entries.delete(id); changed = true; }
      for (const id of ids) {
        this.onDisk.add(id);
        if (entries.has(id)) continue;
        // Not indexed yet (0.1.0 files, or a crash before the index was written): read it once.
        const loaded = await this.load(id);
        if (loaded) entries.set(id, indexEntryOf(loaded.conversation));
        changed = true;
      }
      if (changed) this.scheduleIndexWrite();
      return entries;
    })();
    return this.index;
  }

  // ---------- writing (none of these waits for the disk; flush() does) ----------

  /** A new turn: its question is appended to the journal. */
  appendTurn(conversation: Conversation, turn: Turn): void {
    const record: JournalRecord = { t: 'turn', turn: { ...turn, answers: [...turn.answers] }, updatedAt: conversation.updatedAt };
    const header = this.onDisk.has(conversation.id) ? undefined : toFile({ ...conversation, turns: [] });
    this.onDisk.add(conversation.id);
    void this.enqueue(conversation.id, async () => {
      if (header) await this.writeAtomic(this.file(conversation.id, 'snapshot'), JSON.stringify(header), 'snapshot');
      await this.append(conversation.id, record);
    });
    const added = 1 + (turn.answers.length ? 1 : 0);
    // A turn adopted from a comparison arrives with its answers: their money was spent too.
    const priced = turn.answers.filter(answer => answer.meta?.costUsd !== undefined);
    const cost = priced.reduce((sum, answer) => sum + answer.meta!.costUsd!, 0);
    this.updateIndex(conversation, entry => {
      entry.messageCount += added;
      if (priced.length) entry.totalCostUsd = (entry.totalCostUsd ?? 0) + cost;
    });
  }

  /** The streaming answer's latest state; written at most every `liveThrottleMs`. */
  setLive(conversationId: string, turnId: string, answer: StoredMessage): void {
    if (this.deleted.has(conversationId)) return;
    const existing = this.live.get(conversationId);
    if (existing) {
      existing.turnId = turnId;
      existing.answer = answer;
      return;
    }
    const entry = { turnId, answer, timer: undefined as NodeJS.Timeout | undefined };
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      this.live.delete(conversationId);
      const text = JSON.stringify({ turnId: entry.turnId, answer: { ...entry.answer, pending: true } });
      void this.enqueue(conversationId, () => this.writeAtomic(this.file(conversationId, 'live'), text, 'live'));
    }, this.liveThrottleMs);
    this.live.set(conversationId, entry);
  }

  /** A settled answer (finished, stopped or failed): journaled, the live file dropped. */
  settleAnswer(conversation: Conversation, turn: Turn, answer: StoredMessage, options: { firstAnswer: boolean }): void {
    this.dropLive(conversation.id);
    const stored: StoredMessage = { ...answer };
    delete stored.pending;
    const record: JournalRecord = { t: 'answer', turnId: turn.id, answer: stored, updatedAt: conversation.updatedAt };
    void this.enqueue(conversation.id, async () => {
      await this.append(conversation.id, record);
      await fs.rm(this.file(conversation.id, 'live'), { force: true });
      if ((this.journalRecords.get(conversation.id) ?? 0) >= this.compactAfterRecords) await this.compact(conversation);
    });
    const cost = answer.meta?.costUsd;
    this.updateIndex(conversation, entry => {
      if (options.firstAnswer) entry.messageCount += 1;
      if (cost !== undefined) entry.totalCostUsd = (entry.totalCostUsd ?? 0) + cost;
    });
  }

  /** A turn that never got an answer (a queued request that was cancelled). */
  removeTurn(conversation: Conversation, turn: Turn): void {
    void this.enqueue(conversation.id, () => this.append(conversation.id, { t: 'remove-turn', turnId: turn.id }));
    const removed = 1 + (turn.answers.length ? 1 : 0);
    this.updateIndex(conversation, entry => { entry.messageCount -= removed; });
  }

  setTitle(conversation: Conversation): void {
    if (!this.onDisk.has(conversation.id)) {
      // Not on disk yet: the first turn writes the header with the title.
      return;
    }
    void this.enqueue(conversation.id, () => this.append(conversation.id, { t: 'header', title: conversation.title, updatedAt: conversation.updatedAt }));
    this.updateIndex(conversation, () => undefined);
  }

  async delete(id: string): Promise<void> {
    if (!idPattern.test(id)) return;
    this.dropLive(id);
    this.deleted.add(id);
    this.onDisk.delete(id);
    this.journalRecords.delete(id);
    await this.enqueue(id, async () => {
      for (const kind of ['snapshot', 'journal', 'live'] as const) await fs.rm(this.file(id, kind), { force: true });
    }, { evenIfDeleted: true });
    (await this.loadIndex()).delete(id);
    this.scheduleIndexWrite();
  }

  /** Waits for every queued write (live answers included) and the index. */
  async flush(): Promise<void> {
    for (const [conversationId, entry] of [...this.live]) {
      if (entry.timer) clearTimeout(entry.timer);
      this.live.delete(conversationId);
      const text = JSON.stringify({ turnId: entry.turnId, answer: { ...entry.answer, pending: true } });
      void this.enqueue(conversationId, () => this.writeAtomic(this.file(conversationId, 'live'), text, 'live'));
    }
    await Promise.all([...this.chains.values()].map(chain => chain.catch(() => undefined)));
    if (this.indexTimer) {
      clearTimeout(this.indexTimer);
      this.indexTimer = undefined;
      await this.writeIndex();
    }
    await this.indexWrite.catch(() => undefined);
  }

  /** Writes still queued or waiting for their throttle: for tests and the memory bench. */
  get pendingWrites(): number {
    return this.chains.size + this.live.size + (this.indexTimer ? 1 : 0);
  }

  // ---------- internals ----------

  /** `change` runs once the index is loaded: it must use values captured at the call, not live objects. */
  private updateIndex(conversation: Conversation, change: (entry: ConversationIndexEntry) => void): void {
    const id = conversation.id;
    if (this.deleted.has(id)) return;
    const title = conversation.title;
    const updatedAt = conversation.updatedAt;
    const createdAt = conversation.createdAt;
    // The index is loaded at startup (the first list); queue behind it rather than wait here.
    void this.loadIndex().then(index => {
      const entry = index.get(id) ?? { id, title, createdAt, updatedAt, messageCount: 0 };
      entry.title = title;
      entry.updatedAt = Math.max(entry.updatedAt, updatedAt);
      change(entry);
      index.set(id, entry);
      this.scheduleIndexWrite();
    }).catch(error => this.options.onError?.(`could not update the conversation index: ${String(error)}`));
  }

  private scheduleIndexWrite(): void {
    this.indexTimer ??= setTimeout(() => {
      this.indexTimer = undefined;
      void this.writeIndex();
    }, this.indexDelayMs);
  }

  private writeIndex(): Promise<void> {
    this.indexWrite = this.indexWrite.catch(() => undefined).then(async () => {
      const index = await this.loadIndex();
      const text = JSON.stringify({ version: 2, conversations: [...index.values()] });
      await this.writeAtomic(path.join(this.directory, indexFile), text, 'index');
    }).catch(error => this.options.onError?.(`could not write the conversation index: ${String(error)}`));
    return this.indexWrite;
  }

  private dropLive(conversationId: string): void {
    const entry = this.live.get(conversationId);
    if (entry?.timer) clearTimeout(entry.timer);
    this.live.delete(conversationId);
  }

  /** Runs `work` after the conversation's earlier writes; a failure is reported, never unhandled. */
  private enqueue(id: string, work: () => Promise<void>, options: { evenIfDeleted?: boolean } = {}): Promise<void> {
    // An id that could name a path outside the folder is never written.
    if (!idPattern.test(id) || (this.deleted.has(id) && !options.evenIfDeleted)) return Promise.resolve();
    const previous = this.chains.get(id) ?? Promise.resolve();
    const next = previous.then(work).catch(error => this.options.onError?.(`could not save conversation ${id}: ${String(error)}`));
    this.chains.set(id, next);
    void next.then(() => { if (this.chains.get(id) === next) this.chains.delete(id); });
    return next;
  }

  private async settleWrites(id: string): Promise<void> {
    const entry = this.live.get(id);
    if (entry) {
      this.dropLive(id);
      const text = JSON.stringify({ turnId: entry.turnId, answer: { ...entry.answer, pending: true } });
      void this.enqueue(id, () => this.writeAtomic(this.file(id, 'live'), text, 'live'));
    }
    await this.chains.get(id);
  }

  private async compact(conversation: Conversation): Promise<void> {
    await this.writeAtomic(this.file(conversation.id, 'snapshot'), JSON.stringify(toFile(conversation)), 'snapshot');
    // After the snapshot is in place the journal and live answer are part of it; a crash between the
    // two leaves records that replay onto the snapshot without effect (turns and answers are keyed by id).
    await fs.rm(this.file(conversation.id, 'journal'), { force: true });
    await fs.rm(this.file(conversation.id, 'live'), { force: true });
    this.journalRecords.set(conversation.id, 0);
    this.onDisk.add(conversation.id);
  }

  private async append(id: string, record: JournalRecord): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    // Leading newline: a record never continues a line a crash tore.
    const text = `\n${JSON.stringify(record)}`;
    await fs.appendFile(this.file(id, 'journal'), text, 'utf8');
    this.stats.bytesWritten.journal += Buffer.byteLength(text);
    this.journalRecords.set(id, (this.journalRecords.get(id) ?? 0) + 1);
  }

  private async writeAtomic(target: string, text: string, kind: keyof ConversationStoreStats['bytesWritten']): Promise<void> {
    await fs.mkdir(this.directory, { recursive: true });
    const temporary = `${target}.${process.pid}.${++this.temporaryCounter}.tmp`;
    await fs.writeFile(temporary, text, 'utf8');
    await fs.rename(temporary, target);
    this.stats.bytesWritten[kind] += Buffer.byteLength(text);
  }

  private file(id: string, kind: 'snapshot' | 'journal' | 'live'): string {
    const suffix = kind === 'snapshot' ? '.json' : kind === 'journal' ? '.journal.jsonl' : '.live.json';
    return path.join(this.directory, `${id}${suffix}`);
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isIndexEntry(value: unknown): value is ConversationIndexEntry {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['id'] === 'string' && idPattern.test(record['id']) && typeof record['title'] === 'string'
    && typeof record['updatedAt'] === 'number' && typeof record['createdAt'] === 'number' && typeof record['messageCount'] === 'number'
    && (record['totalCostUsd'] === undefined || typeof record['totalCostUsd'] === 'number');
}

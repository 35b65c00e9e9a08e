// The usage ledger: one JSON line per settled request, append-only, in global storage so totals
// span workspaces. Appends are queued and never awaited by a stream; every write (append, rewrite,
// clear) goes through the same queue, so they never interleave. A torn last line (a crash during
// an append) is skipped when reading, and the next append starts on a fresh line.
// Never imports `vscode`.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { encodeLedgerLine, errorCount, parseLedgerLine, requestCount, type LedgerRecord } from './ledgerRecord';

export interface LedgerReadResult {
  records: LedgerRecord[];
  /** Lines that could not be read (a torn last line, foreign text). */
  skipped: number;
}

/** Requests older than this are rolled up into one line per day, provider, model, feature and workspace. */
export const detailedDays = 95;

export class UsageLedger {
  private queue: Promise<void> = Promise.resolve();
  private checkedTail = false;
  private directoryReady = false;
  /** Records appended but not yet on disk, oldest first. */
  private readonly unwritten: LedgerRecord[] = [];
  /** The file's size as this window last left it; -1 when unknown. */
  private knownSize = -1;
  private readonly listeners = new Set<(record: LedgerRecord) => void>();

  constructor(readonly file: string, private readonly log: (message: string) => void = () => undefined) {}

  /** Told about every appended record at once (before it reaches the disk), e.g. the spend totals. */
  onAppend(listener: (record: LedgerRecord) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => { this.listeners.delete(listener); } };
  }

  /** Queues the record; returns at once. A failed write is logged, never thrown at the caller. */
  append(record: LedgerRecord): void {
    for (const listener of this.listeners) listener(record);
    const line = `${encodeLedgerLine(record)}\n`;
    this.unwritten.push(record);
    void this.enqueue(async () => {
      try {
        const separator = await this.ensureFreshLine();
        await fs.appendFile(this.file, line, 'utf8');
        if (this.knownSize >= 0) this.knownSize += separator + Buffer.byteLength(line);
      } finally {
        this.unwritten.shift();
      }
    }, 'append');
  }

  /**
   * Every record, read in turn with the writes: the file's records plus those queued but not yet
   * written. With `onlyIfChanged`, undefined when the file is as this window last left it — another
   * window (they share global storage) appends to the same file, and budgets must count its spend.
   */
  snapshot(onlyIfChanged = false): Promise<LedgerReadResult | undefined> {
    let result: LedgerReadResult | undefined;
    return this.enqueue(async () => {
      if (onlyIfChanged && this.knownSize >= 0 && await sizeOf(this.file) === this.knownSize) return;
      const text = await readText(this.file);
      this.knownSize = Buffer.byteLength(text);
      const parsed = parseLedger(text);
      result = { records: [...parsed.records, ...this.unwritten], skipped: parsed.skipped };
    }, 'read', true).then(() => result);
  }

  /** Resolves when every queued write has finished. */
  flush(): Promise<void> {
    return this.queue;
  }

  async read(): Promise<LedgerReadResult> {
    await this.flush();
    return parseLedger(await readText(this.file));
  }

  /** Replaces every record through `transform` (reprice, compaction), atomically via a temporary file. */
  rewrite(transform: (records: LedgerRecord[]) => LedgerRecord[]): Promise<void> {
    return this.enqueue(async () => {
      const { records } = parseLedger(await readText(this.file));
      const next = transform(records);
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      const text = next.map(record => `${encodeLedgerLine(record)}\n`).join('');
      await fs.writeFile(temporary, text, 'utf8');
      await fs.rename(temporary, this.file);
      this.knownSize = Buffer.byteLength(text);
      this.checkedTail = true;
    }, 'rewrite', true);
  }

  clear(): Promise<void> {
    return this.enqueue(async () => {
      await fs.rm(this.file, { force: true });
      this.knownSize = 0;
      this.checkedTail = true;
    }, 'clear', true);
  }

  /** Rolls requests older than `detailedDays` into daily lines; the file stays small for years. */
  compact(now: number): Promise<void> {
    return this.rewrite(records => compactRecords(records, now));
  }

  private enqueue(work: () => Promise<void>, what: string, rethrow = false): Promise<void> {
    const run = this.queue.then(work);
    this.queue = run.catch(error => { this.log(`usage ledger: ${what} failed: ${error instanceof Error ? error.message : String(error)}`); });
    return rethrow ? run : this.queue;
  }

  /** After a crash the last line may lack its newline; start the next record on a line of its own. */
  /** Returns how many bytes it added (1 for a repaired line end, else 0). */
  private async ensureFreshLine(): Promise<number> {
    if (!this.directoryReady) {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      this.directoryReady = true;
    }
    if (this.checkedTail) return 0;
    this.checkedTail = true;
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.file, 'r');
      const { size } = await handle.stat();
      if (size === 0) return 0;
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] === 0x0a) return 0;
      await fs.appendFile(this.file, '\n', 'utf8');
      return 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return 0;
    } finally {
      await handle?.close();
    }
  }
}

export function parseLedger(text: string): LedgerReadResult {
  const records: LedgerRecord[] = [];
  let skipped = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const record = parseLedgerLine(text.slice(start, end));
      if (record) records.push(record); else skipped++;
    }
    start = end + 1;
  }
  return { records, skipped };
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** Keeps recent requests as they are; older ones become one line per day/provider/model/feature/workspace. */
export function compactRecords(records: readonly LedgerRecord[], now: number): LedgerRecord[] {
  const cutoff = now - detailedDays * 86_400_000;
  const kept: LedgerRecord[] = [];
  const rolled = new Map<string, LedgerRecord>();
  for (const record of records) {
    if (record.time >= cutoff) { kept.push(record); continue; }
    const day = new Date(record.time);
    const dayStart = new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
    const model = record.servedModel ?? record.requestedModel;
    const key = [dayStart, record.workspace, record.provider, model, record.feature].join('\u0000');
    const existing = rolled.get(key);
    if (!existing) {
      rolled.set(key, {
        time: dayStart, requestId: `day-${dayStart}`, workspace: record.workspace, feature: record.feature, provider: record.provider,
        requestedModel: model, durationMs: record.durationMs, outcome: 'ok',
        usage: { inputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, ...record.usage },
        ...(record.costUsd !== undefined ? { costUsd: record.costUsd } : {}),
        ...(record.costSource ? { costSource: record.costSource } : {}),
        requests: requestCount(record), errors: errorCount(record),
      });
      continue;
    }
    existing.requests = requestCount(existing) + requestCount(record);
    existing.errors = errorCount(existing) + errorCount(record);
    existing.durationMs += record.durationMs;
    if (record.costUsd !== undefined) existing.costUsd = (existing.costUsd ?? 0) + record.costUsd;
    if (record.costSource === 'unpriced') existing.costSource = 'unpriced';
    if (record.usage && existing.usage) {
      existing.usage.inputTokens += record.usage.inputTokens;
      existing.usage.cacheReadTokens += record.usage.cacheReadTokens;
      existing.usage.cacheWriteTokens += record.usage.cacheWriteTokens;
      existing.usage.outputTokens += record.usage.outputTokens;
      existing.usage.reasoningTokens += record.usage.reasoningTokens;
    }
  }
  return [...[...rolled.values()].sort((a, b) => a.time - b.time), ...kept];
}

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageLedger, compactRecords, parseLedger } from '../../../src/cost/ledger';
import { encodeLedgerLine, numbersOnly, parseLedgerLine, toLedgerRecord, type LedgerRecord } from '../../../src/cost/ledgerRecord';
import type { TurnResult } from '../../../src/router/turn';

const day = 86_400_000;

function record(partial: Partial<LedgerRecord> = {}): LedgerRecord {
  return { time: Date.UTC(2026, 10, 20, 12), requestId: 'r', workspace: 'w1', feature: 'chat', provider: 'openai', requestedModel: 'gpt-5.4-mini', durationMs: 100, outcome: 'ok', costUsd: 0.01, costSource: 'prices', ...partial };
}

describe('cost: ledger', () => {
  let directory: string;
  let file: string;
  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-ledger-'));
    file = path.join(directory, 'usage', 'ledger.jsonl');
  });
  // A test's last queued append may still be landing: retry the removal instead of failing on ENOTEMPTY.
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }));

  it('keeps no prompt, answer or key: only numbers survive from the raw usage', () => {
    const result: TurnResult = {
      requestId: 'q1', feature: 'chat', providerId: 'openai', providerLabel: 'OpenAI', requestedModel: 'gpt-5.4-mini', servedModel: 'gpt-5.4-mini-2026-03-17',
      outcome: 'ok', usage: { inputTokens: 10, cacheReadTokens: 2, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: 0 },
      rawUsage: { prompt_tokens: 10, note: 'sk-secret-key and the prompt text', details: { cached_tokens: 2, echo: 'answer text' } },
      cost: { usd: 0.001, source: 'prices', priceVersion: 'v' }, startedAt: 1, timeToFirstTokenMs: 12.4, durationMs: 99.6, outputTokensPerSecond: 41.23, attempts: 1,
    };
    const line = JSON.stringify(toLedgerRecord(result, 'abc123'));
    assert.ok(!line.includes('secret') && !line.includes('prompt text') && !line.includes('answer'));
    const parsed = JSON.parse(line) as LedgerRecord;
    assert.deepEqual(parsed.rawUsage, { prompt_tokens: 10, details: { cached_tokens: 2 } });
    assert.equal(parsed.costUsd, 0.001);
    assert.equal(parsed.ttftMs, 12);
    assert.equal(parsed.tokensPerSecond, 41.2);
    assert.equal(parsed.workspace, 'abc123');
    assert.equal(numbersOnly('text', 0), undefined);
  });

  it('appends without awaiting and reads back in order, serialised under concurrency', async () => {
    const ledger = new UsageLedger(file);
    for (let index = 0; index < 200; index++) ledger.append(record({ requestId: `r${index}` }));
    const { records, skipped } = await ledger.read();
    assert.equal(skipped, 0);
    assert.deepEqual(records.map(entry => entry.requestId), Array.from({ length: 200 }, (_, index) => `r${index}`));
  });

  it('skips a torn last line and starts the next append on a fresh line', async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(record({ requestId: 'a' }))}\n{"time":17000,"provid`);
    const ledger = new UsageLedger(file);
    assert.deepEqual((await ledger.read()).records.map(entry => entry.requestId), ['a']);
    assert.equal((await ledger.read()).skipped, 1);
    ledger.append(record({ requestId: 'b' }));
    const after = await ledger.read();
    assert.deepEqual(after.records.map(entry => entry.requestId), ['a', 'b']);
    assert.equal(after.skipped, 1);
  });

  it('clearing a ledger that never existed, then appending, creates its directory', async () => {
    const ledger = new UsageLedger(file);
    await ledger.clear();
    ledger.append(record({ requestId: 'first' }));
    assert.deepEqual((await ledger.read()).records.map(entry => entry.requestId), ['first']);
  });

  it('tells listeners at once, before the disk write', () => {
    const ledger = new UsageLedger(file);
    const seen: string[] = [];
    ledger.onAppend(entry => seen.push(entry.requestId));
    ledger.append(record({ requestId: 'now' }));
    assert.deepEqual(seen, ['now']);
  });

  it('a rewrite queued behind appends sees them all; clear empties the file', async () => {
    const ledger = new UsageLedger(file);
    ledger.append(record({ requestId: 'x', costUsd: 1 }));
    ledger.append(record({ requestId: 'y', costUsd: 2 }));
    await ledger.rewrite(records => records.map(entry => ({ ...entry, costUsd: (entry.costUsd ?? 0) * 10 })));
    assert.deepEqual((await ledger.read()).records.map(entry => entry.costUsd), [10, 20]);
    await ledger.clear();
    assert.deepEqual((await ledger.read()).records, []);
    ledger.append(record({ requestId: 'z' }));
    assert.deepEqual((await ledger.read()).records.map(entry => entry.requestId), ['z']);
  });

  it('a failed write is logged, not thrown at the stream', async () => {
    fs.mkdirSync(file, { recursive: true }); // a directory where the file should be: appends fail
    const logged: string[] = [];
    const ledger = new UsageLedger(file, message => logged.push(message));
    ledger.append(record());
    await ledger.flush();
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /append failed/);
  });

  it('compaction rolls old requests into one line per day and keeps recent ones', () => {
    const now = Date.UTC(2026, 10, 20, 12);
    const old = now - 200 * day;
    const records = [
      record({ time: old, requestId: 'o1', costUsd: 0.5, usage: { inputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 } }),
      record({ time: old + 60_000, requestId: 'o2', costUsd: 0.25, outcome: 'error', usage: { inputTokens: 5, cacheReadTokens: 1, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 } }),
      record({ time: old, requestId: 'o3', provider: 'anthropic', costUsd: 1 }),
      record({ time: now - day, requestId: 'recent' }),
    ];
    const compacted = compactRecords(records, now);
    assert.equal(compacted.length, 3);
    const openai = compacted.find(entry => entry.provider === 'openai' && entry.requests !== undefined)!;
    assert.equal(openai.requests, 2);
    assert.equal(openai.errors, 1);
    assert.equal(openai.costUsd, 0.75);
    assert.deepEqual(openai.usage, { inputTokens: 15, cacheReadTokens: 1, cacheWriteTokens: 0, outputTokens: 3, reasoningTokens: 0 });
    assert.equal(compacted.at(-1)!.requestId, 'recent');
    // compacting again changes nothing
    assert.deepEqual(compactRecords(compacted, now), compacted);
  });

  it('writes compact lines that read back as the same records, and still reads lines in the older format', async () => {
    const full = record({
      requestId: 'c1', servedModel: 'gpt-5.4-mini-2026', usage: { inputTokens: 10, cacheReadTokens: 2, cacheWriteTokens: 1, outputTokens: 5, reasoningTokens: 3 },
      rawUsage: { prompt_tokens: 10 }, priceVersion: 'v1', ttftMs: 12, tokensPerSecond: 41.2, outcome: 'error', errorKind: 'timeout', requests: 3, errors: 1,
    });
    const minimal = record({ requestId: 'c2', costUsd: undefined, costSource: undefined });
    delete minimal.costUsd;
    delete minimal.costSource;
    const line = encodeLedgerLine(full);
    assert.ok(line.length < JSON.stringify(full).length * 0.8, `compact line ${line.length} vs ${JSON.stringify(full).length} bytes`);
    assert.deepEqual(parseLedgerLine(line), full);
    assert.deepEqual(parseLedgerLine(encodeLedgerLine(minimal)), minimal);
    const legacy = record({ requestId: 'old', usage: { inputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 2, reasoningTokens: 0 } });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(legacy)}\n`);
    const ledger = new UsageLedger(file);
    ledger.append(full);
    assert.deepEqual((await ledger.read()).records, [legacy, full]);
    // A rewrite (compaction, repricing) migrates the older lines to the compact format.
    await ledger.rewrite(records => records);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    assert.ok(lines.every(text => text.startsWith('{"t":')), lines.join('\n'));
    assert.deepEqual((await ledger.read()).records, [legacy, full]);
    assert.equal(parseLedgerLine('{"t":1,"o":"ok"}'), undefined, 'a compact line without a provider is foreign');
  });

  it('parses a file of blank and foreign lines without failing', () => {
    const { records, skipped } = parseLedger(`\n\nnot json\n${JSON.stringify(record())}\n[1,2]\n`);
    assert.equal(records.length, 1);
    assert.equal(skipped, 2);
  });
});

describe('cost: two windows share one ledger', () => {
  let directory: string;
  beforeEach(() => { directory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-ledger2-')); });
  // A test's last queued append may still be landing: retry the removal instead of failing on ENOTEMPTY.
  afterEach(() => fs.rmSync(directory, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }));

  it('a snapshot sees another window\'s appends, and this window\'s queued ones; unchanged → undefined', async () => {
    const file = path.join(directory, 'ledger.jsonl');
    const mine = new UsageLedger(file);
    const theirs = new UsageLedger(file);
    assert.equal((await mine.snapshot())!.records.length, 0);
    mine.append(record({ requestId: 'mine-1' }));
    assert.equal(await mine.snapshot(true), undefined, 'only my own append: nothing new');
    theirs.append(record({ requestId: 'theirs-1' }));
    await theirs.flush();
    mine.append(record({ requestId: 'mine-2' }));
    const seen = await mine.snapshot(true);
    assert.deepEqual(seen!.records.map(entry => entry.requestId).sort(), ['mine-1', 'mine-2', 'theirs-1']);
    assert.equal(await mine.snapshot(true), undefined);
  });
});

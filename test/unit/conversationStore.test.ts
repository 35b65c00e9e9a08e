import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ChatController } from '../../src/chat/chatController';
import { chosenAnswer, visibleMessages, type Conversation, type StoredMessage, type Turn } from '../../src/chat/conversation';
import { ConversationStore } from '../../src/chat/conversationStore';
import { Router, defaultRetryPolicy } from '../../src/router';
import type { HostToWebview } from '../../src/webview/protocol';
import { repoRoot } from '../fakes/repoRoot';
import { ScriptedProvider } from '../fakes/scriptedProvider';
import { removeTemporaryDirectories, temporaryDirectory } from '../fakes/temporaryDirectories';

const fixtures = path.join(repoRoot, 'test', 'fixtures', 'conversations-0.1.0');
after(removeTemporaryDirectories);

/** A folder holding the 0.1.0 files exactly as 0.1.0 wrote them. */
function upgradedFolder(): string {
  const directory = temporaryDirectory('byok-upgrade-');
  for (const name of fs.readdirSync(fixtures).filter(file => file.endsWith('.json'))) fs.copyFileSync(path.join(fixtures, name), path.join(directory, name));
  return directory;
}

const legacy = (id: string) => JSON.parse(fs.readFileSync(path.join(fixtures, `${id}.json`), 'utf8')) as { title: string; messages: StoredMessage[] };

describe('conversation store: migration of 0.1.0 files', () => {
  it('lists every 0.1.0 conversation with its title and message count', async () => {
    const store = new ConversationStore(upgradedFolder(), { indexDelayMs: 0 });
    const listed = await store.list();
    assert.deepEqual(listed.map(entry => [entry.id, entry.title, entry.messageCount]), [
      ['9c4e1f20-mixed-0003', 'Refactor the parser', 6],
      ['5d2a9e7b-pending-0002', 'Explain this regex', 2],
      ['0b6f3c1e-plain-0001', 'How do I reverse a list in Python?', 4],
    ]);
  });

  it('opens the plain conversation with every message as it was', async () => {
    const directory = upgradedFolder();
    const conversation = (await new ConversationStore(directory).read('0b6f3c1e-plain-0001'))!;
    const original = legacy('0b6f3c1e-plain-0001');
    assert.equal(conversation.title, original.title);
    assert.equal(conversation.turns.length, 2);
    assert.deepEqual(visibleMessages(conversation), original.messages);
    // Rewritten as schema 2, which a fresh store reads the same.
    const onDisk = JSON.parse(fs.readFileSync(path.join(directory, '0b6f3c1e-plain-0001.json'), 'utf8'));
    assert.equal(onDisk.version, 2);
    assert.deepEqual(visibleMessages((await new ConversationStore(directory).read('0b6f3c1e-plain-0001'))!), original.messages);
  });

  it('keeps the answer a reload cut off mid-stream, marked stopped and no longer pending', async () => {
    const directory = upgradedFolder();
    const conversation = (await new ConversationStore(directory).read('5d2a9e7b-pending-0002'))!;
    const answer = chosenAnswer(conversation.turns[0]!)!;
    assert.equal(answer.text, 'The pattern matches three digits, a hyphen and');
    assert.equal(answer.stopped, true);
    assert.equal(answer.pending, undefined);
    assert.equal(answer.requestId, 'req-pending-1');
    assert.deepEqual(conversation.turns[0]!.user.attachments, [{ id: 'chip-1', label: 'phone.js:3', kind: 'selection' }]);
    assert.match(conversation.turns[0]!.user.content!, /const re =/);
    assert.doesNotMatch(fs.readFileSync(path.join(directory, '5d2a9e7b-pending-0002.json'), 'utf8'), /"pending"/);
  });

  it('keeps errors, stopped answers, reasoning, truncation, attachments and meta', async () => {
    const conversation = (await new ConversationStore(upgradedFolder()).read('9c4e1f20-mixed-0003'))!;
    const original = legacy('9c4e1f20-mixed-0003');
    assert.deepEqual(visibleMessages(conversation), original.messages);
    const [failed, stopped, truncated] = conversation.turns.map(turn => chosenAnswer(turn)!);
    assert.equal(failed!.error?.kind, 'auth');
    assert.equal(stopped!.stopped, true);
    assert.equal(stopped!.reasoning, 'The user wants quoting support, so I');
    assert.equal(truncated!.truncated, true);
    assert.equal(truncated!.meta?.model, 'deepseek-reasoner');
    assert.deepEqual(conversation.turns[0]!.user.attachments, [{ id: 'chip-2', label: 'parser.ts', kind: 'file' }]);
  });

  it('opens the newest 0.1.0 conversation in the chat after the upgrade', async () => {
    const directory = upgradedFolder();
    const provider = new ScriptedProvider('openai', [{ parts: [{ type: 'text-delta', text: 'continued' }] }]);
    const router = new Router({
      selection: () => ({ providerId: 'openai', model: 'gpt-x' }),
      resolve: (providerId, model) => ({ provider, providerId, providerLabel: 'OpenAI', family: 'openai', model: model || 'gpt-x', keyRequired: false }),
      getKey: async () => undefined, retryPolicy: () => defaultRetryPolicy, sleep: async () => undefined,
    });
    const chat = new ChatController({ store: new ConversationStore(directory, { indexDelayMs: 0 }), router, systemPrompt: () => '', maxOutputTokens: () => 100, currentChoice: () => undefined, log: () => undefined });
    const posted: HostToWebview[] = [];
    await chat.connect(message => posted.push(message));
    const state = posted.find((message): message is Extract<HostToWebview, { type: 'chat/state' }> => message.type === 'chat/state')!;
    assert.equal(state.conversationId, '9c4e1f20-mixed-0003');
    assert.equal(state.messages.length, 6);
    // A follow-up sends the migrated history (chosen answers only) in order; the router merges the
    // question whose answer failed (empty) with the next one.
    await chat.send('next', 'Thanks');
    const sent = provider.calls[0]!.request.messages;
    assert.deepEqual(sent.map(message => message.role), ['user', 'assistant', 'user', 'assistant', 'user']);
    assert.match(sent[0]!.content, /^Refactor the parser[\s\S]*Try again with Gemini$/);
    assert.equal(sent[1]!.content, 'Here is a version that handles quoted');
    assert.equal(sent.at(-1)!.content, 'Thanks');
  });
});

describe('conversation store: the index', () => {
  it('lists from the index alone: bodies that no longer parse do not matter to the list', async () => {
    const directory = temporaryDirectory('byok-index-');
    const store = new ConversationStore(directory, { indexDelayMs: 0 });
    await store.list();
    for (let index = 0; index < 3; index++) {
      const conversation: Conversation = { id: `c${index}`, title: `Chat ${index}`, createdAt: index, updatedAt: 100 + index, turns: [] };
      const turn: Turn = { id: `t${index}`, user: { id: `u${index}`, role: 'user', text: 'question' }, answers: [], chosen: 0 };
      conversation.turns.push(turn);
      store.appendTurn(conversation, turn);
      const answer: StoredMessage = { id: `a${index}`, role: 'assistant', text: 'answer', meta: { providerId: 'openai', providerLabel: 'OpenAI', model: 'm', costUsd: 0.5 } };
      turn.answers.push(answer);
      store.settleAnswer(conversation, turn, answer, { firstAnswer: true });
    }
    await store.flush();
    // Corrupt every conversation body: listing must still show all three, with their figures.
    for (const name of fs.readdirSync(directory).filter(file => file !== 'index.json')) fs.writeFileSync(path.join(directory, name), '\u0000 not json');
    const fresh = new ConversationStore(directory);
    const listed = await fresh.list();
    assert.deepEqual(listed.map(entry => [entry.id, entry.title, entry.messageCount, entry.totalCostUsd]), [['c2', 'Chat 2', 2, 0.5], ['c1', 'Chat 1', 2, 0.5], ['c0', 'Chat 0', 2, 0.5]]);
    assert.equal(fresh.stats.conversationReads, 0, 'no conversation file was read to list them');
    assert.equal(await fresh.read('c1'), undefined, 'a corrupt body is not a conversation');
  });

  it('rebuilds a lost index from the files and drops entries whose files are gone', async () => {
    const directory = upgradedFolder();
    const first = new ConversationStore(directory, { indexDelayMs: 0 });
    assert.equal((await first.list()).length, 3);
    await first.flush();
    fs.rmSync(path.join(directory, '0b6f3c1e-plain-0001.json'));
    assert.deepEqual((await new ConversationStore(directory).list()).map(entry => entry.id), ['9c4e1f20-mixed-0003', '5d2a9e7b-pending-0002']);
    fs.rmSync(path.join(directory, 'index.json'));
    const rebuilt = new ConversationStore(directory);
    assert.equal((await rebuilt.list()).length, 2);
    assert.equal(rebuilt.stats.conversationReads, 2);
  });
});

describe('conversation store: incremental saves', () => {
  /** A conversation of `turns` answered turns, saved the way the chat saves them. */
  async function conversationOf(store: ConversationStore, id: string, turns: number): Promise<Conversation> {
    const conversation: Conversation = { id, title: id, createdAt: 0, updatedAt: 0, turns: [] };
    for (let index = 0; index < turns; index++) {
      const turn: Turn = { id: `${id}-t${index}`, user: { id: `${id}-u${index}`, role: 'user', text: `question ${index} `.repeat(20) }, answers: [], chosen: 0 };
      conversation.turns.push(turn);
      store.appendTurn(conversation, turn);
      const answer: StoredMessage = { id: `${id}-a${index}`, role: 'assistant', text: `answer ${index} `.repeat(200) };
      turn.answers.push(answer);
      store.settleAnswer(conversation, turn, answer, { firstAnswer: true });
    }
    await store.flush();
    return conversation;
  }

  /** Bytes written for one streamed turn of `deltas` deltas, flushing the live answer after each. */
  async function bytesForOneTurn(store: ConversationStore, conversation: Conversation, deltas: number): Promise<{ perDelta: number[]; total: number; snapshot: number }> {
    const written = () => Object.values(store.stats.bytesWritten).reduce((sum, value) => sum + value, 0) - store.stats.bytesWritten.index;
    const before = written();
    const snapshotBefore = store.stats.bytesWritten.snapshot;
    const turn: Turn = { id: `${conversation.id}-next`, user: { id: `${conversation.id}-next-u`, role: 'user', text: 'one more question' }, answers: [], chosen: 0 };
    conversation.turns.push(turn);
    store.appendTurn(conversation, turn);
    const answer: StoredMessage = { id: `${conversation.id}-next-a`, role: 'assistant', text: '', pending: true };
    turn.answers.push(answer);
    const perDelta: number[] = [];
    for (let index = 0; index < deltas; index++) {
      answer.text += 'token ';
      const start = written();
      store.setLive(conversation.id, turn.id, answer);
      await store.flush();
      perDelta.push(written() - start);
    }
    delete answer.pending;
    store.settleAnswer(conversation, turn, answer, { firstAnswer: true });
    await store.flush();
    return { perDelta, total: written() - before, snapshot: store.stats.bytesWritten.snapshot - snapshotBefore };
  }

  it('writes per delta only the streaming answer, the same at turn 200 as at turn 1, never the whole conversation', async () => {
    const store = new ConversationStore(temporaryDirectory('byok-incremental-'), { liveThrottleMs: 0, indexDelayMs: 0 });
    await store.list();
    const short = await conversationOf(store, 'short', 1);
    const long = await conversationOf(store, 'long', 200);
    const shortTurn = await bytesForOneTurn(store, short, 20);
    const longTurn = await bytesForOneTurn(store, long, 20);
    for (let index = 0; index < 20; index++) {
      // Same answer text in both: only the id lengths differ ("long" vs "short").
      assert.ok(Math.abs(longTurn.perDelta[index]! - shortTurn.perDelta[index]!) <= 8, `delta ${index}: ${longTurn.perDelta[index]} vs ${shortTurn.perDelta[index]} bytes`);
    }
    assert.ok(longTurn.total <= shortTurn.total * 1.05 + 64, `whole turn: ${longTurn.total} vs ${shortTurn.total} bytes`);
    assert.equal(longTurn.snapshot, 0, 'the 200-turn conversation was not rewritten');
    const sizeOf = (name: string) => fs.existsSync(path.join(store.directory, name)) ? fs.statSync(path.join(store.directory, name)).size : 0;
    const longFile = sizeOf('long.json') + sizeOf('long.journal.jsonl');
    assert.ok(longTurn.total < longFile / 50, `a turn writes ${longTurn.total} B, the conversation is ${longFile} B`);
    // And it all reads back.
    const reread = (await new ConversationStore(store.directory).read('long'))!;
    assert.equal(reread.turns.length, 201);
    assert.equal(chosenAnswer(reread.turns[200]!)!.text, 'token '.repeat(20));
    assert.equal(chosenAnswer(reread.turns[200]!)!.stopped, undefined);
  });

  it('compacts the journal into the snapshot on open, and skips a line a crash tore', async () => {
    const directory = temporaryDirectory('byok-compact-');
    const store = new ConversationStore(directory, { indexDelayMs: 0 });
    await store.list();
    await conversationOf(store, 'c', 3);
    fs.appendFileSync(path.join(directory, 'c.journal.jsonl'), '\n{"t":"answer","turnId":"c-t2","answ');
    const reopened = new ConversationStore(directory);
    const conversation = (await reopened.read('c'))!;
    assert.equal(conversation.turns.length, 3);
    assert.equal(fs.existsSync(path.join(directory, 'c.journal.jsonl')), false, 'the journal was folded into the snapshot');
    assert.equal(JSON.parse(fs.readFileSync(path.join(directory, 'c.json'), 'utf8')).turns.length, 3);
    // Writing after the torn line keeps working.
    const turn: Turn = { id: 'c-t3', user: { id: 'c-u3', role: 'user', text: 'later' }, answers: [], chosen: 0 };
    conversation.turns.push(turn);
    reopened.appendTurn(conversation, turn);
    await reopened.flush();
    assert.equal((await new ConversationStore(directory).read('c'))!.turns.length, 4);
  });

  it('compacts after many records so the journal stays short', async () => {
    const directory = temporaryDirectory('byok-compact-many-');
    const store = new ConversationStore(directory, { indexDelayMs: 0, compactAfterRecords: 10 });
    await store.list();
    await conversationOf(store, 'many', 12);
    const lines = fs.readFileSync(path.join(directory, 'many.journal.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    assert.ok(lines < 10, `journal has ${lines} records`);
    assert.equal((await new ConversationStore(directory).read('many'))!.turns.length, 12);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ChatController, busyRefusal, waitingStatus } from '../../src/chat/chatController';
import { visibleMessages } from '../../src/chat/conversation';
import { parseConversationFile } from '../../src/chat/conversationSchema';
import { ConversationStore } from '../../src/chat/conversationStore';
import { conversationToMarkdown } from '../../src/chat/exportMarkdown';
import { ProviderError } from '../../src/providers/errors';
import { Router, defaultRetryPolicy } from '../../src/router';
import type { HostToWebview } from '../../src/webview/protocol';
import { ScriptedProvider, type Script } from '../fakes/scriptedProvider';
import { removeTemporaryDirectories, temporaryDirectory } from '../fakes/temporaryDirectories';

const key = 'sk-chat-SECRET-abcdefghijkl';
after(removeTemporaryDirectories);

function setup(scripts: Script[], directory = temporaryDirectory('byok-chat-')) {
  const provider = new ScriptedProvider('openai', scripts);
  let selected = { providerId: 'openai', model: 'gpt-x' };
  const router = new Router({
    selection: () => selected,
    resolve: (providerId, model) => providerId === 'openai'
      ? { provider, providerId, providerLabel: 'OpenAI', family: 'openai', model: model || selected.model, keyRequired: true }
      : undefined,
    getKey: async () => key,
    retryPolicy: () => defaultRetryPolicy,
    sleep: async () => undefined,
  });
  const store = new ConversationStore(directory, { liveThrottleMs: 5, indexDelayMs: 5 });
  const posted: HostToWebview[] = [];
  const busy: boolean[] = [];
  const logged: string[] = [];
  const chat = new ChatController({
    store, router, systemPrompt: () => 'system', maxOutputTokens: () => 100,
    currentChoice: () => ({ providerId: 'openai', providerLabel: 'OpenAI', model: selected.model, hasKey: true }),
    onBusyChange: value => busy.push(value), log: message => logged.push(message),
  });
  return { chat, provider, router, store, posted, busy, logged, directory, select: (model: string) => { selected = { providerId: 'openai', model }; } };
}

const answer = (text: string, delayMs?: number): Script => ({ parts: [...text].map(character => ({ type: 'text-delta' as const, text: character })), ...(delayMs ? { delayMs } : {}) });
const transcriptOf = async (chat: ChatController) => (await chat.activeTranscript()).map(message => [message.role, message.text]);
const ofType = <T extends HostToWebview['type']>(posted: HostToWebview[], type: T) => posted.filter((message): message is Extract<HostToWebview, { type: T }> => message.type === type);

describe('chat controller', () => {
  it('streams an answer to the view, labels it and persists the conversation', async () => {
    const { chat, posted, busy, directory, store } = setup([{ parts: [{ type: 'text-delta', text: 'Hello ' }, { type: 'text-delta', text: 'world' }, { type: 'usage', usage: { inputTokens: 3, outputTokens: 2 } }, { type: 'finish', unified: 'stop', raw: 'stop' }] }]);
    await chat.connect(message => posted.push(message));
    await chat.send('req-1', 'Say hello');
    const end = posted.find(message => message.type === 'chat/end');
    assert.ok(end && end.type === 'chat/end');
    assert.equal(end.message.text, 'Hello world');
    assert.deepEqual(end.message.meta && [end.message.meta.providerId, end.message.meta.model, end.message.meta.inputTokens, end.message.meta.outputTokens], ['openai', 'gpt-x', 3, 2]);
    assert.ok(typeof end.message.meta?.latencyMs === 'number');
    const deltas = posted.filter(message => message.type === 'chat/delta').map(message => message.type === 'chat/delta' ? message.text : '').join('');
    assert.equal(deltas, 'Hello world');
    assert.deepEqual(busy, [true, false]);
    await store.flush();
    // A fresh store (a reload) reads back exactly what was shown.
    const reloaded = new ConversationStore(directory);
    const [entry] = await reloaded.list();
    assert.equal(entry?.title, 'Say hello');
    assert.equal(entry?.messageCount, 2);
    const stored = await reloaded.read(entry!.id);
    assert.deepEqual(visibleMessages(stored!).map(message => [message.role, message.text]), [['user', 'Say hello'], ['assistant', 'Hello world']]);
    const everything = fs.readdirSync(directory).map(name => fs.readFileSync(path.join(directory, name), 'utf8')).join('\n');
    assert.doesNotMatch(JSON.stringify(posted) + everything, new RegExp(key));
  });

  it('keeps the partial answer, marked stopped, when cancelled', async () => {
    const { chat, posted } = setup([{ parts: [{ type: 'text-delta', text: 'one ' }, { type: 'text-delta', text: 'two ' }, { type: 'text-delta', text: 'three' }], delayMs: 20 }]);
    await chat.connect(message => { posted.push(message); if (message.type === 'chat/delta') chat.cancel('req-2'); });
    await chat.send('req-2', 'count');
    const end = posted.find(message => message.type === 'chat/end');
    assert.ok(end && end.type === 'chat/end');
    assert.equal(end.message.stopped, true);
    assert.ok(end.message.text.startsWith('one'));
    assert.ok(end.message.text.length < 'one two three'.length);
  });

  it('shows a provider error inline and retries it on request', async () => {
    const { chat, posted, provider } = setup([new ProviderError({ kind: 'auth', providerId: 'openai', message: 'Incorrect API key provided: sk-chat-SECRET-abcdefghijkl', status: 401 }), answer('ok')]);
    await chat.connect(message => posted.push(message));
    await chat.send('req-3', 'hi');
    const failed = posted.find(message => message.type === 'chat/end');
    assert.ok(failed && failed.type === 'chat/end');
    assert.equal(failed.message.error?.kind, 'auth');
    assert.match(failed.message.error!.fix, /key/);
    assert.equal(failed.message.error!.title, 'Key rejected');
    assert.ok(failed.message.error!.actions?.includes('setKey'));
    assert.doesNotMatch(failed.message.error!.message, /SECRET/);
    await chat.retry('req-3');
    assert.deepEqual(await transcriptOf(chat), [['user', 'hi'], ['assistant', 'ok']]);
    assert.equal(provider.calls.length, 2);
    // The view drops the failed answer and streams the new one in its place.
    const removed = ofType(posted, 'chat/message-removed');
    assert.deepEqual(removed.map(message => message.messageId), [failed.message.id]);
    // The retried request sent the question once, not the failed answer.
    assert.deepEqual(provider.calls[1]!.request.messages.map(message => message.content), ['hi']);
  });

  it('sends earlier turns after a model switch and keeps each answer\'s label', async () => {
    const { chat, provider, select } = setup([answer('first'), answer('second')]);
    await chat.connect(() => undefined);
    await chat.send('a', 'question one');
    select('gpt-other');
    await chat.send('b', 'question two');
    const second = provider.calls[1]!.request;
    assert.equal(second.model, 'gpt-other');
    assert.deepEqual(second.messages.map(message => message.content), ['question one', 'first', 'question two']);
    assert.deepEqual((await chat.activeTranscript()).filter(message => message.role === 'assistant').map(message => message.meta?.model), ['gpt-x', 'gpt-other']);
  });

  it('sends attached context to the model but not to the view', async () => {
    const { chat, provider, posted } = setup([answer('seen')]);
    await chat.connect(message => posted.push(message));
    chat.attach({ kind: 'selection', label: 'a.ts:1-2', content: 'Selected code:\n```ts\nconst secretContext = 1;\n```' });
    await chat.send('c', 'explain this');
    assert.match(provider.calls[0]!.request.messages[0]!.content, /secretContext/);
    const added = ofType(posted, 'chat/message-added').at(-1);
    assert.equal(added?.message.attachments?.[0]?.label, 'a.ts:1-2');
    assert.doesNotMatch(JSON.stringify(posted), /secretContext/);
    // A view that connects later gets the full transcript, still without the attached content.
    const later: HostToWebview[] = [];
    await chat.connect(message => later.push(message));
    const state = ofType(later, 'chat/state')[0];
    assert.equal(state?.messages[0]!.attachments?.[0]?.label, 'a.ts:1-2');
    assert.doesNotMatch(JSON.stringify(later), /secretContext/);
  });

  it('restores history after a reload, marking an answer cut off mid-stream as stopped', async () => {
    const directory = temporaryDirectory('byok-reload-');
    fs.writeFileSync(path.join(directory, 'c1.json'), JSON.stringify({
      id: 'c1', title: 'Earlier', createdAt: 1, updatedAt: 2,
      messages: [{ id: 'u', role: 'user', text: 'q' }, { id: 'a', role: 'assistant', text: 'half an ans', pending: true, requestId: 'r' }],
    }));
    const { chat, posted } = setup([answer('x')], directory);
    await chat.connect(message => posted.push(message));
    const state = posted.find(message => message.type === 'chat/state');
    assert.ok(state && state.type === 'chat/state');
    assert.equal(state.title, 'Earlier');
    assert.equal(state.messages[1]!.text, 'half an ans');
    assert.equal(state.messages[1]!.stopped, true);
  });

  it('keeps an answer a reload cut off in the v2 files: its text, marked stopped', async () => {
    const directory = temporaryDirectory('byok-reload-v2-');
    const first = setup([{ parts: [{ type: 'text-delta', text: 'partial ' }, { type: 'text-delta', text: 'answer' }, { type: 'text-delta', text: ' never finished' }], delayMs: 15 }], directory);
    await first.chat.connect(() => undefined);
    const sending = first.chat.send('cut', 'tell me');
    // Wait until the live answer file holds some text, then "reload": a new store and controller on the same folder.
    const liveFile = () => fs.readdirSync(directory).find(name => name.endsWith('.live.json'));
    for (let waited = 0; waited < 2000 && !(liveFile() && fs.readFileSync(path.join(directory, liveFile()!), 'utf8').includes('partial')); waited += 5) await new Promise(resolve => setTimeout(resolve, 5));
    assert.ok(liveFile(), 'the streaming answer is written to its own small file');
    const second = setup([answer('x')], directory);
    const posted: HostToWebview[] = [];
    await second.chat.connect(message => posted.push(message));
    const state = ofType(posted, 'chat/state')[0]!;
    assert.equal(state.messages[0]!.text, 'tell me');
    assert.match(state.messages[1]!.text, /^partial/);
    assert.equal(state.messages[1]!.stopped, true);
    first.chat.cancelAll();
    await sending;
  });

  it('exports Markdown with labels and no key', async () => {
    const { chat } = setup([answer('Use `map`.')]);
    await chat.connect(() => undefined);
    await chat.send('e', 'How do I transform a list?');
    const markdown = conversationToMarkdown(await chat.activeConversation());
    assert.match(markdown, /^# How do I transform a list\?/);
    assert.match(markdown, /## You\n\nHow do I transform a list\?/);
    assert.match(markdown, /## OpenAI · gpt-x\n\nUse `map`\./);
    assert.doesNotMatch(markdown, /SECRET/);
  });

  it('lists, renames and deletes conversations', async () => {
    const { chat, store } = setup([answer('a'), answer('b')]);
    await chat.connect(() => undefined);
    await chat.send('1', 'first chat');
    const first = await chat.activeConversation();
    await chat.newChat();
    await chat.send('2', 'second chat');
    assert.equal((await store.list()).length, 2);
    await chat.rename(first.id, 'Renamed');
    assert.equal((await store.read(first.id))?.title, 'Renamed');
    assert.equal((await store.list()).find(entry => entry.id === first.id)?.title, 'Renamed');
    assert.equal(await chat.open(first.id), true);
    assert.equal((await chat.activeConversation()).id, first.id);
    await chat.delete(first.id);
    assert.equal((await store.list()).length, 1);
    assert.notEqual((await chat.activeConversation()).id, first.id);
    await store.flush();
    assert.equal((await new ConversationStore(store.directory).list()).length, 1);
  });
});

describe('chat controller: a router that throws', () => {
  it('ends the answer with an error and is not left busy', async () => {
    const store = new ConversationStore(temporaryDirectory('byok-throw-'), { indexDelayMs: 0 });
    const busy: boolean[] = [];
    const chat = new ChatController({
      store, router: { turn: () => { throw new Error('cannot route'); } }, systemPrompt: () => '', maxOutputTokens: () => 10,
      currentChoice: () => undefined, onBusyChange: value => busy.push(value), log: () => undefined,
    });
    const posted: HostToWebview[] = [];
    await chat.connect(message => posted.push(message));
    await chat.send('t1', 'first');
    await chat.send('t2', 'second');
    const ends = ofType(posted, 'chat/end');
    assert.deepEqual(ends.map(message => [message.requestId, message.message.error?.kind]), [['t1', 'server'], ['t2', 'server']]);
    assert.match(ends[0]!.message.error!.message, /cannot route/);
    assert.equal(chat.busy, false);
    assert.deepEqual(busy, [true, false, true, false]);
  });
});

describe('chat controller: leaving a conversation while it streams', () => {
  it('New Chat stops the answer, keeps it (stopped) in the old conversation and posts nothing of it to the new one', async () => {
    const { chat, posted, store } = setup([answer('a long answer that is cut', 5)]);
    await chat.connect(message => posted.push(message));
    const sending = chat.send('old', 'first question');
    await new Promise(resolve => setTimeout(resolve, 20));
    const oldId = (await chat.activeConversation()).id;
    await chat.newChat();
    const afterNew = posted.length;
    await sending;
    assert.deepEqual(posted.slice(afterNew).filter(message => message.type === 'chat/end' || message.type === 'chat/delta'), []);
    await store.flush();
    const old = await new ConversationStore(store.directory).read(oldId);
    const cut = visibleMessages(old!)[1]!;
    assert.equal(cut.stopped, true);
    assert.ok(cut.text.length > 0 && cut.text.length < 'a long answer that is cut'.length);
  });

  it('deleting the streaming conversation leaves no file and no index entry behind', async () => {
    const { chat, store } = setup([answer('an answer being written', 5)]);
    await chat.connect(() => undefined);
    const sending = chat.send('doomed', 'question');
    await new Promise(resolve => setTimeout(resolve, 20));
    const id = (await chat.activeConversation()).id;
    await chat.delete(id);
    await sending;
    await store.flush();
    assert.deepEqual(fs.readdirSync(store.directory).filter(name => name.startsWith(id)), []);
    assert.equal((await new ConversationStore(store.directory).list()).some(entry => entry.id === id), false);
  });
});

describe('chat presenter: events, not the transcript, per turn', () => {
  it('sends chat/state only on connect and each turn as message-added / started / deltas / end', async () => {
    const { chat, posted } = setup([answer('one'), answer('two'), answer('three')]);
    await chat.connect(message => posted.push(message));
    for (const [index, question] of ['q1', 'q2', 'q3'].entries()) await chat.send(`turn-${index}`, question);
    assert.equal(ofType(posted, 'chat/state').length, 1, 'the transcript went out once, on connect');
    assert.deepEqual(ofType(posted, 'chat/message-added').map(message => message.message.text), ['q1', 'q2', 'q3']);
    assert.deepEqual(ofType(posted, 'chat/started').map(message => message.requestId), ['turn-0', 'turn-1', 'turn-2']);
    assert.deepEqual(ofType(posted, 'chat/end').map(message => message.message.text), ['one', 'two', 'three']);
    // The history list: on connect, and once more when the new conversation got its title — not per turn.
    const lists = ofType(posted, 'chat/conversations');
    assert.equal(lists.length, 2);
    assert.equal(lists[1]!.conversations[0]!.title, 'q1');
    const headers = ofType(posted, 'chat/header');
    assert.deepEqual(headers.map(message => message.title), ['q1']);
    // Each message added follows the previous turn's end: the view appends, never re-renders.
    const order = posted.filter(message => message.type === 'chat/message-added' || message.type === 'chat/end').map(message => message.type);
    assert.deepEqual(order, ['chat/message-added', 'chat/end', 'chat/message-added', 'chat/end', 'chat/message-added', 'chat/end']);
  });

  it('sends the full transcript again when another conversation is opened or a new chat starts', async () => {
    const { chat, posted } = setup([answer('a'), answer('b')]);
    await chat.connect(message => posted.push(message));
    await chat.send('1', 'first');
    const firstId = (await chat.activeConversation()).id;
    await chat.newChat();
    await chat.send('2', 'second');
    await chat.open(firstId);
    const states = ofType(posted, 'chat/state');
    assert.equal(states.length, 3);
    assert.deepEqual(states[2]!.messages.map(message => message.text), ['first', 'a']);
  });
});

describe('chat controller: cost and usage from the settled result', () => {
  it('fills the answer\'s meta from the settled TurnResult and keeps a running total in the header and the index', async () => {
    const usage: Script = { parts: [
      { type: 'response-metadata', model: 'gpt-x-2026-01-01' },
      { type: 'text-delta', text: 'priced' },
      { type: 'usage', usage: { inputTokens: 100, cacheReadTokens: 40, outputTokens: 20, reasoningTokens: 5 } },
      { type: 'finish', unified: 'stop', raw: 'stop' },
    ] };
    const { chat, posted, router, store } = setup([usage, usage]);
    router.use({ price: () => ({ usd: 0.0123, source: 'prices', priceVersion: 'test' }) });
    await chat.connect(message => posted.push(message));
    await chat.send('p1', 'how much?');
    await chat.send('p2', 'and again?');
    const ends = ofType(posted, 'chat/end');
    const meta = ends[0]!.message.meta!;
    assert.equal(meta.servedModel, 'gpt-x-2026-01-01');
    assert.equal(meta.inputTokens, 100);
    assert.equal(meta.cachedInputTokens, 40);
    assert.equal(meta.outputTokens, 20);
    assert.equal(meta.costUsd, 0.0123);
    assert.equal(meta.unpriced, undefined);
    assert.equal(typeof meta.latencyMs, 'number');
    const totals = ofType(posted, 'chat/header').filter(message => message.totalCostUsd !== undefined).map(message => message.totalCostUsd);
    assert.equal(totals.length, 2);
    assert.ok(Math.abs(totals[1]! - 0.0246) < 1e-9);
    await store.flush();
    const [entry] = await store.list();
    assert.ok(Math.abs(entry!.totalCostUsd! - 0.0246) < 1e-9);
    // A view connecting later sees the total in chat/state.
    const later: HostToWebview[] = [];
    await chat.connect(message => later.push(message));
    assert.ok(Math.abs(ofType(later, 'chat/state')[0]!.totalCostUsd! - 0.0246) < 1e-9);
  });

  it('marks an answer unpriced (never $0) when the model has no price', async () => {
    const { chat, posted, router } = setup([answer('free?')]);
    router.use({ price: () => ({ source: 'unpriced' }) });
    await chat.connect(message => posted.push(message));
    await chat.send('u1', 'q');
    const meta = ofType(posted, 'chat/end')[0]!.message.meta!;
    assert.equal(meta.unpriced, true);
    assert.equal(meta.costUsd, undefined);
    assert.equal(ofType(posted, 'chat/header').filter(message => message.totalCostUsd !== undefined).length, 0);
  });
});

describe('chat controller: budget refusal and "send anyway"', () => {
  it('shows the refusal with its actions, sends nothing, then sends exactly once past the budget', async () => {
    const { chat, posted, router, provider } = setup([answer('sent anyway')]);
    const seen: (boolean | undefined)[] = [];
    router.use({
      beforeSend: context => {
        seen.push(context.overrideBudget);
        if (!context.overrideBudget) throw new ProviderError({ kind: 'budget', providerId: context.providerId, message: 'This request could cost up to $0.50; $0.10 of your monthly budget is left.' });
      },
    });
    await chat.connect(message => posted.push(message));
    await chat.send('b1', 'expensive question');
    const refused = ofType(posted, 'chat/end')[0]!;
    assert.equal(refused.message.error?.kind, 'budget');
    assert.ok(refused.message.error?.actions?.includes('sendAnyway'));
    assert.equal(provider.calls.length, 0, 'nothing reached the provider');
    await chat.sendAnyway('b1');
    assert.equal(provider.calls.length, 1);
    assert.deepEqual(seen, [undefined, true]);
    assert.deepEqual(await transcriptOf(chat), [['user', 'expensive question'], ['assistant', 'sent anyway']]);
    // Only the answer the refusal named can be sent anyway, and only once it is the chosen one.
    await chat.sendAnyway('b1');
    assert.equal(provider.calls.length, 1);
  });
});

describe('chat controller: a preset\'s provider/model override sticks to its turn', () => {
  it('sends anyway and retries with the model the preset asked for, not the chat\'s choice, also after a reload', async () => {
    const directory = temporaryDirectory('byok-chat-');
    const { chat, posted, router, provider, store } = setup([new ProviderError({ kind: 'server', providerId: 'openai', message: 'boom', status: 500, retryable: false }), answer('retried')], directory);
    const models: string[] = [];
    router.use({
      beforeSend: context => {
        models.push(context.model);
        if (!context.overrideBudget && models.length === 1) throw new ProviderError({ kind: 'budget', providerId: context.providerId, message: 'over budget' });
      },
    });
    await chat.connect(message => posted.push(message));
    await chat.ask('/review', 'Review this', { providerId: 'openai', model: 'preset-model' }, { requestId: 'p1', feature: 'chat' });
    assert.equal(ofType(posted, 'chat/end')[0]!.message.error?.kind, 'budget');
    await chat.sendAnyway('p1');
    assert.equal(provider.calls[0]!.request.model, 'preset-model', 'send anyway keeps the preset\'s model');
    const failed = ofType(posted, 'chat/end').at(-1)!;
    assert.equal(failed.message.error?.kind, 'server');
    await store.flush();

    // After a reload the stored turn still names the override, so Retry uses it too.
    const reloaded = setup([answer('retried')], directory);
    reloaded.select('chat-choice');
    await reloaded.chat.connect(() => undefined);
    await reloaded.chat.retry(failed.requestId);
    assert.equal(reloaded.provider.calls.length, 1);
    assert.equal(reloaded.provider.calls[0]!.request.model, 'preset-model');
    assert.deepEqual(models, ['preset-model', 'preset-model']);
  });

  it('drops a stored override that is not a pair of strings, keeping the turn (a hand-edited or hostile file)', () => {
    const turn = { id: 't', user: { id: 'u', role: 'user', text: 'q' }, answers: [], chosen: 0 };
    const file = (overrides: unknown) => ({ version: 2, id: '8b0d3f0e-1111-4111-8111-111111111111', title: 't', createdAt: 1, updatedAt: 1, turns: [{ ...turn, overrides }] });
    const overridesOf = (overrides: unknown) => parseConversationFile(file(overrides))?.conversation.turns.map(each => each.overrides);
    assert.deepEqual(overridesOf({ providerId: 'openai', model: 'm' }), [{ providerId: 'openai', model: 'm' }]);
    assert.deepEqual(overridesOf({ providerId: 'openai', baseUrl: 'http://evil' }), [undefined]);
    assert.deepEqual(overridesOf({ model: 42 }), [undefined]);
    assert.deepEqual(overridesOf('anthropic'), [undefined]);
    assert.deepEqual(parseConversationFile(file({ model: 42 }))?.conversation.turns[0]?.user.text, 'q', 'the turn itself is kept');
  });
});

describe('chat controller: one request at a time per conversation', () => {
  it('queues an explain that arrives while an answer streams, shows it waiting, and runs it after with the finished answer as history', async () => {
    const { chat, posted, provider, busy } = setup([answer('first answer', 3), answer('second answer')]);
    await chat.connect(message => posted.push(message));
    const first = chat.send('s1', 'first question');
    await new Promise(resolve => setTimeout(resolve, 10));
    const second = chat.ask('Explain foo', 'Explain foo\n\n```ts\nfoo()\n```');
    await new Promise(resolve => setTimeout(resolve, 0));
    const waiting = ofType(posted, 'chat/status').find(message => message.status === waitingStatus);
    assert.ok(waiting, 'the waiting request is shown as a status');
    assert.equal(provider.calls.length, 1, 'the second request waits');
    await Promise.all([first, second]);
    assert.equal(provider.calls.length, 2);
    // The queued request saw the finished first answer, never a half-written one.
    assert.deepEqual(provider.calls[1]!.request.messages.map(message => message.content), ['first question', 'first answer', 'Explain foo\n\n```ts\nfoo()\n```']);
    assert.deepEqual(await transcriptOf(chat), [['user', 'first question'], ['assistant', 'first answer'], ['user', 'Explain foo'], ['assistant', 'second answer']]);
    // Never interleaved: the second answer started after the first ended.
    const sequence = posted.filter(message => message.type === 'chat/started' || message.type === 'chat/end').map(message => `${message.type}:${message.requestId === 's1' ? 1 : 2}`);
    assert.deepEqual(sequence, ['chat/started:1', 'chat/end:1', 'chat/started:2', 'chat/end:2']);
    assert.equal(waiting.requestId, ofType(posted, 'chat/started')[1]!.requestId);
    assert.deepEqual(busy, [true, false], 'busy the whole time, once');
  });

  it('drops a queued request that is cancelled before it starts', async () => {
    const { chat, posted, provider, store } = setup([answer('only answer', 3), answer('never')]);
    await chat.connect(message => posted.push(message));
    const first = chat.send('s1', 'first question');
    await new Promise(resolve => setTimeout(resolve, 10));
    const second = chat.ask('Explain bar', 'Explain bar');
    await new Promise(resolve => setTimeout(resolve, 0));
    const waiting = ofType(posted, 'chat/status').find(message => message.status === waitingStatus)!;
    chat.cancel(waiting.requestId);
    await Promise.all([first, second]);
    assert.equal(provider.calls.length, 1);
    assert.deepEqual(await transcriptOf(chat), [['user', 'first question'], ['assistant', 'only answer']]);
    const removedId = ofType(posted, 'chat/message-removed')[0]?.messageId;
    assert.equal(removedId, ofType(posted, 'chat/message-added')[1]!.message.id);
    await store.flush();
    const reread = await new ConversationStore(store.directory).read((await chat.activeConversation()).id);
    assert.deepEqual(visibleMessages(reread!).map(message => message.text), ['first question', 'only answer']);
    assert.equal((await store.list())[0]!.messageCount, 2);
  });

  it('refuses a retry while another answer streams, with a message, and sends nothing', async () => {
    const { chat, posted, provider } = setup([new ProviderError({ kind: 'server', providerId: 'openai', message: 'boom', status: 500, retryable: false }), answer('slow', 3), answer('retried')]);
    await chat.connect(message => posted.push(message));
    await chat.send('f1', 'fails');
    // Not the last answer any more once another question is asked: retry of an old answer does nothing.
    const streaming = chat.ask('Explain', 'Explain');
    await new Promise(resolve => setTimeout(resolve, 5));
    const lastAnswerId = ofType(posted, 'chat/started')[1]!.requestId;
    await chat.retry(lastAnswerId);
    assert.ok(ofType(posted, 'chat/status').some(message => message.requestId === lastAnswerId && message.status === busyRefusal));
    await streaming;
    assert.equal(provider.calls.length, 2, 'the refused retry sent nothing');
  });
});

describe('conversation store', () => {
  it('serializes concurrent writes of one conversation: no failed rename, the last title wins', async () => {
    const directory = temporaryDirectory('byok-race-');
    const store = new ConversationStore(directory, { liveThrottleMs: 0, indexDelayMs: 0 });
    const conversation = { id: 'same', title: 'v0', createdAt: 0, updatedAt: 0, turns: [] as import('../../src/chat/conversation').Turn[] };
    store.appendTurn(conversation, { id: 't', user: { id: 'u', role: 'user', text: 'q' }, answers: [], chosen: 0 });
    for (let index = 0; index < 20; index++) {
      conversation.title = `v${index}`;
      conversation.updatedAt = index;
      store.setTitle(conversation);
      store.setLive('same', 't', { id: 'a', role: 'assistant', text: `partial ${index}` });
    }
    await store.flush();
    const reread = await new ConversationStore(directory).read('same');
    assert.equal(reread?.title, 'v19');
    assert.equal(reread?.turns[0]!.answers[0]!.stopped, true, 'the live answer comes back stopped');
    assert.deepEqual(fs.readdirSync(directory).filter(name => name.endsWith('.tmp')), [], 'no temporary files left behind');
  });

  it('ignores corrupt files and ids that could escape the folder', async () => {
    const directory = temporaryDirectory('byok-store-');
    fs.writeFileSync(path.join(directory, 'broken.json'), '{ not json');
    const store = new ConversationStore(directory, { indexDelayMs: 0 });
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.read('../../etc/passwd'), undefined);
    const evil = { id: '../evil', title: 't', createdAt: 0, updatedAt: 0, turns: [] };
    store.appendTurn(evil, { id: 't', user: { id: 'u', role: 'user', text: 'q' }, answers: [], chosen: 0 });
    await store.flush();
    assert.deepEqual(fs.readdirSync(directory).filter(name => name !== 'index.json'), ['broken.json']);
    assert.equal(fs.existsSync(path.join(directory, '..', 'evil.json')), false);
  });
});

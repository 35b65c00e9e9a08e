import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChatController } from '../../src/chat/chatController';
import { conversationToMarkdown } from '../../src/chat/exportMarkdown';
import { ConversationStore } from '../../src/config/conversationStore';
import { ProviderError } from '../../src/providers/errors';
import { Router, defaultRetryPolicy } from '../../src/router';
import type { HostToWebview } from '../../src/webview/protocol';
import { ScriptedProvider, type Script } from '../fakes/scriptedProvider';

const key = 'sk-chat-SECRET-abcdefghijkl';
const temporaryDirectories: string[] = [];

function temporaryDirectory(prefix: string): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirectories.push(directory);
  return directory;
}

after(() => {
  for (const directory of temporaryDirectories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
});

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
  const store = new ConversationStore(directory, 5);
  const posted: HostToWebview[] = [];
  const busy: boolean[] = [];
  const chat = new ChatController({
    store, router, systemPrompt: () => 'system', maxOutputTokens: () => 100,
    currentChoice: () => ({ providerId: 'openai', providerLabel: 'OpenAI', model: selected.model, hasKey: true }),
    onBusyChange: value => busy.push(value), log: () => undefined,
  });
  return { chat, provider, store, posted, busy, directory, select: (model: string) => { selected = { providerId: 'openai', model }; } };
}

const answer = (text: string): Script => ({ parts: [...text].map(character => ({ type: 'text-delta' as const, text: character })).concat([]), });

describe('chat controller', () => {
  it('streams an answer to the view, labels it and persists the conversation', async () => {
    const { chat, posted, busy, directory } = setup([{ parts: [{ type: 'text-delta', text: 'Hello ' }, { type: 'text-delta', text: 'world' }, { type: 'usage', inputTokens: 3, outputTokens: 2 }, { type: 'finish', unified: 'stop', raw: 'stop' }] }]);
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
    const files = fs.readdirSync(directory).filter(name => name.endsWith('.json'));
    assert.equal(files.length, 1);
    const stored = JSON.parse(fs.readFileSync(path.join(directory, files[0]!), 'utf8'));
    assert.equal(stored.title, 'Say hello');
    assert.deepEqual(stored.messages.map((message: { role: string; text: string }) => [message.role, message.text]), [['user', 'Say hello'], ['assistant', 'Hello world']]);
    assert.doesNotMatch(JSON.stringify(posted) + JSON.stringify(stored), new RegExp(key));
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
    assert.doesNotMatch(failed.message.error!.message, /SECRET/);
    await chat.retry('req-3');
    const conversation = await chat.activeConversation();
    assert.deepEqual(conversation.messages.map(message => [message.role, message.text]), [['user', 'hi'], ['assistant', 'ok']]);
    assert.equal(provider.calls.length, 2);
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
    const conversation = await chat.activeConversation();
    assert.deepEqual(conversation.messages.filter(message => message.role === 'assistant').map(message => message.meta?.model), ['gpt-x', 'gpt-other']);
  });

  it('sends attached context to the model but not to the view', async () => {
    const { chat, provider, posted } = setup([answer('seen')]);
    await chat.connect(message => posted.push(message));
    chat.attach({ kind: 'selection', label: 'a.ts:1-2', content: 'Selected code:\n```ts\nconst secretContext = 1;\n```' });
    await chat.send('c', 'explain this');
    assert.match(provider.calls[0]!.request.messages[0]!.content, /secretContext/);
    const state = posted.filter(message => message.type === 'chat/state').at(-1);
    assert.ok(state && state.type === 'chat/state');
    assert.equal(state.messages[0]!.attachments?.[0]?.label, 'a.ts:1-2');
    assert.doesNotMatch(JSON.stringify(state), /secretContext/);
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
    assert.equal(await chat.open(first.id), true);
    assert.equal((await chat.activeConversation()).id, first.id);
    await chat.delete(first.id);
    assert.equal((await store.list()).length, 1);
    assert.notEqual((await chat.activeConversation()).id, first.id);
  });
});

describe('conversation store', () => {
  it('serializes concurrent saves of one conversation: no failed rename, the last save wins', async () => {
    const directory = temporaryDirectory('byok-race-');
    const store = new ConversationStore(directory, 0);
    const saves: Promise<void>[] = [];
    for (let index = 0; index < 20; index++) {
      const conversation = { id: 'same', title: `v${index}`, createdAt: 0, updatedAt: index, messages: [] };
      store.saveSoon(conversation);
      saves.push(store.save(conversation));
    }
    await Promise.all(saves);
    await store.flush();
    assert.equal((await new ConversationStore(directory).read('same'))?.title, 'v19');
    assert.deepEqual(fs.readdirSync(directory), ['same.json'], 'no temporary files left behind');
  });

  it('ignores corrupt files and ids that could escape the folder', async () => {
    const directory = temporaryDirectory('byok-store-');
    fs.writeFileSync(path.join(directory, 'broken.json'), '{ not json');
    const store = new ConversationStore(directory, 5);
    assert.deepEqual(await store.list(), []);
    assert.equal(await store.read('../../etc/passwd'), undefined);
    await store.save({ id: '../evil', title: 't', createdAt: 0, updatedAt: 0, messages: [] });
    assert.deepEqual(fs.readdirSync(directory), ['broken.json']);
  });
});

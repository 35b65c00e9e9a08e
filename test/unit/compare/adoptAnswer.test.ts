import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChatController } from '../../../src/chat/chatController';
import type { StoredMessage } from '../../../src/chat/conversation';
import { ConversationStore } from '../../../src/chat/conversationStore';
import { Router, defaultRetryPolicy } from '../../../src/router';
import type { HostToWebview } from '../../../src/webview/protocol';
import { ScriptedProvider } from '../../fakes/scriptedProvider';

const directories: string[] = [];
after(() => { for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true }); });

function setup() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'byok-adopt-'));
  directories.push(directory);
  const provider = new ScriptedProvider('openai', [{ parts: [{ type: 'text-delta', text: 'next answer' }], delayMs: 20 }]);
  const router = new Router({
    selection: () => ({ providerId: 'openai', model: 'gpt-x' }),
    resolve: (providerId, model) => ({ provider, providerId, providerLabel: 'OpenAI', family: 'openai', model: model || 'gpt-x', keyRequired: false }),
    getKey: async () => undefined,
    retryPolicy: () => defaultRetryPolicy,
    sleep: async () => undefined,
  });
  const store = new ConversationStore(directory, { liveThrottleMs: 5, indexDelayMs: 5 });
  const chat = new ChatController({
    store, router, systemPrompt: () => '', maxOutputTokens: () => 100,
    currentChoice: () => ({ providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-x', hasKey: true }), log: () => undefined,
  });
  return { chat, provider, store, directory };
}

const answerOf = (text: string, providerId: string, costUsd?: number): StoredMessage => ({
  id: `${providerId}-answer`, role: 'assistant', text, providerId, requestId: `${providerId}-request`,
  meta: { providerId, providerLabel: providerId, model: `${providerId}-model`, ...(costUsd !== undefined ? { costUsd } : { unpriced: true }) },
});

describe('chat controller: adopting a comparison answer', () => {
  it('adds a turn whose chosen answer is shown and sent, keeping the others as alternatives', async () => {
    const { chat, provider, store, directory } = setup();
    const posted: HostToWebview[] = [];
    await chat.connect(message => posted.push(message));
    const answers = [answerOf('from alpha', 'alpha', 0.01), answerOf('from beta', 'beta', 0.02), answerOf('from gamma', 'gamma')];
    const adopted = await chat.adoptAnswers({ text: 'Explain closures', content: 'Explain closures\n\nfile.ts contents', attachments: [{ id: 'c1', label: 'file.ts', kind: 'file' }] }, answers, 1);
    assert.equal(adopted, true);

    const added = posted.filter(message => message.type === 'chat/message-added').map(message => message.type === 'chat/message-added' ? [message.message.role, message.message.text] : []);
    assert.deepEqual(added, [['user', 'Explain closures'], ['assistant', 'from beta']]);
    const header = posted.filter(message => message.type === 'chat/header').at(-1);
    assert.ok(header?.type === 'chat/header');
    assert.ok(Math.abs(header.totalCostUsd! - 0.03) < 1e-12, 'every compared answer cost money');
    const conversation = await chat.activeConversation();
    assert.equal(conversation.turns.length, 1);
    assert.equal(conversation.turns[0]!.chosen, 1);
    assert.deepEqual(conversation.turns[0]!.answers.map(answer => answer.text), ['from alpha', 'from beta', 'from gamma']);
    assert.deepEqual((await chat.activeTranscript()).map(message => message.text), ['Explain closures', 'from beta']);

    // The next request sends only the chosen answer (and the attached content of the question).
    await chat.send('next', 'And in Python?');
    assert.deepEqual(provider.calls[0]!.request.messages.map(message => [message.role, message.content]), [
      ['user', 'Explain closures\n\nfile.ts contents'], ['assistant', 'from beta'], ['user', 'And in Python?'],
    ]);

    // A reload reads back the same turn, with its alternatives, and counts their cost.
    await store.flush();
    const reloaded = new ConversationStore(directory);
    const [entry] = await reloaded.list();
    assert.equal(entry?.messageCount, 4);
    const stored = await reloaded.read(entry!.id);
    assert.equal(stored!.turns[0]!.chosen, 1);
    assert.deepEqual(stored!.turns[0]!.answers.map(answer => answer.text), ['from alpha', 'from beta', 'from gamma']);
  });

  it('is refused while an answer streams', async () => {
    const { chat } = setup();
    await chat.connect(() => undefined);
    const sending = chat.send('busy', 'hello');
    await new Promise(resolve => setTimeout(resolve, 5));
    assert.equal(await chat.adoptAnswers({ text: 'q', content: 'q', attachments: [] }, [answerOf('a', 'alpha')], 0), false);
    await sending;
    assert.equal((await chat.activeConversation()).turns.length, 1);
  });

  it('hands the attached context over once and clears the chips', async () => {
    const { chat } = setup();
    const posted: HostToWebview[] = [];
    await chat.connect(message => posted.push(message));
    chat.attach({ label: 'a.ts', kind: 'file', content: 'const a = 1;' });
    const taken = chat.takeAttachments();
    assert.deepEqual(taken.map(each => [each.label, each.content]), [['a.ts', 'const a = 1;']]);
    assert.deepEqual(chat.takeAttachments(), []);
    const chips = posted.filter(message => message.type === 'context/chips').at(-1);
    assert.ok(chips?.type === 'context/chips' && chips.chips.length === 0);
  });
});

import assert from 'node:assert/strict';
import { convertConversation, estimateTokens, type ConversionTarget } from '../../src/router/conversation';
import type { ChatMessage } from '../../src/providers/types';

const families = ['openai', 'anthropic', 'gemini'] as const;
const target = (family: ConversionTarget['family'], providerId: string, contextWindow?: number): ConversionTarget => ({ family, providerId, model: 'm', contextWindow, maxOutputTokens: 100 });

describe('conversation conversion', () => {
  const history: ChatMessage[] = [
    { role: 'system', content: 'extra system rule' },
    { role: 'assistant', content: 'Hi! How can I help?', providerId: 'gemini' },
    { role: 'user', content: 'one' },
    { role: 'user', content: 'two' },
    { role: 'assistant', content: '', providerId: 'openai' },
    { role: 'assistant', content: 'answer', reasoning: 'thoughts', providerId: 'anthropic' },
    { role: 'user', content: 'three' },
  ];

  for (const from of families) {
    for (const to of families) {
      it(`converts a ${from} conversation for ${to}: system apart, alternating, user first`, () => {
        const messages = history.map(message => message.role === 'assistant' ? { ...message, providerId: from } : message);
        const converted = convertConversation(messages, 'base prompt', target(to, to));
        assert.equal(converted.system, 'base prompt\n\nextra system rule');
        assert.equal(converted.messages[0]!.role, 'user');
        for (let index = 1; index < converted.messages.length; index++) {
          assert.notEqual(converted.messages[index]!.role, converted.messages[index - 1]!.role, 'roles alternate');
        }
        assert.ok(converted.messages.every(message => message.role !== 'system'));
        assert.ok(converted.messages.every(message => message.content.trim().length > 0), 'no empty turns');
        const answer = converted.messages.find(message => message.content === 'answer');
        assert.equal(answer?.reasoning, from === to ? 'thoughts' : undefined, 'reasoning only back to its own provider');
        assert.equal(converted.messages.at(-1)!.content, 'three');
        assert.ok(converted.messages.some(message => message.content === 'one\n\ntwo'), 'consecutive user turns merged');
      });
    }
  }

  it('trims the oldest turns to fit the context window and reports how many', () => {
    const long = 'x'.repeat(3500);
    const messages: ChatMessage[] = [];
    for (let turn = 0; turn < 10; turn++) messages.push({ role: 'user', content: `${turn} ${long}` }, { role: 'assistant', content: `${turn} ${long}` });
    messages.push({ role: 'user', content: 'last question' });
    const converted = convertConversation(messages, undefined, target('openai', 'openai', 5_000));
    assert.ok(converted.droppedMessages > 0);
    assert.equal(converted.messages[0]!.role, 'user');
    assert.equal(converted.messages.at(-1)!.content, 'last question');
    const total = converted.messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
    assert.ok(total <= 5_000 - 100, `fits: ${total}`);
    assert.equal(converted.droppedMessages + converted.messages.length, messages.length);
  });

  it('trims nothing when the window is unknown', () => {
    const converted = convertConversation([{ role: 'user', content: 'x'.repeat(100_000) }], undefined, target('gemini', 'gemini'));
    assert.equal(converted.droppedMessages, 0);
  });
});

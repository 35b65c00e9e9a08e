// The router's conversation conversion with tool calls (VS Code LM API agent loops): calls and their
// results stay paired through merging, the removal of unanswered calls, and context trimming.
import assert from 'node:assert/strict';
import { convertConversation, estimateConversationTokens, estimateMessageTokens, estimateTokens, type ConversionTarget } from '../../src/router/conversation';
import type { ChatMessage } from '../../src/providers/types';

const target = (contextWindow?: number): ConversionTarget => ({ family: 'anthropic', providerId: 'anthropic', model: 'm', contextWindow, maxOutputTokens: 100 });

function step(index: number, size = 0): ChatMessage[] {
  const id = `call_${index}`;
  return [
    { role: 'assistant', content: '', toolCalls: [{ id, name: 'read_file', input: { path: `f${index}.ts` } }] },
    { role: 'user', content: '', toolResults: [{ callId: id, content: `result ${index} ${'y'.repeat(size)}` }] },
  ];
}

/** Every result answers a call in the message right before it, and every call is answered right after. */
function assertPaired(messages: readonly ChatMessage[]): void {
  messages.forEach((message, index) => {
    const previous = messages[index - 1];
    const next = messages[index + 1];
    for (const result of message.toolResults ?? []) {
      assert.ok(previous?.toolCalls?.some(call => call.id === result.callId), `result ${result.callId} has its call right before it`);
    }
    for (const call of message.toolCalls ?? []) {
      assert.ok(next?.toolResults?.some(result => result.callId === call.id), `call ${call.id} is answered right after it`);
    }
  });
  assert.equal(messages[0]?.role, 'user');
}

describe('router conversation conversion with tool calls', () => {
  it('keeps empty-text turns that carry calls or results, and plain chat exactly as before', () => {
    const converted = convertConversation([{ role: 'user', content: 'Fix the bug' }, ...step(1)], undefined, target());
    assert.deepEqual(converted.messages, [
      { role: 'user', content: 'Fix the bug' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'read_file', input: { path: 'f1.ts' } }] },
      { role: 'user', content: '', toolResults: [{ callId: 'call_1', content: 'result 1 ' }] },
    ]);
    const plain = convertConversation([{ role: 'user', content: 'a' }, { role: 'assistant', content: '' }, { role: 'user', content: 'b' }], undefined, target());
    assert.deepEqual(plain.messages, [{ role: 'user', content: 'a\n\nb' }]);
  });

  it('merges a result turn with the user text that follows it, results kept', () => {
    const converted = convertConversation([{ role: 'user', content: 'go' }, ...step(1), { role: 'user', content: 'also check f2' }], undefined, target());
    assert.equal(converted.messages.length, 3);
    assert.deepEqual(converted.messages[2], { role: 'user', content: 'also check f2', toolResults: [{ callId: 'call_1', content: 'result 1 ' }] });
    assertPaired(converted.messages);
  });

  it('drops a call whose result never came and a result whose call is gone', () => {
    const converted = convertConversation([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Reading.', toolCalls: [{ id: 'lost', name: 'read_file', input: {} }] },
      { role: 'user', content: 'never mind', toolResults: [{ callId: 'other', content: 'stray' }] },
    ], undefined, target());
    assert.deepEqual(converted.messages, [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: 'Reading.' },
      { role: 'user', content: 'never mind' },
    ]);
  });

  it('trimming never leaves a result without its call, and keeps the last call with its result', () => {
    const history: ChatMessage[] = [{ role: 'user', content: 'Refactor everything' }];
    for (let index = 1; index <= 6; index++) history.push(...step(index, 700));
    // Room for about two steps.
    const window = 2 * (estimateMessageTokens(history[1]!) + estimateMessageTokens(history[2]!)) + 100 + 50;
    const converted = convertConversation(history, undefined, target(window));
    assert.ok(converted.droppedMessages > 0);
    assertPaired(converted.messages);
    const last = converted.messages.at(-1);
    assert.deepEqual(last?.toolResults?.map(result => result.callId), ['call_6']);
    assert.ok(converted.messages.some(message => message.toolCalls?.[0]?.id === 'call_6'));
  });

  it('even when only the last step fits, the call and its result are kept together after a user placeholder', () => {
    const history: ChatMessage[] = [{ role: 'user', content: 'x'.repeat(4000) }, ...step(1, 3000)];
    const converted = convertConversation(history, undefined, target(1200));
    assert.equal(converted.droppedMessages, 1);
    assert.equal(converted.messages.length, 3);
    assert.equal(converted.messages[0]?.role, 'user');
    assertPaired(converted.messages);
  });

  it('estimates count tool calls and results, so budgets and trimming see them', () => {
    const [call, result] = step(1, 350);
    assert.equal(estimateMessageTokens(call!), estimateTokens('read_file') + estimateTokens('{"path":"f1.ts"}'));
    assert.equal(estimateMessageTokens(result!), estimateTokens(`result 1 ${'y'.repeat(350)}`));
    assert.equal(estimateConversationTokens('sys', [call!, result!]), estimateTokens('sys') + estimateMessageTokens(call!) + estimateMessageTokens(result!));
  });
});

// The chat view's reducer, in plain Node (no DOM): every host event and user action it handles.
import * as assert from 'node:assert/strict';
import type { HostToWebview, TranscriptMessage } from '../../../src/webview/protocol';
import { initialChatState, maxPromptLength, promptHistory, reduce, type ChatAction, type ChatState } from '../../../src/webview/ui/chat/state';

const user = (id: string, text: string): TranscriptMessage => ({ id, role: 'user', text });
const answer = (id: string, text: string, requestId?: string): TranscriptMessage => ({ id, role: 'assistant', text, ...(requestId ? { requestId } : {}) });

function run(state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(reduce, state);
}

const opened = (messages: TranscriptMessage[] = [], extra: Partial<Extract<HostToWebview, { type: 'chat/state' }>> = {}): ChatState =>
  reduce(initialChatState(), { type: 'chat/state', conversationId: 'c1', title: 'Debounce', messages, ...extra });

describe('chat view state (reducer)', () => {
  it('starts from the saved draft and history panel, empty and idle', () => {
    const state = initialChatState({ draft: 'half a question', historyOpen: true });
    assert.equal(state.draft, 'half a question');
    assert.equal(state.historyOpen, true);
    assert.deepEqual(state.messages, []);
    assert.equal(state.busy, undefined);
    assert.equal(state.choiceKnown, false);
  });

  it('chat/state replaces the transcript, bumps the generation and takes title and total', () => {
    const first = opened([user('u1', 'a'), answer('a1', 'b')], { totalCostUsd: 0.5 });
    assert.equal(first.conversationId, 'c1');
    assert.equal(first.title, 'Debounce');
    assert.equal(first.totalCostUsd, 0.5);
    assert.deepEqual(first.messages.map(message => message.id), ['u1', 'a1']);
    const second = reduce(first, { type: 'chat/state', conversationId: 'c2', title: 'Other', messages: [] });
    assert.equal(second.generation, first.generation + 1);
    assert.deepEqual(second.messages, []);
    assert.equal(second.totalCostUsd, undefined);
  });

  it('chat/state with a busy request resumes streaming into its last answer', () => {
    const state = opened([user('u1', 'q'), answer('a1', 'partial')], { busyRequestId: 'r1' });
    assert.deepEqual(state.busy, { requestId: 'r1', started: true });
    assert.equal(state.stream?.messageId, 'a1');
    assert.equal(state.stream?.text, 'partial');
  });

  it('keeps a request this view sent busy through a chat/state that does not know it yet', () => {
    const sent = run(opened(), { type: 'ui/draft', text: 'hello' }, { type: 'ui/send', requestId: 'r1' });
    const after = reduce(sent, { type: 'chat/state', conversationId: 'c1', title: '', messages: [] });
    assert.deepEqual(after.busy, { requestId: 'r1', started: false });
    // …but a host that says nothing is busy ends an acknowledged request.
    const started = run(sent, { type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    assert.equal(reduce(started, { type: 'chat/state', conversationId: 'c1', title: '', messages: [] }).busy, undefined);
  });

  it('message-added appends, and the host copy of a sent question replaces the optimistic one in place', () => {
    let state = run(opened([user('u0', 'earlier'), answer('a0', 'reply')]), { type: 'ui/draft', text: 'new question' }, { type: 'ui/send', requestId: 'r1' });
    assert.equal(state.messages.at(-1)?.id, 'local-r1');
    assert.equal(state.messages.at(-1)?.text, 'new question');
    state = reduce(state, { type: 'chat/message-added', conversationId: 'c1', message: user('u1', 'new question') });
    assert.deepEqual(state.messages.map(message => message.id), ['u0', 'a0', 'u1']);
    assert.equal(state.pending, undefined);
    // An id the view has already is replaced, not duplicated.
    state = reduce(state, { type: 'chat/message-added', conversationId: 'c1', message: user('u1', 'edited') });
    assert.deepEqual(state.messages.map(message => message.text), ['earlier', 'reply', 'edited']);
  });

  it('ignores message events for another conversation once this one shows host messages', () => {
    const state = opened([user('u1', 'q')]);
    assert.equal(reduce(state, { type: 'chat/message-added', conversationId: 'other', message: user('x', 'x') }), state);
    assert.equal(reduce(state, { type: 'chat/message-removed', conversationId: 'other', messageId: 'u1' }), state);
    assert.equal(reduce(state, { type: 'chat/header', conversationId: 'other', title: 'T', totalCostUsd: 1 }), state);
    // A fresh view takes the conversation from its first event.
    const fresh = reduce(initialChatState(), { type: 'chat/message-added', conversationId: 'c9', message: user('u1', 'q') });
    assert.equal(fresh.conversationId, 'c9');
    assert.equal(fresh.messages.length, 1);
  });

  it('message-removed drops the message (and its stream)', () => {
    let state = run(opened([user('u1', 'q')]), { type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    state = reduce(state, { type: 'chat/message-removed', conversationId: 'c1', messageId: 'a1' });
    assert.deepEqual(state.messages.map(message => message.id), ['u1']);
    assert.equal(state.stream, undefined);
    assert.equal(reduce(state, { type: 'chat/message-removed', conversationId: 'c1', messageId: 'nope' }), state);
  });

  it('streams: started, deltas, status, end', () => {
    let state = run(opened([user('u1', 'q')]), { type: 'chat/started', requestId: 'r1', message: answer('a1', '', 'r1') });
    assert.deepEqual(state.busy, { requestId: 'r1', started: true });
    assert.equal(state.stream?.serial, 1);
    const messagesWhileStreaming = state.messages;
    state = run(state,
      { type: 'chat/status', requestId: 'r1', status: 'Retrying in 2 s…' },
      { type: 'chat/delta', requestId: 'r1', reasoning: 'think' },
      { type: 'chat/delta', requestId: 'r1', text: 'Hel' },
      { type: 'chat/delta', requestId: 'r1', text: 'lo', reasoning: 'ing' },
      { type: 'chat/delta', requestId: 'other', text: 'ignored' });
    assert.equal(state.stream?.text, 'Hello');
    assert.equal(state.stream?.reasoning, 'thinking');
    assert.equal(state.stream?.status, '', 'the first words replace the status');
    assert.equal(state.messages, messagesWhileStreaming, 'deltas do not touch the message list');
    state = reduce(state, { type: 'chat/end', requestId: 'r1', message: { ...answer('a1', 'Hello!'), meta: { providerId: 'openai', providerLabel: 'OpenAI', model: 'm' } } });
    assert.equal(state.stream, undefined);
    assert.equal(state.busy, undefined);
    assert.equal(state.messages.at(-1)?.text, 'Hello!');
    assert.equal(state.messages.at(-1)?.requestId, 'r1', 'the ended answer keeps its request id for Retry');
    assert.equal(state.messages.length, 2);
  });

  it('a status for a request that is not streaming becomes a notice until that request starts or an answer ends', () => {
    const streaming = reduce(opened([user('u1', 'q')]), { type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    const waiting = reduce(streaming, { type: 'chat/status', requestId: 'r2', status: 'Waiting for the current answer…' });
    assert.deepEqual(waiting.requestNotice, { requestId: 'r2', text: 'Waiting for the current answer…' });
    assert.equal(waiting.stream?.status, '', 'the streaming answer keeps its own status');
    assert.equal(reduce(waiting, { type: 'chat/started', requestId: 'r2', message: answer('a2', '') }).requestNotice, undefined);
    assert.equal(reduce(waiting, { type: 'chat/started', requestId: 'r3', message: answer('a3', '') }).requestNotice?.requestId, 'r2');
    assert.equal(reduce(waiting, { type: 'chat/end', requestId: 'r1', message: answer('a1', 'done') }).requestNotice, undefined);
    assert.equal(reduce(waiting, { type: 'chat/status', requestId: 'r2', status: '' }).requestNotice, undefined);
  });

  it('a delta for no stream changes nothing', () => {
    const state = opened();
    assert.equal(reduce(state, { type: 'chat/delta', requestId: 'r1', text: 'x' }), state);
    const streaming = reduce(state, { type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    assert.equal(reduce(streaming, { type: 'chat/delta', requestId: 'r1' }), streaming);
  });

  it('chat/started for an answer the state already holds streams into it without duplicating it', () => {
    // What the render bench does: the full state (question + empty answer, busy), then started.
    let state = opened([user('u1', 'q'), answer('a1', '', 'r1')], { busyRequestId: 'r1' });
    const serial = state.stream?.serial ?? 0;
    state = reduce(state, { type: 'chat/started', requestId: 'r1', message: answer('a1', '', 'r1') });
    assert.deepEqual(state.messages.map(message => message.id), ['u1', 'a1']);
    assert.equal(state.stream?.serial, serial + 1, 'a new serial, so the view attaches a fresh renderer');
  });

  it('chat/started brings back an optimistic question a chat/state dropped, unless the host has it', () => {
    const sent = run(opened(), { type: 'ui/draft', text: 'why?' }, { type: 'ui/send', requestId: 'r1' });
    const dropped = reduce(sent, { type: 'chat/state', conversationId: 'c1', title: '', messages: [] });
    const started = reduce(dropped, { type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    assert.deepEqual(started.messages.map(message => message.text), ['why?', '']);
    const known = reduce(sent, { type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'why?')] });
    const startedKnown = reduce(known, { type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    assert.deepEqual(startedKnown.messages.map(message => message.id), ['u1', 'a1']);
  });

  it('chat/end without a stream replaces the answer by id or appends it, and always clears busy', () => {
    let state = run(opened([user('u1', 'q'), answer('a1', 'old', 'r0')]), { type: 'ui/draft', text: 'x' }, { type: 'ui/send', requestId: 'r1' });
    state = reduce(state, { type: 'chat/end', requestId: 'r1', message: { ...answer('a2', ''), error: { kind: 'budget', providerId: 'openai', message: 'Over budget', fix: '' } } });
    assert.equal(state.busy, undefined);
    assert.equal(state.pending, undefined);
    assert.equal(state.messages.at(-1)?.id, 'a2');
    state = reduce(state, { type: 'chat/end', requestId: 'r0', message: answer('a1', 'new') });
    assert.equal(state.messages.find(message => message.id === 'a1')?.text, 'new');
  });

  it('a malformed chat/end still ends the request', () => {
    const streaming = reduce(opened([user('u1', 'q')]), { type: 'chat/started', requestId: 'r1', message: answer('a1', 'partial') });
    const ended = reduce(streaming, { type: 'chat/end', requestId: 'r1', message: undefined as unknown as TranscriptMessage });
    assert.equal(ended.busy, undefined);
    assert.equal(ended.stream, undefined);
    assert.equal(ended.messages, streaming.messages);
  });

  it('header, choice, conversations, chips and focus', () => {
    let state = opened();
    state = reduce(state, { type: 'chat/header', conversationId: 'c1', title: 'Renamed', totalCostUsd: 0.0123 });
    assert.equal(state.title, 'Renamed');
    assert.equal(state.totalCostUsd, 0.0123);
    state = reduce(state, { type: 'chat/choice', choice: undefined });
    assert.equal(state.choiceKnown, true);
    state = reduce(state, { type: 'chat/conversations', conversations: [{ id: 'c1', title: 'Renamed', updatedAt: 1 }], activeId: 'c1' });
    assert.equal(state.activeId, 'c1');
    state = reduce(state, { type: 'context/chips', chips: [{ id: 'k', label: 'a.ts', kind: 'file' }] });
    assert.equal(state.chips.length, 1);
    const focused = reduce(state, { type: 'chat/focus' });
    assert.equal(focused.focusRequests, state.focusRequests + 1);
    assert.equal(reduce(state, { type: 'providers/state', cards: [] }), state);
  });

  it('send: refuses empty text and a second request, warns about a too-long prompt', () => {
    const state = opened();
    assert.equal(reduce(state, { type: 'ui/send', requestId: 'r1' }), state);
    assert.equal(reduce(reduce(state, { type: 'ui/draft', text: '   \n' }), { type: 'ui/send', requestId: 'r1' }).busy, undefined);
    const long = reduce(reduce(state, { type: 'ui/draft', text: 'x'.repeat(maxPromptLength + 1) }), { type: 'ui/send', requestId: 'r1' });
    assert.equal(long.busy, undefined);
    assert.match(long.tooLong ?? '', /200,001 characters long; the limit is 200,000/);
    assert.equal(reduce(long, { type: 'ui/draft', text: 'short' }).tooLong, undefined, 'typing clears the warning');
    const chips = reduce(state, { type: 'context/chips', chips: [{ id: 'k', label: 'sel', kind: 'selection' }] });
    const sent = run(chips, { type: 'ui/draft', text: 'go' }, { type: 'ui/send', requestId: 'r1' });
    assert.deepEqual(sent.busy, { requestId: 'r1', started: false });
    assert.equal(sent.draft, '');
    assert.deepEqual(sent.messages.at(-1)?.attachments, [{ id: 'k', label: 'sel', kind: 'selection' }]);
    assert.equal(reduce(run(sent, { type: 'ui/draft', text: 'again' }), { type: 'ui/send', requestId: 'r2' }).busy?.requestId, 'r1');
  });

  it('cancel clears only a request the host never acknowledged', () => {
    const sent = run(opened(), { type: 'ui/draft', text: 'go' }, { type: 'ui/send', requestId: 'r1' });
    assert.equal(reduce(sent, { type: 'ui/cancel' }).busy, undefined);
    const started = reduce(sent, { type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    assert.equal(reduce(started, { type: 'ui/cancel' }), started, 'chat/end will follow and end it');
  });

  it('walks the prompt history with the arrow keys and restores the draft', () => {
    let state = opened([user('u1', 'first'), answer('a1', ''), user('u2', 'second'), user('u3', 'second'), answer('a2', '')]);
    assert.deepEqual(promptHistory(state.messages), ['first', 'second']);
    assert.equal(reduce(state, { type: 'ui/prompt-history', direction: 'newer' }), state, '↓ before ↑ does nothing');
    state = reduce(state, { type: 'ui/prompt-history', direction: 'older' });
    assert.equal(state.draft, 'second');
    state = reduce(state, { type: 'ui/prompt-history', direction: 'older' });
    assert.equal(state.draft, 'first');
    assert.equal(reduce(state, { type: 'ui/prompt-history', direction: 'older' }).draft, 'first', 'stops at the oldest');
    state = run(state, { type: 'ui/prompt-history', direction: 'newer' }, { type: 'ui/prompt-history', direction: 'newer' });
    assert.equal(state.draft, '');
    assert.equal(state.historyIndex, undefined);
    // Text the user typed is never replaced by a recalled prompt.
    const typed = reduce(state, { type: 'ui/draft', text: 'my own words' });
    assert.equal(reduce(typed, { type: 'ui/prompt-history', direction: 'older' }), typed);
    // Editing a recalled prompt leaves history mode.
    const edited = run(state, { type: 'ui/prompt-history', direction: 'older' }, { type: 'ui/draft', text: 'second!' });
    assert.equal(edited.historyIndex, undefined);
    const empty = opened();
    assert.equal(reduce(empty, { type: 'ui/prompt-history', direction: 'older' }), empty);
  });

  it('toggles the history panel', () => {
    const state = opened();
    assert.equal(reduce(state, { type: 'ui/history-toggle' }).historyOpen, true);
    assert.equal(run(state, { type: 'ui/history-toggle' }, { type: 'ui/history-toggle' }).historyOpen, false);
  });

  it('never mutates the state it is given', () => {
    const state = opened([user('u1', 'q')]);
    const frozen = JSON.stringify(state);
    run(state,
      { type: 'ui/draft', text: 'x' }, { type: 'ui/send', requestId: 'r1' },
      { type: 'chat/message-added', conversationId: 'c1', message: user('u2', 'x') },
      { type: 'chat/started', requestId: 'r1', message: answer('a1', '') },
      { type: 'chat/delta', requestId: 'r1', text: 'y' },
      { type: 'chat/end', requestId: 'r1', message: answer('a1', 'y') },
      { type: 'chat/message-removed', conversationId: 'c1', messageId: 'u1' });
    assert.equal(JSON.stringify(state), frozen);
  });
});

// The chat view mounted in jsdom with a fake host: what the user sees and what it posts, and that
// rendering stays incremental (a long conversation costs a new turn no more than a short one).
import * as assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { ErrorInfo, HostToWebview, MessageMeta, TranscriptMessage, WebviewToHost } from '../../../src/webview/protocol';
import { parseWebviewMessage } from '../../../src/webview/protocol';
import { ChatView, type ChatHost } from '../../../src/webview/ui/chat/chatView';
import { plainTextNote, renderMarkdownOrThrow } from '../../../src/webview/ui/markdown';
import type { ViewState } from '../../../src/webview/ui/vscodeApi';

/** jsdom globals for this suite only (the view also needs the DOM classes, not just `document`). */
function useChatDom(): void {
  const names = ['window', 'document', 'HTMLElement', 'Node', 'Element', 'Event', 'KeyboardEvent', 'MouseEvent'] as const;
  let previous: Map<string, PropertyDescriptor | undefined> | undefined;
  before(() => {
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    previous = new Map(names.map(name => [name, Object.getOwnPropertyDescriptor(globalThis, name)]));
    for (const name of names) {
      Object.defineProperty(globalThis, name, { value: name === 'window' ? window : window[name], configurable: true, writable: true });
    }
  });
  after(() => {
    for (const [name, descriptor] of previous ?? []) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete (globalThis as Record<string, unknown>)[name];
    }
  });
}

class FakeHost implements ChatHost {
  readonly posted: WebviewToHost[] = [];
  saved: ViewState = {};
  post(message: WebviewToHost): void {
    const parsed = parseWebviewMessage(JSON.parse(JSON.stringify(message)) as unknown);
    assert.ok(parsed.ok, `the view posted an invalid message: ${JSON.stringify(message)}`);
    this.posted.push(message);
  }
  getState(): ViewState {
    return this.saved;
  }
  setState(patch: ViewState): void {
    this.saved = { ...this.saved, ...patch };
  }
  last(): WebviewToHost | undefined {
    return this.posted.at(-1);
  }
}

interface Mounted {
  view: ChatView;
  host: FakeHost;
  root: HTMLElement;
  /** Every text given to the markdown renderer, in order. */
  rendered: string[];
  /** Runs the animation frames the streaming renderer asked for. */
  frame(): void;
  send(message: HostToWebview): void;
  $<E extends Element = HTMLElement>(selector: string): E;
  $$(selector: string): Element[];
  errors: unknown[];
}

function mount(options: { render?: (markdown: string) => DocumentFragment; saved?: ViewState } = {}): Mounted {
  const host = new FakeHost();
  if (options.saved) host.saved = options.saved;
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const rendered: string[] = [];
  let frames: (() => void)[] = [];
  const errors: unknown[] = [];
  let requests = 0;
  const view = new ChatView(root, host, {
    render: markdown => {
      rendered.push(markdown);
      return (options.render ?? renderMarkdownOrThrow)(markdown);
    },
    schedule: callback => { frames.push(callback); },
    newRequestId: () => `request-${++requests}`,
    onError: error => errors.push(error),
  });
  return {
    view, host, root, rendered, errors,
    frame: () => {
      const due = frames;
      frames = [];
      for (const callback of due) callback();
    },
    send: message => view.handle(message),
    $: <E extends Element = HTMLElement>(selector: string): E => {
      const element = root.querySelector<E>(selector);
      assert.ok(element, `no ${selector}`);
      return element;
    },
    $$: selector => Array.from(root.querySelectorAll(selector)),
  };
}

const meta: MessageMeta = { providerId: 'openai', providerLabel: 'OpenAI', model: 'gpt-5.1', inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 345, latencyMs: 420, tokensPerSecond: 61.4, costUsd: 0.0123 };
const user = (id: string, text: string): TranscriptMessage => ({ id, role: 'user', text });
const answer = (id: string, text: string, extra: Partial<TranscriptMessage> = {}): TranscriptMessage => ({ id, role: 'assistant', text, ...extra });

function type(mounted: Mounted, text: string): void {
  const prompt = mounted.$<HTMLTextAreaElement>('#prompt');
  prompt.value = text;
  prompt.dispatchEvent(new window.Event('input'));
}

function press(element: Element, key: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  element.dispatchEvent(event);
  return event;
}

/** One turn as the host plays it: the question, the answer streaming in three deltas, the end, the header. */
function playTurn(mounted: Mounted, turn: number): void {
  const requestId = `r${turn}`;
  mounted.send({ type: 'chat/message-added', conversationId: 'c1', message: user(`u${turn}`, `Question ${turn}`) });
  mounted.send({ type: 'chat/started', requestId, message: answer(`a${turn}`, '', { requestId }) });
  const text = `Answer ${turn}: use a **debounce**.\n\n\`\`\`ts\nconst wait${turn} = ${turn};\n\`\`\`\n\nDone ${turn}.`;
  const third = Math.ceil(text.length / 3);
  for (let index = 0; index < 3; index++) {
    mounted.send({ type: 'chat/delta', requestId, text: text.slice(index * third, (index + 1) * third) });
    mounted.frame();
  }
  mounted.send({ type: 'chat/end', requestId, message: answer(`a${turn}`, text, { requestId, meta }) });
  mounted.send({ type: 'chat/header', conversationId: 'c1', title: 'Debounce', totalCostUsd: 0.0123 * turn });
}

describe('chat view (jsdom)', () => {
  useChatDom();

  it('shows the empty state, then a set-up prompt when no provider is usable', () => {
    const mounted = mount();
    assert.ok(mounted.$('.empty-state'));
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [] });
    mounted.send({ type: 'chat/choice', choice: { providerId: 'anthropic', providerLabel: 'Anthropic', model: 'claude', hasKey: false } });
    assert.ok(mounted.$('.empty-state.setup'));
    mounted.$<HTMLButtonElement>('.empty-state .primary-button').click();
    assert.deepEqual(mounted.host.last(), { type: 'error/action', action: 'setKey', providerId: 'anthropic' });
    assert.equal(mounted.$('#chat-title').textContent, 'New chat');
    assert.equal(mounted.$<HTMLButtonElement>('#export').disabled, true);
  });

  it('renders a conversation, its header with the total cost, and keeps the e2e selectors', () => {
    const mounted = mount();
    mounted.send({
      type: 'chat/state', conversationId: 'c1', title: 'Debounce', totalCostUsd: 0.0123,
      messages: [user('u1', 'How do I <b>debounce</b>?'), answer('a1', 'Use `setTimeout`.\n\n```ts\nlet t;\n```', { meta })],
    });
    assert.equal(mounted.$('#chat-title').textContent, 'Debounce');
    assert.equal(mounted.$('#chat-total').textContent, '$0.0123');
    assert.equal(mounted.$('#chat-total').hidden, false);
    assert.equal(mounted.$$('.message').length, 2);
    assert.equal(mounted.$('.message.user .message-body').textContent, 'How do I <b>debounce</b>?', 'the user text stays plain text');
    const reply = mounted.$('.message.assistant');
    assert.ok(reply.querySelector('.message-body .code-block'));
    assert.ok(reply.querySelector('.message-footer .meta'));
    for (const selector of ['#prompt', '#send', '#stop', '#model-pick', '#history-toggle', '#export', '#new-chat', '#transcript', '#history-panel']) mounted.$(selector);
    assert.equal(mounted.$$('.empty-state').length, 0);
  });

  it('meta line: provider · model (served), in / cached / out, cost, first token, tokens/s', () => {
    const mounted = mount();
    mounted.send({
      type: 'chat/state', conversationId: 'c1', title: '', messages: [
        answer('a1', 'x', { meta: { ...meta, servedModel: 'gpt-5.1-2025-11-13' } }),
        answer('a2', 'y', { meta: { providerId: 'ollama', providerLabel: 'Ollama', model: 'llama3', inputTokens: 5, outputTokens: 2, unpriced: true } }),
        answer('a3', 'z', { meta: { providerId: 'groq', providerLabel: 'Groq', model: 'm', costUsd: 0.00002 } }),
      ],
    });
    const lines = mounted.$$('.meta').map(element => element.textContent);
    assert.deepEqual(lines, [
      'OpenAI · gpt-5.1 (gpt-5.1-2025-11-13) · 1,200 in / 1,000 cached / 345 out · $0.0123 · first token 0.4 s · 61 tok/s',
      'Ollama · llama3 · 5 in / 2 out · unpriced',
      'Groq · m · < $0.0001',
    ]);
    assert.equal(mounted.$('.meta-cost').getAttribute('title')?.includes('$0.0123'), true);
  });

  it('error box: the host title, message, fix and exactly its actions, which post with provider and request', () => {
    const mounted = mount();
    const budget: ErrorInfo = {
      kind: 'budget', providerId: 'openai', title: 'Monthly budget reached', message: 'Spent $9.80 of $10.00; this request may cost $0.40.',
      fix: 'Raise the budget or send this one anyway.', actions: ['sendAnyway', 'raiseBudget', 'openUsage'],
    };
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'q'), answer('a1', '', { requestId: 'r1', error: budget })] });
    const box = mounted.$('.error-box.kind-budget');
    assert.equal(box.querySelector('.error-title')?.textContent, 'Monthly budget reached');
    assert.equal(box.querySelector('.error-message')?.textContent, budget.message);
    assert.equal(box.querySelector('.error-fix')?.textContent, budget.fix);
    const buttons = Array.from(box.querySelectorAll<HTMLButtonElement>('.error-actions button'));
    assert.deepEqual(buttons.map(button => button.textContent), ['Send once anyway', 'Raise budget', 'Show usage']);
    buttons[0]?.click();
    assert.deepEqual(mounted.host.last(), { type: 'error/action', action: 'sendAnyway', providerId: 'openai', requestId: 'r1' });

    // Without a host list: the kind-based buttons; Retry re-runs the request (after a reload too).
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [answer('a2', '', { requestId: 'r2', error: { kind: 'rate-limit', providerId: 'groq', message: 'Slow down', fix: 'Wait.' } })] });
    const fallback = mounted.$('.error-box');
    assert.equal(fallback.querySelector('.error-title')?.textContent, 'Slow down');
    assert.deepEqual(Array.from(fallback.querySelectorAll('button')).map(button => button.textContent), ['Retry', 'Switch provider']);
    fallback.querySelector<HTMLButtonElement>('button')?.click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/retry', requestId: 'r2' });

    // A stopped answer shows the badge, not an error box.
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [answer('a3', 'half', { stopped: true, error: { kind: 'aborted', providerId: 'x', message: '', fix: '' } })] });
    assert.ok(mounted.$('.badge.stopped'));
    assert.equal(mounted.$$('.error-box').length, 0);
  });

  it('a turn: Enter sends, the answer streams, Stop cancels, chat/end ends the busy state', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [] });
    const prompt = mounted.$<HTMLTextAreaElement>('#prompt');
    type(mounted, 'line one');
    assert.equal(press(prompt, 'Enter', { shiftKey: true }).defaultPrevented, false, 'Shift+Enter is a new line');
    assert.equal(mounted.host.posted.length, 0);
    assert.equal(press(prompt, 'Enter').defaultPrevented, true);
    assert.deepEqual(mounted.host.last(), { type: 'chat/send', requestId: 'request-1', text: 'line one' });
    assert.equal(prompt.value, '');
    assert.equal(mounted.host.saved.draft, '');
    assert.equal(mounted.$('.message.user').textContent?.includes('line one'), true, 'shown at once');
    assert.equal(mounted.$('#stop').hidden, false);
    assert.equal(mounted.$('#send').hidden, true);
    assert.ok(mounted.root.classList.contains('busy'));

    mounted.send({ type: 'chat/message-added', conversationId: 'c1', message: user('u1', 'line one') });
    assert.equal(mounted.$$('.message.user').length, 1, 'the host copy replaces the optimistic one');
    mounted.send({ type: 'chat/started', requestId: 'request-1', message: answer('a1', '', { requestId: 'request-1' }) });
    assert.match(mounted.$('.message.assistant .message-status').textContent ?? '', /Thinking/);
    mounted.send({ type: 'chat/status', requestId: 'request-1', status: 'Rate limited. Retrying in 2 s…' });
    assert.match(mounted.$('.message-status').textContent ?? '', /Retrying in 2 s/);
    mounted.send({ type: 'chat/delta', requestId: 'request-1', text: 'word1 word2 ' });
    mounted.frame();
    assert.equal(mounted.$('.message.assistant .message-body').textContent?.trim(), 'word1 word2');
    assert.equal(mounted.$('.message-status').hidden, true);

    press(prompt, 'Escape');
    assert.deepEqual(mounted.host.last(), { type: 'chat/cancel', requestId: 'request-1' });
    assert.equal(mounted.$('#stop').hidden, false, 'still busy until the host ends the request');
    mounted.send({ type: 'chat/end', requestId: 'request-1', message: answer('a1', 'word1 word2 ', { requestId: 'request-1', stopped: true, meta }) });
    assert.equal(mounted.$('#stop').hidden, true);
    assert.equal(mounted.$('#send').hidden, false);
    assert.ok(!mounted.root.classList.contains('busy'));
    assert.ok(mounted.$('.message.assistant .badge.stopped'));
    assert.equal(mounted.$$('.message-status').length, 0);
    assert.ok(!mounted.$('.message.assistant').classList.contains('streaming'));
  });

  it('Stop before the host acknowledged the request ends the busy state at once', () => {
    const mounted = mount();
    type(mounted, 'hello');
    mounted.$<HTMLButtonElement>('#send').click();
    mounted.$<HTMLButtonElement>('#stop').click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/cancel', requestId: 'request-1' });
    assert.equal(mounted.$('#stop').hidden, true);
  });

  it('refuses a too-long prompt with a notice, and reminds to set a key mid-conversation', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'q')] });
    type(mounted, 'x'.repeat(200_001));
    press(mounted.$('#prompt'), 'Enter');
    assert.equal(mounted.host.posted.length, 0);
    assert.match(mounted.$('.composer-notice').textContent ?? '', /the limit is 200,000/);
    type(mounted, '');
    assert.equal(mounted.$('.composer-notice').hidden, true);
    mounted.send({ type: 'chat/choice', choice: { providerId: 'groq', providerLabel: 'Groq', model: 'llama', hasKey: false } });
    assert.match(mounted.$('.composer-notice').textContent ?? '', /No API key is set for Groq/);
    assert.equal(mounted.$('#model-pick .button-text').textContent, 'Groq · llama');
    mounted.$<HTMLButtonElement>('#model-pick').click();
    assert.deepEqual(mounted.host.last(), { type: 'model/pick' });
  });

  it('shows the host\'s word on a request that waits or was refused above the input', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'q'), answer('a1', 'x', { requestId: 'r1' })] });
    mounted.send({ type: 'chat/started', requestId: 'r2', message: answer('a2', '') });
    mounted.send({ type: 'chat/status', requestId: 'r1', status: 'An answer is still being written. Try again once it has finished (or stop it).' });
    assert.match(mounted.$('.composer-notice').textContent ?? '', /still being written/);
    assert.equal(mounted.$('.composer-notice').hidden, false);
    mounted.send({ type: 'chat/end', requestId: 'r2', message: answer('a2', 'done') });
    assert.equal(mounted.$('.composer-notice').hidden, true);
  });

  it('recalls earlier prompts with the arrow keys', () => {
    const mounted = mount({ saved: { draft: '' } });
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'first'), answer('a1', 'x'), user('u2', 'second')] });
    const prompt = mounted.$<HTMLTextAreaElement>('#prompt');
    assert.equal(press(prompt, 'ArrowUp').defaultPrevented, true);
    assert.equal(prompt.value, 'second');
    press(prompt, 'ArrowUp');
    assert.equal(prompt.value, 'first');
    press(prompt, 'ArrowDown');
    press(prompt, 'ArrowDown');
    assert.equal(prompt.value, '');
    type(mounted, 'typed');
    assert.equal(press(prompt, 'ArrowUp').defaultPrevented, false, 'the caret moves in text the user typed');
    assert.equal(prompt.value, 'typed');
  });

  it('chips, history list and header buttons post what they say', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: 'One', messages: [user('u1', 'q')] });
    mounted.send({ type: 'context/chips', chips: [{ id: 'chip-1', label: 'cart.ts:1-9', kind: 'selection' }] });
    assert.equal(mounted.$('.chips .chip-label').textContent, 'cart.ts:1-9');
    mounted.$<HTMLButtonElement>('.chip-remove').click();
    assert.deepEqual(mounted.host.last(), { type: 'context/remove', attachmentId: 'chip-1' });

    assert.equal(mounted.$('#history-panel').hidden, true);
    mounted.$<HTMLButtonElement>('#history-toggle').click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/history' });
    assert.equal(mounted.host.saved.historyOpen, true);
    mounted.send({ type: 'chat/conversations', conversations: [{ id: 'c1', title: 'One', updatedAt: Date.now() }, { id: 'c2', title: 'Two', updatedAt: Date.now() - 7_200_000 }], activeId: 'c1' });
    const rows = mounted.$$('.history-row');
    assert.equal(rows.length, 2);
    assert.ok(rows[0]?.classList.contains('active'));
    assert.equal(rows[1]?.querySelector('.history-date')?.textContent, '2 h ago');
    rows[1]?.querySelector<HTMLButtonElement>('[aria-label="Rename Two"]')?.click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/rename', conversationId: 'c2' });
    rows[1]?.querySelector<HTMLButtonElement>('[aria-label="Delete Two"]')?.click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/delete', conversationId: 'c2' });
    rows[1]?.querySelector<HTMLButtonElement>('.history-open')?.click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/open', conversationId: 'c2' });
    assert.equal(mounted.$('#history-panel').hidden, true, 'opening a chat closes the list');

    mounted.$<HTMLButtonElement>('#export').click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/export', conversationId: 'c1' });
    mounted.$<HTMLButtonElement>('#new-chat').click();
    assert.deepEqual(mounted.host.last(), { type: 'chat/new' });
  });

  it('code block buttons and links in answers post code/action and link/open', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [answer('a1', '```py\nprint(1)\n```\n\n[docs](https://example.com/)')] });
    mounted.$<HTMLButtonElement>('.code-action[data-action="insert"]').click();
    assert.deepEqual(mounted.host.last(), { type: 'code/action', action: 'insert', code: 'print(1)', language: 'py' });
    mounted.$('[data-href]').click();
    assert.deepEqual(mounted.host.last(), { type: 'link/open', href: 'https://example.com/' });
  });

  it('message-removed takes the failed answer out before a retry streams a new one', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'q'), answer('a1', '', { requestId: 'r1', error: { kind: 'server', providerId: 'openai', message: 'Boom', fix: '' } })] });
    mounted.send({ type: 'chat/message-removed', conversationId: 'c1', messageId: 'a1' });
    assert.equal(mounted.$$('.message').length, 1);
    mounted.send({ type: 'chat/started', requestId: 'r2', message: answer('a2', '') });
    mounted.send({ type: 'chat/end', requestId: 'r2', message: answer('a2', 'Fine now.', { meta }) });
    assert.deepEqual(mounted.$$('.message').map(element => element.getAttribute('data-message-id')), ['u1', 'a2']);
    assert.equal(mounted.$$('.error-box').length, 0);
  });

  it('an answer that cannot be rendered shows as plain text; the others render and busy still ends', () => {
    const mounted = mount({ render: markdown => { if (markdown.includes('POISON')) throw new Error('render failed'); return renderMarkdownOrThrow(markdown); } });
    const quiet = console.error;
    console.error = () => undefined;
    try {
      mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [answer('a1', 'fine **one**'), answer('a2', 'POISON <b>here</b>'), answer('a3', 'fine **three**')] });
      assert.equal(mounted.$$('.message').length, 3);
      assert.equal(mounted.$('[data-message-id="a2"] .plain-text-answer').textContent, 'POISON <b>here</b>');
      assert.match(mounted.$('[data-message-id="a2"] .render-note').textContent ?? '', new RegExp(plainTextNote));
      assert.equal(mounted.$$('.message strong').length, 2);

      type(mounted, 'again');
      press(mounted.$('#prompt'), 'Enter');
      mounted.send({ type: 'chat/started', requestId: 'request-1', message: answer('a4', '') });
      mounted.send({ type: 'chat/delta', requestId: 'request-1', text: 'POISON streaming' });
      mounted.frame();
      mounted.send({ type: 'chat/end', requestId: 'request-1', message: answer('a4', 'POISON streaming', { meta }) });
      assert.equal(mounted.$('#stop').hidden, true, 'busy ends even though rendering threw');
      assert.equal(mounted.$('#send').hidden, false);
      assert.equal(mounted.$('[data-message-id="a4"] .plain-text-answer').textContent, 'POISON streaming');
      assert.ok(mounted.$('[data-message-id="a4"] .meta'));
    } finally {
      console.error = quiet;
    }
  });

  it('a malformed message from the host is shown as its text and cannot break the transcript', () => {
    const mounted = mount();
    const broken = { id: 'u2', role: 'user', text: 'broken <i>one</i>', attachments: { length: 1 } } as unknown as TranscriptMessage;
    const badError = answer('a2', 'x', { error: { kind: 'server', providerId: 'p', message: 'm', fix: '', actions: ['retry', 'fromTheFuture' as never] } });
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'ok'), broken, badError, answer('a3', 'still **here**')] });
    assert.equal(mounted.$$('.message').length, 4);
    assert.equal(mounted.errors.length, 1);
    assert.ok(mounted.$('[data-message-id="u2"]').classList.contains('render-failed'));
    assert.equal(mounted.$('[data-message-id="u2"] .message-body').textContent, 'broken <i>one</i>');
    assert.deepEqual(Array.from(mounted.$$('[data-message-id="a2"] .error-actions button')).map(button => button.textContent), ['Retry'], 'unknown actions are left out');
    assert.ok(mounted.$('[data-message-id="a3"] strong'));
    // The broken message can be replaced by a good copy later.
    mounted.send({ type: 'chat/message-added', conversationId: 'c1', message: user('u2', 'fixed') });
    assert.equal(mounted.$('[data-message-id="u2"] .message-body').textContent, 'fixed');
  });

  it('renders incrementally: turn 200 renders no earlier answer and costs what turn 1 costs', function () {
    this.timeout(60_000);
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: 'Debounce', messages: [] });
    const rendersPerTurn: number[] = [];
    let firstAnswer: Element | undefined;
    let firstAnswerHtml = '';
    for (let turn = 1; turn <= 200; turn++) {
      const before = mounted.rendered.length;
      playTurn(mounted, turn);
      rendersPerTurn.push(mounted.rendered.length - before);
      if (turn === 1) {
        firstAnswer = mounted.$('[data-message-id="a1"]');
        firstAnswerHtml = firstAnswer.innerHTML;
      }
      if (turn === 200) {
        const texts = mounted.rendered.slice(before);
        assert.ok(texts.every(text => !/Answer (?!200\b)\d+/.test(text) && !/Done (?!200\b)\d+/.test(text)), `turn 200 rendered an earlier answer: ${JSON.stringify(texts)}`);
      }
    }
    assert.ok(rendersPerTurn[0]! > 0);
    assert.equal(rendersPerTurn[199], rendersPerTurn[0], `renders per turn: ${rendersPerTurn.join(',')}`);
    assert.equal(mounted.$$('.message').length, 400);
    assert.equal(mounted.$('[data-message-id="a1"]'), firstAnswer, 'the first answer is the same node');
    assert.equal(firstAnswer?.innerHTML, firstAnswerHtml, 'and unchanged');
    assert.equal(mounted.$$('.meta').length, 200);
    assert.equal(mounted.$('#chat-total').textContent, '$2.4600');
    assert.equal(mounted.$('[data-message-id="a200"] .message-body').querySelectorAll('pre').length, 1);

    // Only chat/state renders everything again: once per answer.
    const before = mounted.rendered.length;
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: 'Debounce', messages: mounted.view.state.messages.slice() });
    assert.equal(mounted.rendered.length - before, 200);
    assert.notEqual(mounted.$('[data-message-id="a1"]'), firstAnswer);
  });

  it('chat/end re-renders only the answer that ended', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'q1'), answer('a1', 'one'), user('u2', 'q2')] });
    mounted.send({ type: 'chat/started', requestId: 'r2', message: answer('a2', '') });
    mounted.send({ type: 'chat/delta', requestId: 'r2', text: 'two, streamed' });
    mounted.frame();
    const before = mounted.rendered.length;
    mounted.send({ type: 'chat/end', requestId: 'r2', message: answer('a2', 'two, final', { meta }) });
    assert.deepEqual(mounted.rendered.slice(before), ['two, final']);
    assert.equal(mounted.$('[data-message-id="a2"] .message-body').textContent?.trim(), 'two, final');
  });

  it('a restarted stream is not overwritten by the frame its predecessor had queued', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'q')] });
    mounted.send({ type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    mounted.send({ type: 'chat/delta', requestId: 'r1', text: 'stale text' });
    mounted.send({ type: 'chat/started', requestId: 'r1', message: answer('a1', '') });
    mounted.send({ type: 'chat/delta', requestId: 'r1', text: 'fresh' });
    mounted.frame();
    assert.equal(mounted.$('[data-message-id="a1"] .message-body').textContent?.trim(), 'fresh');
    assert.equal(mounted.$$('[data-message-id="a1"] .message-body').length, 1);
  });

  it('resumes a stream after the view reconnects mid-answer (chat/state with busyRequestId)', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: '', messages: [user('u1', 'q'), answer('a1', 'Partial ', { requestId: 'r1' })], busyRequestId: 'r1' });
    assert.equal(mounted.$('#stop').hidden, false);
    mounted.send({ type: 'chat/delta', requestId: 'r1', text: 'and more' });
    mounted.frame();
    assert.equal(mounted.$('[data-message-id="a1"] .message-body').textContent?.trim(), 'Partial and more');
    mounted.send({ type: 'chat/end', requestId: 'r1', message: answer('a1', 'Partial and more', { requestId: 'r1' }) });
    assert.equal(mounted.$('#stop').hidden, true);
  });

  it('focuses the prompt on chat/focus and restores the saved draft', () => {
    const mounted = mount({ saved: { draft: 'unsent words', historyOpen: false } });
    const prompt = mounted.$<HTMLTextAreaElement>('#prompt');
    assert.equal(prompt.value, 'unsent words');
    assert.equal(mounted.$<HTMLButtonElement>('#send').disabled, false);
    mounted.send({ type: 'chat/focus' });
    assert.equal(document.activeElement, prompt);
  });
});

describe('chat view: the / preset menu (jsdom)', () => {
  useChatDom();
  const presets = [
    { name: 'explain', description: 'Explain the selected code', argumentHint: 'focus', source: 'built-in' as const, sourceLabel: 'built-in', mode: 'explain' as const },
    { name: 'review', description: 'Review for bugs', argumentHint: '', source: 'workspace' as const, sourceLabel: 'workspace (.byok/prompts), overrides user', mode: 'chat' as const },
  ];

  it('asks the host for the presets on the first /, then filters, moves with the arrows and completes with Enter', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: 'New chat', messages: [] });
    type(mounted, '/');
    assert.deepEqual(mounted.host.posted.filter(message => message.type === 'presets/request').length, 1);
    assert.equal(mounted.$('#preset-menu').hidden, true);
    mounted.send({ type: 'presets/list', presets });
    assert.equal(mounted.$('#preset-menu').hidden, false);
    assert.deepEqual(mounted.$$('.preset-option .preset-name').map(element => element.textContent), ['/explain', '/review']);
    assert.match(mounted.$('.preset-option').textContent ?? '', /focus/);
    assert.match(mounted.$$('.preset-option')[1]!.textContent ?? '', /overrides user/);
    type(mounted, '/rv');
    assert.deepEqual(mounted.$$('.preset-option .preset-name').map(element => element.textContent), ['/review']);
    type(mounted, '/');
    const prompt = mounted.$<HTMLTextAreaElement>('#prompt');
    assert.ok(press(prompt, 'ArrowDown').defaultPrevented);
    assert.equal(mounted.$('.preset-option.selected .preset-name').textContent, '/review');
    press(prompt, 'Enter');
    assert.equal(prompt.value, '/review ');
    assert.equal(mounted.$('#preset-menu').hidden, true);
    // Nothing was sent by completing; a second type(…) did not ask for the list again.
    assert.equal(mounted.host.posted.filter(message => message.type === 'chat/send' || message.type === 'chat/send-preset').length, 0);
    assert.equal(mounted.host.posted.filter(message => message.type === 'presets/request').length, 1);
  });

  it('Escape closes the menu without stopping anything; typing opens it again', () => {
    const mounted = mount();
    mounted.send({ type: 'presets/list', presets });
    type(mounted, '/ex');
    const prompt = mounted.$<HTMLTextAreaElement>('#prompt');
    assert.ok(press(prompt, 'Escape').defaultPrevented);
    assert.equal(mounted.$('#preset-menu').hidden, true);
    type(mounted, '/e');
    assert.equal(mounted.$('#preset-menu').hidden, false);
    press(prompt, 'Tab');
    assert.equal(prompt.value, '/explain ');
  });

  it('sends a known slash command as chat/send-preset, shows the chip and the expanded prompt, and restores the draft on refusal', () => {
    const mounted = mount();
    mounted.send({ type: 'chat/state', conversationId: 'c1', title: 'New chat', messages: [] });
    mounted.send({ type: 'presets/list', presets });
    type(mounted, '/review the loop');
    press(mounted.$('#prompt'), 'Enter');
    assert.deepEqual(mounted.host.last(), { type: 'chat/send-preset', requestId: 'request-1', name: 'review', arguments: 'the loop' });
    mounted.send({ type: 'presets/refused', requestId: 'request-1', reason: '/review was not sent. Unknown variable ${x}.', restoreDraft: true });
    assert.equal(mounted.view.state.busy, undefined);
    assert.equal(mounted.$<HTMLTextAreaElement>('#prompt').value, '/review the loop');
    assert.equal(mounted.$$('.message.user').length, 0);
    assert.match(mounted.$('.composer-notice').textContent ?? '', /Unknown variable/);

    press(mounted.$('#prompt'), 'Enter');
    assert.equal(mounted.host.last()?.type, 'chat/send-preset');
    mounted.send({ type: 'chat/message-added', conversationId: 'c1', message: { id: 'u1', role: 'user', text: '/review the loop', preset: { name: 'review', source: 'workspace', prompt: 'Review this loop for bugs.' } } });
    assert.equal(mounted.$('.preset-chip').textContent, '/review');
    assert.equal(mounted.$<HTMLDetailsElement>('details.preset-use').open, false);
    assert.equal(mounted.$('.preset-prompt').textContent, 'Review this loop for bugs.');
    // Save as Preset on that question saves the prompt as sent.
    mounted.$<HTMLButtonElement>('.message.user .save-preset').click();
    assert.deepEqual(mounted.host.last(), { type: 'presets/save', text: 'Review this loop for bugs.' });
  });

  it('sends an unknown /word as ordinary text', () => {
    const mounted = mount();
    mounted.send({ type: 'presets/list', presets });
    type(mounted, '/nothing here');
    press(mounted.$('#prompt'), 'Enter');
    assert.deepEqual(mounted.host.last(), { type: 'chat/send', requestId: 'request-1', text: '/nothing here' });
  });
});

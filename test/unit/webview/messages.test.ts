import * as assert from 'node:assert/strict';
import type { ErrorAction, ErrorInfo, ErrorKind, ProviderAction, ProviderCard, WebviewToHost } from '../../../src/webview/protocol';
import { parseWebviewMessage } from '../../../src/webview/protocol';
import { chatMessages, errorActionMessage, errorActions, formatCost, formatMeta, maxPromptLength, offeredActions, setupMessage } from '../../../src/webview/ui/chat';
import { codeActionForButton, codeActionMessage, linkMessage, renderMarkdown } from '../../../src/webview/ui/markdown';
import { modelOptions, providerMessages, verifySummary } from '../../../src/webview/ui/providers';
import { useDom } from './domSupport';

const allKinds: ErrorKind[] = [
  'auth', 'permission', 'quota', 'rate-limit', 'context-length', 'model-not-found', 'bad-request', 'server', 'overloaded',
  'network', 'timeout', 'aborted', 'missing-key', 'content-filter', 'key-store', 'budget',
];
const allErrorActions: ErrorAction[] = [
  'setKey', 'verify', 'switchProvider', 'retry', 'openDashboard', 'raiseBudget', 'sendAnyway', 'openUsage', 'keyStoreHelp',
];
const providerActions: ProviderAction[] = [
  'setKey', 'deleteKey', 'activate', 'deactivate', 'verify', 'refreshModels', 'openDashboard', 'select', 'editEndpoint', 'removeEndpoint',
];

function assertValid(message: WebviewToHost): void {
  const result = parseWebviewMessage(message);
  assert.ok(result.ok, `${JSON.stringify(message).slice(0, 200)} rejected: ${result.ok ? '' : result.reason}`);
  // What crosses postMessage is a structured clone: undefined-valued fields must not sneak in.
  assert.deepEqual(parseWebviewMessage(JSON.parse(JSON.stringify(message)) as unknown).ok, true);
}

describe('webview → host messages built by the UI', () => {
  useDom();
  it('chat view: every message it can post is valid', () => {
    const requestId = crypto.randomUUID();
    const messages: WebviewToHost[] = [
      chatMessages.ready(),
      chatMessages.send(requestId, 'How do I debounce?\nThanks'),
      chatMessages.send(requestId, 'x'.repeat(maxPromptLength)),
      chatMessages.cancel(requestId),
      chatMessages.retry(requestId),
      chatMessages.newChat(),
      chatMessages.history(),
      chatMessages.open('conversation-1'),
      chatMessages.rename('conversation-1'),
      chatMessages.remove('conversation-1'),
      chatMessages.exportChat('conversation-1'),
      chatMessages.attach('selection'),
      chatMessages.attach('file'),
      chatMessages.detach('attachment-1'),
      chatMessages.pickModel(),
      setupMessage(undefined),
      setupMessage({ providerId: 'anthropic', providerLabel: 'Anthropic', model: 'claude', hasKey: false }),
      setupMessage({ providerId: '', providerLabel: '', model: '', hasKey: false }),
    ];
    for (const message of messages) assertValid(message);
    assert.deepEqual(messages[0], { type: 'ready', view: 'chat' });
  });

  it('error boxes: every action for every error kind posts a valid message', () => {
    for (const kind of allKinds) {
      const error: ErrorInfo = { kind, providerId: 'openai', message: 'm', fix: 'f' };
      for (const action of errorActions(kind)) {
        assertValid(errorActionMessage(action, error, crypto.randomUUID()));
        assertValid(errorActionMessage(action, error, undefined));
      }
    }
    for (const action of allErrorActions) {
      const error: ErrorInfo = { kind: 'budget', providerId: 'openai', message: 'm', fix: 'f', actions: [action] };
      assertValid(errorActionMessage(action, error, 'request-7'));
      assertValid(errorActionMessage(action, error, undefined));
    }
    const retried = errorActionMessage('retry', { kind: 'server', providerId: 'openai', message: '', fix: '' }, 'request-7');
    assert.deepEqual(retried, { type: 'chat/retry', requestId: 'request-7' });
    // Every other action names the provider and the failed request (sendAnyway re-sends exactly that one).
    const budget: ErrorInfo = { kind: 'budget', providerId: 'anthropic', message: '', fix: '' };
    assert.deepEqual(errorActionMessage('sendAnyway', budget, 'request-8'), { type: 'error/action', action: 'sendAnyway', providerId: 'anthropic', requestId: 'request-8' });
    assert.deepEqual(errorActionMessage('setKey', budget, undefined), { type: 'error/action', action: 'setKey', providerId: 'anthropic' });
  });

  it('error boxes show exactly the actions the host sent, else the kind-based ones', () => {
    const error: ErrorInfo = { kind: 'key-store', providerId: 'openai', message: 'm', fix: 'f', actions: ['keyStoreHelp', 'retry'] };
    assert.deepEqual(offeredActions(error), ['keyStoreHelp', 'retry']);
    assert.deepEqual(offeredActions({ ...error, actions: [] }), []);
    assert.deepEqual(offeredActions({ ...error, actions: undefined }), ['keyStoreHelp']);
    assert.deepEqual(offeredActions({ kind: 'server', providerId: 'x', message: '', fix: '', retryable: false }), ['switchProvider']);
  });

  it('error boxes offer the fixes that match the kind', () => {
    const expected: Partial<Record<ErrorKind, ErrorAction[]>> = {
      'missing-key': ['setKey'],
      'auth': ['setKey', 'verify', 'openDashboard'],
      'quota': ['verify', 'switchProvider', 'openDashboard'],
      'rate-limit': ['retry', 'switchProvider'],
      'network': ['verify', 'retry'],
      'context-length': ['switchProvider'],
      'content-filter': [],
      'budget': ['raiseBudget', 'sendAnyway', 'switchProvider', 'openUsage'],
      'key-store': ['keyStoreHelp'],
    };
    for (const [kind, actions] of Object.entries(expected)) assert.deepEqual(errorActions(kind as ErrorKind), actions, kind);
  });

  it('code toolbar buttons and links post valid messages with the raw code', () => {
    const code = 'fn main() {\n    println!("<hi> & bye");\n}';
    const container = document.createElement('div');
    container.innerHTML = renderMarkdown('```rust\n' + code + '\n```\n\n[docs](https://doc.rust-lang.org/) ![img](https://example.com/a.png)');
    const buttons = Array.from(container.querySelectorAll('.code-toolbar button'));
    assert.equal(buttons.length, 4);
    for (const button of buttons) {
      const message = codeActionForButton(button);
      assert.ok(message);
      assertValid(message);
      assert.equal(message.type === 'code/action' && message.code, code);
    }
    for (const element of Array.from(container.querySelectorAll('[data-href]'))) {
      const message = linkMessage(element.getAttribute('data-href') ?? '');
      assert.ok(message);
      assertValid(message);
    }
    assertValid(codeActionMessage('copy', '', ''));
    assertValid(codeActionMessage('insert', 'x', 'a-very-long-language-name-that-goes-on-and-on-and-on-for-more-than-sixty-four-characters'));
  });

  it('providers view: every message it can post is valid', () => {
    const messages: WebviewToHost[] = [
      providerMessages.ready(),
      providerMessages.addEndpoint(),
      providerMessages.verifyAll(),
      providerMessages.selectModel('openai', 'gpt-5.1'),
      ...providerActions.map(action => providerMessages.action(action, 'custom-ollama')),
    ];
    for (const message of messages) assertValid(message);
    assert.deepEqual(messages[0], { type: 'ready', view: 'providers' });
  });

  it('providers view: lists live models first, labels catalog ones, keeps the current model', () => {
    const card: ProviderCard = {
      id: 'openai', label: 'OpenAI', custom: false, keyState: 'verified', keyRequired: true, enabled: true, selected: true,
      model: 'my-fine-tune', dashboardUrl: '', baseUrl: '',
      models: [{ id: 'o4-mini', label: 'o4-mini', live: false }, { id: 'gpt-5.1', label: 'gpt-5.1', live: true }],
    };
    assert.deepEqual(modelOptions(card), [
      { value: 'my-fine-tune', label: 'my-fine-tune' },
      { value: 'gpt-5.1', label: 'gpt-5.1' },
      { value: 'o4-mini', label: 'o4-mini (catalog)' },
    ]);
    assert.equal(verifySummary({ ok: true, latencyMs: 231.4, modelCount: 42, at: 0 }), '\u2713 231 ms \u00b7 42 models');
    assert.equal(verifySummary({ ok: false, latencyMs: 0, at: 0, error: { kind: 'auth', providerId: 'openai', message: 'Bad key', fix: '' } }), 'Bad key');
  });

  it('formats the meta line of an answer', () => {
    assert.equal(
      formatMeta({ providerId: 'anthropic', providerLabel: 'Anthropic', model: 'claude-sonnet-4-5', inputTokens: 123, outputTokens: 4567, latencyMs: 800 }),
      'Anthropic \u00b7 claude-sonnet-4-5 \u00b7 123 in / 4,567 out \u00b7 first token 0.8 s');
    assert.equal(formatMeta({ providerId: 'x', providerLabel: 'X', model: 'm' }), 'X \u00b7 m');
    assert.equal(
      formatMeta({
        providerId: 'openrouter', providerLabel: 'OpenRouter', model: 'auto', servedModel: 'anthropic/claude-sonnet-4.5',
        inputTokens: 2000, cachedInputTokens: 0, outputTokens: 10, costUsd: 0.00005, latencyMs: 1250, tokensPerSecond: 8.25,
      }),
      'OpenRouter \u00b7 auto (anthropic/claude-sonnet-4.5) \u00b7 2,000 in / 0 cached / 10 out \u00b7 < $0.0001 \u00b7 first token 1.3 s \u00b7 8.3 tok/s');
    // The served model is named only when it differs; an unknown cost is left out, a missing price says so.
    assert.equal(formatMeta({ providerId: 'x', providerLabel: 'X', model: 'm', servedModel: 'm', outputTokens: 3 }), 'X \u00b7 m \u00b7 ? in / 3 out');
    assert.equal(formatMeta({ providerId: 'x', providerLabel: 'X', model: 'm', unpriced: true }), 'X \u00b7 m \u00b7 unpriced');
    assert.equal(formatMeta({ providerId: 'x', providerLabel: 'X', model: 'm', costUsd: 0, unpriced: true }), 'X \u00b7 m \u00b7 $0');
  });

  it('formats costs', () => {
    assert.equal(formatCost(0.0123), '$0.0123');
    assert.equal(formatCost(0.00009), '< $0.0001');
    assert.equal(formatCost(0.0001), '$0.0001');
    assert.equal(formatCost(1.5), '$1.5000');
    assert.equal(formatCost(12.345), '$12.35');
    assert.equal(formatCost(0), '$0');
  });
});

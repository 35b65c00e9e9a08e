// In the real extension host: every request is a router turn with a settled result that the
// host's hooks see — refactor with its usage and cost, a budget refusal that sends nothing, verify.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import type { ProviderError } from '../../src/providers/errors';
import type { BeforeSendContext, TurnResult } from '../../src/router/turn';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { byokApi, configuration, eventually, pointProviderAt, resetUserSettings } from './support';

const openaiKey = 'sk-turn-integration-SECRET-0123456789abcdef';
const streamFixture = loadFixture('openai/chat-stream-text-after-tool-result-include-usage.json');

/** An OpenAI stream with the given text and a final usage chunk, as `stream_options.include_usage` sends it. */
function sseWithUsage(chunks: string[], usage: { prompt_tokens: number; completion_tokens: number }): string {
  const chunk = (body: unknown) => `data: ${JSON.stringify(body)}\n\n`;
  return chunks.map(text => chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-test-served', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })).join('')
    + chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-test-served', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })
    + chunk({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-test-served', choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })
    + 'data: [DONE]\n\n';
}

/**
 * The extension's own ProviderError class. This test file is a separate bundle, so its ProviderError
 * is a different class and the router would (rightly) not recognise it as a typed refusal; the class
 * is taken from an error the extension's router throws itself.
 */
async function extensionProviderError(api: ByokApi): Promise<typeof ProviderError> {
  const turn = api.router.turn({ feature: 'chat', providerId: 'no-such-provider', messages: [{ role: 'user', content: 'x' }] }, new AbortController().signal);
  try {
    for await (const _output of turn.parts) { /* fails before any output */ }
  } catch (error) {
    return (error as object).constructor as typeof ProviderError;
  }
  throw new Error('an unknown provider did not fail');
}

describe('router turns in the extension host', function () {
  // The first refactor loads the OpenAI SDK in a host that shares the machine with other work.
  this.timeout(90_000);
  let api: ByokApi;
  let server: FakeProviderServer;
  let hooks: { dispose(): void } | undefined;

  before(async () => {
    api = await byokApi();
    server = await new FakeProviderServer().start();
    await resetUserSettings();
    await pointProviderAt('openai', `${server.url}/v1`);
    await api.keys.set('openai', openaiKey);
  });

  beforeEach(async () => {
    server.reset();
    await api.settings.setEnabled('openai', true);
    await api.settings.setSelectedProvider('openai');
    await api.settings.setModel('openai', 'gpt-4o-mini');
  });

  afterEach(() => {
    hooks?.dispose();
    hooks = undefined;
  });

  after(async () => {
    await server.stop();
    await api.keys.delete('openai').catch(() => undefined);
    await resetUserSettings();
  });

  it('a refactor is a turn: beforeSend sees it, afterSettle gets its usage and the cost from the price table', async () => {
    const contexts: BeforeSendContext[] = [];
    const settled: TurnResult[] = [];
    hooks = api.router.use({
      beforeSend: context => { contexts.push(context); },
      afterSettle: result => { settled.push(result); },
    });
    server.replay('POST', '/v1/chat/completions', { ...streamFixture, body: sseWithUsage(['```js\n', 'const sum = items.reduce((acc, item) => acc + item.price, 0);\n', '```'], { prompt_tokens: 120, completion_tokens: 12 }) });
    await configuration().update('refactor.showDiff', false, vscode.ConfigurationTarget.Global);
    try {
      const document = await vscode.workspace.openTextDocument({ language: 'javascript', content: 'function total(items) {\n  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum;\n}\n' });
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = new vscode.Selection(1, 0, 3, 0);
      assert.equal(await vscode.commands.executeCommand('byok.refactor', 'Simplify'), 'applied');
    } finally {
      await configuration().update('refactor.showDiff', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.deepEqual(contexts.map(context => [context.feature, context.providerId, context.model]), [['refactor', 'openai', 'gpt-4o-mini']]);
    assert.ok(contexts[0]!.estimatedInputTokens > 0);
    assert.equal(settled.length, 1);
    const result = settled[0]!;
    assert.deepEqual([result.feature, result.outcome, result.requestedModel, result.attempts], ['refactor', 'ok', 'gpt-4o-mini', 1]);
    assert.equal(result.usage?.inputTokens, 120);
    assert.equal(result.usage?.outputTokens, 12);
    // The extension's own price hook (registered at start-up) prices it from genai-prices:
    // gpt-4o-mini at $0.15 / $0.60 per million tokens → 120 × 0.15e-6 + 12 × 0.60e-6.
    assert.equal(result.cost?.source, 'prices');
    assert.match(result.cost?.priceVersion ?? '', /^genai-prices@/);
    assert.ok(Math.abs((result.cost?.usd ?? 0) - 0.0000252) < 1e-12, `cost ${result.cost?.usd}`);
    assert.ok(result.timeToFirstTokenMs !== undefined && result.durationMs >= result.timeToFirstTokenMs);
  });

  it('a budget refusal in the chat sends nothing to the provider and shows the budget error', async () => {
    const settled: TurnResult[] = [];
    const ProviderError = await extensionProviderError(api);
    hooks = api.router.use({
      beforeSend: context => {
        if (!context.overrideBudget) throw new ProviderError({ kind: 'budget', providerId: context.providerId, message: 'This request could cost up to $0.50; $0.10 of your $5.00 monthly budget is left.', retryable: false });
      },
      afterSettle: result => { settled.push(result); },
    });
    server.replay('POST', '/v1/chat/completions', streamFixture);
    await api.chat.send('it-budget', 'hello');
    const answer = (await api.chat.activeTranscript()).at(-1)!;
    assert.equal(answer.error?.kind, 'budget');
    await eventually(() => settled.length === 1, 'the refused turn settled');
    assert.deepEqual([settled[0]!.feature, settled[0]!.outcome, settled[0]!.errorKind, settled[0]!.attempts], ['chat', 'refused', 'budget', 0]);
    assert.equal(server.requests.filter(request => request.method === 'POST').length, 0, 'no request reached the provider');
  });

  it('verify is a turn of feature verify that lands in afterSettle', async () => {
    const settled: TurnResult[] = [];
    hooks = api.router.use({ afterSettle: result => { settled.push(result); } });
    server.replay('GET', '/v1/models', loadFixture('openai/error-401-invalid-api-key.json'));
    const record = await api.providers.verify('openai');
    assert.equal(record.ok, false);
    assert.equal(record.error?.kind, 'auth');
    assert.deepEqual(settled.map(result => [result.feature, result.providerId, result.outcome, result.errorKind]), [['verify', 'openai', 'error', 'auth']]);
  });
});

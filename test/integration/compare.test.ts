// In the real extension host: "Compare Models…" against three fake providers that answer at
// different speeds. Each pane's figures must match how its fake streamed (generous tolerances: a
// shared CI machine), and a failing provider must not disturb the other panes.
import * as assert from 'node:assert/strict';
import type * as http from 'node:http';
import * as vscode from 'vscode';
import type { ByokApi } from '../../src/extension';
import type { CompareSummary } from '../../src/webview/comparePanel';
import { FakeProviderServer, type RecordedRequest } from '../fakes/fakeProviderServer';
import { byokApi, pointProviderAt, resetUserSettings } from './support';

interface Pace {
  /** Before the response headers and the first token. */
  firstTokenMs: number;
  /** Between two tokens. */
  intervalMs: number;
  tokens: number;
}

const pause = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));
const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`;

/** An OpenAI-compatible stream written at a known pace, ending with a usage chunk. */
function pacedStream(pace: Pace, word: string) {
  return async (_request: RecordedRequest, response: http.ServerResponse): Promise<void> => {
    await pause(pace.firstTokenMs);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let index = 0; index < pace.tokens; index++) {
      if (index > 0) await pause(pace.intervalMs);
      if (response.destroyed) return;
      response.write(chunk({ content: `${word}${index} ` }));
    }
    response.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
    response.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'fake', choices: [], usage: { prompt_tokens: 21, completion_tokens: pace.tokens, total_tokens: 21 + pace.tokens, prompt_tokens_details: { cached_tokens: 5 } } })}\n\n`);
    response.end('data: [DONE]\n\n');
  };
}

const providers = [
  { id: 'openai', model: 'gpt-4o-mini', key: 'sk-compare-openai-SECRET-0123456789', pace: { firstTokenMs: 50, intervalMs: 10, tokens: 20 }, word: 'fast' },
  { id: 'mistral', model: 'mistral-small-latest', key: 'compare-mistral-SECRET-0123456789ab', pace: { firstTokenMs: 400, intervalMs: 25, tokens: 20 }, word: 'medium' },
  { id: 'groq', model: 'llama-3.1-8b-instant', key: 'gsk_compare-groq-SECRET-0123456789abcdef', pace: { firstTokenMs: 900, intervalMs: 50, tokens: 20 }, word: 'slow' },
] as const;

describe('Compare Models in the extension host', function () {
  this.timeout(60_000);
  let api: ByokApi;
  const servers = new Map<string, FakeProviderServer>();

  before(async () => {
    api = await byokApi();
    await resetUserSettings();
    for (const provider of providers) {
      const server = await new FakeProviderServer().start();
      servers.set(provider.id, server);
      await pointProviderAt(provider.id, `${server.url}/v1`);
      await api.keys.set(provider.id, provider.key);
      await api.settings.setEnabled(provider.id, true);
      await api.settings.setModel(provider.id, provider.model);
    }
    await api.settings.setSelectedProvider('openai');
  });

  beforeEach(() => { for (const server of servers.values()) server.reset(); });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const server of servers.values()) await server.stop();
    for (const provider of providers) await api.keys.delete(provider.id).catch(() => undefined);
    await resetUserSettings();
  });

  const targets = providers.map(provider => ({ providerId: provider.id, model: provider.model }));

  it('streams three providers in parallel; each pane\'s figures match its provider\'s pace', async () => {
    for (const provider of providers) servers.get(provider.id)!.route('POST', '/v1/chat/completions', pacedStream(provider.pace, provider.word));
    const started = Date.now();
    const summary = await vscode.commands.executeCommand<CompareSummary>('byok.compareModels', { prompt: 'Compare me', targets });
    const elapsed = Date.now() - started;
    assert.ok(summary, 'the command resolves with the comparison');
    assert.deepEqual(summary.panes.map(pane => [pane.providerId, pane.outcome]), providers.map(provider => [provider.id, 'ok']));

    // Parallel, not one after another: the whole comparison takes about as long as the slowest pane.
    const slowest = Math.max(...providers.map(provider => provider.pace.firstTokenMs + provider.pace.intervalMs * (provider.pace.tokens - 1)));
    const sum = providers.reduce((total, provider) => total + provider.pace.firstTokenMs + provider.pace.intervalMs * (provider.pace.tokens - 1), 0);
    assert.ok(elapsed < sum, `took ${elapsed} ms; sequential would be ≥ ${sum} ms (slowest pane ${slowest} ms)`);

    for (const [index, provider] of providers.entries()) {
      const pane = summary.panes[index]!;
      const { firstTokenMs, intervalMs, tokens } = provider.pace;
      const expectedTotal = firstTokenMs + intervalMs * (tokens - 1);
      const label = `${provider.id}: ${JSON.stringify(pane.metrics)}`;
      assert.equal(pane.text.trim().split(' ').length, tokens, label);
      assert.ok(pane.text.startsWith(`${provider.word}0 `), label);
      assert.equal(pane.metrics.outputTokens, tokens, label);
      assert.equal(pane.metrics.inputTokens, 21, label);
      assert.equal(pane.metrics.cachedInputTokens, 5, label);
      const ttft = pane.metrics.timeToFirstTokenMs!;
      assert.ok(ttft >= firstTokenMs - 10 && ttft < firstTokenMs + 600, `TTFT ${ttft} ms vs ${firstTokenMs} ms — ${label}`);
      const total = pane.metrics.totalMs!;
      assert.ok(total >= expectedTotal - 20 && total < expectedTotal + 1_500, `total ${total} ms vs ${expectedTotal} ms — ${label}`);
      // Tokens per second from first to last token: tokens / ((tokens − 1) × interval). Timers on a busy host run late, never early.
      const expectedSpeed = tokens / (((tokens - 1) * intervalMs) / 1000);
      const speed = pane.metrics.tokensPerSecond!;
      assert.ok(speed > expectedSpeed / 4 && speed < expectedSpeed * 1.3, `${speed} tok/s vs ${expectedSpeed} — ${label}`);
      assert.ok(pane.metrics.costUsd !== undefined || pane.metrics.unpriced === true, `a cost or "unpriced" — ${label}`);
    }
    // The speeds order like the fakes: fast > medium > slow; first tokens the other way round.
    const [fast, medium, slow] = summary.panes.map(pane => pane.metrics);
    assert.ok(fast!.timeToFirstTokenMs! < medium!.timeToFirstTokenMs! && medium!.timeToFirstTokenMs! < slow!.timeToFirstTokenMs!);
    assert.ok(fast!.tokensPerSecond! > medium!.tokensPerSecond! && medium!.tokensPerSecond! > slow!.tokensPerSecond!);

    // Each provider got exactly one request with its own key, and only the prompt.
    for (const provider of providers) {
      const posts = servers.get(provider.id)!.requests.filter(request => request.method === 'POST');
      assert.equal(posts.length, 1, provider.id);
      assert.equal(posts[0]!.headers.authorization, `Bearer ${provider.key}`);
      const body = JSON.parse(posts[0]!.body) as { model: string; messages: { role: string; content: string }[] };
      assert.equal(body.model, provider.model);
      assert.equal(body.messages.at(-1)?.content, 'Compare me');
    }
  });

  it('a provider that rejects its key fails in its own pane; the others finish', async () => {
    servers.get('openai')!.route('POST', '/v1/chat/completions', pacedStream(providers[0].pace, 'fine'));
    servers.get('mistral')!.route('POST', '/v1/chat/completions', (_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Invalid API key.', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    });
    servers.get('groq')!.route('POST', '/v1/chat/completions', pacedStream({ firstTokenMs: 100, intervalMs: 10, tokens: 5 }, 'also'));
    const summary = await vscode.commands.executeCommand<CompareSummary>('byok.compareModels', { prompt: 'One fails', targets });
    assert.deepEqual(summary.panes.map(pane => pane.outcome), ['ok', 'error', 'ok']);
    assert.equal(summary.panes[1]!.errorKind, 'auth');
    assert.match(summary.panes[0]!.text, /^fine0 /);
    assert.match(summary.panes[2]!.text, /^also0 /);
    assert.doesNotMatch(JSON.stringify(summary), /SECRET/, 'no key in what the comparison reports');
  });
});

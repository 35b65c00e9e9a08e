// The Anthropic adapter against recorded Messages API transcripts.
import assert from 'node:assert/strict';
import { loadFixture, type ProviderFixture, type ReplayOptions } from '../../fakes/fakeProviderServer';
import { leadingUserTurn } from '../../../src/providers/anthropicPrompt';
import { defaultAnthropicMaxTokens } from '../../../src/providers/anthropic';
import type { Usage } from '../../../src/providers/types';
import {
  assertHttpError, assertProviderError, assertRecordedAnswer, assertVerifyRejectsBadAndMissingKeys, builtIn, captureRequest, chatRequest,
  collect, itSplitsAtRandomOffsets, jsonEvents, providerFor, randomOffsets, record, seeds, signal, summarize, testKey, useFakeProviderServer,
  type HttpErrorCase, type StreamSummary,
} from './providerTestSupport';

const anthropic = builtIn('anthropic');
const messagesPath = '/v1/messages';

/** An independent reading of a Messages transcript. */
function expectedMessages(fixture: ProviderFixture): Omit<StreamSummary, 'shape'> {
  const events = typeof fixture.body === 'string' ? jsonEvents(fixture.body).map(record) : [];
  let text = '';
  let reasoning = '';
  let stopReason: string | undefined;
  let servedModel: string | undefined;
  const counts: Record<string, unknown> = {};
  const readUsage = (usage: Record<string, unknown>) => {
    for (const [name, value] of Object.entries(usage)) if (value !== null) counts[name] = value;
  };
  if (typeof fixture.body !== 'string') {
    const message = record(fixture.body);
    for (const block of (message['content'] as unknown[]).map(record)) if (block['type'] === 'text') text += String(block['text']);
    stopReason = message['stop_reason'] as string;
    servedModel = message['model'] as string;
    readUsage(record(message['usage']));
  }
  for (const event of events) {
    if (event['type'] === 'message_start') {
      servedModel = record(event['message'])['model'] as string;
      readUsage(record(record(event['message'])['usage']));
    }
    if (event['type'] === 'message_delta') {
      stopReason = record(event['delta'])['stop_reason'] as string;
      readUsage(record(event['usage']));
    }
    const delta = record(event['delta']);
    if (event['type'] === 'content_block_delta' && delta['type'] === 'text_delta') text += String(delta['text']);
    if (event['type'] === 'content_block_delta' && delta['type'] === 'thinking_delta') reasoning += String(delta['thinking']);
  }
  const count = (name: string) => (typeof counts[name] === 'number' ? counts[name] : 0);
  // input_tokens excludes the cache; normalized input is the whole prompt.
  const usage: Usage = {
    inputTokens: count('input_tokens') + count('cache_read_input_tokens') + count('cache_creation_input_tokens'),
    cacheReadTokens: count('cache_read_input_tokens'),
    cacheWriteTokens: count('cache_creation_input_tokens'),
    outputTokens: count('output_tokens'),
  };
  const unified = ({ end_turn: 'stop', max_tokens: 'length', tool_use: 'tool-calls', refusal: 'content-filter' } as Record<string, string>)[stopReason ?? ''] ?? 'other';
  return { text, reasoning, usage, rawUsage: counts, costUsd: undefined, servedModel, finish: { unified, raw: stopReason } };
}

describe('Anthropic adapter', function () {
  const server = useFakeProviderServer();

  async function replay(fixtureName: string, options: ReplayOptions = {}, request = chatRequest()) {
    const fixture = loadFixture(fixtureName);
    server.reset();
    server.replay('POST', messagesPath, fixture, options);
    return { fixture, outcome: await collect(providerFor(server, anthropic).streamChat(request, testKey, signal())) };
  }

  const successes: { fixture: string; known?: Partial<StreamSummary> }[] = [
    { fixture: 'anthropic/messages-stream-text-ping-ratelimit-headers.json', known: { text: 'Hello', usage: { inputTokens: 10, outputTokens: 4, cacheReadTokens: 0, cacheWriteTokens: 0 }, servedModel: 'claude-haiku-4-5-20251001', finish: { unified: 'stop', raw: 'end_turn' } } },
    { fixture: 'anthropic/messages-stream-thinking.json', known: { text: '1. **Pouch** - references their iconic bill pouch\n2. **Pelé** - playful take on "pelican"' } },
    { fixture: 'anthropic/messages-stream-tool-use.json', known: { text: '', finish: { unified: 'tool-calls', raw: 'tool_use' } } },
    { fixture: 'anthropic/messages-stream-ping-between-deltas.json', known: { text: '1\n2\n3\n4\n5', usage: { inputTokens: 15, outputTokens: 13, cacheReadTokens: 0, cacheWriteTokens: 0 }, servedModel: 'claude-3-opus-20240229' } },
    { fixture: 'anthropic/messages-stream-refusal.json', known: { text: '', finish: { unified: 'content-filter', raw: 'refusal' } } },
    { fixture: 'anthropic/messages-nonstream-text.json', known: { usage: { inputTokens: 13, outputTokens: 35, cacheReadTokens: 0, cacheWriteTokens: 0 }, servedModel: 'claude-3-opus-20240229' } },
    { fixture: 'anthropic/messages-nonstream-refusal.json', known: { finish: { unified: 'content-filter', raw: 'refusal' } } },
  ];

  for (const testCase of successes) {
    it(`${testCase.fixture}: exactly the recorded text, thinking, usage and stop reason`, async function () {
      const { fixture, outcome } = await replay(testCase.fixture);
      assertRecordedAnswer(outcome, expectedMessages(fixture), testCase.known);
    });
    itSplitsAtRandomOffsets(testCase.fixture, options => replay(testCase.fixture, options));
  }

  it('cache reads and writes are counted: the whole prompt as input, reads and writes as parts of it', async function () {
    const fixture = loadFixture('anthropic/messages-stream-text-ping-ratelimit-headers.json');
    const body = (fixture.body as string)
      .replaceAll('"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0', '"input_tokens":10,"cache_creation_input_tokens":20,"cache_read_input_tokens":300');
    const { outcome } = await replay('anthropic/messages-stream-text-ping-ratelimit-headers.json', { body });
    assert.deepEqual(summarize(outcome.parts).usage, { inputTokens: 330, outputTokens: 4, cacheReadTokens: 300, cacheWriteTokens: 20 });
  });

  it('thinking blocks become reasoning parts before the answer', async function () {
    const { outcome } = await replay('anthropic/messages-stream-thinking.json');
    const summary = summarize(outcome.parts);
    assert.ok(summary.reasoning.startsWith('The user wants two names for a pet pelican'));
    // message_start gives the served model and a first usage snapshot before any text.
    assert.deepEqual(summary.shape, ['response-metadata', 'usage', 'reasoning-delta', 'text-delta', 'usage', 'finish']);
  });

  it('an `error` event inside a 200 stream (overloaded_error) fails after the text already delivered', async function () {
    const fixture = 'anthropic/messages-stream-error-overloaded-midstream.json';
    for (const options of [{}, ...seeds.map(seed => ({ splitAt: randomOffsets(Buffer.byteLength(loadFixture(fixture).body as string), seed), delayMs: 1 }))]) {
      const { outcome } = await replay(fixture, options);
      const error = assertProviderError(outcome, 'overloaded');
      assert.equal(error.retryable, true);
      assert.equal(summarize(outcome.parts).text, 'Hello');
      assert.ok(!outcome.parts.some(part => part.type === 'finish'), 'no finish after an error');
    }
  });

  describe('HTTP errors', function () {
    const cases: HttpErrorCase[] = [
      { fixture: 'anthropic/error-400-invalid-request.json', kind: 'bad-request', message: /effort level 'xhigh'/ },
      { fixture: 'anthropic/error-400-prompt-too-long.json', kind: 'context-length', retryable: false, message: /prompt is too long/ },
      { fixture: 'anthropic/error-401-authentication.json', kind: 'auth', retryable: false, message: /invalid x-api-key/ },
      { fixture: 'anthropic/error-404-not-found-model.json', kind: 'model-not-found', message: /claude-sonet-4-5/ },
      { fixture: 'anthropic/error-429-rate-limit.json', kind: 'rate-limit', retryable: true, retryAfterMs: 16_000 },
      { fixture: 'anthropic/error-529-overloaded.json', kind: 'overloaded', retryable: true },
    ];
    for (const testCase of cases) {
      it(`${testCase.fixture} → ${testCase.kind}`, async function () {
        const { fixture, outcome } = await replay(testCase.fixture);
        assertHttpError(outcome, fixture, testCase);
        assert.equal(server.requests.length, 1, 'the SDK must not retry');
      });
    }

    it('a 429 that says a spend/usage limit is reached is quota, not retryable', async function () {
      const fixture = loadFixture('anthropic/error-429-rate-limit.json');
      const body = { type: 'error', error: { type: 'rate_limit_error', message: 'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.' } };
      const { outcome } = await replay('anthropic/error-429-rate-limit.json', { body, headers: fixture.headers });
      const error = assertProviderError(outcome, 'quota');
      assert.equal(error.retryable, false);
    });
  });

  describe('request shape', function () {
    const capture = (request = chatRequest()) =>
      captureRequest(server, messagesPath, 'anthropic/messages-stream-text-ping-ratelimit-headers.json', providerFor(server, anthropic), request);

    it('posts to /v1/messages with the system prompt as `system`, stream on, and the key as the SDK sends it', async function () {
      const { sent, body } = await capture(chatRequest({ model: 'claude-haiku-4-5', system: 'Be brief.', temperature: 0.3 }));
      assert.equal(sent.url, '/v1/messages');
      assert.equal(body['model'], 'claude-haiku-4-5');
      assert.equal(body['system'], 'Be brief.');
      assert.equal(body['stream'], true);
      assert.equal(body['temperature'], 0.3);
      assert.deepEqual(body['messages'], [{ role: 'user', content: 'Hello' }]);
      assert.ok(typeof sent.headers['anthropic-version'] === 'string');
      // Verified behaviour of @anthropic-ai/sdk 1.12: the key goes in `Authorization: Bearer`, not `x-api-key`.
      assert.equal(sent.headers.authorization, `Bearer ${testKey}`);
      assert.equal(sent.headers['x-api-key'], undefined);
      assert.ok(!sent.url.includes(testKey) && !sent.body.includes(testKey));
    });

    it('max_tokens defaults to 8192 and follows maxOutputTokens', async function () {
      assert.equal((await capture()).body['max_tokens'], defaultAnthropicMaxTokens);
      assert.equal(defaultAnthropicMaxTokens, 8192);
      server.reset();
      assert.equal((await capture(chatRequest({ maxOutputTokens: 300 }))).body['max_tokens'], 300);
    });

    it('a leading assistant message, repeated roles, system-role and empty messages still make a valid conversation', async function () {
      const { body } = await capture(chatRequest({
        system: 'Top.',
        messages: [
          { role: 'assistant', content: 'Earlier answer' },
          { role: 'system', content: 'Also this.' },
          { role: 'user', content: 'First' },
          { role: 'user', content: 'Second' },
          { role: 'assistant', content: '' },
          { role: 'assistant', content: 'Reply' },
        ],
      }));
      assert.equal(body['system'], 'Top.\n\nAlso this.');
      assert.deepEqual(body['messages'], [
        { role: 'user', content: leadingUserTurn },
        { role: 'assistant', content: 'Earlier answer' },
        { role: 'user', content: 'First\n\nSecond' },
        { role: 'assistant', content: 'Reply' },
      ]);
    });

    it('a missing key is reported before any request', async function () {
      const outcome = await collect(providerFor(server, anthropic).streamChat(chatRequest(), '  ', signal()));
      assertProviderError(outcome, 'missing-key');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('listModels and verify', function () {
    function serveModels() {
      const fixture = loadFixture('anthropic/models-list.json');
      // The documented example says has_more: true; a second page with the cursor ends the listing.
      server.route('GET', '/v1/models', (request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(request.url.includes('after_id=') ? JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null }) : JSON.stringify(fixture.body));
      });
      return fixture;
    }

    it('lists models with display_name, following the cursor', async function () {
      const fixture = serveModels();
      const models = await providerFor(server, anthropic).listModels(testKey);
      const entries = (record(fixture.body)['data'] as unknown[]).map(record);
      assert.deepEqual(models.map(model => model.id), entries.map(entry => entry['id']));
      assert.equal(models[0]?.displayName, 'Claude Opus 4.6');
      // The documented example has max_input_tokens 0: unknown, so no context window is claimed.
      assert.equal(models[0]?.contextWindow, undefined);
      assert.equal(server.requests.length, 2);
      assert.match(server.requests[1]?.url ?? '', /after_id=last_id/);
    });

    it('a server that repeats the same cursor cannot loop forever', async function () {
      server.replay('GET', '/v1/models', loadFixture('anthropic/models-list.json'));
      const models = await providerFor(server, anthropic).listModels(testKey);
      assert.equal(models.length, 1);
      assert.ok(server.requests.length <= 2);
    });

    it('verify reports ok with the model count; a bad key is auth; a missing key makes no request', async function () {
      serveModels();
      const ok = await providerFor(server, anthropic).verify(testKey);
      assert.deepEqual([ok.ok, ok.modelCount], [true, 1]);
      await assertVerifyRejectsBadAndMissingKeys(server, anthropic, '/v1/models', 'anthropic/error-401-authentication.json');
    });

    it('verify with no credit (spend limit) is quota', async function () {
      server.route('GET', '/v1/models', (_request, response) => {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' } }));
      });
      const result = await providerFor(server, anthropic).verify(testKey);
      assert.equal(result.error?.kind, 'quota');
      assert.equal(result.error?.retryable, false);
    });
  });
});

// The Gemini adapter against recorded Generative Language API transcripts.
import assert from 'node:assert/strict';
import { loadFixture, type ProviderFixture, type ReplayOptions } from '../../fakes/fakeProviderServer';
import { leadingGeminiUserTurn } from '../../../src/providers/geminiPrompt';
import type { Usage } from '../../../src/providers/types';
import {
  assertHttpError, assertProviderError, assertRecordedAnswer, assertVerifyRejectsBadAndMissingKeys, builtIn, captureRequest, chatRequest,
  collect, itSplitsAtRandomOffsets, jsonEvents, providerFor, record, signal, summarize, testKey, useFakeProviderServer,
  type HttpErrorCase, type StreamSummary,
} from './providerTestSupport';

const gemini = builtIn('gemini');
const streamPath = /^\/v1(beta)?\/models\/[^/]+:streamGenerateContent\?alt=sse$/;

/** An independent reading: SSE `data:` chunks, or the JSON array / object a non-SSE answer carries. */
function expectedGemini(fixture: ProviderFixture): Omit<StreamSummary, 'shape'> {
  const body = fixture.body;
  const chunks = typeof body === 'string' ? (body.trimStart().startsWith('data:') ? jsonEvents(body) : (JSON.parse(body) as unknown[])) : [body];
  let text = '';
  let reasoning = '';
  let finish: string | undefined;
  let usageMetadata: Record<string, unknown> | undefined;
  let servedModel: string | undefined;
  for (const chunk of chunks.map(record)) {
    if (chunk['usageMetadata']) usageMetadata = record(chunk['usageMetadata']);
    if (servedModel === undefined && typeof chunk['modelVersion'] === 'string') servedModel = chunk['modelVersion'];
    const candidate = record((chunk['candidates'] as unknown[] | undefined)?.[0]);
    if (typeof candidate['finishReason'] === 'string') finish = candidate['finishReason'];
    for (const part of ((record(candidate['content'])['parts'] as unknown[] | undefined) ?? []).map(record)) {
      if (typeof part['text'] !== 'string') continue;
      if (part['thought'] === true) reasoning += part['text'];
      else text += part['text'];
    }
  }
  const usage: Usage = {};
  if (usageMetadata) {
    const candidates = usageMetadata['candidatesTokenCount'];
    const thoughts = usageMetadata['thoughtsTokenCount'];
    if (typeof usageMetadata['promptTokenCount'] === 'number') usage.inputTokens = usageMetadata['promptTokenCount'];
    if (typeof usageMetadata['cachedContentTokenCount'] === 'number') usage.cacheReadTokens = usageMetadata['cachedContentTokenCount'];
    // Thoughts are billed as output but counted apart from the candidates.
    if (typeof candidates === 'number' || typeof thoughts === 'number') usage.outputTokens = Number(candidates ?? 0) + Number(thoughts ?? 0);
    if (typeof thoughts === 'number') usage.reasoningTokens = thoughts;
  }
  const unified = ({ STOP: 'stop', MAX_TOKENS: 'length', SAFETY: 'content-filter' } as Record<string, string>)[finish ?? ''] ?? 'other';
  return { text, reasoning, usage: usageMetadata ? usage : undefined, rawUsage: usageMetadata, costUsd: undefined, servedModel, finish: { unified, raw: finish } };
}

describe('Gemini adapter', function () {
  const server = useFakeProviderServer();

  async function replay(fixtureName: string, options: ReplayOptions = {}, request = chatRequest({ model: 'gemini-2.5-flash' })) {
    const fixture = loadFixture(fixtureName);
    server.reset();
    server.replay('POST', streamPath, fixture, options);
    return { fixture, outcome: await collect(providerFor(server, gemini).streamChat(request, testKey, signal())) };
  }

  const successes: { fixture: string; known?: Partial<StreamSummary> }[] = [
    { fixture: 'gemini/streamGenerateContent-sse-text.json', known: { text: 'The capital of France is Paris.\n', usage: { inputTokens: 13, outputTokens: 8 }, servedModel: 'gemini-2.0-flash-exp', finish: { unified: 'stop', raw: 'STOP' } } },
    { fixture: 'gemini/streamGenerateContent-sse-thinking.json' },
    // Answered without `alt=sse`: one JSON array; the adapter re-frames it rather than failing.
    { fixture: 'gemini/streamGenerateContent-json-array-no-alt-sse.json', known: { text: 'Scoop', usage: { inputTokens: 11, outputTokens: 293, reasoningTokens: 291 }, servedModel: 'gemini-3.6-flash' } },
    // Unary generateContent bodies: each streamed chunk has exactly this shape, so one is a one-chunk stream.
    { fixture: 'gemini/generateContent-text.json', known: { text: 'Hello! How can I help you today?', usage: { inputTokens: 9, outputTokens: 43, reasoningTokens: 34 }, servedModel: 'gemini-2.5-flash' } },
    { fixture: 'gemini/generateContent-finish-max-tokens.json', known: { text: 'The capital of France is', finish: { unified: 'length', raw: 'MAX_TOKENS' } } },
    { fixture: 'gemini/generateContent-finish-safety-blocked.json', known: { text: '', finish: { unified: 'content-filter', raw: 'SAFETY' }, usage: { inputTokens: 14 }, servedModel: 'gemini-1.5-flash' } },
  ];

  for (const testCase of successes) {
    it(`${testCase.fixture}: exactly the recorded text, thoughts, usage and finish`, async function () {
      const { fixture, outcome } = await replay(testCase.fixture);
      assertRecordedAnswer(outcome, expectedGemini(fixture), testCase.known);
    });
    itSplitsAtRandomOffsets(testCase.fixture, options => replay(testCase.fixture, options));
  }

  it('thought parts become reasoning, and thoughtsTokenCount becomes reasoningTokens', async function () {
    const { outcome } = await replay('gemini/streamGenerateContent-sse-thinking.json');
    const summary = summarize(outcome.parts);
    assert.ok(summary.reasoning.startsWith('**Clarifying User Goals**'));
    assert.ok(summary.text.length > 100);
    assert.deepEqual(summary.shape.slice(0, 2), ['response-metadata', 'reasoning-delta']);
    assert.deepEqual(summary.usage, { inputTokens: 34, outputTokens: 469 + 787, reasoningTokens: 787 });
  });

  it('an error object inside the event stream ends the answer with that error', async function () {
    const fixture = loadFixture('gemini/streamGenerateContent-sse-text.json');
    const first = (fixture.body as string).split('\r\n\r\n')[0] ?? '';
    const body = `${first}\r\n\r\ndata: ${JSON.stringify({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } })}\r\n\r\n`;
    server.replay('POST', streamPath, fixture, { body });
    const outcome = await collect(providerFor(server, gemini).streamChat(chatRequest({ model: 'gemini-2.5-flash' }), testKey, signal()));
    const error = assertProviderError(outcome, 'overloaded');
    assert.match(error.message, /overloaded/);
    assert.equal(summarize(outcome.parts).text, 'The');
  });

  it('a prompt blocked for safety is a content-filter error', async function () {
    const fixture = loadFixture('gemini/streamGenerateContent-sse-text.json');
    const body = `data: ${JSON.stringify({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } })}\r\n\r\n`;
    server.replay('POST', streamPath, fixture, { body });
    const outcome = await collect(providerFor(server, gemini).streamChat(chatRequest({ model: 'gemini-2.5-flash' }), testKey, signal()));
    const error = assertProviderError(outcome, 'content-filter');
    assert.match(error.message, /PROHIBITED_CONTENT/);
    assert.equal(error.retryable, false);
  });

  describe('HTTP errors', function () {
    const cases: HttpErrorCase[] = [
      { fixture: 'gemini/error-400-api-key-invalid.json', kind: 'auth', message: /API key not valid/ },
      { fixture: 'gemini/error-400-input-token-limit.json', kind: 'context-length', message: /input token count/ },
      { fixture: 'gemini/error-403-missing-api-key.json', kind: 'auth', message: /unregistered callers/ },
      { fixture: 'gemini/error-404-model-not-found.json', kind: 'model-not-found', message: /gemini-3\.6-flahs/ },
      { fixture: 'gemini/error-429-resource-exhausted-retryinfo.json', kind: 'rate-limit', retryable: true, retryAfterMs: 34_400 },
      { fixture: 'gemini/error-503-overloaded.json', kind: 'overloaded', retryable: true, message: /high demand/ },
    ];
    for (const testCase of cases) {
      it(`${testCase.fixture} → ${testCase.kind}`, async function () {
        const { fixture, outcome } = await replay(testCase.fixture);
        assertHttpError(outcome, fixture, testCase);
        assert.equal(server.requests.length, 1);
      });
    }

    it('a per-day quota 429 (QuotaFailure PerDay) is quota, not retryable', async function () {
      const fixture = loadFixture('gemini/error-429-resource-exhausted-retryinfo.json');
      const body = JSON.parse(JSON.stringify(fixture.body).replace('GenerateRequestsPerMinutePerProjectPerModel', 'GenerateRequestsPerDayPerProjectPerModel')) as unknown;
      const { outcome } = await replay('gemini/error-429-resource-exhausted-retryinfo.json', { body });
      const error = assertProviderError(outcome, 'quota');
      assert.equal(error.retryable, false);
    });
  });

  describe('request shape', function () {
    const capture = (request = chatRequest({ model: 'gemini-2.5-flash' })) =>
      captureRequest(server, streamPath, 'gemini/streamGenerateContent-sse-text.json', providerFor(server, gemini), request);

    it('the model is in the path, the key only in x-goog-api-key, never ?key=', async function () {
      const { sent } = await capture();
      assert.match(sent.url, /^\/v1(beta)?\/models\/gemini-2\.5-flash:streamGenerateContent\?alt=sse$/);
      assert.equal(sent.headers['x-goog-api-key'], testKey);
      assert.ok(!/[?&]key=/.test(sent.url));
      assert.ok(!sent.url.includes(testKey) && !sent.body.includes(testKey));
      assert.equal(sent.headers.authorization, undefined);
    });

    it('system prompt as systemInstruction, model turns as `model`, thought summaries requested', async function () {
      const { body } = await capture(chatRequest({
        model: 'gemini-2.5-flash', system: 'Be brief.', maxOutputTokens: 50, temperature: 0,
        messages: [{ role: 'assistant', content: 'Earlier' }, { role: 'user', content: 'Hi' }, { role: 'user', content: 'Again' }],
      }));
      assert.deepEqual(record(body['systemInstruction'])['parts'], [{ text: 'Be brief.' }]);
      assert.deepEqual(body['contents'], [
        { role: 'user', parts: [{ text: leadingGeminiUserTurn }] },
        { role: 'model', parts: [{ text: 'Earlier' }] },
        { role: 'user', parts: [{ text: 'Hi' }, { text: 'Again' }] },
      ]);
      const generation = record(body['generationConfig']);
      assert.equal(generation['maxOutputTokens'], 50);
      assert.equal(generation['temperature'], 0);
      assert.deepEqual(generation['thinkingConfig'], { includeThoughts: true });
    });

    it('a model that cannot think gets one retry without thinkingConfig, and is remembered', async function () {
      const stream = loadFixture('gemini/streamGenerateContent-sse-text.json');
      let calls = 0;
      server.route('POST', streamPath, (request, response) => {
        calls++;
        if (request.body.includes('thinkingConfig')) {
          response.writeHead(400, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 400, message: 'Thinking is not enabled for models/gemini-2.0-flash', status: 'INVALID_ARGUMENT' } }));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(stream.body as string);
      });
      const provider = providerFor(server, gemini);
      const first = await collect(provider.streamChat(chatRequest({ model: 'gemini-2.0-flash' }), testKey, signal()));
      assert.equal(first.error, undefined, first.error?.message);
      assert.equal(summarize(first.parts).text, 'The capital of France is Paris.\n');
      assert.equal(calls, 2);
      await collect(provider.streamChat(chatRequest({ model: 'gemini-2.0-flash' }), testKey, signal()));
      assert.equal(calls, 3, 'the second conversation goes straight to the request without thinking');
    });

    it('model ids that could change the URL path are refused before any request', async function () {
      for (const model of ['../files', 'gemini-2.5-flash:generateContent?x=1', 'models/a/b', 'gemini 2.5', '']) {
        const outcome = await collect(providerFor(server, gemini).streamChat(chatRequest({ model }), testKey, signal()));
        assertProviderError(outcome, 'model-not-found');
      }
      assert.equal(server.requests.length, 0);
    });

    it('a missing key is reported before any request', async function () {
      const outcome = await collect(providerFor(server, gemini).streamChat(chatRequest({ model: 'gemini-2.5-flash' }), undefined, signal()));
      assertProviderError(outcome, 'missing-key');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('listModels and verify', function () {
    const listPath = /^\/v1(beta)?\/models(\?|$)/;
    function serveModels() {
      const fixture = loadFixture('gemini/models-list.json');
      // The recording has a nextPageToken; the page it points to is served empty.
      server.route('GET', listPath, (request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(request.url.includes('pageToken=') ? JSON.stringify({ models: [] }) : JSON.stringify(fixture.body));
      });
      return fixture;
    }

    it('lists only generateContent models, without the models/ prefix, with token limits', async function () {
      const fixture = serveModels();
      const models = await providerFor(server, gemini).listModels(testKey);
      const expected = (record(fixture.body)['models'] as unknown[]).map(record)
        .filter(model => (model['supportedGenerationMethods'] as string[]).includes('generateContent'))
        .map(model => String(model['name']).replace(/^models\//, ''));
      assert.deepEqual(models.map(model => model.id), expected);
      assert.ok(!models.some(model => model.id.startsWith('models/')));
      assert.ok(!models.some(model => model.id.includes('embedding')));
      assert.deepEqual(models.find(model => model.id === 'gemini-2.5-flash'), { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', contextWindow: 1_048_576, maxOutputTokens: 65_536 });
      assert.equal(server.requests[0]?.headers['x-goog-api-key'], testKey);
      assert.ok(!/[?&]key=/.test(server.requests[0]?.url ?? ''));
    });

    it('a server that repeats the same page token cannot loop forever', async function () {
      server.replay('GET', listPath, loadFixture('gemini/models-list.json'));
      const models = await providerFor(server, gemini).listModels(testKey);
      assert.ok(models.length > 0);
      assert.ok(server.requests.length <= 3, `${server.requests.length} requests`);
    });

    it('verify: ok with a count; invalid key (400 API_KEY_INVALID) is auth; missing key makes no request', async function () {
      const fixture = serveModels();
      const ok = await providerFor(server, gemini).verify(testKey);
      assert.equal(ok.ok, true, ok.error?.message);
      assert.equal(ok.modelCount, (record(fixture.body)['models'] as unknown[]).map(record).filter(model => (model['supportedGenerationMethods'] as string[]).includes('generateContent')).length);
      await assertVerifyRejectsBadAndMissingKeys(server, gemini, listPath, 'gemini/error-400-api-key-invalid.json');
    });
  });
});

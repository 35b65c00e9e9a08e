// The OpenAI-compatible adapter against recorded transcripts from every vendor it serves. Expected
// text, reasoning, usage and finish reasons are derived from each fixture by an independent reading
// of its chunks (expectedChat below), plus a few values checked by hand.
import assert from 'node:assert/strict';
import { loadFixture, type FakeProviderServer, type ProviderFixture } from '../../fakes/fakeProviderServer';
import type { ProviderDescriptor } from '../../../src/providers/registry';
import type { Usage } from '../../../src/providers/types';
import {
  assertHttpError, assertMetadataOnceBeforeFinish, assertNoKeyLeak, assertProviderError, basePath, builtIn, captureRequest, chatRequest, collect, customEndpoint,
  itSplitsAtRandomOffsets, jsonEvents, providerFor, record, signal, summarize, testKey, useFakeProviderServer, withQuirks,
  type HttpErrorCase, type StreamSummary,
} from './providerTestSupport';

const perplexityChat = withQuirks(builtIn('perplexity'), { api: 'chat' });
const openaiResponses = withQuirks(builtIn('openai'), { api: 'responses' });
const ollama = customEndpoint('ollama', false);
const llamacpp = customEndpoint('llamacpp', false);
const openrouter = customEndpoint('openrouter', true);

function endpointPath(descriptor: ProviderDescriptor): string {
  return `${basePath(descriptor)}${descriptor.quirks.api === 'responses' ? '/responses' : '/chat/completions'}`;
}

interface SuccessCase {
  fixture: string;
  descriptor: ProviderDescriptor;
  /** Values checked by hand against the fixture, on top of the derived ones. */
  known?: Partial<StreamSummary>;
}

const chatSuccessCases: SuccessCase[] = [
  { fixture: 'openai/chat-stream-tool-call-include-usage-ratelimit-headers.json', descriptor: builtIn('openai'), known: { text: '', finish: { unified: 'tool-calls', raw: 'tool_calls' } } },
  { fixture: 'openai/chat-stream-text-after-tool-result-include-usage.json', descriptor: builtIn('openai') },
  { fixture: 'openai/chat-stream-tool-call-gpt-4o-mini-obfuscation.json', descriptor: builtIn('openai') },
  { fixture: 'openai/chat-nonstream-text.json', descriptor: builtIn('openai'), known: { usage: { inputTokens: 16, outputTokens: 363, cacheReadTokens: 0, reasoningTokens: 0 }, servedModel: 'gpt-4.1-nano-2025-04-14' } },
  { fixture: 'groq/chat-stream-text-x_groq-usage.json', descriptor: builtIn('groq'), known: { text: 'Olá!', usage: { inputTokens: 20, outputTokens: 4 }, servedModel: 'moonshotai/kimi-k2-instruct-0905' } },
  { fixture: 'groq/chat-nonstream-text.json', descriptor: builtIn('groq'), known: { text: 'The capital of France is Paris.' } },
  { fixture: 'xai/chat-stream-text-include-usage.json', descriptor: builtIn('xai'), known: { text: 'Olá!', usage: { inputTokens: 165, outputTokens: 131, cacheReadTokens: 164, reasoningTokens: 129 }, costUsd: 739_000 / 1e10 } },
  { fixture: 'xai/chat-stream-reasoning-content-tool-call.json', descriptor: builtIn('xai'), known: { finish: { unified: 'tool-calls', raw: 'tool_calls' } } },
  { fixture: 'xai/chat-nonstream-text.json', descriptor: builtIn('xai'), known: { text: 'Olá!' } },
  { fixture: 'deepseek/chat-stream-reasoning-content.json', descriptor: builtIn('deepseek'), known: { usage: { inputTokens: 6, outputTokens: 212, cacheReadTokens: 0, reasoningTokens: 198 }, servedModel: 'deepseek-reasoner' } },
  { fixture: 'deepseek/chat-nonstream-reasoning.json', descriptor: builtIn('deepseek') },
  { fixture: 'together/chat-stream-chunks.json', descriptor: builtIn('together'), known: { text: 'ABCABC', finish: { unified: 'stop', raw: 'eos' }, usage: { inputTokens: 12, outputTokens: 27 }, servedModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo' } },
  { fixture: 'together/chat-nonstream-text.json', descriptor: builtIn('together'), known: { text: 'Hello world' } },
  { fixture: 'together/chat-nonstream-tool-call.json', descriptor: builtIn('together'), known: { finish: { unified: 'tool-calls', raw: 'tool_calls' } } },
  { fixture: 'mistral/chat-stream-text.json', descriptor: builtIn('mistral'), known: { text: 'Hello, world! This is a test response.', usage: { inputTokens: 13, outputTokens: 8 }, servedModel: 'mistral-small-latest' } },
  { fixture: 'mistral/chat-stream-thinking-content-array.json', descriptor: builtIn('mistral') },
  { fixture: 'mistral/chat-nonstream-text.json', descriptor: builtIn('mistral') },
  // Perplexity's recordings predate the Agent API, so they run through the chat path.
  { fixture: 'perplexity/chat-stream-citations-2025-06.json', descriptor: perplexityChat, known: { text: 'The largest country in the world by total area is Russia, with a total area of approximately 17,098,242 square kilometers (6,601,665 square miles) [2][4].' } },
  { fixture: 'perplexity/chat-stream-citations-2026-02.json', descriptor: perplexityChat, known: { usage: { inputTokens: 10, outputTokens: 336 }, servedModel: 'sonar' } },
  { fixture: 'perplexity/chat-nonstream-citations.json', descriptor: perplexityChat },
  { fixture: 'ollama/v1-chat-stream-tool-call-single-chunk.json', descriptor: ollama, known: { text: '', finish: { unified: 'tool-calls', raw: 'tool_calls' } } },
  { fixture: 'ollama/v1-chat-nonstream-reasoning.json', descriptor: ollama, known: { text: '{ "city": "Paris", "country": "France" }' } },
  { fixture: 'ollama/v1-chat-nonstream-tool-call-cloud.json', descriptor: ollama },
  { fixture: 'llamacpp/v1-chat-stream-reasoning-timings.json', descriptor: llamacpp, known: { text: 'Olá!', usage: { inputTokens: 84, outputTokens: 57 }, servedModel: 'openai/gpt-oss-20b' } },
  { fixture: 'openrouter/chat-stream-processing-comments.json', descriptor: openrouter, known: { text: 'test response', usage: { inputTokens: 586, outputTokens: 3, cacheReadTokens: 0, reasoningTokens: 0 }, costUsd: 0, servedModel: 'meta-llama/llama-3.2-3b-instruct:free' } },
];

const responsesSuccessCases: SuccessCase[] = [
  { fixture: 'openai/responses-stream-text.json', descriptor: openaiResponses, known: { text: 'pong', usage: { inputTokens: 11, outputTokens: 5, cacheReadTokens: 0, reasoningTokens: 0 }, servedModel: 'gpt-5.5-2026-04-23', finish: { unified: 'stop', raw: 'completed' } } },
  { fixture: 'openai/responses-nonstream-text.json', descriptor: openaiResponses, known: { text: 'pong', usage: { inputTokens: 11, outputTokens: 5, cacheReadTokens: 0, reasoningTokens: 0 }, servedModel: 'gpt-5.5-2026-04-23' } },
];

/** An independent reading of a Chat Completions transcript: what the user should end up seeing. */
function expectedChat(fixture: ProviderFixture): Omit<StreamSummary, 'shape'> {
  const chunks = typeof fixture.body === 'string' ? jsonEvents(fixture.body) : [fixture.body];
  let text = '';
  let reasoning = '';
  let usage: Record<string, unknown> | undefined;
  let finish: string | undefined;
  let servedModel: string | undefined;
  for (const chunk of chunks.map(record)) {
    if (chunk['usage'] && typeof chunk['usage'] === 'object') usage = record(chunk['usage']);
    else if (record(chunk['x_groq'])['usage']) usage = record(record(chunk['x_groq'])['usage']);
    if (servedModel === undefined && typeof chunk['model'] === 'string') servedModel = chunk['model'];
    const choice = record((chunk['choices'] as unknown[] | undefined)?.[0]);
    const delta = record(choice['delta'] ?? choice['message']);
    if (typeof choice['finish_reason'] === 'string') finish = choice['finish_reason'];
    const thought = delta['reasoning_content'] ?? delta['reasoning'];
    if (typeof thought === 'string') reasoning += thought;
    const content = delta['content'];
    if (typeof content === 'string') text += content;
    if (Array.isArray(content)) {
      for (const item of content.map(record)) {
        if (item['type'] === 'text') text += String(item['text']);
        if (item['type'] === 'thinking') for (const inner of (item['thinking'] as unknown[]).map(record)) reasoning += String(inner['text']);
      }
    }
  }
  const unified = ({ stop: 'stop', eos: 'stop', length: 'length', tool_calls: 'tool-calls', content_filter: 'content-filter' } as Record<string, string>)[finish ?? ''] ?? 'other';
  return {
    text, reasoning, usage: usage ? expectedChatUsage(usage) : undefined, rawUsage: usage, costUsd: usage ? expectedChatCost(usage) : undefined,
    servedModel, finish: { unified, raw: finish },
  };
}

/** Normalized: cached inside the prompt total; reasoning inside the output total (xAI reports it beside completion_tokens). */
function expectedChatUsage(usage: Record<string, unknown>): Usage {
  const result: Usage = {};
  const cached = record(usage['prompt_tokens_details'])['cached_tokens'] ?? usage['prompt_cache_hit_tokens'];
  const cacheWrite = record(usage['prompt_tokens_details'])['cache_write_tokens'] ?? usage['cache_write_tokens'];
  const reasoningTokens = record(usage['completion_tokens_details'])['reasoning_tokens'] ?? usage['reasoning_tokens'];
  const prompt = usage['prompt_tokens'];
  const completion = usage['completion_tokens'];
  if (typeof prompt === 'number') result.inputTokens = prompt;
  if (typeof cached === 'number') result.cacheReadTokens = cached;
  if (typeof cacheWrite === 'number') result.cacheWriteTokens = cacheWrite;
  if (typeof completion === 'number') {
    const beside = typeof reasoningTokens === 'number' && reasoningTokens > 0 && usage['total_tokens'] === Number(prompt) + completion + reasoningTokens;
    result.outputTokens = beside ? completion + reasoningTokens : completion;
  }
  if (typeof reasoningTokens === 'number') result.reasoningTokens = reasoningTokens;
  return result;
}

function expectedChatCost(usage: Record<string, unknown>): number | undefined {
  const cost = usage['cost'];
  if (typeof cost === 'number') return cost;
  if (typeof record(cost)['total_cost'] === 'number') return record(cost)['total_cost'] as number;
  return typeof usage['cost_in_usd_ticks'] === 'number' ? usage['cost_in_usd_ticks'] / 1e10 : undefined;
}

/** An independent reading of a Responses transcript: deltas for text, the terminal response for usage. */
function expectedResponses(fixture: ProviderFixture): Omit<StreamSummary, 'shape'> {
  const events = typeof fixture.body === 'string' ? jsonEvents(fixture.body).map(record) : [];
  const text = typeof fixture.body === 'string'
    ? events.filter(event => event['type'] === 'response.output_text.delta').map(event => String(event['delta'])).join('')
    : 'pong';
  const terminal = typeof fixture.body === 'string' ? record(events.find(event => event['type'] === 'response.completed')?.['response']) : record(fixture.body);
  const first = typeof fixture.body === 'string' ? record(events.find(event => event['response'])?.['response']) : record(fixture.body);
  const usage = record(terminal['usage']);
  const cost = usage['cost'];
  return {
    text,
    reasoning: '',
    usage: {
      inputTokens: usage['input_tokens'] as number,
      cacheReadTokens: record(usage['input_tokens_details'])['cached_tokens'] as number,
      outputTokens: usage['output_tokens'] as number,
      reasoningTokens: record(usage['output_tokens_details'])['reasoning_tokens'] as number,
    },
    rawUsage: terminal['usage'],
    costUsd: typeof cost === 'number' ? cost : (record(cost)['total_cost'] as number | undefined),
    servedModel: first['model'] as string | undefined,
    finish: { unified: 'stop', raw: 'completed' },
  };
}

describe('OpenAI-compatible adapter', function () {
  const server = useFakeProviderServer();

  async function replay(testCase: { fixture: string; descriptor: ProviderDescriptor }, options: Parameters<FakeProviderServer['replay']>[3] = {}) {
    const fixture = loadFixture(testCase.fixture);
    server.reset();
    server.replay('POST', endpointPath(testCase.descriptor), fixture, options);
    const provider = providerFor(server, testCase.descriptor);
    return { fixture, outcome: await collect(provider.streamChat(chatRequest(), testKey, signal())) };
  }

  describe('recorded answers', function () {
    for (const testCase of [...chatSuccessCases, ...responsesSuccessCases]) {
      it(`${testCase.fixture}: exactly the recorded text, reasoning, usage and finish`, async function () {
        const { fixture, outcome } = await replay(testCase);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(outcome.foreign, undefined);
        const summary = summarize(outcome.parts);
        const expected = testCase.descriptor.quirks.api === 'responses' ? expectedResponses(fixture) : expectedChat(fixture);
        assert.equal(summary.text, expected.text);
        assert.equal(summary.reasoning, expected.reasoning);
        assert.deepEqual(summary.usage, expected.usage);
        assert.deepEqual(summary.rawUsage, expected.rawUsage);
        assert.equal(summary.costUsd, expected.costUsd);
        assert.equal(summary.servedModel, expected.servedModel);
        assert.deepEqual(summary.finish, expected.finish);
        for (const [field, value] of Object.entries(testCase.known ?? {})) assert.deepEqual(summary[field as keyof StreamSummary], value, field);
        // Usage and finish close the stream, in that order, exactly once; the served model comes once, before them.
        assert.deepEqual(summary.shape.slice(-2), summary.usage ? ['usage', 'finish'] : summary.shape.slice(-2));
        assert.equal(outcome.parts.filter(part => part.type === 'usage').length, summary.usage ? 1 : 0);
        assert.equal(outcome.parts.filter(part => part.type === 'finish').length, 1);
        assertMetadataOnceBeforeFinish(outcome.parts);
        assert.equal(outcome.parts[outcome.parts.length - 1]?.type, 'finish');
      });

      itSplitsAtRandomOffsets(testCase.fixture, options => replay(testCase, options));
    }

    it('reasoning from a reasoning model is reported apart from the answer (DeepSeek)', async function () {
      const { outcome } = await replay({ fixture: 'deepseek/chat-stream-reasoning-content.json', descriptor: builtIn('deepseek') });
      const summary = summarize(outcome.parts);
      assert.ok(summary.reasoning.startsWith('Hmm'), summary.reasoning.slice(0, 40));
      assert.ok(summary.text.endsWith('today?'), summary.text.slice(-40));
      assert.deepEqual(summary.shape.slice(0, 2), ['response-metadata', 'reasoning-delta']);
    });
  });

  describe('errors inside a 200 stream', function () {
    it('Responses `error` event (insufficient_quota) is a quota error, not retryable', async function () {
      const { outcome } = await replay({ fixture: 'openai/responses-stream-error-insufficient-quota-midstream.json', descriptor: openaiResponses });
      const error = assertProviderError(outcome, 'quota');
      assert.equal(error.retryable, false);
      assert.match(error.message, /exceeded your current quota/);
    });

    it('Groq `event: error` after reasoning started ends the stream with the parsed error', async function () {
      const { outcome } = await replay({ fixture: 'groq/chat-stream-error-event-tool-use-failed.json', descriptor: builtIn('groq') });
      const error = assertProviderError(outcome, 'bad-request');
      assert.equal(error.status, 400);
      assert.match(error.message, /Tool call validation failed/);
      assert.ok(outcome.parts.some(part => part.type === 'reasoning-delta'), 'the reasoning before the error was delivered');
    });

    it('OpenRouter error inside an ordinary chunk is an error, not a silent end', async function () {
      const { outcome } = await replay({ fixture: 'openrouter/chat-stream-error-in-chunk.json', descriptor: openrouter });
      const error = assertProviderError(outcome, 'bad-request');
      assert.match(error.message, /Token limit reached/);
    });
  });

  describe('Responses API events beyond the recordings', function () {
    function serveEvents(events: Record<string, unknown>[]) {
      server.route('POST', '/v1/responses', (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(events.map(event => `event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`).join(''));
      });
      return collect(providerFor(server, openaiResponses).streamChat(chatRequest(), testKey, signal()));
    }

    it('reasoning summaries become reasoning parts; an incomplete response for max_output_tokens finishes with length', async function () {
      const outcome = await serveEvents([
        { type: 'response.created', response: { status: 'in_progress', model: 'o4-mini-2025-04-16' } },
        { type: 'response.reasoning_summary_text.delta', delta: 'Thinking' },
        { type: 'response.reasoning_summary_text.delta', delta: ' hard.' },
        { type: 'response.output_text.delta', delta: 'Partial' },
        { type: 'response.incomplete', response: { object: 'response', status: 'incomplete', model: 'o4-mini-2025-04-16', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 3, output_tokens: 16, output_tokens_details: { reasoning_tokens: 9 } } } },
      ]);
      assert.deepEqual(summarize(outcome.parts), {
        text: 'Partial', reasoning: 'Thinking hard.', usage: { inputTokens: 3, outputTokens: 16, reasoningTokens: 9 },
        rawUsage: { input_tokens: 3, output_tokens: 16, output_tokens_details: { reasoning_tokens: 9 } }, costUsd: undefined, servedModel: 'o4-mini-2025-04-16',
        finish: { unified: 'length', raw: 'max_output_tokens' }, shape: ['response-metadata', 'reasoning-delta', 'text-delta', 'usage', 'finish'],
      });
    });

    it('response.failed without a preceding error event is a ProviderError', async function () {
      const outcome = await serveEvents([
        { type: 'response.created', response: { status: 'in_progress' } },
        { type: 'response.output_text.delta', delta: 'Hel' },
        { type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'The model crashed while answering.' } } },
      ]);
      const error = assertProviderError(outcome, 'server');
      assert.match(error.message, /crashed/);
      assert.equal(summarize(outcome.parts).text, 'Hel');
    });
  });

  describe('HTTP errors', function () {
    const cases: (HttpErrorCase & { descriptor: ProviderDescriptor })[] = [
      { fixture: 'openai/error-400-context-length-exceeded.json', descriptor: builtIn('openai'), kind: 'context-length', retryable: false },
      { fixture: 'openai/error-400-model-not-found-responses.json', descriptor: openaiResponses, kind: 'model-not-found' },
      { fixture: 'openai/error-400-unsupported-parameter-max-tokens.json', descriptor: builtIn('openai'), kind: 'bad-request', message: /max_completion_tokens/ },
      { fixture: 'openai/error-400-unsupported-value.json', descriptor: builtIn('openai'), kind: 'bad-request' },
      { fixture: 'openai/error-401-invalid-api-key.json', descriptor: builtIn('openai'), kind: 'auth', retryable: false },
      { fixture: 'openai/error-404-model-not-found-chat.json', descriptor: builtIn('openai'), kind: 'model-not-found' },
      { fixture: 'openai/error-429-insufficient-quota.json', descriptor: openaiResponses, kind: 'quota', retryable: false },
      { fixture: 'openai/error-429-rate-limit-requests.json', descriptor: builtIn('openai'), kind: 'rate-limit', retryable: true, retryAfterMs: 20_000 },
      { fixture: 'groq/error-400-tool-use-failed.json', descriptor: builtIn('groq'), kind: 'bad-request' },
      { fixture: 'groq/error-401-invalid-api-key.json', descriptor: builtIn('groq'), kind: 'auth' },
      { fixture: 'groq/error-404-model-not-found.json', descriptor: builtIn('groq'), kind: 'model-not-found' },
      { fixture: 'groq/error-413-request-too-large.json', descriptor: builtIn('groq'), kind: 'context-length', retryable: false },
      { fixture: 'groq/error-429-rate-limit-tpm.json', descriptor: builtIn('groq'), kind: 'rate-limit', retryable: true, retryAfterMs: 50_597 },
      { fixture: 'xai/error-400-incorrect-api-key.json', descriptor: builtIn('xai'), kind: 'auth', message: /Incorrect API key provided/ },
      { fixture: 'xai/error-429-team-rate-limit.json', descriptor: builtIn('xai'), kind: 'rate-limit', retryable: true },
      { fixture: 'deepseek/error-400-context-length.json', descriptor: builtIn('deepseek'), kind: 'context-length' },
      { fixture: 'deepseek/error-401-authentication-fails.json', descriptor: builtIn('deepseek'), kind: 'auth' },
      { fixture: 'deepseek/error-402-insufficient-balance.json', descriptor: builtIn('deepseek'), kind: 'quota', retryable: false, message: /Insufficient Balance/ },
      { fixture: 'together/error-401-invalid-api-key.json', descriptor: builtIn('together'), kind: 'auth' },
      { fixture: 'mistral/error-401-unauthorized.json', descriptor: builtIn('mistral'), kind: 'auth', message: /Unauthorized/ },
      { fixture: 'mistral/error-429-rate-limited.json', descriptor: builtIn('mistral'), kind: 'rate-limit', message: /Rate limit exceeded/ },
      { fixture: 'perplexity/error-401-html-openresty.json', descriptor: perplexityChat, kind: 'auth', message: /HTML page \("401 Authorization Required"\)/ },
      { fixture: 'cohere/error-401-invalid-api-token.json', descriptor: builtIn('cohere'), kind: 'auth', message: /invalid api token/ },
      { fixture: 'ollama/v1-error-404-model-not-found.json', descriptor: ollama, kind: 'model-not-found', message: /try pulling it first/ },
      // Ollama's native API error shape, {"error":"<text>"}, read from the same path.
      { fixture: 'ollama/native-api-error-404-model-not-found.json', descriptor: ollama, kind: 'model-not-found', message: /claude-3-5-sonnet-latest/ },
      { fixture: 'openrouter/error-429-upstream-rate-limited.json', descriptor: openrouter, kind: 'rate-limit', message: /temporarily rate-limited upstream/ },
    ];
    for (const testCase of cases) {
      it(`${testCase.fixture} → ${testCase.kind}`, async function () {
        const { fixture, outcome } = await replay(testCase);
        const error = assertHttpError(outcome, fixture, testCase);
        assert.equal(error.providerId, testCase.descriptor.id);
        assert.equal(outcome.parts.length, 0);
        assert.equal(server.requests.length, 1, 'no retries inside the adapter');
      });
    }

    it('a gateway that answers 200 with a JSON error object is an error, not an empty answer', async function () {
      server.route('POST', '/v1/chat/completions', (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: 'Upstream provider is overloaded', type: 'overloaded_error' } }));
      });
      const outcome = await collect(providerFor(server, builtIn('openai')).streamChat(chatRequest(), testKey, signal()));
      assertProviderError(outcome, 'overloaded');
    });

    it('a key echoed back in an error body is redacted', async function () {
      server.route('POST', '/v1/chat/completions', (_request, response) => {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${testKey}.`, code: 'invalid_api_key' } }));
      });
      const outcome = await collect(providerFor(server, builtIn('openai')).streamChat(chatRequest(), testKey, signal()));
      const error = assertProviderError(outcome, 'auth');
      assert.match(error.message, /\[redacted\]/);
    });
  });

  describe('answers in a format this adapter does not speak', function () {
    // Cohere's native v2 API and Ollama's native NDJSON API are not what we call; if a base URL points
    // there anyway the user gets a clear error instead of an empty answer.
    for (const fixture of ['cohere/chat-v2-stream-text.json', 'cohere/chat-v2-stream-thinking.json', 'cohere/chat-v2-stream-tool-call.json', 'cohere/chat-v2-nonstream-text.json', 'ollama/native-api-chat-stream-ndjson.json']) {
      it(`${fixture} is reported as a bad-request about the endpoint, with no parts`, async function () {
        const descriptor = fixture.startsWith('cohere') ? builtIn('cohere') : ollama;
        const { outcome } = await replay({ fixture, descriptor });
        const error = assertProviderError(outcome, 'bad-request');
        assert.match(error.message, /not an OpenAI-compatible chat stream/);
        assert.deepEqual(outcome.parts, []);
      });
    }
  });

  describe('request shape', function () {
    const capture = (descriptor: ProviderDescriptor, request = chatRequest(), key: string | undefined = testKey, headers?: Record<string, string>) =>
      captureRequest(server, endpointPath(descriptor), 'openai/chat-stream-text-after-tool-result-include-usage.json', providerFor(server, descriptor, headers ? { headers } : {}), request, key);

    it('OpenAI: path, bearer key, system message first, stream_options, max_completion_tokens', async function () {
      const { sent, body } = await capture(builtIn('openai'), chatRequest({ model: 'gpt-5-mini', system: 'Be brief.', maxOutputTokens: 99, temperature: 0.5, messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Again' }] }));
      assert.equal(sent.url, '/v1/chat/completions');
      assert.equal(sent.headers.authorization, `Bearer ${testKey}`);
      assert.equal(body['model'], 'gpt-5-mini');
      assert.equal(body['stream'], true);
      assert.deepEqual(body['stream_options'], { include_usage: true });
      assert.deepEqual(body['messages'], [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'Again' },
      ]);
      assert.equal(body['max_completion_tokens'], 99);
      assert.equal(body['max_tokens'], undefined);
      assert.equal(body['temperature'], 0.5);
    });

    it('the key goes only into the Authorization header', async function () {
      const { sent } = await capture(builtIn('deepseek'));
      assert.equal(sent.url, '/chat/completions');
      assert.ok(!sent.url.includes(testKey));
      assert.ok(!sent.body.includes(testKey));
      const carrying = Object.entries(sent.headers).filter(([, value]) => String(value).includes(testKey)).map(([name]) => name);
      assert.deepEqual(carrying, ['authorization']);
    });

    it('Cohere: compatibility path and never stream_options', async function () {
      const { sent, body } = await capture(builtIn('cohere'));
      assert.equal(sent.url, '/compatibility/v1/chat/completions');
      assert.ok(!('stream_options' in body));
      assert.ok(!sent.body.includes('stream_options'));
    });

    it('Groq: its path, none of its unsupported fields, and stripFields removes whatever the row lists', async function () {
      const { sent, body } = await capture(builtIn('groq'), chatRequest({ maxOutputTokens: 10 }));
      assert.equal(sent.url, '/openai/v1/chat/completions');
      for (const field of builtIn('groq').quirks.stripFields ?? []) assert.ok(!(field in body), field);
      assert.equal(body['max_tokens'], 10);
      server.reset();
      const stripping = withQuirks(builtIn('groq'), { stripFields: ['temperature', 'max_tokens'] });
      const second = await capture(stripping, chatRequest({ temperature: 0.2, maxOutputTokens: 10 }));
      assert.ok(!('temperature' in second.body));
      assert.ok(!('max_tokens' in second.body));
    });

    it('Mistral and Together use their paths and max_tokens', async function () {
      const mistral = await capture(builtIn('mistral'), chatRequest({ maxOutputTokens: 5 }));
      assert.equal(mistral.sent.url, '/v1/chat/completions');
      assert.equal(mistral.body['max_tokens'], 5);
      server.reset();
      const together = await capture(builtIn('together'));
      assert.equal(together.sent.url, '/v1/chat/completions');
    });

    it('a keyless local endpoint sends no Authorization header; custom headers are sent', async function () {
      // An empty key counts as no key.
      const { sent } = await capture(ollama, chatRequest(), '', { 'x-team': 'blue' });
      assert.equal(sent.headers.authorization, undefined);
      assert.equal(sent.headers['x-team'], 'blue');
    });

    it('empty messages are not sent', async function () {
      const { body } = await capture(builtIn('xai'), chatRequest({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: '  ' }, { role: 'user', content: 'There?' }] }));
      assert.deepEqual(body['messages'], [{ role: 'user', content: 'Hi' }, { role: 'user', content: 'There?' }]);
    });

    it('Responses API (Perplexity Agent API shape): /responses with instructions and input', async function () {
      const descriptor = withQuirks(builtIn('perplexity'), { api: 'responses' });
      server.replay('POST', endpointPath(descriptor), loadFixture('openai/responses-stream-text.json'));
      const outcome = await collect(providerFor(server, descriptor).streamChat(chatRequest({ model: 'perplexity/sonar', system: 'Cite sources.', maxOutputTokens: 300 }), testKey, signal()));
      assert.equal(summarize(outcome.parts).text, 'pong');
      const sent = server.requests[0];
      assert.equal(sent?.url, '/v1/responses');
      const body = JSON.parse(sent?.body ?? '{}') as Record<string, unknown>;
      assert.equal(body['model'], 'perplexity/sonar');
      assert.equal(body['instructions'], 'Cite sources.');
      assert.deepEqual(body['input'], [{ role: 'user', content: 'Hello' }]);
      assert.equal(body['max_output_tokens'], 300);
      assert.equal(body['stream'], true);
    });

    it('a new vendor is one registry row: no adapter code knows its id', async function () {
      const row: ProviderDescriptor = {
        id: 'acme', label: 'Acme AI', family: 'openai', defaultBaseUrl: 'https://api.acme.example/openai/v2',
        dashboardUrl: 'https://acme.example/keys', docsUrl: 'https://acme.example/docs', keyFormatHint: 'any',
        defaultModel: 'acme-1', catalog: [{ id: 'acme-1' }],
        quirks: { streamOptions: false, api: 'chat', listModels: true, keyRequired: true, reasoningField: 'thoughts', stripFields: ['temperature'] },
      };
      server.route('POST', '/openai/v2/chat/completions', (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end('data: {"choices":[{"index":0,"delta":{"thoughts":"hmm"}}]}\n\ndata: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
      });
      const outcome = await collect(providerFor(server, row).streamChat(chatRequest({ temperature: 1 }), testKey, signal()));
      assert.deepEqual(summarize(outcome.parts), {
        text: 'Hi', reasoning: 'hmm', usage: undefined, rawUsage: undefined, costUsd: undefined, servedModel: undefined,
        finish: { unified: 'stop', raw: 'stop' }, shape: ['reasoning-delta', 'text-delta', 'finish'],
      });
      const body = JSON.parse(server.requests[0]?.body ?? '{}') as Record<string, unknown>;
      assert.ok(!('temperature' in body) && !('stream_options' in body));
    });

    it('a missing key is reported before any request', async function () {
      const outcome = await collect(providerFor(server, builtIn('openai')).streamChat(chatRequest(), undefined, signal()));
      assertProviderError(outcome, 'missing-key');
      assert.equal(server.requests.length, 0);
    });
  });

  describe('listModels', function () {
    const listCases: { fixture: string; descriptor: ProviderDescriptor; expectWindow?: { id: string; contextWindow?: number; maxOutputTokens?: number } }[] = [
      { fixture: 'openai/models-list.json', descriptor: builtIn('openai') },
      { fixture: 'openai/models-list-doc-example-shutdown-date.json', descriptor: builtIn('openai') },
      { fixture: 'groq/models-list-excerpt.json', descriptor: builtIn('groq'), expectWindow: { id: 'meta-llama/llama-4-scout-17b-16e-instruct', contextWindow: 131_072, maxOutputTokens: 8192 } },
      { fixture: 'xai/models-list.json', descriptor: builtIn('xai') },
      { fixture: 'deepseek/models-list.json', descriptor: builtIn('deepseek') },
      { fixture: 'together/models-list.json', descriptor: builtIn('together'), expectWindow: { id: 'Austism/chronos-hermes-13b', contextWindow: 2048 } },
      { fixture: 'mistral/models-list-excerpt.json', descriptor: builtIn('mistral'), expectWindow: { id: 'open-mixtral-8x7b', contextWindow: 32_768 } },
      { fixture: 'ollama/v1-models-list.json', descriptor: ollama },
      { fixture: 'ollama/v1-models-list-empty-data-null.json', descriptor: ollama },
    ];
    for (const testCase of listCases) {
      it(`${testCase.fixture}: every listed id, displayName = id`, async function () {
        const fixture = loadFixture(testCase.fixture);
        server.replay('GET', `${basePath(testCase.descriptor)}/models`, fixture);
        const models = await providerFor(server, testCase.descriptor).listModels(testKey);
        const entries = (Array.isArray(fixture.body) ? fixture.body : (record(fixture.body)['data'] as unknown[] | null) ?? []).map(record);
        assert.deepEqual(models.map(model => model.id), entries.map(entry => entry['id']));
        for (const model of models) assert.equal(model.displayName, model.id);
        if (testCase.expectWindow) {
          const { id, ...window } = testCase.expectWindow;
          const model = models.find(candidate => candidate.id === id);
          assert.deepEqual({ contextWindow: model?.contextWindow, maxOutputTokens: model?.maxOutputTokens }, { contextWindow: window.contextWindow, maxOutputTokens: window.maxOutputTokens });
        }
        assert.equal(server.requests[0]?.headers.authorization, `Bearer ${testKey}`);
      });
    }

    it('Mistral 401 with a {"detail"} body on /models is an auth error', async function () {
      server.replay('GET', '/v1/models', loadFixture('mistral/error-401-detail-unauthorized-models.json'));
      const error = await providerFor(server, builtIn('mistral')).listModels(testKey).then(() => undefined, (failure: unknown) => failure);
      assertProviderError({ parts: [], error: error as never, foreign: undefined }, 'auth');
    });

    it('vendors without GET /models return the dated catalog without a request', async function () {
      for (const id of ['cohere', 'perplexity']) {
        const descriptor = builtIn(id);
        const models = await providerFor(server, descriptor).listModels(testKey);
        assert.deepEqual(models.map(model => model.id), descriptor.catalog.map(model => model.id));
      }
      assert.equal(server.requests.length, 0);
    });
  });

  describe('verify', function () {
    it('lists models and reports the count and latency', async function () {
      const fixture = loadFixture('openai/models-list.json');
      server.replay('GET', '/v1/models', fixture);
      const result = await providerFor(server, builtIn('openai')).verify(testKey);
      assert.equal(result.ok, true, result.error?.message);
      assert.equal(result.modelCount, (record(fixture.body)['data'] as unknown[]).length);
      assert.ok(result.latencyMs >= 0);
    });

    const failures: { name: string; descriptor: ProviderDescriptor; path: string; fixture: string; kind: string; status?: number }[] = [
      { name: 'bad key (OpenAI 401)', descriptor: builtIn('openai'), path: '/v1/models', fixture: 'openai/error-401-invalid-api-key.json', kind: 'auth' },
      { name: 'no credit (OpenAI insufficient_quota)', descriptor: builtIn('openai'), path: '/v1/models', fixture: 'openai/error-429-insufficient-quota.json', kind: 'quota' },
      { name: 'no credit (DeepSeek 402)', descriptor: builtIn('deepseek'), path: '/models', fixture: 'deepseek/error-402-insufficient-balance.json', kind: 'quota' },
      { name: 'HTML 401 (Perplexity, 1-token request)', descriptor: perplexityChat, path: '/v1/chat/completions', fixture: 'perplexity/error-401-html-openresty.json', kind: 'auth' },
      { name: 'bad key (Cohere, 1-token request)', descriptor: builtIn('cohere'), path: '/compatibility/v1/chat/completions', fixture: 'cohere/error-401-invalid-api-token.json', kind: 'auth' },
    ];
    for (const testCase of failures) {
      it(`${testCase.name} → ok:false, ${testCase.kind}, never throws`, async function () {
        server.replay(testCase.path.endsWith('models') ? 'GET' : 'POST', testCase.path, loadFixture(testCase.fixture));
        const result = await providerFor(server, testCase.descriptor).verify(testKey);
        assert.equal(result.ok, false);
        assert.equal(result.error?.kind, testCase.kind, result.error?.message);
        assertNoKeyLeak(result.error);
      });
    }

    it('without a model list, verify sends one non-streaming 1-token request to the default model', async function () {
      server.replay('POST', '/v1/chat/completions', loadFixture('perplexity/chat-nonstream-citations.json'));
      const result = await providerFor(server, perplexityChat).verify(testKey);
      assert.equal(result.ok, true, result.error?.message);
      assert.equal(result.modelCount, undefined);
      const body = JSON.parse(server.requests[0]?.body ?? '{}') as Record<string, unknown>;
      assert.equal(body['model'], perplexityChat.defaultModel);
      assert.equal(body['max_tokens'], 1);
      assert.ok(!('stream' in body) || body['stream'] === false);
    });

    it('a missing key is missing-key with no request; a keyless endpoint needs none', async function () {
      const missing = await providerFor(server, builtIn('groq')).verify(undefined);
      assert.equal(missing.ok, false);
      assert.equal(missing.error?.kind, 'missing-key');
      assert.equal(server.requests.length, 0);
      server.replay('GET', `${basePath(ollama)}/models`, loadFixture('ollama/v1-models-list.json'));
      const keyless = await providerFor(server, ollama).verify(undefined);
      assert.equal(keyless.ok, true, keyless.error?.message);
      assert.equal(keyless.modelCount, 1);
    });
  });
});

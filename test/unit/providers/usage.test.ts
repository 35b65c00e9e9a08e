// Usage from every provider, in the one normalized convention: cache reads and writes are parts of
// inputTokens, reasoning is part of outputTokens. Each case replays a transcript (recorded where one
// exists; two are hand-made and marked so in test/fixtures/providers/README.md) and checks the exact
// numbers, the provider's own usage object (`raw`), the cost the provider reported and the served
// model. Variants edit a recorded body where the field in question was never recorded non-zero.
// Then: asking for usage with `stream_options`, and the one retry without it when a server refuses it.
import assert from 'node:assert/strict';
import { loadFixture, type ProviderFixture } from '../../fakes/fakeProviderServer';
import type { ProviderDescriptor } from '../../../src/providers/registry';
import type { ChatStreamPart, Usage } from '../../../src/providers/types';
import {
  assertMetadataOnceBeforeFinish, assertProviderError, basePath, builtIn, chatRequest, collect, customEndpoint, jsonEvents, providerFor, record, signal,
  summarize, testKey, useFakeProviderServer, withQuirks,
} from './providerTestSupport';

const openaiResponses = withQuirks(builtIn('openai'), { api: 'responses' });
const perplexityChat = withQuirks(builtIn('perplexity'), { api: 'chat' });
const llamacpp = customEndpoint('llamacpp', false);
const openrouter = customEndpoint('openrouter', true);
const geminiPath = /:streamGenerateContent/;

function endpointPath(descriptor: ProviderDescriptor): string | RegExp {
  if (descriptor.family === 'anthropic') return '/v1/messages';
  if (descriptor.family === 'gemini') return geminiPath;
  return `${basePath(descriptor)}${descriptor.quirks.api === 'responses' ? '/responses' : '/chat/completions'}`;
}

/** The usage object exactly as the transcript's last chunk carrying one has it (a plain reading of the events). */
function lastUsageObject(fixture: ProviderFixture, field: 'usage' | 'usageMetadata' = 'usage'): Record<string, unknown> {
  let found: Record<string, unknown> | undefined;
  for (const event of jsonEvents(fixture.body as string).map(record)) {
    const holder = record(event['response'] ?? event);
    if (holder[field] && typeof holder[field] === 'object') found = record(holder[field]);
  }
  if (!found) throw new Error(`no ${field} in ${fixture.case}`);
  return found;
}

interface UsageCase {
  name: string;
  fixture: string;
  descriptor: ProviderDescriptor;
  usage: Usage;
  /** Defaults to the last usage object in the transcript. */
  raw?: (fixture: ProviderFixture) => unknown;
  costUsd?: number;
  servedModel: string;
}

const cases: UsageCase[] = [
  {
    name: 'OpenAI Chat Completions: prompt_tokens with cached_tokens inside, completion_tokens with reasoning_tokens inside',
    fixture: 'openai/chat-stream-text-after-tool-result-include-usage.json', descriptor: builtIn('openai'),
    usage: { inputTokens: 87, cacheReadTokens: 0, outputTokens: 26, reasoningTokens: 0 }, servedModel: 'gpt-4o-mini-2024-07-18',
  },
  {
    name: 'OpenAI Responses: response.completed usage (input/output tokens and their details)',
    fixture: 'openai/responses-stream-text.json', descriptor: openaiResponses,
    usage: { inputTokens: 11, cacheReadTokens: 0, outputTokens: 5, reasoningTokens: 0 }, servedModel: 'gpt-5.5-2026-04-23',
  },
  {
    name: 'Anthropic: message_start then the cumulative message_delta; input + cache creation + cache read',
    fixture: 'anthropic/messages-stream-thinking.json', descriptor: builtIn('anthropic'),
    usage: { inputTokens: 46, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 133 }, servedModel: 'claude-haiku-4-5-20251001',
    // The start's fields with the delta's (cumulative) values on top.
    raw: fixture => {
      const events = jsonEvents(fixture.body as string).map(record);
      const start = record(record(events.find(event => event['type'] === 'message_start')?.['message'])['usage']);
      const delta = record(events.find(event => event['type'] === 'message_delta')?.['usage']);
      return { ...start, ...delta };
    },
  },
  {
    name: 'Gemini: the last usageMetadata; output = candidates + thoughts, reasoning = thoughts',
    fixture: 'gemini/streamGenerateContent-sse-thinking.json', descriptor: builtIn('gemini'),
    usage: { inputTokens: 34, outputTokens: 469 + 787, reasoningTokens: 787 }, servedModel: 'gemini-2.5-pro',
    raw: fixture => lastUsageObject(fixture, 'usageMetadata'),
  },
  {
    name: 'Groq: usage (mirrored in x_groq.usage) with its timing fields kept in raw',
    fixture: 'groq/chat-stream-text-x_groq-usage.json', descriptor: builtIn('groq'),
    usage: { inputTokens: 20, outputTokens: 4 }, servedModel: 'moonshotai/kimi-k2-instruct-0905',
  },
  {
    name: 'DeepSeek: prompt_tokens_details.cached_tokens / prompt_cache_hit_tokens, reasoning inside completion',
    fixture: 'deepseek/chat-stream-reasoning-content.json', descriptor: builtIn('deepseek'),
    usage: { inputTokens: 6, cacheReadTokens: 0, outputTokens: 212, reasoningTokens: 198 }, servedModel: 'deepseek-reasoner',
  },
  {
    // 165 + 2 + 129 = 296 = total_tokens: xAI counts reasoning beside completion_tokens, so output is 131.
    // 739000 ticks of 1e-10 USD = $0.0000739 = 1 × $0.20/M + 164 cached × $0.05/M + 131 × $0.50/M (grok-4-fast).
    name: 'xAI: cached inside the prompt, reasoning beside completion_tokens (total proves it), cost in ticks',
    fixture: 'xai/chat-stream-text-include-usage.json', descriptor: builtIn('xai'),
    usage: { inputTokens: 165, cacheReadTokens: 164, outputTokens: 131, reasoningTokens: 129 }, costUsd: 739_000 / 1e10, servedModel: 'grok-4-fast-reasoning',
  },
  {
    name: 'Mistral: usage on the finish chunk',
    fixture: 'mistral/chat-stream-text.json', descriptor: builtIn('mistral'),
    usage: { inputTokens: 13, outputTokens: 8 }, servedModel: 'mistral-small-latest',
  },
  {
    name: 'Together: usage on the eos chunk',
    fixture: 'together/chat-stream-chunks.json', descriptor: builtIn('together'),
    usage: { inputTokens: 12, outputTokens: 27 }, servedModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo',
  },
  {
    name: 'Cohere Compatibility API (hand-made transcript): the OpenAI shape',
    fixture: 'cohere/compat-chat-stream-usage.json', descriptor: builtIn('cohere'),
    usage: { inputTokens: 14, outputTokens: 9 }, servedModel: 'command-a-03-2025',
  },
  {
    name: 'Perplexity Agent API (hand-made transcript): Responses usage and usage.cost.total_cost',
    fixture: 'perplexity/responses-stream-usage-cost.json', descriptor: builtIn('perplexity'),
    usage: { inputTokens: 12, cacheReadTokens: 0, outputTokens: 85, reasoningTokens: 0 }, costUsd: 0.005097, servedModel: 'perplexity/sonar',
  },
  {
    name: 'Perplexity Sonar chat (recorded): cumulative usage on every chunk, the last one wins',
    fixture: 'perplexity/chat-stream-citations-2026-02.json', descriptor: perplexityChat,
    usage: { inputTokens: 10, outputTokens: 336 }, servedModel: 'sonar',
  },
  {
    name: 'OpenRouter: usage.cost (0 on a free model) and the details',
    fixture: 'openrouter/chat-stream-processing-comments.json', descriptor: openrouter,
    usage: { inputTokens: 586, cacheReadTokens: 0, outputTokens: 3, reasoningTokens: 0 }, costUsd: 0, servedModel: 'meta-llama/llama-3.2-3b-instruct:free',
  },
  {
    name: 'llama.cpp server: usage in the choices:[] chunk (timings are not usage)',
    fixture: 'llamacpp/v1-chat-stream-reasoning-timings.json', descriptor: llamacpp,
    usage: { inputTokens: 84, outputTokens: 57 }, servedModel: 'openai/gpt-oss-20b',
  },
];

describe('usage from every provider', function () {
  const server = useFakeProviderServer();

  async function stream(descriptor: ProviderDescriptor, fixture: ProviderFixture, body?: string) {
    server.reset();
    server.replay('POST', endpointPath(descriptor), fixture, body === undefined ? {} : { body });
    const model = descriptor.family === 'gemini' ? 'gemini-2.5-pro' : 'test-model';
    return collect(providerFor(server, descriptor).streamChat(chatRequest({ model }), testKey, signal()));
  }

  for (const testCase of cases) {
    it(testCase.name, async function () {
      const fixture = loadFixture(testCase.fixture);
      const outcome = await stream(testCase.descriptor, fixture);
      assert.equal(outcome.error, undefined, outcome.error?.message);
      const summary = summarize(outcome.parts);
      assert.deepEqual(summary.usage, testCase.usage);
      assert.deepEqual(summary.rawUsage, testCase.raw ? testCase.raw(fixture) : lastUsageObject(fixture));
      assert.equal(summary.costUsd, testCase.costUsd);
      assert.equal(summary.servedModel, testCase.servedModel);
      assertMetadataOnceBeforeFinish(outcome.parts);
      assert.deepEqual(summary.shape.slice(-2), ['usage', 'finish']);
      // The convention holds: the parts never exceed their totals.
      const usage = summary.usage ?? {};
      assert.ok((usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0) <= (usage.inputTokens ?? 0), 'cache inside input');
      assert.ok((usage.reasoningTokens ?? 0) <= (usage.outputTokens ?? 0), 'reasoning inside output');
    });
  }

  describe('fields no recording has non-zero', function () {
    it('Anthropic: a first snapshot at message_start (so a stopped answer knows its input), then cache writes and reads counted into input', async function () {
      const fixture = loadFixture('anthropic/messages-stream-text-ping-ratelimit-headers.json');
      const body = (fixture.body as string)
        .replaceAll('"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0', '"input_tokens":10,"cache_creation_input_tokens":2048,"cache_read_input_tokens":4096');
      const outcome = await stream(builtIn('anthropic'), fixture, body);
      const usageParts = outcome.parts.filter((part): part is Extract<ChatStreamPart, { type: 'usage' }> => part.type === 'usage');
      assert.equal(usageParts.length, 2);
      assert.deepEqual(usageParts[0]?.usage, { inputTokens: 10 + 2048 + 4096, cacheReadTokens: 4096, cacheWriteTokens: 2048, outputTokens: 2 });
      assert.ok(outcome.parts.indexOf(usageParts[0]!) < outcome.parts.findIndex(part => part.type === 'text-delta'), 'before the text');
      assert.deepEqual(usageParts[1]?.usage, { inputTokens: 10 + 2048 + 4096, cacheReadTokens: 4096, cacheWriteTokens: 2048, outputTokens: 4 });
      assert.equal(record(usageParts[1]?.raw)['cache_read_input_tokens'], 4096);
    });

    it('Anthropic: an older message_delta with only output_tokens keeps the input counts from message_start', async function () {
      const fixture = loadFixture('anthropic/messages-stream-ping-between-deltas.json');
      const events = jsonEvents(fixture.body as string).map(record);
      const start = record(record(events.find(event => event['type'] === 'message_start')?.['message'])['usage']);
      const outcome = await stream(builtIn('anthropic'), fixture, (fixture.body as string).replace(/("type":\s*"message_delta".*?"usage":\s*)\{[^}]*\}/, '$1{"output_tokens":13}'));
      const summary = summarize(outcome.parts);
      assert.deepEqual(summary.usage, { inputTokens: start['input_tokens'], cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 13 });
      assert.equal(record(summary.rawUsage)['input_tokens'], start['input_tokens']);
    });

    it('Gemini: cachedContentTokenCount is a part of promptTokenCount', async function () {
      const fixture = loadFixture('gemini/streamGenerateContent-sse-text.json');
      const body = (fixture.body as string).replace(/"promptTokenCount": 13,/g, '"promptTokenCount": 13, "cachedContentTokenCount": 8,');
      assert.notEqual(body, fixture.body);
      const summary = summarize((await stream(builtIn('gemini'), fixture, body)).parts);
      assert.deepEqual(summary.usage, { inputTokens: 13, cacheReadTokens: 8, outputTokens: 8 });
    });

    it('Gemini: toolUsePromptTokenCount (what a built-in tool fed back) is billed as input', async function () {
      const fixture = loadFixture('gemini/streamGenerateContent-sse-text.json');
      const body = (fixture.body as string).replace(/"promptTokenCount": 13,/g, '"promptTokenCount": 13, "toolUsePromptTokenCount": 40,');
      assert.notEqual(body, fixture.body);
      const summary = summarize((await stream(builtIn('gemini'), fixture, body)).parts);
      assert.deepEqual(summary.usage, { inputTokens: 53, outputTokens: 8 });
      assert.equal(record(summary.rawUsage)['toolUsePromptTokenCount'], 40);
    });

    it('Groq: usage only in x_groq.usage is still read', async function () {
      const fixture = loadFixture('groq/chat-stream-text-x_groq-usage.json');
      const body = (fixture.body as string).split('\n\n').filter(event => !event.includes('"choices":[],')).join('\n\n')
        .replace(/(\}\}),"usage":\{[^}]*\}\}/, '$1}');
      const events = jsonEvents(body).map(record);
      assert.ok(events.every(event => !('usage' in event)) && events.some(event => record(event['x_groq'])['usage']), 'only x_groq carries usage now');
      const summary = summarize((await stream(builtIn('groq'), fixture, body)).parts);
      assert.deepEqual(summary.usage, { inputTokens: 20, outputTokens: 4 });
      assert.equal(record(summary.rawUsage)['queue_time'], 0.193227832);
    });

    it('DeepSeek: prompt_cache_hit_tokens when prompt_tokens_details is absent', async function () {
      const fixture = loadFixture('deepseek/chat-stream-reasoning-content.json');
      const body = (fixture.body as string)
        .replace('"prompt_tokens":6,', '"prompt_tokens":1030,')
        .replace('"prompt_tokens_details":{"cached_tokens":0},', '')
        .replace('"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":6', '"prompt_cache_hit_tokens":1024,"prompt_cache_miss_tokens":6');
      const summary = summarize((await stream(builtIn('deepseek'), fixture, body)).parts);
      assert.deepEqual(summary.usage, { inputTokens: 1030, cacheReadTokens: 1024, outputTokens: 212, reasoningTokens: 198 });
    });

    it('OpenRouter: cache_write_tokens and a non-zero usage.cost', async function () {
      const fixture = loadFixture('openrouter/chat-stream-processing-comments.json');
      const body = (fixture.body as string).replace('"cost":0,', '"cost":0.00042,').replace('"prompt_tokens_details":{"cached_tokens":0}', '"prompt_tokens_details":{"cached_tokens":300,"cache_write_tokens":200}');
      const summary = summarize((await stream(openrouter, fixture, body)).parts);
      assert.deepEqual(summary.usage, { inputTokens: 586, cacheReadTokens: 300, cacheWriteTokens: 200, outputTokens: 3, reasoningTokens: 0 });
      assert.equal(summary.costUsd, 0.00042);
    });

    it('Perplexity Sonar chat: usage.cost.total_cost and reasoning_tokens', async function () {
      const fixture = loadFixture('perplexity/chat-stream-citations-2026-02.json');
      const body = (fixture.body as string).replaceAll('"usage":{"prompt_tokens":10,"completion_tokens":336,"total_tokens":346}',
        '"usage":{"prompt_tokens":10,"completion_tokens":336,"total_tokens":346,"reasoning_tokens":120,"cost":{"input_tokens_cost":0.00001,"output_tokens_cost":0.000336,"request_cost":0.005,"total_cost":0.005346}}');
      assert.notEqual(body, fixture.body);
      const summary = summarize((await stream(perplexityChat, fixture, body)).parts);
      assert.deepEqual(summary.usage, { inputTokens: 10, outputTokens: 336, reasoningTokens: 120 });
      assert.equal(summary.costUsd, 0.005346);
    });

    it('a stream without usage reports none (never zeros that would read as free)', async function () {
      const fixture = loadFixture('ollama/v1-chat-stream-tool-call-single-chunk.json');
      const outcome = await stream(customEndpoint('ollama', false), fixture);
      assert.equal(outcome.error, undefined, outcome.error?.message);
      assert.ok(!outcome.parts.some(part => part.type === 'usage'));
      assert.equal(summarize(outcome.parts).servedModel, 'qwen2.5-coder:7b-instruct-q8_0');
    });
  });
});

describe('asking for usage: stream_options', function () {
  const server = useFakeProviderServer();
  const answer = loadFixture('openai/chat-stream-text-after-tool-result-include-usage.json');
  const sentStreamOptions = (index: number) => 'stream_options' in record(JSON.parse(server.requests[index]?.body ?? '{}'));

  /** A server that refuses stream_options with a 400 and the given message, and answers otherwise. */
  function refuseStreamOptions(path: string, message: string) {
    server.route('POST', path, (request, response) => {
      if ('stream_options' in record(JSON.parse(request.body))) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(answer.body as string);
    });
  }

  it('every OpenAI-compatible vendor and custom endpoints ask for it; Cohere never does', async function () {
    for (const descriptor of [builtIn('openai'), builtIn('groq'), builtIn('xai'), builtIn('deepseek'), builtIn('together'), builtIn('mistral'), customEndpoint('vllm', false), builtIn('cohere')]) {
      server.reset();
      server.replay('POST', endpointPath(descriptor), answer);
      const outcome = await collect(providerFor(server, descriptor).streamChat(chatRequest(), testKey, signal()));
      assert.equal(outcome.error, undefined, outcome.error?.message);
      const body = record(JSON.parse(server.requests[0]?.body ?? '{}'));
      if (descriptor.id === 'cohere') assert.ok(!('stream_options' in body), 'Cohere rejects stream_options');
      else assert.deepEqual(body['stream_options'], { include_usage: true }, descriptor.id);
    }
  });

  it('a 400 naming stream_options → the same request once more without it, then never again for this provider', async function () {
    const vllm = customEndpoint('vllm', false);
    const path = `${basePath(vllm)}/chat/completions`;
    refuseStreamOptions(path, '[{\'type\': \'extra_forbidden\', \'loc\': (\'body\', \'stream_options\'), \'msg\': \'Extra inputs are not permitted\'}]');
    const provider = providerFor(server, vllm);

    const first = await collect(provider.streamChat(chatRequest(), testKey, signal()));
    assert.equal(first.error, undefined, first.error?.message);
    assert.equal(summarize(first.parts).text, 'The result of \\( 1231 \\times 2331 \\) is \\( 2,869,461 \\).');
    assert.deepEqual(summarize(first.parts).usage, { inputTokens: 87, cacheReadTokens: 0, outputTokens: 26, reasoningTokens: 0 });
    assert.equal(server.requests.length, 2);
    assert.equal(sentStreamOptions(0), true);
    assert.equal(sentStreamOptions(1), false);
    assert.deepEqual({ ...record(JSON.parse(server.requests[1]!.body)) }, (({ stream_options: _dropped, ...rest }) => rest)(record(JSON.parse(server.requests[0]!.body))), 'nothing else changed');

    const second = await collect(provider.streamChat(chatRequest(), testKey, signal()));
    assert.equal(second.error, undefined, second.error?.message);
    assert.equal(server.requests.length, 3, 'no second refusal');
    assert.equal(sentStreamOptions(2), false);

    // Another provider instance (another endpoint) still asks.
    const fresh = await collect(providerFor(server, vllm).streamChat(chatRequest(), testKey, signal()));
    assert.equal(fresh.error, undefined);
    assert.equal(sentStreamOptions(3), true);
  });

  it('"include_usage" in the message counts too (OpenAI-style error body)', async function () {
    refuseStreamOptions('/v1/chat/completions', 'Unrecognized request argument supplied: include_usage');
    const outcome = await collect(providerFor(server, builtIn('openai')).streamChat(chatRequest(), testKey, signal()));
    assert.equal(outcome.error, undefined, outcome.error?.message);
    assert.deepEqual([sentStreamOptions(0), sentStreamOptions(1)], [true, false]);
  });

  it('a 400 about anything else is the error it is: no retry, and stream_options is still sent next time', async function () {
    server.route('POST', '/v1/chat/completions', (_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Invalid value for temperature: must be at most 2.', type: 'invalid_request_error', param: 'temperature', code: null } }));
    });
    const provider = providerFor(server, builtIn('openai'));
    const outcome = await collect(provider.streamChat(chatRequest({ temperature: 3 }), testKey, signal()));
    const error = assertProviderError(outcome, 'bad-request');
    assert.match(error.message, /temperature/);
    assert.equal(server.requests.length, 1);
    await collect(provider.streamChat(chatRequest(), testKey, signal()));
    assert.equal(sentStreamOptions(1), true);
  });

  it('a server that refuses the field again without it gets no third attempt', async function () {
    server.route('POST', '/v1/chat/completions', (_request, response) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'stream_options is not supported', type: 'invalid_request_error' } }));
    });
    const outcome = await collect(providerFor(server, builtIn('openai')).streamChat(chatRequest(), testKey, signal()));
    assertProviderError(outcome, 'bad-request');
    assert.equal(server.requests.length, 2);
  });
});

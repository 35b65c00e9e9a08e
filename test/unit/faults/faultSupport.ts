// Shared pieces of the fault-injection suite: the three SDK families with generated wire bodies, a
// scripted route for "N failures, then an answer", the real Router wired to a real adapter, and the
// unhandled-rejection watch every fault file installs.
//
// Bodies are generated rather than recorded where a fault needs a shape no transcript has (5 MB of
// deltas, a broken chunk between good ones, a 1-byte drip short enough to finish in about a second,
// bytes that are not UTF-8). The generators follow the recorded transcripts in test/fixtures/providers
// event for event; the short recorded answers are still used wherever a fault fits them.
import assert from 'node:assert/strict';
import type http from 'node:http';
import { ProviderError, isProviderError } from '../../../src/providers/errors';
import type { CreateProviderOptions } from '../../../src/providers/index';
import type { ProviderDescriptor } from '../../../src/providers/registry';
import type { ChatStreamPart, TimeoutOptions } from '../../../src/providers/types';
import { loadAnthropic, loadGemini, loadOpenAI } from '../../../src/providers/sdk';
import { Router, defaultRetryPolicy, type RetryPolicy, type RouterDependencies, type RouterOutput } from '../../../src/router';
import { FakeProviderServer, type RecordedRequest } from '../../fakes/fakeProviderServer';
import { assertNoKeyLeak, assertProviderError, builtIn, providerFor, type StreamOutcome } from '../providers/providerTestSupport';

/**
 * Has no well-known key shape, so only the registered-secret redaction can hide it: a leak anywhere
 * (message, toString, JSON, cause) is caught by a plain substring search.
 */
export const faultKey = 'fault-KEY-7Qm2Zx9Lp4Wv8Rt3';

export type FamilyName = 'openai' | 'anthropic' | 'gemini';

export interface WireResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is the wire text; a Buffer is sent byte for byte (for invalid UTF-8). */
  body: string | Buffer;
}

export interface FaultFamily {
  name: FamilyName;
  descriptor: ProviderDescriptor;
  /** The streaming endpoint as the fake server matches it. */
  path: string | RegExp;
  model: string;
  /** A short recorded answer and the text it carries. */
  fixture: string;
  fixtureText: string;
  /** A whole, valid streamed answer whose text is `deltas.join('')`. */
  stream(deltas: readonly string[]): string;
  /** The wire form of one text delta, for bodies assembled by hand. */
  deltaEvent(text: string): string;
  /** What comes before the first delta and after the last one. */
  prologue: string;
  epilogue: string;
  /** One event whose JSON is cut off. */
  malformedEvent: string;
  /** Errors the provider reports inside a 200 stream, with the kind each must become. */
  streamErrors: { event: string; kind: ProviderError['kind']; message: RegExp }[];
  /** An HTTP error response in the family's own body shape. */
  httpError(status: number, message: string, extra?: { type?: string; headers?: Record<string, string> }): WireResponse;
  /** The HTTP 429 the family sends for a spend limit or a daily quota: kind quota, never retried. */
  quotaError: WireResponse;
}

const sse = 'text/event-stream; charset=utf-8';
const json = { 'content-type': 'application/json' };

/** @see test/fixtures/providers/openai/chat-stream-text-after-tool-result-include-usage.json */
const openai: FaultFamily = {
  name: 'openai',
  descriptor: builtIn('openai'),
  path: '/v1/chat/completions',
  model: 'gpt-5.4-mini',
  fixture: 'openai/chat-stream-text-after-tool-result-include-usage.json',
  fixtureText: 'The result of \\( 1231 \\times 2331 \\) is \\( 2,869,461 \\).',
  prologue: `data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`,
  deltaEvent: text => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`,
  epilogue:
    `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n` +
    `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 } })}\n\n` +
    'data: [DONE]\n\n',
  stream(deltas) {
    return this.prologue + deltas.map(this.deltaEvent).join('') + this.epilogue;
  },
  malformedEvent: 'data: {"choices":[{"index":0,"delta":{"content":"lost\n\n',
  streamErrors: [
    // The shape OpenAI documents for a failure after the stream started (also OpenRouter's).
    { event: `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } })}\n\n`, kind: 'server', message: /server had an error/ },
    { event: `data: ${JSON.stringify({ error: { message: 'Rate limit reached for gpt-5.4-mini on tokens per min (TPM).', type: 'tokens', code: 'rate_limit_exceeded' } })}\n\n`, kind: 'rate-limit', message: /Rate limit reached/ },
  ],
  httpError(status, message, extra) {
    return { status, headers: { ...json, ...extra?.headers }, body: JSON.stringify({ error: { message, type: extra?.type ?? (status >= 500 ? 'server_error' : 'requests'), param: null, code: extra?.type ?? null } }) };
  },
  quotaError: {
    status: 429,
    headers: json,
    body: JSON.stringify({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }),
  },
};

/** @see test/fixtures/providers/anthropic/messages-stream-text-ping-ratelimit-headers.json */
const anthropicEvent = (type: string, data: unknown) => `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
const anthropic: FaultFamily = {
  name: 'anthropic',
  descriptor: builtIn('anthropic'),
  path: '/v1/messages',
  model: 'claude-haiku-4-5',
  fixture: 'anthropic/messages-stream-text-ping-ratelimit-headers.json',
  fixtureText: 'Hello',
  prologue:
    anthropicEvent('message_start', { type: 'message_start', message: { id: 'msg_fault', type: 'message', role: 'assistant', model: 'claude-haiku-4-5', content: [], stop_reason: null, usage: { input_tokens: 5, output_tokens: 1 } } }) +
    anthropicEvent('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  deltaEvent: text => anthropicEvent('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
  epilogue:
    anthropicEvent('content_block_stop', { type: 'content_block_stop', index: 0 }) +
    anthropicEvent('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } }) +
    anthropicEvent('message_stop', { type: 'message_stop' }),
  stream(deltas) {
    return this.prologue + deltas.map(this.deltaEvent).join('') + this.epilogue;
  },
  malformedEvent: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lost\n\n',
  streamErrors: [
    // @see test/fixtures/providers/anthropic/messages-stream-error-overloaded-midstream.json
    { event: anthropicEvent('error', { type: 'error', error: { details: null, type: 'overloaded_error', message: 'Overloaded' } }), kind: 'overloaded', message: /Overloaded/ },
    { event: anthropicEvent('error', { type: 'error', error: { type: 'api_error', message: 'Internal server error while generating the response.' } }), kind: 'server', message: /Internal server error/ },
  ],
  httpError(status, message, extra) {
    const type = extra?.type ?? ({ 429: 'rate_limit_error', 529: 'overloaded_error', 500: 'api_error' } as Record<number, string>)[status] ?? 'api_error';
    return { status, headers: { ...json, ...extra?.headers }, body: JSON.stringify({ type: 'error', error: { type, message } }) };
  },
  // A spend limit arrives as a 429 rate_limit_error; only the text says it will not clear in a minute.
  quotaError: {
    status: 429,
    headers: { ...json, 'retry-after': '16', 'x-should-retry': 'true' },
    body: JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC.' } }),
  },
};

/** @see test/fixtures/providers/gemini/streamGenerateContent-sse-text.json (events end with CRLF CRLF) */
const geminiChunk = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;
const gemini: FaultFamily = {
  name: 'gemini',
  descriptor: builtIn('gemini'),
  path: /:streamGenerateContent/,
  model: 'gemini-2.5-flash',
  fixture: 'gemini/streamGenerateContent-sse-text.json',
  fixtureText: 'The capital of France is Paris.\n',
  prologue: '',
  deltaEvent: text => geminiChunk({ candidates: [{ content: { parts: [{ text }], role: 'model' }, index: 0 }], modelVersion: 'gemini-2.5-flash' }),
  epilogue: geminiChunk({ candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 7, totalTokenCount: 12 } }),
  stream(deltas) {
    return this.prologue + deltas.map(this.deltaEvent).join('') + this.epilogue;
  },
  malformedEvent: 'data: {"candidates": [{"content": {"parts": [{"text": "lost\r\n\r\n',
  streamErrors: [
    { event: geminiChunk({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }), kind: 'overloaded', message: /overloaded/ },
    { event: geminiChunk({ error: { code: 500, message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting', status: 'INTERNAL' } }), kind: 'server', message: /internal error/ },
  ],
  httpError(status, message, extra) {
    const statusText = extra?.type ?? ({ 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL', 503: 'UNAVAILABLE' } as Record<number, string>)[status] ?? 'UNKNOWN';
    return { status, headers: { ...json, ...extra?.headers }, body: JSON.stringify({ error: { code: status, message, status: statusText } }) };
  },
  // @see test/fixtures/providers/gemini/error-429-resource-exhausted-retryinfo.json, with the per-day quota id.
  quotaError: {
    status: 429,
    headers: json,
    body: JSON.stringify({
      error: {
        code: 429, message: 'You exceeded your current quota, please check your plan and billing details.', status: 'RESOURCE_EXHAUSTED',
        details: [
          { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] },
          { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '21s' },
        ],
      },
    }),
  },
};

export const families: readonly FaultFamily[] = [openai, anthropic, gemini];

export const streamHeaders = { 'content-type': sse };

/**
 * The fake server for a fault suite: started before it, together with loading the three SDKs so that
 * timing checks measure the guard rather than module loading; reset after each test, stopped after it.
 */
export function useFaultServer(): FakeProviderServer {
  const server = new FakeProviderServer();
  before(async function () {
    await server.start();
    await Promise.all([loadOpenAI(), loadAnthropic(), loadGemini()]);
  });
  after(() => server.stop());
  afterEach(() => server.reset());
  return server;
}

/**
 * For tests where the guard must not fire at all: far above anything a loaded machine adds. Tests of
 * the limits themselves run them on ManualTimers (test/fakes/manualTimers.ts) instead of small real
 * limits, which a slow machine could trip early.
 */
export const relaxedTimeouts: TimeoutOptions = { connectMs: 5000, firstTokenMs: 5000, idleMs: 5000 };

export function faultProvider(server: FakeProviderServer, family: FaultFamily, options: CreateProviderOptions = {}) {
  return providerFor(server, family.descriptor, { timeouts: relaxedTimeouts, ...options });
}

export const faultRequest = (family: FaultFamily) => ({ model: family.model, messages: [{ role: 'user' as const, content: 'Hello' }] });

/** assertProviderError (kind, readable message, no test key) plus the suite's own shapeless key. */
export function assertFault(outcome: StreamOutcome, kind: ProviderError['kind']): ProviderError {
  const error = assertProviderError(outcome, kind);
  assertNoKeyLeak(error, faultKey);
  return error;
}

export function textOf(parts: readonly ChatStreamPart[]): string {
  return parts.map(part => (part.type === 'text-delta' ? part.text : '')).join('');
}

/** Byte offset just after the first `count` events of an SSE body (LF or CRLF framing). */
export function afterEvents(body: string, count: number): number {
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const match = /\r?\n\r?\n/.exec(body.slice(offset));
    if (!match) throw new Error(`the body has fewer than ${count} events`);
    offset += match.index + match[0].length;
  }
  return Buffer.byteLength(body.slice(0, offset));
}

/** How many whole events a piece of SSE text holds. */
export function eventCount(text: string): number {
  return text.split(/\r?\n\r?\n/).length - 1;
}

/** Byte offset just after the family's prologue and its first text delta. */
export function afterFirstDelta(family: FaultFamily, body: string): number {
  return afterEvents(body, eventCount(family.prologue) + 1);
}

export function writeResponse(response: http.ServerResponse, wire: WireResponse): void {
  response.writeHead(wire.status, wire.headers ?? {});
  response.end(wire.body);
}

/**
 * Answers the n-th request to `path` with `responses[n]` (the last one repeats), so a test can count
 * exactly how many requests a retry policy made.
 */
export function scriptRoute(server: FakeProviderServer, family: FaultFamily, responses: readonly (WireResponse | ((request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>))[]): void {
  let served = 0;
  server.route('POST', family.path, async (request, response) => {
    const next = responses[Math.min(served++, responses.length - 1)];
    if (!next) throw new Error('no scripted response');
    if (typeof next === 'function') await next(request, response);
    else writeResponse(response, next);
  });
}

export function streamResponse(family: FaultFamily, deltas: readonly string[]): WireResponse {
  return { status: 200, headers: streamHeaders, body: family.stream(deltas) };
}

export interface RouterHarness {
  router: Router;
  /** Every delay the router asked to sleep for, in order. */
  sleeps: number[];
}

/**
 * The real Router over the real adapter, with in-memory selection, key store and policy. By default
 * the sleep only records the delay, so retry tests take no wall time; `realSleep` uses the router's own.
 */
export function routerFor(
  server: FakeProviderServer,
  family: FaultFamily,
  options: { policy?: Partial<RetryPolicy>; realSleep?: boolean; timeouts?: Partial<TimeoutOptions>; baseUrl?: string } = {},
): RouterHarness {
  const sleeps: number[] = [];
  const provider = faultProvider(server, family, { timeouts: { ...relaxedTimeouts, ...options.timeouts }, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
  const dependencies: RouterDependencies = {
    selection: () => ({ providerId: family.descriptor.id, model: family.model }),
    resolve: (providerId, model) =>
      providerId === family.descriptor.id
        ? { provider, providerId, providerLabel: family.descriptor.label, family: family.descriptor.family, model: model || family.model, keyRequired: true }
        : undefined,
    getKey: async providerId => (providerId === family.descriptor.id ? faultKey : undefined),
    retryPolicy: () => ({ ...defaultRetryPolicy, ...options.policy }),
    random: () => 0.5,
    ...(options.realSleep ? {} : { sleep: async (ms: number) => { sleeps.push(ms); } }),
  };
  return { router: new Router(dependencies), sleeps };
}

export interface RouterOutcome {
  outputs: RouterOutput[];
  error: ProviderError | undefined;
  foreign: unknown;
}

export async function collectRouter(stream: AsyncIterable<RouterOutput>, onOutput?: (output: RouterOutput) => void): Promise<RouterOutcome> {
  const outputs: RouterOutput[] = [];
  try {
    for await (const output of stream) {
      outputs.push(output);
      onOutput?.(output);
    }
    return { outputs, error: undefined, foreign: undefined };
  } catch (error) {
    return isProviderError(error) ? { outputs, error, foreign: undefined } : { outputs, error: undefined, foreign: error };
  }
}

/** A router outcome as a stream outcome, so the same assertions apply. */
export function asStreamOutcome(outcome: RouterOutcome): StreamOutcome {
  const parts = outcome.outputs.filter(output => output.type === 'text-delta' || output.type === 'reasoning-delta' || output.type === 'usage' || output.type === 'finish');
  return { parts: parts as StreamOutcome['parts'], error: outcome.error, foreign: outcome.foreign };
}

/** Resolves with how long `work` took; `work` is never left running past `limitMs` unnoticed. */
export async function timed<T>(work: Promise<T>, limitMs: number, what: string): Promise<{ value: T; elapsed: number }> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} hung: no result after ${limitMs} ms`)), limitMs);
  });
  try {
    const value = await Promise.race([work, deadline]);
    return { value, elapsed: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for the server to see the client go away, failing instead of hanging. */
export async function expectDisconnect(disconnected: Promise<void>, limitMs = 1000): Promise<void> {
  await timed(disconnected, limitMs, 'waiting for the client to close the connection');
}

export const pause = (milliseconds: number) => new Promise<void>(resolve => setTimeout(resolve, milliseconds));

/** Polls `condition` every 5 ms; rejects after `limitMs` instead of waiting forever. */
export async function waitUntil(condition: () => boolean, limitMs: number): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`condition not met within ${limitMs} ms`);
    await pause(5);
  }
}

/**
 * Records every unhandled rejection while the enclosing describe runs and fails its after() hook if
 * there was one. Mocha re-emits rejections it considers the test's own, so reasons are de-duplicated.
 */
export function watchUnhandledRejections(): void {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => {
    if (!seen.includes(reason)) seen.push(reason);
  };
  before(function () {
    process.on('unhandledRejection', listener);
  });
  after(async function () {
    // A rejection from an abandoned SDK promise surfaces a few ticks after the test that caused it.
    await pause(50);
    process.off('unhandledRejection', listener);
    const described = seen.map(reason => (reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)));
    for (const reason of seen) if (reason instanceof Error) assertNoKeyLeak(reason, faultKey);
    assert.deepEqual(described, [], 'unhandled promise rejections');
  });
}

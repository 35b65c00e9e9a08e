// Shared helpers for the provider adapter tests: a distinctive fake key, the fake server's life
// cycle, stream collection, seeded byte-offset splitting, the key-leak assertion every error test
// runs, and the checks every adapter's recorded answers and recorded HTTP errors go through.
import assert from 'node:assert/strict';
import { ProviderError, isProviderError } from '../../../src/providers/errors';
import { createProvider, type CreateProviderOptions } from '../../../src/providers/index';
import { builtInProviders, describeCustomEndpoint, type ProviderDescriptor, type OpenAICompatibleQuirks } from '../../../src/providers/registry';
import type { ChatRequest, ChatStreamPart, Provider, Usage } from '../../../src/providers/types';
import { FakeProviderServer, loadFixture, type ProviderFixture, type ReplayOptions } from '../../fakes/fakeProviderServer';
import { seededRandom } from '../seededRandom';

/** Distinctive so that any leak into a message, log or JSON is caught by a plain substring search. */
export const testKey = 'sk-test-SECRET-123456789';

export const seeds = [1, 7, 42];

/** A fake provider server for the enclosing describe: started before it, reset after each test, stopped after it. */
export function useFakeProviderServer(): FakeProviderServer {
  const server = new FakeProviderServer();
  before(() => server.start());
  after(() => server.stop());
  afterEach(() => server.reset());
  return server;
}

export interface StreamOutcome {
  parts: ChatStreamPart[];
  error: ProviderError | undefined;
  /** Anything thrown that was not a ProviderError (must never happen). */
  foreign: unknown;
}

export async function collect(stream: AsyncIterable<ChatStreamPart>): Promise<StreamOutcome> {
  const parts: ChatStreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
    return { parts, error: undefined, foreign: undefined };
  } catch (error) {
    if (isProviderError(error)) return { parts, error, foreign: undefined };
    return { parts, error: undefined, foreign: error };
  }
}

export interface StreamSummary {
  text: string;
  reasoning: string;
  /** Every usage snapshot merged in order: a field a later part carries replaces the earlier value. */
  usage: Usage | undefined;
  /** The provider's own usage object of the last usage part. */
  rawUsage: unknown;
  /** The cost the provider reported itself, from the last usage part that carried one. */
  costUsd: number | undefined;
  /** The served model from the response-metadata part. */
  servedModel: string | undefined;
  finish: { unified: string; raw: string | undefined } | undefined;
  /** Part types in order, with consecutive duplicates collapsed: proves usage and finish come last. */
  shape: string[];
  /** Complete tool calls, in order; absent when the answer called no tool. */
  toolCalls?: { id: string; name: string; input: Record<string, unknown> }[];
}

export function summarize(parts: ChatStreamPart[]): StreamSummary {
  const summary: StreamSummary = { text: '', reasoning: '', usage: undefined, rawUsage: undefined, costUsd: undefined, servedModel: undefined, finish: undefined, shape: [] };
  for (const part of parts) {
    if (summary.shape[summary.shape.length - 1] !== part.type) summary.shape.push(part.type);
    if (part.type === 'text-delta') summary.text += part.text;
    else if (part.type === 'reasoning-delta') summary.reasoning += part.text;
    else if (part.type === 'usage') {
      summary.usage = { ...summary.usage };
      for (const [field, value] of Object.entries(part.usage) as [keyof Usage, number | undefined][]) if (value !== undefined) summary.usage[field] = value;
      summary.rawUsage = part.raw;
      if (part.costUsd !== undefined) summary.costUsd = part.costUsd;
    } else if (part.type === 'response-metadata') summary.servedModel = part.model;
    else if (part.type === 'tool-call') (summary.toolCalls ??= []).push({ id: part.id, name: part.name, input: part.input });
    else summary.finish = { unified: part.unified, raw: part.raw };
  }
  return summary;
}

/** Up to `count` distinct offsets inside a body of `length` bytes (some land inside UTF-8 sequences). */
export function randomOffsets(length: number, seed: number, count = 6): number[] {
  const random = seededRandom(seed);
  const offsets = new Set<number>();
  for (let attempt = 0; attempt < count * 4 && offsets.size < count && length > 1; attempt++) offsets.add(1 + Math.floor(random() * (length - 1)));
  return [...offsets].sort((a, b) => a - b);
}

/** The key must not show up anywhere an error can travel: message, toString, JSON, stack, cause. */
export function assertNoKeyLeak(error: unknown, key: string = testKey): void {
  assert.ok(error, 'expected an error');
  const texts: string[] = [];
  if (error instanceof Error) texts.push(error.message, String(error), String(error.stack));
  if (isProviderError(error)) texts.push(JSON.stringify(error.toJSON()), JSON.stringify(error), String((error as { cause?: unknown }).cause ?? ''));
  for (const text of texts) assert.ok(!text.includes(key), `key leaked into: ${text.slice(0, 200)}`);
}

export function assertProviderError(outcome: StreamOutcome, kind: ProviderError['kind']): ProviderError {
  assert.equal(outcome.foreign, undefined, `a non-ProviderError escaped: ${String(outcome.foreign)}`);
  assert.ok(outcome.error, `expected a ${kind} error, got parts ${JSON.stringify(outcome.parts).slice(0, 300)}`);
  assert.equal(outcome.error.kind, kind, `expected ${kind}, got ${outcome.error.kind}: ${outcome.error.message}`);
  assert.ok(outcome.error.message.trim().length > 10, 'the message should say something readable');
  assert.ok(!/\[object Object\]|undefined/.test(outcome.error.message), `unreadable message: ${outcome.error.message}`);
  assertNoKeyLeak(outcome.error);
  return outcome.error;
}

/**
 * A recorded answer came through exactly: no error; the text, reasoning, usage and finish an
 * independent reading of the transcript expects, and any values the test case knows; usage, then finish, last.
 */
export function assertRecordedAnswer(outcome: StreamOutcome, expected: Omit<StreamSummary, 'shape'>, known: Partial<StreamSummary> = {}): void {
  assert.equal(outcome.error, undefined, outcome.error?.message);
  const summary = summarize(outcome.parts);
  assert.equal(summary.text, expected.text);
  assert.equal(summary.reasoning, expected.reasoning);
  assert.deepEqual(summary.usage, expected.usage);
  assert.deepEqual(summary.rawUsage, expected.rawUsage);
  assert.equal(summary.costUsd, expected.costUsd);
  assert.equal(summary.servedModel, expected.servedModel);
  assert.deepEqual(summary.finish, expected.finish);
  for (const [field, value] of Object.entries(known)) assert.deepEqual(summary[field as keyof StreamSummary], value, field);
  assert.deepEqual(summary.shape.slice(-2), ['usage', 'finish']);
  assertMetadataOnceBeforeFinish(outcome.parts);
}

/** The served model is reported at most once, and before the finish part. */
export function assertMetadataOnceBeforeFinish(parts: readonly ChatStreamPart[]): void {
  const indexes = parts.flatMap((part, index) => (part.type === 'response-metadata' ? [index] : []));
  assert.ok(indexes.length <= 1, `response-metadata reported ${indexes.length} times`);
  const finish = parts.findIndex(part => part.type === 'finish');
  if (indexes[0] !== undefined && finish >= 0) assert.ok(indexes[0] < finish, 'response-metadata after finish');
}

/** For a recorded stream (not a whole JSON body): the same result when the body arrives split at random byte offsets. */
export function itSplitsAtRandomOffsets(fixtureName: string, replay: (options: ReplayOptions) => Promise<{ outcome: StreamOutcome }>): void {
  if (typeof loadFixture(fixtureName).body !== 'string') return;
  it(`${fixtureName}: the same result when split at random byte offsets`, async function () {
    const whole = summarize((await replay({})).outcome.parts);
    const length = Buffer.byteLength(loadFixture(fixtureName).body as string);
    for (const seed of seeds) {
      const { outcome } = await replay({ splitAt: randomOffsets(length, seed), delayMs: 1 });
      assert.equal(outcome.error, undefined, `seed ${seed}: ${outcome.error?.message}`);
      assert.deepEqual(summarize(outcome.parts), whole, `seed ${seed}`);
    }
  });
}

export interface HttpErrorCase {
  fixture: string;
  kind: string;
  retryable?: boolean;
  retryAfterMs?: number;
  message?: RegExp;
}

/** A recorded HTTP error became the case's kind with the recorded status, and the retryability, delay and message the case names. */
export function assertHttpError(outcome: StreamOutcome, fixture: ProviderFixture, testCase: HttpErrorCase): ProviderError {
  const error = assertProviderError(outcome, testCase.kind as ProviderError['kind']);
  assert.equal(error.status, fixture.status);
  if (testCase.retryable !== undefined) assert.equal(error.retryable, testCase.retryable);
  if (testCase.retryAfterMs !== undefined) assert.equal(error.retryAfterMs, testCase.retryAfterMs);
  if (testCase.message) assert.match(error.message, testCase.message);
  return error;
}

export function builtIn(id: string): ProviderDescriptor {
  const descriptor = builtInProviders.find(provider => provider.id === id);
  if (!descriptor) throw new Error(`no built-in provider ${id}`);
  return descriptor;
}

export function withQuirks(descriptor: ProviderDescriptor, quirks: Partial<OpenAICompatibleQuirks>): ProviderDescriptor {
  return { ...descriptor, quirks: { ...descriptor.quirks, ...quirks } };
}

/** A custom OpenAI-compatible endpoint such as the Ollama or llama.cpp presets. */
export function customEndpoint(id: string, keyRequired: boolean, defaultModel = 'local-model'): ProviderDescriptor {
  return describeCustomEndpoint({ id, name: id, baseUrl: `http://127.0.0.1:1/${id}`, keyRequired, defaultModel });
}

/** The path part of a descriptor's real base URL, so the fake serves the vendor's real paths. */
export function basePath(descriptor: ProviderDescriptor): string {
  return new URL(descriptor.defaultBaseUrl).pathname.replace(/\/+$/, '');
}

export function providerFor(server: FakeProviderServer, descriptor: ProviderDescriptor, options: CreateProviderOptions = {}): Provider {
  return createProvider(descriptor, { baseUrl: server.url + basePath(descriptor), ...options });
}

export function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'test-model', messages: [{ role: 'user', content: 'Hello' }], ...overrides };
}

/** Streams `request` against a recorded answer served at `path`; returns the request the adapter sent and its JSON body. */
export async function captureRequest(server: FakeProviderServer, path: string | RegExp, fixtureName: string, provider: Provider, request: ChatRequest, key: string | undefined = testKey) {
  server.replay('POST', path, loadFixture(fixtureName));
  const outcome = await collect(provider.streamChat(request, key, signal()));
  assert.equal(outcome.error, undefined, outcome.error?.message);
  const sent = server.requests[0];
  assert.ok(sent);
  return { sent, body: JSON.parse(sent.body) as Record<string, unknown> };
}

/** After a good verify: a rejected key (`authErrorFixture` served at `path`) is `auth` and leaks no key; no key at all is `missing-key` and sends nothing. */
export async function assertVerifyRejectsBadAndMissingKeys(server: FakeProviderServer, descriptor: ProviderDescriptor, path: string | RegExp, authErrorFixture: string): Promise<void> {
  server.reset();
  server.replay('GET', path, loadFixture(authErrorFixture));
  const bad = await providerFor(server, descriptor).verify(testKey);
  assert.equal(bad.ok, false);
  assert.equal(bad.error?.kind, 'auth');
  assertNoKeyLeak(bad.error);
  server.reset();
  const missing = await providerFor(server, descriptor).verify(undefined);
  assert.equal(missing.error?.kind, 'missing-key');
  assert.equal(server.requests.length, 0);
}

/** Server-sent events of a body: `{ event, data }` per block, comments skipped, CRLF tolerated. */
export function parseServerSentEvents(body: string): { event: string | undefined; data: string }[] {
  const events: { event: string | undefined; data: string }[] = [];
  for (const block of body.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) events.push({ event, data: data.join('\n') });
  }
  return events;
}

export function jsonEvents(body: string): unknown[] {
  return parseServerSentEvents(body)
    .filter(event => event.data !== '[DONE]')
    .map(event => JSON.parse(event.data) as unknown);
}

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function signal(): AbortSignal {
  return new AbortController().signal;
}

// Shared helpers for the provider adapter tests: a distinctive fake key, stream collection, seeded
// byte-offset splitting, and the key-leak assertion every error test runs.
import assert from 'node:assert/strict';
import { ProviderError, isProviderError } from '../../../src/providers/errors';
import { createProvider, type CreateProviderOptions } from '../../../src/providers/index';
import { builtInProviders, describeCustomEndpoint, type ProviderDescriptor, type OpenAICompatibleQuirks } from '../../../src/providers/registry';
import type { ChatRequest, ChatStreamPart, Provider, Usage } from '../../../src/providers/types';
import type { FakeProviderServer } from '../../fakes/fakeProviderServer';

/** Distinctive so that any leak into a message, log or JSON is caught by a plain substring search. */
export const testKey = 'sk-test-SECRET-123456789';

export const seeds = [1, 7, 42];

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
  usage: Usage | undefined;
  finish: { unified: string; raw: string | undefined } | undefined;
  /** Part types in order, with consecutive duplicates collapsed: proves usage and finish come last. */
  shape: string[];
}

export function summarize(parts: ChatStreamPart[]): StreamSummary {
  const summary: StreamSummary = { text: '', reasoning: '', usage: undefined, finish: undefined, shape: [] };
  for (const part of parts) {
    if (summary.shape[summary.shape.length - 1] !== part.type) summary.shape.push(part.type);
    if (part.type === 'text-delta') summary.text += part.text;
    else if (part.type === 'reasoning-delta') summary.reasoning += part.text;
    else if (part.type === 'usage') {
      const { type: _type, ...usage } = part;
      summary.usage = usage;
    } else summary.finish = { unified: part.unified, raw: part.raw };
  }
  return summary;
}

/** mulberry32: small, deterministic, good enough to pick split offsets. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
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

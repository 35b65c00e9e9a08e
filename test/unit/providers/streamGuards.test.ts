// Failure modes below the API: stalls at each phase, caller aborts, refused and dropped connections,
// malformed chunks. Run for each SDK family. The time limits run on manual timers (test/fakes/manualTimers.ts);
// the real clock is covered in test/unit/faults/streamFaults.test.ts.
import assert from 'node:assert/strict';
import { FakeProviderServer, loadFixture, type ProviderFixture } from '../../fakes/fakeProviderServer';
import { ManualTimers } from '../../fakes/manualTimers';
import { createProvider } from '../../../src/providers/index';
import { loadAnthropic, loadGemini, loadOpenAI } from '../../../src/providers/sdk';
import type { ProviderDescriptor } from '../../../src/providers/registry';
import type { ChatStreamPart, TimeoutOptions } from '../../../src/providers/types';
import { assertProviderError, builtIn, chatRequest, collect, providerFor, summarize, testKey } from './providerTestSupport';

interface Family {
  name: string;
  descriptor: ProviderDescriptor;
  path: string | RegExp;
  fixture: string;
  model: string;
  /** How many whole events come before the first text (stall there: first-token timeout). */
  eventsBeforeContent: number;
  /** How many whole events carry the first text (stall after them: idle timeout). */
  eventsThroughFirstContent: number;
  /** A longer transcript of many small events, for the slow-drip test. */
  dripFixture: string;
  /** A body whose second event is not valid JSON. */
  malformed: string;
}

const families: Family[] = [
  {
    name: 'OpenAI-compatible', descriptor: builtIn('openai'), path: '/v1/chat/completions', model: 'gpt-5-mini',
    fixture: 'openai/chat-stream-text-after-tool-result-include-usage.json', eventsBeforeContent: 1, eventsThroughFirstContent: 2,
    dripFixture: 'openai/chat-stream-text-after-tool-result-include-usage.json',
    malformed: 'data: {"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}\n\ndata: {"choices":[{"index":0,"delta":{"content":\n\n',
  },
  {
    name: 'Anthropic', descriptor: builtIn('anthropic'), path: '/v1/messages', model: 'claude-haiku-4-5',
    fixture: 'anthropic/messages-stream-text-ping-ratelimit-headers.json', eventsBeforeContent: 1, eventsThroughFirstContent: 4,
    dripFixture: 'anthropic/messages-stream-thinking.json',
    malformed: 'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":1,"output_tokens":1}}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta",\n\n',
  },
  {
    name: 'Gemini', descriptor: builtIn('gemini'), path: /:streamGenerateContent/, model: 'gemini-2.5-flash',
    fixture: 'gemini/streamGenerateContent-sse-text.json', eventsBeforeContent: 0, eventsThroughFirstContent: 1,
    dripFixture: 'gemini/streamGenerateContent-sse-thinking.json',
    malformed: 'data: {"candidates": [{"content": {"parts": [{"text": "Hi"}],"role": "model"}}]}\r\n\r\ndata: {"candidates": [\r\n\r\n',
  },
];

/** Byte offset just after the first `count` events of an SSE body. */
function afterEvents(body: string, count: number): number {
  let offset = 0;
  for (let index = 0; index < count; index++) {
    const match = /\r?\n\r?\n/.exec(body.slice(offset));
    if (!match) throw new Error('not enough events');
    offset += match.index + match[0].length;
  }
  return Buffer.byteLength(body.slice(0, offset));
}

const fast: Partial<TimeoutOptions> = { connectMs: 200, firstTokenMs: 200, idleMs: 200 };

for (const family of families) {
  describe(`stream guards: ${family.name}`, function () {
    const server = new FakeProviderServer();
    let fixture: ProviderFixture;
    before(async () => {
      fixture = loadFixture(family.fixture);
      await server.start();
      // Load the SDK once up front so timing checks measure the guard, not module loading.
      await Promise.all([loadOpenAI(), loadAnthropic(), loadGemini()]);
    });
    after(() => server.stop());
    afterEach(() => server.reset());

    const request = () => chatRequest({ model: family.model });
    const stream = (timeouts: Partial<TimeoutOptions> = fast, signal = new AbortController().signal) =>
      providerFor(server, family.descriptor, { timeouts }).streamChat(request(), testKey, signal);

    async function timed<T>(work: Promise<T>): Promise<{ value: T; elapsed: number }> {
      const started = performance.now();
      const value = await work;
      return { value, elapsed: performance.now() - started };
    }

    // The limits run on manual timers: each test waits for the state it means (a timer of that limit
    // armed), then moves time, so a loaded machine can neither fire a limit early nor make it late.
    // Distinct lengths tell the limits apart.
    const manual = { connectMs: 1000, firstTokenMs: 2000, idleMs: 300 };
    const manualStream = (timers: ManualTimers) => providerFor(server, family.descriptor, { timeouts: manual, timers }).streamChat(request(), testKey, new AbortController().signal);

    it('no response headers → timeout (connect) when the connect limit passes, and the request is abandoned', async function () {
      const timers = new ManualTimers();
      server.replay('POST', family.path, fixture, { stallBeforeHeaders: true });
      const disconnected = server.whenClientDisconnects();
      const running = collect(manualStream(timers));
      // The state meant: the server holds the request and has not answered.
      while (server.requests.length === 0) await new Promise(resolve => setTimeout(resolve, 2));
      await timers.untilPending(manual.connectMs);
      timers.advance(manual.connectMs);
      const outcome = await running;
      const error = assertProviderError(outcome, 'timeout');
      assert.equal(error.code, 'connect-timeout');
      assert.equal(error.retryable, true);
      await disconnected;
    });

    it('headers but no text → timeout (first token) when the first-token limit passes', async function () {
      const timers = new ManualTimers();
      server.replay('POST', family.path, fixture, { stallAfterBytes: afterEvents(fixture.body as string, family.eventsBeforeContent) });
      const running = collect(manualStream(timers));
      await timers.untilPending(manual.firstTokenMs);
      assert.equal(timers.hasPending(manual.connectMs), false, 'the connect limit ended with the headers');
      timers.advance(manual.firstTokenMs);
      const outcome = await running;
      const error = assertProviderError(outcome, 'timeout');
      assert.equal(error.code, 'first-token-timeout');
      assert.equal(outcome.parts.filter(part => part.type === 'text-delta').length, 0);
    });

    it('text then silence → timeout (idle) when the idle limit passes, after delivering the text', async function () {
      const timers = new ManualTimers();
      server.replay('POST', family.path, fixture, { stallAfterBytes: afterEvents(fixture.body as string, family.eventsThroughFirstContent) });
      const disconnected = server.whenClientDisconnects();
      const running = collect(manualStream(timers));
      await timers.untilPending(manual.idleMs);
      timers.advance(manual.idleMs);
      const outcome = await running;
      const error = assertProviderError(outcome, 'timeout');
      assert.equal(error.code, 'idle-timeout');
      assert.ok(summarize(outcome.parts).text.length > 0);
      await disconnected;
    });

    /**
     * Serves `head` whole, then each of `pieces` in its own write; after each write (once the guard
     * re-armed) time moves 1 ms short of the idle limit. Returns how many writes armed nothing.
     */
    function serveWithTimePassing(timers: ManualTimers, head: Buffer, pieces: Buffer[], tail: Buffer = Buffer.alloc(0)): { missed: () => number } {
      let missed = 0;
      server.route('POST', family.path, async (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.write(head);
        await timers.untilPending(manual.idleMs);
        for (const piece of pieces) {
          const armed = timers.nextArm();
          response.write(piece);
          if (!(await armed)) missed++;
          timers.advance(manual.idleMs - 1);
        }
        response.end(tail);
      });
      return { missed: () => missed };
    }

    it('a slow drip that keeps arriving is not a timeout: the idle limit is per event, not per answer', async function () {
      // One event per write; between two events almost the whole idle limit passes, so the answer
      // lasts many idle limits in total.
      const timers = new ManualTimers();
      const drip = loadFixture(family.dripFixture);
      const body = Buffer.from(drip.body as string);
      const text = drip.body as string;
      const eventCount = text.split(/\r?\n\r?\n/).filter(block => block.trim()).length;
      const firstContent = afterEvents(text, family.eventsThroughFirstContent);
      const offsets = Array.from({ length: eventCount }, (_unused, index) => afterEvents(text, index + 1)).filter(offset => offset > firstContent);
      const pieces = offsets.map((offset, index) => body.subarray(index === 0 ? firstContent : offsets[index - 1], offset));
      const served = serveWithTimePassing(timers, body.subarray(0, firstContent), pieces, body.subarray(offsets[offsets.length - 1] ?? firstContent));
      const outcome = await collect(manualStream(timers));
      assert.equal(outcome.error, undefined, outcome.error?.message);
      assert.equal(outcome.parts[outcome.parts.length - 1]?.type, 'finish');
      assert.equal(served.missed(), 0, 'every event restarted the idle limit');
      assert.ok(timers.now > 3 * manual.idleMs, `the answer outlasted the idle limit (${timers.now} virtual ms)`);
    });

    it('keep-alive comments during a pause keep a living stream open past the idle limit', async function () {
      const timers = new ManualTimers();
      const bytes = Buffer.from(fixture.body as string);
      const cut = afterEvents(fixture.body as string, family.eventsThroughFirstContent);
      const beats = Array.from({ length: 6 }, () => Buffer.from(': keep-alive\n\n'));
      const served = serveWithTimePassing(timers, bytes.subarray(0, cut), beats, bytes.subarray(cut));
      const outcome = await collect(manualStream(timers));
      assert.equal(outcome.error, undefined, outcome.error?.message);
      assert.equal(outcome.parts[outcome.parts.length - 1]?.type, 'finish');
      assert.equal(served.missed(), 0, 'every keep-alive restarted the idle limit');
      assert.ok(timers.now >= 6 * (manual.idleMs - 1));
    });

    it('caller abort mid-stream → aborted at once, not retryable, and the HTTP request is closed', async function () {
      server.replay('POST', family.path, fixture, { stallAfterBytes: afterEvents(fixture.body as string, family.eventsThroughFirstContent) });
      const controller = new AbortController();
      const disconnected = server.whenClientDisconnects();
      const parts: ChatStreamPart[] = [];
      let abortedAt = 0;
      let failure: unknown;
      try {
        for await (const part of stream({ connectMs: 5000, firstTokenMs: 5000, idleMs: 5000 }, controller.signal)) {
          parts.push(part);
          if (part.type === 'text-delta' && !abortedAt) {
            abortedAt = performance.now();
            setTimeout(() => controller.abort(), 20);
          }
        }
      } catch (error) {
        failure = error;
      }
      const elapsed = performance.now() - abortedAt;
      const error = assertProviderError({ parts, error: failure as never, foreign: undefined }, 'aborted');
      assert.equal(error.retryable, false);
      assert.ok(elapsed < 1000, `abort took ${elapsed} ms`);
      await disconnected;
    });

    it('caller abort while waiting for headers → aborted promptly', async function () {
      server.replay('POST', family.path, fixture, { stallBeforeHeaders: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const { value: outcome, elapsed } = await timed(collect(stream({ connectMs: 5000 }, controller.signal)));
      assertProviderError(outcome, 'aborted');
      assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    });

    it('an already-aborted signal → aborted without a request', async function () {
      const controller = new AbortController();
      controller.abort();
      const outcome = await collect(stream(fast, controller.signal));
      assertProviderError(outcome, 'aborted');
      assert.equal(server.requests.length, 0);
    });

    it('breaking out of the loop closes the HTTP request', async function () {
      server.replay('POST', family.path, fixture, { stallAfterBytes: afterEvents(fixture.body as string, family.eventsThroughFirstContent) });
      const disconnected = server.whenClientDisconnects();
      for await (const part of stream({ connectMs: 5000, firstTokenMs: 5000, idleMs: 5000 })) {
        if (part.type === 'text-delta') break;
      }
      await disconnected;
    });

    it('the socket dropped mid-stream → network error after the text so far', async function () {
      server.replay('POST', family.path, fixture, { closeAfterBytes: afterEvents(fixture.body as string, family.eventsThroughFirstContent) + 7 });
      const outcome = await collect(stream({ connectMs: 2000, firstTokenMs: 2000, idleMs: 2000 }));
      const error = assertProviderError(outcome, 'network');
      assert.equal(error.retryable, true);
      assert.ok(summarize(outcome.parts).text.length > 0);
    });

    it('a malformed JSON chunk → server error (not retryable), no crash', async function () {
      server.replay('POST', family.path, fixture, { body: family.malformed });
      const outcome = await collect(stream({ connectMs: 2000, firstTokenMs: 2000, idleMs: 2000 }));
      const error = assertProviderError(outcome, 'server');
      assert.equal(error.retryable, false);
      assert.match(error.message, /malformed/i);
    });

    it('uses the fetch given in the options instead of the global one', async function () {
      server.replay('POST', family.path, fixture);
      const seen: string[] = [];
      const countingFetch: typeof fetch = (input, init) => {
        seen.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        return fetch(input, init);
      };
      const outcome = await collect(providerFor(server, family.descriptor, { fetch: countingFetch }).streamChat(request(), testKey, new AbortController().signal));
      assert.equal(outcome.error, undefined, outcome.error?.message);
      assert.equal(seen.length, 1);
      assert.ok(seen[0]?.startsWith(server.url));
    });

    it('connection refused → network, naming the host', async function () {
      const closed = new FakeProviderServer();
      await closed.start();
      const url = closed.url;
      await closed.stop();
      const provider = createProvider(family.descriptor, { baseUrl: url, timeouts: { connectMs: 2000 } });
      const outcome = await collect(provider.streamChat(request(), testKey, new AbortController().signal));
      const error = assertProviderError(outcome, 'network');
      assert.match(error.message, /127\.0\.0\.1/);
      assert.match(error.message, /refused/);
      const verified = await provider.verify(testKey);
      assert.equal(verified.ok, false);
      assert.equal(verified.error?.kind, 'network');
    });
  });
}

describe('stream guards: HTML instead of an event stream', function () {
  const server = new FakeProviderServer();
  before(() => server.start());
  after(() => server.stop());

  it('a 200 HTML page (captive portal, wrong base URL) is a bad-request, not an empty answer', async function () {
    server.replay('POST', '/v1/chat/completions', loadFixture('perplexity/error-401-html-openresty.json'), { status: 200 });
    const outcome = await collect(providerFor(server, builtIn('openai')).streamChat(chatRequest(), testKey, new AbortController().signal));
    assertProviderError(outcome, 'bad-request');
  });
});

// Faults inside a 200 answer, for each SDK family through the real adapter: the socket dropped
// mid-stream, stalls before and after the headers, a slow drip, a broken chunk, an error event, and
// text whose bytes are split or invalid. Each ends in the right ProviderError with the text seen so
// far, or in exactly the right answer; none hangs.
import assert from 'node:assert/strict';
import { loadFixture, type ProviderFixture } from '../../fakes/fakeProviderServer';
import { ManualTimers } from '../../fakes/manualTimers';
import type { ChatStreamPart } from '../../../src/providers/types';
import { collect, summarize } from '../providers/providerTestSupport';
import {
  afterFirstDelta, asStreamOutcome, assertFault, collectRouter, expectDisconnect, faultKey, faultProvider, faultRequest, families,
  pause, relaxedTimeouts, routerFor, scriptRoute, streamHeaders, textOf, timed, useFaultServer, waitUntil, watchUnhandledRejections,
} from './faultSupport';

describe('faults: inside the stream', function () {
  this.timeout(5000);
  watchUnhandledRejections();
  const server = useFaultServer();

  for (const family of families) {
    describe(family.name, function () {
      let fixture: ProviderFixture;
      before(function () {
        fixture = loadFixture(family.fixture);
      });
      const stream = (timeouts = relaxedTimeouts, signal = new AbortController().signal) =>
        faultProvider(server, family, { timeouts }).streamChat(faultRequest(family), faultKey, signal);

      it('the recorded answer arrives whole (baseline for the faults below)', async function () {
        this.timeout(2000);
        server.replay('POST', family.path, fixture);
        const outcome = await collect(stream());
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(textOf(outcome.parts), family.fixtureText);
      });

      describe('socket closed mid-stream', function () {
        const deltas = ['First words', ' then more', ' and the end'];
        const body = family.stream(deltas);
        const firstDelta = afterFirstDelta(family, body);
        const cuts: { name: string; offset: number }[] = [
          { name: 'between two events', offset: firstDelta },
          { name: 'inside the JSON of the second delta', offset: firstDelta + 20 },
          { name: 'inside the first line of the next event', offset: firstDelta + 2 },
        ];
        for (const cut of cuts) {
          it(`closed ${cut.name} → network error, the first delta kept, no finish`, async function () {
            this.timeout(3000);
            server.replay('POST', family.path, fixture, { body, headers: streamHeaders, closeAfterBytes: cut.offset });
            const { value: outcome } = await timed(collect(stream(relaxedTimeouts)), 2500, 'mid-stream close');
            const error = assertFault(outcome, 'network');
            assert.equal(error.retryable, true);
            assert.match(error.message, /closed|terminated|reset|connection failed/i);
            assert.equal(textOf(outcome.parts), 'First words');
            assert.ok(!outcome.parts.some(part => part.type === 'finish'), 'a cut answer must not look finished');
          });
        }

        it('closed after the first token, through the router → not retried (the user already saw text)', async function () {
          this.timeout(3000);
          scriptRoute(server, family, [(_request, response) => {
            response.writeHead(200, streamHeaders);
            response.write(Buffer.from(body).subarray(0, firstDelta));
            setTimeout(() => response.socket?.destroy(), 20);
          }, { status: 200, headers: streamHeaders, body }]);
          const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
          const outcome = await collectRouter(harness.router.turn({ feature: 'chat', messages: [{ role: 'user', content: 'Hello' }] }, new AbortController().signal).parts);
          assertFault(asStreamOutcome(outcome), 'network');
          assert.equal(textOf(asStreamOutcome(outcome).parts), 'First words');
          assert.equal(server.requests.length, 1, 'never replay a stream the user already saw');
          assert.deepEqual(harness.sleeps, []);
        });
      });

      // The three limits below run on manual timers: the test waits for the state it means (a timer of
      // that limit armed) and then moves time, so a slow machine cannot fire a limit early or late.
      // Distinct lengths tell the limits apart. The real clock is covered once, after this loop.
      const manualLimits = { connectMs: 1000, firstTokenMs: 2000, idleMs: 300 };

      it('stall after some text (stallAfterBytes) → timeout (idle) exactly when the idle limit passes, text kept, connection closed', async function () {
        const timers = new ManualTimers();
        const body = family.stream(['Some text', ' that never ends']);
        server.replay('POST', family.path, fixture, { body, headers: streamHeaders, stallAfterBytes: afterFirstDelta(family, body) });
        const disconnected = server.whenClientDisconnects();
        const parts: ChatStreamPart[] = [];
        const running = collect((async function* () {
          for await (const part of faultProvider(server, family, { timeouts: manualLimits, timers }).streamChat(faultRequest(family), faultKey, new AbortController().signal)) {
            parts.push(part);
            yield part;
          }
        })());
        // The idle limit is armed once the first text arrived and the adapter waits for more.
        await timers.untilPending(manualLimits.idleMs);
        assert.equal(textOf(parts), 'Some text');
        timers.advance(manualLimits.idleMs - 1);
        await pause(20);
        assert.equal(timers.hasPending(manualLimits.idleMs), true, 'not yet: 1 ms is left');
        timers.advance(1);
        const { value: outcome } = await timed(running, 2000, 'idle stall');
        const error = assertFault(outcome, 'timeout');
        assert.equal(error.code, 'idle-timeout');
        assert.match(error.message, /300 ms/);
        assert.match(error.message, /idle/);
        assert.equal(textOf(outcome.parts), 'Some text');
        await expectDisconnect(disconnected);
      });

      it('stall before the headers (stallBeforeHeaders) → timeout (connect) exactly when the connect limit passes', async function () {
        const timers = new ManualTimers();
        server.replay('POST', family.path, fixture, { stallBeforeHeaders: true });
        const disconnected = server.whenClientDisconnects();
        const running = collect(faultProvider(server, family, { timeouts: manualLimits, timers }).streamChat(faultRequest(family), faultKey, new AbortController().signal));
        await waitUntil(() => server.requests.length > 0, 2000);
        await timers.untilPending(manualLimits.connectMs);
        timers.advance(manualLimits.connectMs);
        const { value: outcome } = await timed(running, 2000, 'connect stall');
        const error = assertFault(outcome, 'timeout');
        assert.equal(error.code, 'connect-timeout');
        assert.match(error.message, /connect timeout/);
        assert.match(error.message, /1 s/);
        assert.deepEqual(outcome.parts, []);
        await expectDisconnect(disconnected);
      });

      it('slow drip (one byte per write, far longer in virtual time than the idle limit) → the exact answer, no timeout', async function () {
        this.timeout(8000);
        // Generated and short (under 1 KB). After the first text, time moves 1 ms short of the idle
        // limit after every byte, so only a limit reset by every byte (not every event) lets the answer
        // through; the multi-byte characters are split by the drip too.
        const timers = new ManualTimers();
        const deltas = ['Drip', ' by drip: 5 €', ` ${'a long delta that takes longer to arrive than the idle limit '.repeat(2)}`, ' 🎉', ' done.'];
        const body = Buffer.from(family.prologue + deltas.map(family.deltaEvent).join('') + family.epilogue);
        const firstText = afterFirstDelta(family, body.toString());
        let missedResets = 0;
        server.route('POST', family.path, async (_request, response) => {
          response.writeHead(200, streamHeaders);
          response.write(body.subarray(0, firstText));
          await timers.untilPending(manualLimits.idleMs);
          for (let offset = firstText; offset < body.length; offset++) {
            const armed = timers.nextArm();
            response.write(body.subarray(offset, offset + 1));
            if (!(await armed)) missedResets++;
            timers.advance(manualLimits.idleMs - 1);
          }
          response.end();
        });
        const { value: outcome } = await timed(collect(faultProvider(server, family, { timeouts: manualLimits, timers }).streamChat(faultRequest(family), faultKey, new AbortController().signal)), 7500, 'slow drip');
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(outcome.foreign, undefined);
        assert.equal(textOf(outcome.parts), deltas.join(''));
        assert.equal(summarize(outcome.parts).finish?.unified, 'stop');
        assert.equal(missedResets, 0, 'every byte restarted the idle limit');
        assert.ok(timers.now > 100 * manualLimits.idleMs, `the drip lasted ${timers.now} virtual ms, many idle limits`);
      });

      it('a malformed JSON chunk between good ones → server error "malformed", text before it kept, nothing after it', async function () {
        this.timeout(3000);
        const body = family.prologue + family.deltaEvent('Kept') + family.deltaEvent(' text') + family.malformedEvent + family.deltaEvent(' never shown') + family.epilogue;
        for (const options of [{}, { splitAt: [Buffer.byteLength(body) - Buffer.byteLength(family.malformedEvent + family.deltaEvent(' never shown') + family.epilogue) + 5], delayMs: 5 }]) {
          server.reset();
          server.replay('POST', family.path, fixture, { body, headers: streamHeaders, ...options });
          const { value: outcome } = await timed(collect(stream(relaxedTimeouts)), 2500, 'malformed chunk');
          const error = assertFault(outcome, 'server');
          assert.equal(error.retryable, false);
          assert.match(error.message, /malformed/i);
          assert.equal(textOf(outcome.parts), 'Kept text');
        }
      });

      for (const streamError of family.streamErrors) {
        it(`an error event inside a 200 stream → ${streamError.kind}, text before it kept`, async function () {
          this.timeout(3000);
          const body = family.prologue + family.deltaEvent('Partial') + streamError.event + family.deltaEvent(' never shown') + family.epilogue;
          server.replay('POST', family.path, fixture, { body, headers: streamHeaders });
          const { value: outcome } = await timed(collect(stream(relaxedTimeouts)), 2500, 'error event');
          const error = assertFault(outcome, streamError.kind);
          assert.match(error.message, streamError.message);
          assert.equal(textOf(outcome.parts), 'Partial');
          assert.ok(!outcome.parts.some(part => part.type === 'finish'));
        });
      }

      it('an error event before any text, through the router → retried (nothing was shown yet), then the answer', async function () {
        this.timeout(3000);
        const retryable = family.streamErrors[0]!;
        scriptRoute(server, family, [
          { status: 200, headers: streamHeaders, body: family.prologue + retryable.event },
          { status: 200, headers: streamHeaders, body: family.stream(['Second', ' try']) },
        ]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', messages: [{ role: 'user', content: 'Hello' }] }, new AbortController().signal).parts);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(textOf(asStreamOutcome(outcome).parts), 'Second try');
        assert.equal(server.requests.length, 2);
        assert.deepEqual(harness.sleeps, [375]);
      });

      it('an error event after the first token, through the router → that error, never a retry', async function () {
        this.timeout(3000);
        const retryable = family.streamErrors[0]!;
        scriptRoute(server, family, [
          { status: 200, headers: streamHeaders, body: family.prologue + family.deltaEvent('Shown') + retryable.event },
          { status: 200, headers: streamHeaders, body: family.stream(['Replayed']) },
        ]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', messages: [{ role: 'user', content: 'Hello' }] }, new AbortController().signal).parts);
        const error = assertFault(asStreamOutcome(outcome), retryable.kind);
        assert.equal(error.retryable, true, 'retryable in itself: only the shown text forbids the retry');
        assert.equal(textOf(asStreamOutcome(outcome).parts), 'Shown');
        assert.equal(server.requests.length, 1);
        assert.deepEqual(harness.sleeps, []);
      });

      it('a server that echoes the key it received (error body and in-stream error) → the key appears nowhere', async function () {
        this.timeout(3000);
        const echoed = (headers: Record<string, string | string[] | undefined>) =>
          ['authorization', 'x-api-key', 'x-goog-api-key'].map(name => `${name}=${String(headers[name] ?? '')}`).join(' ');
        let sawKey = 0;
        scriptRoute(server, family, [
          (request, response) => {
            if (echoed(request.headers).includes(faultKey)) sawKey++;
            const wire = family.httpError(401, `Invalid credentials: ${echoed(request.headers)}`, { type: family.name === 'anthropic' ? 'authentication_error' : 'invalid_api_key' });
            response.writeHead(wire.status, wire.headers);
            response.end(wire.body);
          },
          (request, response) => {
            if (echoed(request.headers).includes(faultKey)) sawKey++;
            response.writeHead(200, streamHeaders);
            response.end(family.prologue + family.deltaEvent('Hi') + family.streamErrors[0]!.event.replace(/Overloaded|The server had|The model is/, match => `${match} (${echoed(request.headers)})`));
          },
        ]);
        const auth = await collect(stream(relaxedTimeouts));
        assertFault(auth, 'auth');
        const midStream = await collect(stream(relaxedTimeouts));
        assertFault(midStream, family.streamErrors[0]!.kind);
        assert.equal(sawKey, 2, 'the fake really had the key to echo');
      });

      describe('UTF-8', function () {
        const deltas = ['Price: 5 €', ' — party 🎉!', ' Ünïcödé'];
        const body = family.stream(deltas);
        const bytes = Buffer.from(body);

        it('multi-byte characters split across writes (inside € and inside 🎉) → decoded exactly', async function () {
          this.timeout(3000);
          const euro = bytes.indexOf(Buffer.from('€'));
          const party = bytes.indexOf(Buffer.from('🎉'));
          assert.ok(euro > 0 && party > euro);
          const splitAt = [euro + 1, euro + 2, party + 1, party + 2, party + 3];
          server.replay('POST', family.path, fixture, { body, headers: streamHeaders, splitAt, delayMs: 5 });
          const outcome = await collect(stream(relaxedTimeouts));
          assert.equal(outcome.error, undefined, outcome.error?.message);
          assert.equal(textOf(outcome.parts), deltas.join(''));
        });

        const invalid: { name: string; bytes: number[]; splitAfter: number; expected: string }[] = [
          // 0xC3 starts a two-byte sequence; '(' cannot continue it: one U+FFFD, then '('.
          { name: '0xC3 0x28', bytes: [0xc3, 0x28], splitAfter: 1, expected: 'a\uFFFD(b' },
          // A three-byte sequence cut short, split across writes: one U+FFFD for the maximal subpart.
          { name: '0xE2 0x82 0x28, split after 0x82', bytes: [0xe2, 0x82, 0x28], splitAfter: 2, expected: 'a\uFFFD(b' },
          // A lone continuation byte and an overlong encoding.
          { name: '0x80 and 0xC0 0xAF', bytes: [0x80, 0xc0, 0xaf], splitAfter: 1, expected: 'a\uFFFD\uFFFD\uFFFDb' },
        ];
        for (const testCase of invalid) {
          it(`invalid bytes (${testCase.name}) → U+FFFD in the text, no crash, the answer finishes`, async function () {
            this.timeout(3000);
            const marker = 'INVALID_BYTES_HERE';
            const template = Buffer.from(family.stream([`a${marker}b`]));
            const at = template.indexOf(marker);
            const wire = Buffer.concat([template.subarray(0, at), Buffer.from(testCase.bytes), template.subarray(at + marker.length)]);
            const cut = at + testCase.splitAfter;
            server.route('POST', family.path, async (_request, response) => {
              response.writeHead(200, streamHeaders);
              response.write(wire.subarray(0, cut));
              await new Promise(resolve => setTimeout(resolve, 5));
              response.end(wire.subarray(cut));
            });
            const outcome = await collect(stream(relaxedTimeouts));
            assert.equal(outcome.error, undefined, outcome.error?.message);
            assert.equal(outcome.foreign, undefined);
            assert.equal(textOf(outcome.parts), testCase.expected);
            assert.equal(summarize(outcome.parts).finish?.unified, 'stop');
          });
        }
      });
    });
  }

  describe('on the real clock (generous margins)', function () {
    const family = families[0]!;
    it(`${family.name}: a stall before the headers ends as a connect timeout after the real 300 ms, not before, and the connection closes`, async function () {
      this.timeout(6000);
      server.replay('POST', family.path, loadFixture(family.fixture), { stallBeforeHeaders: true });
      const disconnected = server.whenClientDisconnects();
      const { value: outcome, elapsed } = await timed(collect(faultProvider(server, family, { timeouts: { connectMs: 300, firstTokenMs: 10_000, idleMs: 10_000 } }).streamChat(faultRequest(family), faultKey, new AbortController().signal)), 5000, 'connect stall');
      const error = assertFault(outcome, 'timeout');
      assert.equal(error.code, 'connect-timeout');
      assert.match(error.message, /300 ms/);
      // Never early; late only by what a loaded machine adds (the upper bound only catches a hang).
      assert.ok(elapsed >= 290 && elapsed < 4000, `the connect limit is 300 ms, the request ended after ${Math.round(elapsed)} ms`);
      await expectDisconnect(disconnected, 2000);
    });
  });
});

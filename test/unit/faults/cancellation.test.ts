// Cancelling in each phase of a request, for each SDK family: before anything is sent, while waiting
// for the headers, in the middle of the answer, and while the router waits to retry (with its real
// sleep). Each ends promptly as `aborted`, closes the connection, and sends nothing more.
import assert from 'node:assert/strict';
import type { RouterOutput } from '../../../src/router';
import type { ChatStreamPart } from '../../../src/providers/types';
import { isProviderError, type ProviderError } from '../../../src/providers/errors';
import { loadFixture } from '../../fakes/fakeProviderServer';
import { collect } from '../providers/providerTestSupport';
import {
  afterFirstDelta, asStreamOutcome, assertFault, collectRouter, expectDisconnect, faultKey, faultProvider, faultRequest, families, pause,
  relaxedTimeouts, routerFor, scriptRoute, streamHeaders, textOf, timed, useFaultServer, waitUntil, watchUnhandledRejections,
} from './faultSupport';

const ask = { messages: [{ role: 'user' as const, content: 'Hello' }] };

describe('faults: cancellation in every phase', function () {
  this.timeout(5000);
  watchUnhandledRejections();
  const server = useFaultServer();

  for (const family of families) {
    describe(family.name, function () {
      this.timeout(3000);
      const fixture = () => loadFixture(family.fixture);
      const body = family.stream(['Before the stop', ' after the stop']);

      it('already aborted before the request → aborted, the server gets no request (adapter and router)', async function () {
        server.replay('POST', family.path, fixture());
        const controller = new AbortController();
        controller.abort();
        const direct = await collect(faultProvider(server, family).streamChat(faultRequest(family), faultKey, controller.signal));
        assert.equal(assertFault(direct, 'aborted').retryable, false);
        const routed = await collectRouter(routerFor(server, family).router.turn({ feature: 'chat', ...ask }, controller.signal).parts);
        assertFault(asStreamOutcome(routed), 'aborted');
        assert.ok(!routed.outputs.some(output => output.type === 'attempt' || output.type === 'retry-scheduled'));
        await pause(20);
        assert.equal(server.requests.length, 0);
      });

      it('while waiting for the headers → aborted promptly (well before any time-out), and the server sees the client leave', async function () {
        server.replay('POST', family.path, fixture(), { stallBeforeHeaders: true });
        const controller = new AbortController();
        const disconnected = server.whenClientDisconnects();
        let abortedAt = 0;
        // Abort only once the server holds the request, so the abort really lands while the headers are awaited.
        void waitUntil(() => server.requests.length > 0, 1500).then(() => setTimeout(() => {
          abortedAt = performance.now();
          controller.abort();
        }, 50), () => undefined);
        const { value: outcome } = await timed(collect(faultProvider(server, family, { timeouts: relaxedTimeouts }).streamChat(faultRequest(family), faultKey, controller.signal)), 2000, 'abort while waiting for headers');
        const sinceAbort = performance.now() - abortedAt;
        assertFault(outcome, 'aborted');
        assert.ok(abortedAt > 0, 'the request ended before the abort was even sent');
        assert.ok(sinceAbort < 1000, `aborted ${Math.round(sinceAbort)} ms after the abort`);
        assert.equal(server.requests.length, 1);
        await expectDisconnect(disconnected);
      });

      it('mid-stream, after the first delta → aborted at once, the text so far kept, connection closed', async function () {
        server.replay('POST', family.path, fixture(), { body, headers: streamHeaders, stallAfterBytes: afterFirstDelta(family, body) });
        const controller = new AbortController();
        const disconnected = server.whenClientDisconnects();
        const parts: ChatStreamPart[] = [];
        let abortedAt = 0;
        let failure: unknown;
        const run = async () => {
          try {
            for await (const part of faultProvider(server, family, { timeouts: relaxedTimeouts }).streamChat(faultRequest(family), faultKey, controller.signal)) {
              parts.push(part);
              if (part.type === 'text-delta' && !abortedAt) {
                // Abort from outside the loop, while the adapter is waiting on the stalled socket.
                setTimeout(() => {
                  abortedAt = performance.now();
                  controller.abort();
                }, 30);
              }
            }
          } catch (error) {
            failure = error;
          }
        };
        await timed(run(), 2000, 'abort mid-stream');
        const sinceAbort = performance.now() - abortedAt;
        assert.ok(isProviderError(failure), `expected a ProviderError, got ${String(failure)}`);
        assertFault({ parts, error: failure, foreign: undefined }, 'aborted');
        assert.equal(textOf(parts), 'Before the stop');
        assert.ok(sinceAbort < 1000, `aborted ${Math.round(sinceAbort)} ms after the abort`);
        await expectDisconnect(disconnected);
      });

      it('mid-stream through the router → aborted, no retry, connection closed', async function () {
        scriptRoute(server, family, [(_request, response) => {
          response.writeHead(200, streamHeaders);
          response.write(Buffer.from(body).subarray(0, afterFirstDelta(family, body)));
        }]);
        const controller = new AbortController();
        const disconnected = server.whenClientDisconnects();
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
        const { value: outcome } = await timed(
          collectRouter(harness.router.turn({ feature: 'chat', ...ask }, controller.signal).parts, output => {
            if (output.type === 'text-delta') setTimeout(() => controller.abort(), 20);
          }),
          2000,
          'abort mid-stream through the router',
        );
        assertFault(asStreamOutcome(outcome), 'aborted');
        assert.equal(textOf(asStreamOutcome(outcome).parts), 'Before the stop');
        await expectDisconnect(disconnected);
        assert.equal(server.requests.length, 1);
        assert.deepEqual(harness.sleeps, []);
      });

      it('during the router\'s retry wait (real sleep, retry-after: 2) → aborted promptly (not after the 2 s wait), no second request', async function () {
        scriptRoute(server, family, [family.httpError(429, 'Too many requests right now.', { headers: { 'retry-after': '2' } }), { status: 200, headers: streamHeaders, body }]);
        const controller = new AbortController();
        const harness = routerFor(server, family, { realSleep: true, timeouts: relaxedTimeouts });
        let abortedAt = 0;
        let scheduled: Extract<RouterOutput, { type: 'retry-scheduled' }> | undefined;
        const { value: outcome } = await timed(
          collectRouter(harness.router.turn({ feature: 'chat', ...ask }, controller.signal).parts, output => {
            if (output.type !== 'retry-scheduled') return;
            scheduled = output;
            setTimeout(() => {
              abortedAt = performance.now();
              controller.abort();
            }, 100);
          }),
          1500,
          'abort during the retry wait',
        );
        const sinceAbort = performance.now() - abortedAt;
        assert.equal(scheduled?.delayMs, 2000, 'the router was waiting the 2 s the server asked for');
        const error: ProviderError = assertFault(asStreamOutcome(outcome), 'aborted');
        assert.equal(error.retryable, false);
        assert.equal(error.providerId, family.descriptor.id, 'the error names the provider the user was talking to');
        assert.ok(abortedAt > 0 && sinceAbort < 1000, `aborted ${Math.round(sinceAbort)} ms after the abort`);
        await pause(150);
        assert.equal(server.requests.length, 1, 'no second request after the abort');
      });
    });
  }
});

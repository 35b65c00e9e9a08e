// Rate limits, quotas and error storms, for each SDK family through the real Router over the real
// adapter and the fake server. The router's sleep only records the delay, so the exact waits are
// asserted without spending them; the server's request log proves how many attempts were made.
import assert from 'node:assert/strict';
import type { RouterOutput } from '../../../src/router';
import { useFakeProviderServer } from '../providers/providerTestSupport';
import {
  asStreamOutcome, assertFault, collectRouter, families, pause, relaxedTimeouts, routerFor, scriptRoute, streamResponse, textOf,
  watchUnhandledRejections, type FaultFamily, type WireResponse,
} from './faultSupport';

const ask = { messages: [{ role: 'user' as const, content: 'Hello' }] };

/** The family's own way of saying "retry after this long", and the wait it means. */
function nativeRetryHint(family: FaultFamily): { response: WireResponse; delayMs: number; via: string } {
  switch (family.name) {
    case 'openai':
      // The OpenAI SDK documents retry-after-ms next to retry-after.
      return { response: family.httpError(429, 'Rate limit reached for requests.', { headers: { 'retry-after-ms': '1500' } }), delayMs: 1500, via: 'retry-after-ms: 1500' };
    case 'anthropic':
      return { response: family.httpError(429, 'This request would exceed your account\'s rate limit. Please try again later.', { headers: { 'retry-after': '3', 'x-should-retry': 'true' } }), delayMs: 3000, via: 'retry-after: 3' };
    case 'gemini':
      return {
        response: {
          status: 429,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            error: {
              code: 429, message: 'You exceeded your current quota, please check your plan and billing details.', status: 'RESOURCE_EXHAUSTED',
              details: [
                { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
                { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2.5s' },
              ],
            },
          }),
        },
        delayMs: 2500,
        via: 'RetryInfo.retryDelay 2.5s',
      };
  }
}

/** Statuses a storm cycles through, each with the kind it must become. */
const storms: Record<FaultFamily['name'], { status: number; kind: 'server' | 'overloaded' }[]> = {
  openai: [{ status: 500, kind: 'server' }, { status: 502, kind: 'server' }, { status: 503, kind: 'overloaded' }],
  anthropic: [{ status: 529, kind: 'overloaded' }, { status: 500, kind: 'server' }, { status: 503, kind: 'overloaded' }],
  gemini: [{ status: 503, kind: 'overloaded' }, { status: 500, kind: 'server' }, { status: 502, kind: 'server' }],
};

function stormResponse(family: FaultFamily, status: number, attempt: number): WireResponse {
  // A proxy in front of the provider answers a 502 with its own HTML page.
  if (status === 502) return { status, headers: { 'content-type': 'text/html' }, body: `<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>attempt ${attempt}</center></body></html>` };
  return family.httpError(status, `Storm failure number ${attempt} (HTTP ${status}), please retry.`);
}

const retries = (outputs: RouterOutput[]) => outputs.filter((output): output is Extract<RouterOutput, { type: 'retry-scheduled' }> => output.type === 'retry-scheduled');

describe('faults: rate limits, quotas and error storms through the router', function () {
  this.timeout(5000);
  watchUnhandledRejections();
  const server = useFakeProviderServer();

  for (const family of families) {
    describe(family.name, function () {
      this.timeout(3000);
      const answer = streamResponse(family, ['Answer', ' after', ' the wait']);

      it('429 with retry-after: 2 → one retry after exactly 2000 ms, then the answer', async function () {
        scriptRoute(server, family, [family.httpError(429, 'Too many requests right now.', { headers: { 'retry-after': '2' } }), answer]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(textOf(asStreamOutcome(outcome).parts), 'Answer after the wait');
        assert.deepEqual(harness.sleeps, [2000]);
        assert.equal(server.requests.length, 2);
        const [scheduled] = retries(outcome.outputs);
        assert.equal(scheduled?.error.kind, 'rate-limit');
        assert.equal(scheduled?.error.retryAfterMs, 2000);
        assert.equal(scheduled?.delayMs, 2000);
      });

      const native = nativeRetryHint(family);
      it(`429 with the family's own hint (${native.via}) → one retry after exactly ${native.delayMs} ms`, async function () {
        scriptRoute(server, family, [native.response, answer]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.deepEqual(harness.sleeps, [native.delayMs]);
        assert.equal(server.requests.length, 2);
      });

      it('429 without any retry hint → capped exponential backoff (375, 750 ms with jitter 0.5), then the answer', async function () {
        const bare = family.httpError(429, 'Too many requests.');
        scriptRoute(server, family, [bare, bare, answer]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts, policy: { maxAttempts: 3 } });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
        assert.equal(outcome.error, undefined, outcome.error?.message);
        assert.equal(textOf(asStreamOutcome(outcome).parts), 'Answer after the wait');
        assert.deepEqual(harness.sleeps, [375, 750]);
        assert.equal(server.requests.length, 3);
        assert.ok(retries(outcome.outputs).every(scheduled => scheduled.error.retryAfterMs === undefined));
      });

      it('429 with retry-after: 86400 (a day) → not retried, and the message says the wait is too long', async function () {
        scriptRoute(server, family, [family.httpError(429, 'Daily request limit reached.', { headers: { 'retry-after': '86400' } }), answer]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
        const error = assertFault(asStreamOutcome(outcome), 'rate-limit');
        assert.equal(error.retryable, false);
        // The provider layer passes the day through; the router owns the cap and the one sentence.
        assert.equal(error.retryAfterMs, 86_400_000);
        assert.match(error.message, /Daily request limit reached/);
        assert.match(error.message, /asked to wait 24 h, longer than BYOK AI waits automatically: 30 s\. Retry later or switch provider\./);
        assert.deepEqual(harness.sleeps, []);
        await pause(30);
        assert.equal(server.requests.length, 1);
      });

      it('429 with retry-after: 86400 and no retries left (maxAttempts 1) → still the one too-long message', async function () {
        scriptRoute(server, family, [family.httpError(429, 'Daily request limit reached.', { headers: { 'retry-after': '86400' } }), answer]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts, policy: { maxAttempts: 1 } });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
        const error = assertFault(asStreamOutcome(outcome), 'rate-limit');
        assert.equal(error.retryable, false);
        assert.match(error.message, /asked to wait 24 h, longer than BYOK AI waits automatically/);
        assert.equal(server.requests.length, 1);
      });

      it('429 with retry-after: 45 (above the router\'s 30 s limit) → not retried, the message names the wait', async function () {
        scriptRoute(server, family, [family.httpError(429, 'Too many requests right now.', { headers: { 'retry-after': '45' } }), answer]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts, policy: { maxRetryAfterMs: 30_000 } });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
        const error = assertFault(asStreamOutcome(outcome), 'rate-limit');
        assert.equal(error.retryable, false);
        assert.equal(error.providerId, family.descriptor.id);
        assert.match(error.message, /asked to wait 45 s, longer than BYOK AI waits automatically/);
        assert.deepEqual(harness.sleeps, []);
        assert.equal(server.requests.length, 1);
      });

      it(`429 for ${family.name === 'gemini' ? 'a per-day quota (QuotaFailure PerDay)' : family.name === 'anthropic' ? 'a spend/usage limit' : 'insufficient_quota'} → quota, exactly one request`, async function () {
        scriptRoute(server, family, [family.quotaError, answer]);
        const harness = routerFor(server, family, { timeouts: relaxedTimeouts });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
        const error = assertFault(asStreamOutcome(outcome), 'quota');
        assert.equal(error.retryable, false);
        assert.equal(error.status, 429);
        assert.match(error.message, /quota|usage limit/i);
        assert.deepEqual(harness.sleeps, []);
        await pause(30);
        assert.equal(server.requests.length, 1);
      });

      const storm = storms[family.name];
      const cases: { failures: number; maxAttempts: number }[] = [
        { failures: 1, maxAttempts: 3 },
        { failures: 2, maxAttempts: 3 },
        { failures: 3, maxAttempts: 3 },
        { failures: 6, maxAttempts: 3 },
        { failures: 4, maxAttempts: 5 },
      ];
      for (const { failures, maxAttempts } of cases) {
        const succeeds = failures < maxAttempts;
        const expectedRequests = Math.min(failures + 1, maxAttempts);
        it(`storm of ${failures} × ${storm.map(entry => entry.status).join('/')} with maxAttempts ${maxAttempts} → ${succeeds ? 'the answer' : 'the last error'} after exactly ${expectedRequests} requests`, async function () {
          const responses = Array.from({ length: failures }, (_unused, index) => stormResponse(family, storm[index % storm.length]!.status, index + 1));
          scriptRoute(server, family, [...responses, answer]);
          const harness = routerFor(server, family, { timeouts: relaxedTimeouts, policy: { maxAttempts } });
          const outcome = await collectRouter(harness.router.turn({ feature: 'chat', ...ask }, new AbortController().signal).parts);
          await pause(20);
          assert.equal(server.requests.length, expectedRequests);
          const expectedSleeps = [375, 750, 1500, 3000, 6000, 8000].slice(0, expectedRequests - 1);
          assert.deepEqual(harness.sleeps, expectedSleeps);
          assert.deepEqual(retries(outcome.outputs).map(scheduled => scheduled.error.status), responses.slice(0, expectedRequests - 1).map(response => response.status));
          if (succeeds) {
            assert.equal(outcome.error, undefined, outcome.error?.message);
            assert.equal(textOf(asStreamOutcome(outcome).parts), 'Answer after the wait');
          } else {
            const last = storm[(maxAttempts - 1) % storm.length]!;
            const error = assertFault(asStreamOutcome(outcome), last.kind);
            assert.equal(error.status, last.status, 'the error of the last attempt, not the first');
            if (last.status === 502) assert.match(error.message, /502 Bad Gateway/);
            else assert.match(error.message, new RegExp(`Storm failure number ${maxAttempts}\\b`));
            assert.equal(textOf(asStreamOutcome(outcome).parts), '');
          }
        });
      }
    });
  }
});

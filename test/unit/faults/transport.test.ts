// Faults below HTTP, for each SDK family through the real adapter: nothing listening on the port, a
// host name that never resolves, and TLS spoken to a plain-HTTP server. Each must end as a readable
// `network` error quickly, and through the router it is retried like any transient failure.
import assert from 'node:assert/strict';
import { createProvider } from '../../../src/providers/index';
import { networkErrorFrom } from '../../../src/providers/transportErrors';
import { FakeProviderServer } from '../../fakes/fakeProviderServer';
import { basePath, collect } from '../providers/providerTestSupport';
import {
  assertFault, collectRouter, asStreamOutcome, faultKey, faultRequest, families, relaxedTimeouts, routerFor, timed, useFaultServer, watchUnhandledRejections,
} from './faultSupport';

describe('faults: transport', function () {
  this.timeout(5000);
  watchUnhandledRejections();
  const server = useFaultServer();
  let closedUrl: string;

  before(async function () {
    const closed = await new FakeProviderServer().start();
    closedUrl = closed.url;
    await closed.stop();
  });

  for (const family of families) {
    describe(family.name, function () {
      it('connection refused (a port nobody listens on) → network, naming the host and the reason', async function () {
        this.timeout(3000);
        const provider = createProvider(family.descriptor, { baseUrl: closedUrl + basePath(family.descriptor), timeouts: relaxedTimeouts });
        const { value: outcome, elapsed } = await timed(collect(provider.streamChat(faultRequest(family), faultKey, new AbortController().signal)), 2500, 'refused connection');
        const error = assertFault(outcome, 'network');
        assert.equal(error.retryable, true);
        assert.match(error.message, /127\.0\.0\.1:\d+/);
        assert.match(error.message, /refused/);
        assert.deepEqual(outcome.parts, []);
        assert.ok(elapsed < 2000, `took ${Math.round(elapsed)} ms`);
      });

      it('connection refused through the router: retried up to maxAttempts, then the network error', async function () {
        this.timeout(3000);
        const harness = routerFor(server, family, { policy: { maxAttempts: 3 }, baseUrl: closedUrl + basePath(family.descriptor), timeouts: relaxedTimeouts });
        const outcome = await collectRouter(harness.router.turn({ feature: 'chat', messages: [{ role: 'user', content: 'Hello' }] }, new AbortController().signal).parts);
        assertFault(asStreamOutcome(outcome), 'network');
        assert.deepEqual(harness.sleeps, [375, 750], 'two backoff waits between three attempts');
        assert.equal(outcome.outputs.filter(output => output.type === 'attempt').length, 3);
      });

      it('DNS failure (http://nonexistent.invalid) → network "could not be resolved", without hanging', async function () {
        // `.invalid` is reserved never to resolve (RFC 2606). The connect limit bounds a resolver that never answers.
        this.timeout(6000);
        const provider = createProvider(family.descriptor, { baseUrl: `http://nonexistent.invalid${basePath(family.descriptor)}`, timeouts: { connectMs: 4000, firstTokenMs: 1000, idleMs: 1000 } });
        const { value: outcome } = await timed(collect(provider.streamChat(faultRequest(family), faultKey, new AbortController().signal)), 5000, 'DNS failure');
        assert.equal(outcome.foreign, undefined, String(outcome.foreign));
        // Without any resolver the lookup may only time out; either way it ends, and says where it tried to go.
        const error = outcome.error?.kind === 'timeout' ? assertFault(outcome, 'timeout') : assertFault(outcome, 'network');
        assert.match(error.message, /nonexistent\.invalid/);
        if (error.kind === 'network') assert.match(error.message, /could not be resolved|DNS lookup failed/);
      });

      it('TLS to a plain-HTTP port (https:// base URL) → network with a readable TLS reason, no request reaches the server', async function () {
        this.timeout(3000);
        const httpsUrl = server.url.replace(/^http:/, 'https:');
        const provider = createProvider(family.descriptor, { baseUrl: httpsUrl + basePath(family.descriptor), timeouts: relaxedTimeouts });
        const { value: outcome, elapsed } = await timed(collect(provider.streamChat(faultRequest(family), faultKey, new AbortController().signal)), 2500, 'TLS failure');
        const error = assertFault(outcome, 'network');
        assert.match(error.message, /^Could not reach 127\.0\.0\.1:\d+: /);
        assert.match(error.message, /the TLS handshake failed/, `the message should say the TLS handshake failed: ${error.message}`);
        assert.match(error.message, /try http:\/\//);
        assert.doesNotMatch(error.message, /openssl|ssl\/record|0A00010B/i, 'no OpenSSL internals in the message');
        assert.equal(server.requests.length, 0, 'the plain-HTTP server never saw a valid request');
        assert.ok(elapsed < 2000, `took ${Math.round(elapsed)} ms`);
      });
    });
  }

  it('other OpenSSL failures (protocol or handshake alerts, e.g. from an intercepting proxy) also say TLS', function () {
    const alert = Object.assign(new Error('error:0A000410:SSL routines::sslv3 alert handshake failure'), { code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE' });
    const error = networkErrorFrom('openai', new TypeError('fetch failed', { cause: alert }), 'api.openai.com');
    assert.equal(error?.kind, 'network');
    assert.equal(error?.message, 'Could not reach api.openai.com: the TLS handshake failed.');
  });
});

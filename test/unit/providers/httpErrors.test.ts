// The shared status/body/header → ProviderError mapping, on shapes and headers the fixtures do not cover.
import assert from 'node:assert/strict';
import { registerSecretForRedaction, forgetSecretForRedaction } from '../../../src/providers/errors';
import { classifyHttpFailure } from '../../../src/providers/httpErrors';
import { toProviderError } from '../../../src/providers/providerFailures';
import { largestParsedWaitMs, parseResetDuration, parseRetryAfter, retryAfterFrom } from '../../../src/providers/retryHints';
import { assertNoKeyLeak, testKey } from './providerTestSupport';

const classify = (status: number | undefined, body: unknown, headers: Record<string, string> = {}) => classifyHttpFailure('test', { status, body, headers });

describe('HTTP error mapping', function () {
  it('maps each status family to its kind', function () {
    const expectations: [number, unknown, string][] = [
      [401, { error: { message: 'nope' } }, 'auth'],
      [403, { error: { message: 'This key may not use that model' } }, 'permission'],
      [402, { error: { message: 'Payment Required' } }, 'quota'],
      [404, { error: { message: 'The model `x` does not exist' } }, 'model-not-found'],
      [404, '<html><title>404 Not Found</title></html>', 'bad-request'],
      [408, { error: { message: 'Request Timeout' } }, 'timeout'],
      [413, { error: { message: 'Payload Too Large' } }, 'context-length'],
      [422, { detail: 'field required' }, 'bad-request'],
      [429, { error: { message: 'slow down' } }, 'rate-limit'],
      [500, { error: { message: 'Internal error' } }, 'server'],
      [502, 'Bad Gateway', 'server'],
      [503, { error: { message: 'Service Unavailable' } }, 'overloaded'],
      [504, 'Gateway Timeout', 'server'],
      [529, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'overloaded'],
    ];
    for (const [status, body, kind] of expectations) assert.equal(classify(status, body).kind, kind, `${status} ${JSON.stringify(body)}`);
  });

  it('a 404 that is not about a model points at the base URL', function () {
    assert.match(classify(404, 'Not Found').message, /check the base URL/);
  });

  it('context-length is recognised from several vendors\' wording', function () {
    for (const message of [
      "This model's maximum context length is 4097 tokens.",
      'prompt is too long: 208310 tokens > 200000 maximum',
      'The input token count (3475108) exceeds the maximum number of tokens allowed (1048576).',
      'Input is too long for requested model.',
      'the request exceeds the available context size, try increasing it',
    ]) assert.equal(classify(400, { error: { message } }).kind, 'context-length', message);
    assert.equal(classify(400, { error: { code: 400, message: 'too big', type: 'exceed_context_size_error' } }).kind, 'context-length');
  });

  it('quota wins over rate limit for 429s that will not clear by waiting', function () {
    assert.equal(classify(429, { error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } }).kind, 'quota');
    assert.equal(classify(429, { type: 'error', error: { type: 'rate_limit_error', message: 'You have reached your specified API usage limits.' } }).retryable, false);
    const perDay = { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded', details: [{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] }] } };
    assert.deepEqual([classify(429, perDay).kind, classify(429, perDay).retryable], ['quota', false]);
    // The same wording with a per-minute quota is an ordinary rate limit.
    assert.equal(classify(429, { error: { message: 'You exceeded your current quota, please check your plan.' } }).kind, 'rate-limit');
  });

  it('reads retry hints from retry-after-ms, retry-after (seconds and date), reset headers and the message', function () {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const header = (values: Record<string, string>) => (name: string) => values[name];
    assert.equal(retryAfterFrom(header({ 'retry-after-ms': '1500' }), undefined, undefined, now), 1500);
    assert.equal(retryAfterFrom(header({ 'retry-after': '7' }), undefined, undefined, now), 7000);
    assert.equal(retryAfterFrom(header({ 'retry-after': 'Mon, 23 Nov 2026 12:00:30 GMT' }), undefined, undefined, now), 30_000);
    // The longer of the two resets, uncapped: the router decides whether six minutes is worth waiting for.
    assert.equal(retryAfterFrom(header({ 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' }), undefined, undefined, now), 360_000);
    assert.equal(retryAfterFrom(header({ 'anthropic-ratelimit-tokens-reset': '2026-11-23T12:00:05Z' }), undefined, undefined, now), 5000);
    assert.equal(retryAfterFrom(header({}), undefined, 'Please try again in 644ms.', now), 644);
    assert.equal(retryAfterFrom(header({}), 34_400, undefined, now), 34_400);
    assert.equal(retryAfterFrom(header({}), undefined, 'no hint here', now), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseResetDuration('1h2m3.5s'), 3_723_500);
    assert.equal(parseResetDuration('20ms'), 20);
    assert.equal(parseResetDuration('later'), undefined);
  });

  it('passes a long wait through as asked and leaves the decision to the router', function () {
    const error = classify(429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '3600' });
    assert.equal(error.kind, 'rate-limit');
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.equal(error.retryable, true);
    assert.equal(error.message, 'Rate limit reached (HTTP 429)');
    const day = classify(503, { error: { message: 'Service unavailable' } }, { 'retry-after': '86400' });
    assert.deepEqual([day.kind, day.retryAfterMs, day.retryable], ['overloaded', 86_400_000, true]);
  });

  it('malformed, negative and absurd waits: ignored or clamped to a finite week, never NaN', function () {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const header = (values: Record<string, string>) => (name: string) => values[name];
    // retry-after is delay-seconds or an HTTP date only; "-5" must not be read as a date in 2001.
    for (const value of ['-5', 'NaN', 'Infinity', '1e3', '5 s', ' ', 'soon']) {
      assert.equal(retryAfterFrom(header({ 'retry-after': value }), undefined, undefined, now), undefined, `retry-after: ${JSON.stringify(value)}`);
    }
    const fromMs = (value: string) => retryAfterFrom(header({ 'retry-after-ms': value }), undefined, undefined, now);
    assert.deepEqual(['-5', 'NaN', ' ', 'soon', '1e3', 'Infinity'].map(fromMs), [undefined, undefined, undefined, undefined, 1000, largestParsedWaitMs]);
    // A bad first source falls through to the next one.
    assert.equal(retryAfterFrom(header({ 'retry-after-ms': '-1', 'retry-after': '2' }), undefined, undefined, now), 2000);
    assert.equal(retryAfterFrom(header({}), Number.NaN, undefined, now), undefined);
    assert.equal(retryAfterFrom(header({}), -5, 'Please try again in 3s.', now), 3000);
    // Absurd but well-formed: clamped so the number stays finite; still a wait, not "no hint".
    assert.equal(retryAfterFrom(header({ 'retry-after': '9'.repeat(400) }), undefined, undefined, now), largestParsedWaitMs);
    assert.equal(retryAfterFrom(header({ 'x-ratelimit-reset-tokens': '9999999h' }), undefined, undefined, now), largestParsedWaitMs);
    assert.equal(retryAfterFrom(header({}), Number.POSITIVE_INFINITY, undefined, now), largestParsedWaitMs);
    // A date in the past means "now", not a negative wait.
    assert.equal(retryAfterFrom(header({ 'retry-after': 'Mon, 23 Nov 2026 11:00:00 GMT' }), undefined, undefined, now), 0);
    const absurd = classify(429, { error: { message: 'Rate limit reached' } }, { 'retry-after': '9'.repeat(400) });
    assert.deepEqual([absurd.retryAfterMs, absurd.retryable], [largestParsedWaitMs, true]);
  });

  it('non-retryable kinds stay non-retryable whatever the wait (quota 429 with retry-after)', function () {
    const quota = classify(429, { error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } }, { 'retry-after': '5' });
    assert.deepEqual([quota.kind, quota.retryable, quota.retryAfterMs], ['quota', false, undefined]);
  });

  it('x-should-retry: false is honoured', function () {
    assert.equal(classify(500, { type: 'error', error: { type: 'api_error', message: 'Internal server error' } }, { 'x-should-retry': 'false' }).retryable, false);
  });

  it('HTML bodies give a readable message without the markup', function () {
    const error = classify(502, '<!DOCTYPE html><html><head><title>502 Bad Gateway</title><script>var x=1</script></head><body><h1>Bad Gateway</h1></body></html>');
    assert.match(error.message, /HTML page \("502 Bad Gateway"\)/);
    assert.ok(!/<|script/.test(error.message));
  });

  it('in-stream errors without status are classified by their code, defaulting to server', function () {
    assert.equal(classify(undefined, { error: { type: 'overloaded_error', message: 'Overloaded' } }).kind, 'overloaded');
    assert.equal(classify(undefined, { error: { code: 'insufficient_quota', message: 'quota' } }).kind, 'quota');
    assert.equal(classify(undefined, { error: { message: 'something broke' } }).kind, 'server');
    assert.equal(classify(undefined, { error: { message: 'bad tool', status_code: 400 } }).kind, 'bad-request');
  });

  it('transport failures become network errors with a reason, wherever the SDK buried the system error', function () {
    const systemError = (code: string) => Object.assign(new Error(`${code} detail`), { code });
    const fetchFailed = (code: string) => new TypeError('fetch failed', { cause: systemError(code) });
    class APIConnectionError extends Error {}
    const cases: [unknown, RegExp][] = [
      [fetchFailed('ENOTFOUND'), /could not be resolved/],
      [fetchFailed('ECONNREFUSED'), /refused/],
      [fetchFailed('CERT_HAS_EXPIRED'), /certificate has expired/],
      [fetchFailed('SELF_SIGNED_CERT_IN_CHAIN'), /self-signed/],
      [new APIConnectionError('Connection error.', { cause: fetchFailed('ECONNRESET') }), /reset/],
      [new TypeError('terminated', { cause: systemError('UND_ERR_SOCKET') }), /closed unexpectedly/],
      [new APIConnectionError('Connection error.'), /connection failed/],
    ];
    for (const [error, reason] of cases) {
      const failure = toProviderError(error, { providerId: 'test', target: 'api.example.com' });
      assert.equal(failure.kind, 'network', String(error));
      assert.equal(failure.retryable, true);
      assert.match(failure.message, /api\.example\.com/);
      assert.match(failure.message, reason);
    }
  });

  it('an abort from outside the guard is aborted and not retryable; unknown failures are not retried', function () {
    const aborted = toProviderError(new DOMException('This operation was aborted', 'AbortError'), { providerId: 'test', target: 'x' });
    assert.deepEqual([aborted.kind, aborted.retryable], ['aborted', false]);
    const unknown = toProviderError(new RangeError('weird'), { providerId: 'test', target: 'x' });
    assert.deepEqual([unknown.kind, unknown.retryable], ['server', false]);
  });

  it('never carries the key: registered secrets and key-shaped strings are redacted everywhere', function () {
    const unshaped = 'plain-local-secret-value';
    registerSecretForRedaction(unshaped);
    try {
      const echoed = classify(401, { error: { message: `Key ${testKey} and ${unshaped} and sk-ant-api03-abcdefghijklmnop rejected` } });
      assertNoKeyLeak(echoed);
      assertNoKeyLeak(echoed, unshaped);
      assert.ok(!echoed.message.includes('sk-ant-api03-abcdefghijklmnop'));
      const wrapped = toProviderError(new Error(`fetch to https://x.invalid/?key=${testKey} failed`), { providerId: 'test', target: 'x.invalid' });
      assertNoKeyLeak(wrapped);
    } finally {
      forgetSecretForRedaction(unshaped);
    }
  });
});

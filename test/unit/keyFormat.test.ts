import assert from 'node:assert/strict';
import { normalizeKey } from '../../src/config/keyFormat';
import { ProviderError, redact, registerSecretForRedaction } from '../../src/providers/errors';

describe('keys as pasted', () => {
  it('strips whitespace, newlines, quotes and a Bearer prefix', () => {
    assert.equal(normalizeKey('  sk-abc123  '), 'sk-abc123');
    assert.equal(normalizeKey('sk-abc\n123\r\n'), 'sk-abc123');
    assert.equal(normalizeKey('"sk-abc123"'), 'sk-abc123');
    assert.equal(normalizeKey('Bearer sk-abc123'), 'sk-abc123');
    assert.equal(normalizeKey('Authorization: Bearer sk-abc123'), 'sk-abc123');
    assert.equal(normalizeKey('   '), '');
  });

  it('redacts a registered key of any shape, and well-known key shapes', () => {
    registerSecretForRedaction('plainsecretvalue42');
    assert.equal(redact('the key plainsecretvalue42 failed'), 'the key [redacted] failed');
    assert.doesNotMatch(redact('Incorrect API key provided: sk-proj-abcdefghijklmnop1234'), /abcdefghijklmnop1234/);
    assert.doesNotMatch(redact('GET /v1/models?key=AIzaSyA1234567890abcdefghijklmno'), /AIzaSy/);
    assert.doesNotMatch(redact('Authorization: Bearer gsk_abcdefghijklmnopqrstu'), /gsk_abcdefghijklmnopqrstu/);
    const error = new ProviderError({ kind: 'auth', providerId: 'x', message: 'bad key plainsecretvalue42', cause: new Error('header x-api-key: plainsecretvalue42') });
    for (const text of [error.message, error.toString(), JSON.stringify(error), String((error as { cause?: unknown }).cause)]) {
      assert.doesNotMatch(text, /plainsecretvalue42/);
    }
  });
});

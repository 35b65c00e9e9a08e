import assert from 'node:assert/strict';
import { keySetText, providerMessages, verifySummary } from '../../src/webview/ui/providers';
import { parseWebviewMessage } from '../../src/webview/protocol';

describe('providers view: key hygiene and key-store failures', () => {
  it('shows the date a key was set, and nothing when it is unknown', () => {
    assert.equal(keySetText({ keySetOn: '2026-11-30' }), 'Key set 2026-11-30');
    assert.equal(keySetText({}), undefined);
  });

  it('asks the host for the key-store help with a valid message', () => {
    const message = providerMessages.keyStoreHelp('openai');
    assert.deepEqual(message, { type: 'error/action', action: 'keyStoreHelp', providerId: 'openai' });
    assert.equal(parseWebviewMessage(message).ok, true);
  });

  it('leads a failed verify with the title from the presentation table', () => {
    assert.equal(
      verifySummary({ ok: false, latencyMs: 0, at: 0, error: { kind: 'key-store', providerId: 'openai', title: 'Key store failed', message: 'The key store failed: locked.', fix: 'Unlock it.' } }),
      'Key store failed: The key store failed: locked.');
  });
});

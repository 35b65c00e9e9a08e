import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/webview/protocol';
import { seededRandom } from './seededRandom';

describe('webview protocol validator', () => {
  it('accepts every well-formed message type', () => {
    const valid: unknown[] = [
      { type: 'ready', view: 'chat' },
      { type: 'chat/send', requestId: 'r1', text: 'hello' },
      { type: 'chat/cancel', requestId: 'r1' },
      { type: 'chat/retry', requestId: 'r1' },
      { type: 'chat/new' },
      { type: 'chat/open', conversationId: 'c1' },
      { type: 'code/action', action: 'apply', code: 'x = 1', language: 'python' },
      { type: 'link/open', href: 'https://example.com' },
      { type: 'error/action', action: 'setKey', providerId: 'openai' },
      { type: 'provider/action', action: 'select', providerId: 'openai', model: 'gpt-5' },
      { type: 'provider/action', action: 'verify', providerId: 'openai' },
      { type: 'provider/verifyAll' },
    ];
    for (const message of valid) assert.equal(parseWebviewMessage(message).ok, true, JSON.stringify(message));
  });

  it('rejects wrong types, unknown types, missing and extra fields', () => {
    const invalid: unknown[] = [
      null, undefined, 42, 'chat/send', [], {},
      { type: 'chat/send', text: 'no request id' },
      { type: 'chat/send', requestId: '', text: 'empty id' },
      { type: 'chat/send', requestId: 'r', text: '   ' },
      { type: 'chat/send', requestId: 7, text: 'number id' },
      { type: 'chat/send', requestId: 'r', text: 'x', apiKey: 'sk-smuggled' },
      { type: 'chat/cancel' },
      { type: 'ready', view: 'evil' },
      { type: 'code/action', action: 'rm -rf', code: '', language: 'sh' },
      { type: 'provider/action', action: 'setKey', providerId: 'openai', key: 'sk-x' },
      { type: '__proto__' },
      { type: 'constructor' },
      { type: 'toString' },
      { type: 'chat/send', requestId: 'r', text: 'x'.repeat(200_001) },
      { type: 'link/open', href: 'x'.repeat(5000) },
      { type: 'chat/open', conversationId: 'c'.repeat(201) },
    ];
    for (const message of invalid) assert.equal(parseWebviewMessage(message).ok, false, JSON.stringify(message)?.slice(0, 80));
  });

  it('rejects random junk without throwing (seeded fuzz)', () => {
    const random = seededRandom(20261123);
    const types = ['ready', 'chat/send', 'chat/cancel', 'code/action', 'provider/action', 'link/open', 'nope', '', 'chat/new'];
    const values = (): unknown => {
      const pick = Math.floor(random() * 9);
      return [undefined, null, '', 'x', 'x'.repeat(Math.floor(random() * 300_000)), 12, true, { nested: 1 }, ['a']][pick];
    };
    let accepted = 0;
    for (let index = 0; index < 3000; index++) {
      const message: Record<string, unknown> = { type: types[Math.floor(random() * types.length)] };
      for (const field of ['requestId', 'text', 'view', 'action', 'code', 'language', 'providerId', 'href', 'extra']) {
        if (random() < 0.4) message[field] = values();
      }
      const result = parseWebviewMessage(message);
      if (result.ok) {
        accepted++;
        // Anything accepted must be exactly a declared shape: re-validate its fields by hand.
        assert.ok(!('extra' in message));
      }
    }
    assert.ok(accepted < 3000);
  });
});

// The preset messages cross the webview boundary validated like every other message.
import * as assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../../src/webview/protocol';

describe('preset protocol messages', () => {
  it('accepts a slash command, a list request and Save as Preset', () => {
    for (const message of [
      { type: 'chat/send-preset', requestId: 'r1', name: 'review', arguments: '' },
      { type: 'chat/send-preset', requestId: 'r1', name: 'add-docs.v2', arguments: 'focus on errors' },
      { type: 'presets/request' },
      { type: 'presets/save', text: 'Explain closures' },
    ]) assert.ok(parseWebviewMessage(message).ok, JSON.stringify(message));
  });

  it('rejects bad names, missing or extra fields and empty saves', () => {
    for (const message of [
      { type: 'chat/send-preset', requestId: 'r1', name: '../etc/passwd', arguments: '' },
      { type: 'chat/send-preset', requestId: 'r1', name: 'a b', arguments: '' },
      { type: 'chat/send-preset', requestId: 'r1', name: 'x'.repeat(65), arguments: '' },
      { type: 'chat/send-preset', requestId: 'r1', name: 'ok' },
      { type: 'chat/send-preset', requestId: 'r1', name: 'ok', arguments: '', model: 'gpt-5' },
      { type: 'chat/send-preset', requestId: '', name: 'ok', arguments: '' },
      { type: 'presets/request', name: 'x' },
      { type: 'presets/save', text: '   ' },
      { type: 'presets/save', text: 'x'.repeat(200_001) },
    ]) assert.equal(parseWebviewMessage(message).ok, false, JSON.stringify(message));
  });
});

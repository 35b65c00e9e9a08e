import * as assert from 'node:assert/strict';
import type { HostToWebview } from '../../../src/webview/protocol';
import { isFromHost, onMessage } from '../../../src/webview/ui/vscodeApi';
import { emulateTrustedTypes, useWindow } from './trustedTypesEmulation';

describe('webview message listener', () => {
  useWindow(() => emulateTrustedTypes([]));

  function deliver(data: unknown, origin: string): void {
    window.dispatchEvent(new window.MessageEvent('message', { data, origin }));
  }

  it('accepts host messages (the host page forwards them with our own origin) and drops every other origin', () => {
    const received: HostToWebview[] = [];
    const stop = onMessage(message => received.push(message));
    deliver({ type: 'chat/header', title: 'from the host' }, window.origin);
    deliver({ type: 'chat/header', title: 'another webview' }, 'https://other-webview.test');
    deliver({ type: 'chat/header', title: 'sandboxed frame' }, 'null');
    deliver({ type: 'chat/header', title: 'no origin' }, '');
    deliver({ type: 'chat/header', title: 'look-alike' }, `${window.origin}.evil.test`);
    deliver('not an object', window.origin);
    deliver({ noType: true }, window.origin);
    stop();
    deliver({ type: 'chat/header', title: 'after stop' }, window.origin);
    assert.deepEqual(received, [{ type: 'chat/header', title: 'from the host' }]);
  });

  it('compares the whole origin', () => {
    const event = (origin: string) => new window.MessageEvent('message', { data: {}, origin });
    assert.equal(isFromHost(event('vscode-webview://abc'), 'vscode-webview://abc'), true);
    assert.equal(isFromHost(event('vscode-webview://abcd'), 'vscode-webview://abc'), false);
    assert.equal(isFromHost(event('https://abc.vscode-cdn.net'), 'vscode-webview://abc'), false);
  });
});

// In the real extension host: a failing secret store is reported and never replaced by plaintext;
// VS Code's http.proxy carries provider requests, and http.noProxy takes them out of the proxy.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { KeyStore, SecretStoreError } from '../../src/config/secrets';
import type { ByokApi } from '../../src/extension';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { byokApi, pointProviderAt, resetUserSettings } from './support';

/** A SecretStorage whose every call fails, or that silently drops what it is given. */
class BrokenSecretStorage implements vscode.SecretStorage {
  private readonly emitter = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.emitter.event;
  constructor(private readonly mode: 'throws' | 'drops') {}
  async get(): Promise<string | undefined> {
    if (this.mode === 'throws') throw new Error('Cannot decrypt: the OS keyring is locked');
    return undefined;
  }
  async store(): Promise<void> {
    if (this.mode === 'throws') throw new Error('No keyring available (org.freedesktop.secrets not provided)');
  }
  async delete(): Promise<void> {
    if (this.mode === 'throws') throw new Error('keyring unavailable');
  }
  async keys(): Promise<string[]> {
    return [];
  }
}

describe('secret store failures', () => {
  const key = 'sk-failing-store-SECRET-0123456789';

  for (const mode of ['throws', 'drops'] as const) {
    it(`reports a store that ${mode} and writes the key nowhere else`, async () => {
      const store = new KeyStore(new BrokenSecretStorage(mode));
      await assert.rejects(store.set('openai', key), (error: unknown) => {
        assert.ok(error instanceof SecretStoreError);
        assert.match(error.message, /secret storage could not save the key/);
        assert.match(error.message, /password-store/);
        assert.ok(!error.message.includes(key));
        return true;
      });
      assert.equal(await store.get('openai'), undefined, 'the provider shows as key missing, never an empty key');
      if (mode === 'throws') assert.match(store.lastFailure ?? '', /could not read the key/);
      const everything = JSON.stringify(vscode.workspace.getConfiguration());
      assert.ok(!everything.includes(key), 'no plaintext fallback in settings');
      store.dispose();
    });
  }
});

describe('VS Code proxy settings', function () {
  this.timeout(30_000);
  let api: ByokApi;
  let provider: FakeProviderServer;
  let proxy: http.Server;
  const proxied: string[] = [];
  const fakeHost = 'provider.byok-test.invalid';

  before(async () => {
    api = await byokApi();
    provider = await new FakeProviderServer().start();
    provider.replay('GET', '/v1/models', loadFixture('openai/models-list.json'));
    const providerPort = Number(new URL(provider.url).port);
    // A recording forward proxy for plain-http targets: every host resolves to the fake provider.
    proxy = http.createServer((request, response) => {
      proxied.push(`${request.method} ${request.url}`);
      const target = new URL(request.url ?? '/');
      const forward = http.request({ host: '127.0.0.1', port: providerPort, method: request.method, path: target.pathname + target.search, headers: request.headers }, upstream => {
        response.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(response);
      });
      forward.on('error', () => response.destroy());
      request.pipe(forward);
    });
    // Proxy agents may also tunnel plain http with CONNECT: record and tunnel to the fake provider.
    proxy.on('connect', (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      proxied.push(`CONNECT ${request.url}`);
      const upstream = net.connect(providerPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve));
    await resetUserSettings();
    await pointProviderAt('openai', `http://${fakeHost}:${providerPort}/v1`);
    await api.hub.keys.set('openai', 'sk-proxy-test-0123456789abcdef');
  });

  after(async () => {
    const http = vscode.workspace.getConfiguration('http');
    await http.update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await http.update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    await api.hub.keys.delete('openai').catch(() => undefined);
    await resetUserSettings();
    await provider.stop();
    proxy.close();
  });

  it('sends provider requests through http.proxy', async () => {
    await vscode.workspace.getConfiguration('http').update('proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
    const result = await api.hub.verify('openai');
    assert.equal(result.ok, true, JSON.stringify(result.error?.toJSON()));
    assert.ok(proxied.some(line => line.includes(fakeHost)), `proxy saw: ${proxied.join(', ')}`);
    assert.ok(provider.requests.some(request => request.url === '/v1/models'), 'the request reached the provider through the proxy');
  });

  it('bypasses the proxy for hosts in http.noProxy', async () => {
    proxied.length = 0;
    await vscode.workspace.getConfiguration('http').update('noProxy', [fakeHost], vscode.ConfigurationTarget.Global);
    const result = await api.hub.verify('openai');
    assert.equal(proxied.length, 0, `proxy saw: ${proxied.join(', ')}`);
    // Without the proxy, the made-up host does not resolve: a network error naming the cause.
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, 'network');
  });
});

// In the real extension host: a failing secret store is named everywhere the user looks (the
// Providers card, the status bar, the chat's error, verify) and never replaced by plaintext;
// invalid endpoint settings show up when they appear; VS Code's http.proxy carries provider
// requests, and http.noProxy takes them out of the proxy.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { KeyDates } from '../../src/config/keyDates';
import { KeyStore } from '../../src/config/secrets';
import type { ByokApi } from '../../src/extension';
import { isProviderError } from '../../src/providers/errors';
import { ProviderState } from '../../src/providerState/store';
import { Router } from '../../src/router';
import { StatusBar } from '../../src/statusBar';
import { buildProvidersState } from '../../src/webview/providersViewProvider';
import { FakeProviderServer, loadFixture } from '../fakes/fakeProviderServer';
import { byokApi, configuration, eventually, pointProviderAt, resetUserSettings } from './support';

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

/** globalState stand-in, so these tests never touch the real one. */
class MemoryMemento {
  private readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  async update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
  }
}

describe('secret store failures', () => {
  const key = 'sk-failing-store-SECRET-0123456789';

  for (const mode of ['throws', 'drops'] as const) {
    it(`names a store that ${mode} as a key-store failure and writes the key nowhere else`, async () => {
      const store = new KeyStore(new BrokenSecretStorage(mode), new KeyDates(new MemoryMemento()));
      try {
        await assert.rejects(store.set('openai', key), (error: unknown) => {
          assert.ok(isProviderError(error));
          assert.equal(error.kind, 'key-store');
          assert.match(error.message, /key store failed: VS Code's secret storage could not save the key/);
          assert.match(error.fix, /password-store/);
          assert.ok(!error.message.includes(key));
          return true;
        });
        assert.equal(store.setOn('openai'), undefined, 'a key that was not stored has no date');
        if (mode === 'throws') {
          await assert.rejects(store.get('openai'), (error: unknown) => isProviderError(error) && error.kind === 'key-store');
          assert.match(store.lastFailure?.message ?? '', /could not read the key/);
        } else {
          assert.equal(await store.get('openai'), undefined, 'a store that drops writes reads as no key, never an empty key');
        }
        const everything = JSON.stringify(vscode.workspace.getConfiguration());
        assert.ok(!everything.includes(key), 'no plaintext fallback in settings');
      } finally {
        store.dispose();
      }
    });
  }

  it('shows "key store failed" with the fix on the Providers card, in the status bar, in verify and in the chat path', async () => {
    const api = await byokApi();
    const keys = new KeyStore(new BrokenSecretStorage('throws'), new KeyDates(new MemoryMemento()));
    let router: Router | undefined;
    const state = new ProviderState({
      settings: api.settings, catalog: api.catalog, keys,
      verifier: (providerId, options) => router!.verify(providerId, options),
    });
    router = new Router(state.routerDependencies());
    const shownSettings = { selectedProviderId: () => 'openai', model: () => 'gpt-test', isEnabled: () => true, baseUrl: (id: string) => api.settings.baseUrl(id) };
    const statusBar = new StatusBar(state, shownSettings);
    try {
      await state.refreshKeyPresence();
      // The Providers view's card, exactly as it is posted to the webview.
      const view = buildProvidersState(state, shownSettings);
      assert.equal(view.type, 'providers/state');
      const card = view.type === 'providers/state' ? view.cards.find(each => each.id === 'openai') : undefined;
      assert.equal(card?.keyState, 'store-failed');
      assert.equal(card?.keyError?.title, 'Key store failed');
      assert.match(card?.keyError?.message ?? '', /key store failed: VS Code's secret storage could not read the key/);
      assert.match(card?.keyError?.fix ?? '', /keyring/);
      assert.deepEqual(card?.keyError?.actions?.[0], 'keyStoreHelp');
      assert.doesNotMatch(JSON.stringify(card), /No API key is set/);
      // The status bar: a warning, and the tooltip names the failure and the fix.
      assert.match(statusBar.text, /^\$\(warning\) OpenAI/);
      assert.match(statusBar.tooltip, /\*\*Key store failed:\*\*/);
      assert.match(statusBar.tooltip, /Fix: .*keyring/);
      assert.equal(state.usable('openai'), false);
      // Verify and a chat request through the router fail as key-store, not missing-key.
      const verified = await state.verify('openai', 5_000);
      assert.equal(verified.error?.kind, 'key-store');
      const turn = router.turn({ feature: 'chat', providerId: 'openai', model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }, new AbortController().signal);
      await assert.rejects(async () => { for await (const part of turn.parts) void part; }, (error: unknown) => isProviderError(error) && error.kind === 'key-store');
    } finally {
      statusBar.dispose();
      state.dispose();
      keys.dispose();
    }
  });
});

describe('settings problems', () => {
  it('shows an invalid custom endpoint entry in the Providers view as soon as it appears, without its content', async () => {
    const api = await byokApi();
    const before = configuration().inspect('customEndpoints')?.globalValue;
    try {
      await configuration().update('customEndpoints', [
        { id: 'ok-endpoint', name: 'Fine', baseUrl: 'http://127.0.0.1:1/v1' },
        { id: 'Bad Id', name: 'Broken', baseUrl: 'ftp://nowhere', headers: { authorization: 'Bearer sk-problem-SECRET-0123456789' } },
      ], vscode.ConfigurationTarget.Global);
      await eventually(() => api.catalog.describe('custom:ok-endpoint') !== undefined, 'the valid endpoint is known');
      const state = api.providersView.currentState();
      const problems = state.type === 'providers/state' ? state.problems ?? [] : [];
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.match(problems[0]!, /entry 2 \("Broken"\).*invalid id, baseUrl/);
      assert.doesNotMatch(problems[0]!, /SECRET/, 'a header value is never shown');
    } finally {
      await configuration().update('customEndpoints', before, vscode.ConfigurationTarget.Global);
    }
  });
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
    await api.keys.set('openai', 'sk-proxy-test-0123456789abcdef');
  });

  /** Sets http.proxy (and http.noProxy) for one test; the returned function restores both. */
  async function useProxy(noProxy?: string[]): Promise<() => Promise<void>> {
    const configuration = vscode.workspace.getConfiguration('http');
    const before = { proxy: configuration.inspect('proxy')?.globalValue, noProxy: configuration.inspect('noProxy')?.globalValue };
    await configuration.update('proxy', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, vscode.ConfigurationTarget.Global);
    await configuration.update('noProxy', noProxy, vscode.ConfigurationTarget.Global);
    return async () => {
      await vscode.workspace.getConfiguration('http').update('proxy', before.proxy, vscode.ConfigurationTarget.Global);
      await vscode.workspace.getConfiguration('http').update('noProxy', before.noProxy, vscode.ConfigurationTarget.Global);
    };
  }

  beforeEach(() => { proxied.length = 0; });

  after(async () => {
    await api.keys.delete('openai').catch(() => undefined);
    await resetUserSettings();
    await provider.stop();
    proxy.close();
  });

  it('sends provider requests through http.proxy', async () => {
    const restore = await useProxy();
    try {
      const result = await api.providers.verify('openai');
      assert.equal(result.ok, true, JSON.stringify(result.error?.toJSON()));
      assert.ok(proxied.some(line => line.includes(fakeHost)), `proxy saw: ${proxied.join(', ')}`);
      assert.ok(provider.requests.some(request => request.url === '/v1/models'), 'the request reached the provider through the proxy');
    } finally {
      await restore();
    }
  });

  it('bypasses the proxy for hosts in http.noProxy', async () => {
    const restore = await useProxy([fakeHost]);
    try {
      const result = await api.providers.verify('openai');
      assert.equal(proxied.length, 0, `proxy saw: ${proxied.join(', ')}`);
      // Without the proxy, the made-up host does not resolve: a network error naming the cause.
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, 'network');
    } finally {
      await restore();
    }
  });
});

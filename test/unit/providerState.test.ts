import assert from 'node:assert/strict';
import { KeyDates } from '../../src/config/keyDates';
import { KeyStore } from '../../src/config/secrets';
import { ProviderError } from '../../src/providers/errors';
import type { ProviderDescriptor } from '../../src/providers/registry';
import type { Provider } from '../../src/providers/types';
import { ProviderCatalog } from '../../src/providerState/catalog';
import { keysDueForRotation } from '../../src/providerState/keyRotation';
import { ProviderState, type Verifier } from '../../src/providerState/store';
import { describeUnusable, usability, type UsabilityFacts } from '../../src/providerState/usable';
import { Router } from '../../src/router';
import { FakeMemento, FakeSecretStorage } from '../fakes/fakeKeyStorage';
import { FakeProviderSettings } from '../fakes/fakeProviderSettings';
import { ScriptedProvider } from '../fakes/scriptedProvider';

const ready: UsabilityFacts = { known: true, active: true, keyRequired: true, keyPresent: true, keyStoreFailed: false };

describe('the usable() rule', () => {
  it('is usable only when known, keyed (or keyless) and active', () => {
    assert.deepEqual(usability(ready), { usable: true });
    assert.deepEqual(usability({ ...ready, keyRequired: false, keyPresent: false }), { usable: true });
    assert.deepEqual(usability({ ...ready, known: false }), { usable: false, reason: 'unknown-provider' });
    assert.deepEqual(usability({ ...ready, keyPresent: false }), { usable: false, reason: 'missing-key' });
    assert.deepEqual(usability({ ...ready, keyPresent: undefined }), { usable: false, reason: 'missing-key' });
    assert.deepEqual(usability({ ...ready, active: false }), { usable: false, reason: 'inactive' });
  });

  it('blames a failing key store before a missing key, and spares keyless endpoints', () => {
    assert.deepEqual(usability({ ...ready, keyStoreFailed: true }), { usable: false, reason: 'key-store' });
    assert.deepEqual(usability({ ...ready, keyPresent: undefined, keyStoreFailed: true, active: false }), { usable: false, reason: 'key-store' });
    assert.deepEqual(usability({ ...ready, keyRequired: false, keyPresent: undefined, keyStoreFailed: true }), { usable: true });
    assert.match(describeUnusable('key-store', 'OpenAI'), /key store failed/);
    assert.doesNotMatch(describeUnusable('key-store', 'OpenAI'), /No API key/);
  });
});

function createState(options: { verifier?: Verifier; now?: Date; providers?: Map<string, Provider> } = {}) {
  const settings = new FakeProviderSettings();
  const secrets = new FakeSecretStorage();
  const memento = new FakeMemento();
  const keys = new KeyStore(secrets, new KeyDates(memento, () => options.now ?? new Date('2026-11-30T12:00:00Z')));
  const created: string[] = [];
  const catalog = new ProviderCatalog(settings, (descriptor: ProviderDescriptor) => {
    created.push(descriptor.id);
    return options.providers?.get(descriptor.id) ?? new ScriptedProvider(descriptor.id, []);
  });
  const verifyCalls: string[] = [];
  const state = new ProviderState({
    settings, catalog, keys,
    verifier: options.verifier ?? (async providerId => { verifyCalls.push(providerId); return { ok: true, latencyMs: 12, modelCount: 3 }; }),
  });
  return { settings, secrets, memento, keys, catalog, state, created, verifyCalls };
}

describe('provider catalog', () => {
  it('lists built-ins then valid custom endpoints, and reports invalid entries without their content', () => {
    const { settings, catalog } = createState();
    let changes = 0;
    catalog.onDidChange(() => changes++);
    settings.setCustomEndpoints([
      { id: 'local', name: 'Local', baseUrl: 'http://127.0.0.1:8080/v1' },
      { id: 'BAD', name: 'Bad one', baseUrl: 'ftp://x', headers: { authorization: 'Bearer sk-hidden-0123456789abcdef' } },
      { id: 'local', name: 'Duplicate', baseUrl: 'http://127.0.0.1:9/v1' },
    ]);
    assert.equal(changes, 1);
    assert.equal(catalog.all()[0]?.id, 'openai');
    assert.equal(catalog.all().at(-1)?.id, 'custom:local');
    assert.equal(catalog.isCustom('custom:local'), true);
    assert.equal(catalog.keyRequired('custom:local'), false);
    assert.deepEqual(catalog.problems(), [
      'Ignored byok.customEndpoints entry 2 ("Bad one"): invalid id, baseUrl.',
      'Ignored byok.customEndpoints entry 3 ("Duplicate"): the id "local" is used twice.',
    ]);
    assert.doesNotMatch(JSON.stringify(catalog.problems()), /sk-hidden/);
  });

  it('builds one provider instance per id and rebuilds it after a settings change', () => {
    const { settings, catalog, created } = createState();
    const first = catalog.provider('openai');
    assert.equal(catalog.provider('openai'), first);
    settings.changed();
    assert.notEqual(catalog.provider('openai'), first);
    assert.deepEqual(created, ['openai', 'openai']);
    assert.equal(catalog.provider('nope'), undefined);
  });
});

describe('provider state', () => {
  it('reads key presence and the key date; one usable() rule for active keyed providers', async () => {
    const { state, keys, settings } = createState();
    await keys.set('openai', 'sk-test-0123456789abcdefghij');
    await state.refreshKeyPresence();
    assert.equal(state.hasKey('openai'), true);
    assert.equal(state.keyState('openai'), 'set');
    assert.equal(state.keySetOn('openai'), '2026-11-30');
    assert.equal(state.keySetOn('anthropic'), undefined);
    assert.equal(state.usable('openai'), true, 'the selected provider counts as active');
    assert.equal(state.keyState('anthropic'), 'missing');
    assert.deepEqual(state.usability('anthropic'), { usable: false, reason: 'missing-key' });
    await keys.set('anthropic', 'sk-ant-test-0123456789abcdefghij');
    await state.refreshKeyPresence('anthropic');
    assert.deepEqual(state.usability('anthropic'), { usable: false, reason: 'inactive' });
    settings.enabled.add('anthropic');
    assert.equal(state.usable('anthropic'), true);
  });

  it('records a failing key store as store-failed, never as a missing key, and recovers', async () => {
    const { state, keys, secrets, settings } = createState();
    await keys.set('openai', 'sk-test-0123456789abcdefghij');
    let changes = 0;
    state.onDidChange(() => changes++);
    secrets.mode = 'throws';
    await state.refreshKeyPresence();
    assert.ok(changes > 0, 'listeners hear about it');
    assert.equal(state.keyStoreFailure()?.kind, 'key-store');
    assert.equal(state.keyState('openai'), 'store-failed');
    assert.equal(state.keyState('anthropic'), 'store-failed');
    assert.deepEqual(state.usability('openai'), { usable: false, reason: 'key-store' });
    settings.setCustomEndpoints([{ id: 'local', name: 'Local', baseUrl: 'http://127.0.0.1:8080/v1' }]);
    assert.equal(state.keyState('custom:local'), 'not-needed', 'a keyless endpoint is not blocked by the key store');
    settings.enabled.add('custom:local');
    assert.equal(state.usable('custom:local'), true);
    // The router's getKey names the failure, so the chat can say what broke.
    await assert.rejects(state.routerDependencies().getKey('openai'), (error: unknown) => error instanceof ProviderError && error.kind === 'key-store');
    assert.equal(await state.routerDependencies().getKey('custom:local'), undefined);
    secrets.mode = 'works';
    await state.refreshKeyPresence();
    assert.equal(state.keyStoreFailure(), undefined);
    assert.equal(state.keyState('openai'), 'set');
  });

  it('verifies through the verifier, records the result and clears it when the key changes', async () => {
    const { state, keys, verifyCalls } = createState();
    await keys.set('openai', 'sk-test-0123456789abcdefghij');
    await state.refreshKeyPresence();
    const busy: (string | undefined)[] = [];
    state.onDidChange(() => busy.push(state.busyState('openai')));
    const record = await state.verify('openai');
    assert.deepEqual(verifyCalls, ['openai']);
    assert.equal(record.ok, true);
    assert.equal(record.modelCount, 3);
    assert.equal(state.lastVerify('openai')?.ok, true);
    assert.equal(state.keyState('openai'), 'verified');
    assert.ok(busy.includes('verifying') && busy.at(-1) === undefined, JSON.stringify(busy));
    await keys.set('openai', 'sk-other-0123456789abcdefghij');
    assert.equal(state.lastVerify('openai'), undefined, 'a new key invalidates the old result');
  });

  it('records a verify that fails or throws, with the error kind', async () => {
    const failing: Verifier = async providerId => ({ ok: false, latencyMs: 5, error: new ProviderError({ kind: 'auth', providerId, status: 401, message: 'bad key' }) });
    const { state, keys } = createState({ verifier: failing });
    await keys.set('openai', 'sk-test-0123456789abcdefghij');
    await state.refreshKeyPresence();
    const record = await state.verify('openai');
    assert.equal(record.error?.kind, 'auth');
    assert.equal(state.keyState('openai'), 'failing');

    const throwing = createState({ verifier: async () => { throw new Error('socket hang up'); } });
    const thrown = await throwing.state.verify('openai');
    assert.equal(thrown.ok, false);
    assert.equal(thrown.error?.kind, 'network');
    const unknown = await throwing.state.verify('nope');
    assert.equal(unknown.error?.kind, 'bad-request');
  });

  it('verify through the real router fails as key-store when the store fails', async () => {
    const provider = new ScriptedProvider('openai', []);
    let router: Router | undefined;
    const setup = createState({ verifier: (providerId, options) => router!.verify(providerId, options), providers: new Map([['openai', provider]]) });
    router = new Router(setup.state.routerDependencies());
    setup.secrets.mode = 'throws';
    const record = await setup.state.verify('openai', 2_000);
    assert.equal(record.ok, false);
    assert.equal(record.error?.kind, 'key-store');
    assert.equal(provider.verifyCalls.length, 0, 'nothing was sent');
    setup.secrets.mode = 'works';
    await setup.keys.set('openai', 'sk-test-0123456789abcdefghij');
    const ok = await setup.state.verify('openai', 2_000);
    assert.equal(ok.ok, true, JSON.stringify(ok.error?.toJSON()));
    assert.equal(provider.verifyCalls[0]?.apiKey, 'sk-test-0123456789abcdefghij');
  });

  it('falls back to the catalog models when the key store fails', async () => {
    const { state, secrets } = createState();
    secrets.mode = 'throws';
    const models = await state.models('openai', true);
    assert.ok(models.length > 0);
    assert.ok(models.every(option => !option.live));
  });
});

describe('key rotation reminder', () => {
  const now = new Date('2027-03-01T10:00:00Z');
  const dates: Record<string, string> = { openai: '2026-11-30', anthropic: '2027-02-20', groq: 'garbage' };

  it('is off at 0 days and suggests keys at least that old, once per provider', () => {
    const base = { providerIds: ['openai', 'anthropic', 'groq', 'xai'], setOn: (id: string) => dates[id], now };
    assert.deepEqual(keysDueForRotation({ ...base, rotateAfterDays: 0, alreadyReminded: new Set() }), []);
    assert.deepEqual(keysDueForRotation({ ...base, rotateAfterDays: 90, alreadyReminded: new Set() }), [{ providerId: 'openai', setOn: '2026-11-30', ageDays: 91 }]);
    assert.deepEqual(keysDueForRotation({ ...base, rotateAfterDays: 91, alreadyReminded: new Set() }).map(due => due.providerId), ['openai']);
    assert.deepEqual(keysDueForRotation({ ...base, rotateAfterDays: 92, alreadyReminded: new Set() }), []);
    assert.deepEqual(keysDueForRotation({ ...base, rotateAfterDays: 5, alreadyReminded: new Set(['openai']) }).map(due => due.providerId), ['anthropic']);
  });
});


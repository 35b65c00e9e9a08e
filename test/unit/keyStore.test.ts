import assert from 'node:assert/strict';
import { KeyDates, calendarDate, daysSince } from '../../src/config/keyDates';
import { KeyStore } from '../../src/config/secrets';
import { isProviderError, type ProviderError } from '../../src/providers/errors';
import { FakeMemento, FakeSecretStorage } from '../fakes/fakeKeyStorage';

function setup(now = new Date('2026-11-30T15:00:00Z')) {
  const secrets = new FakeSecretStorage();
  const memento = new FakeMemento();
  const clock = { now };
  const keys = new KeyStore(secrets, new KeyDates(memento, () => clock.now));
  return { secrets, memento, keys, clock };
}

const isKeyStoreError = (action: string) => (error: unknown): boolean => {
  assert.ok(isProviderError(error), String(error));
  assert.equal(error.kind, 'key-store');
  assert.match(error.message, new RegExp(`^The key store failed: VS Code's secret storage could not ${action} the key`));
  assert.doesNotMatch(error.message, /No API key is set/);
  return true;
};

describe('key store', () => {
  it('round-trips a normalized key and records only the date it was set', async () => {
    const { keys, memento } = setup();
    await keys.set('openai', '  Bearer sk-test-0123456789abcdefghij\n');
    assert.equal(await keys.get('openai'), 'sk-test-0123456789abcdefghij');
    assert.equal(await keys.has('openai'), true);
    assert.equal(keys.setOn('openai'), '2026-11-30');
    assert.doesNotMatch(memento.dump(), /sk-test/, 'the date store never holds the key');
    assert.equal(keys.setOn('anthropic'), undefined);
  });

  it('replaces the date when the key is replaced and clears it when the key is deleted', async () => {
    const { keys, clock } = setup();
    await keys.set('openai', 'sk-first-0123456789abcdefghij');
    clock.now = new Date('2027-01-15T08:00:00Z');
    await keys.set('openai', 'sk-second-0123456789abcdefghij');
    assert.equal(keys.setOn('openai'), '2027-01-15');
    await keys.delete('openai');
    assert.equal(keys.setOn('openai'), undefined);
    assert.equal(await keys.get('openai'), undefined);
  });

  it('names a throwing store as a key-store error on get, set and delete, and records the failure', async () => {
    const { keys, secrets, memento } = setup();
    await keys.set('openai', 'sk-before-0123456789abcdefghij');
    const failures: (ProviderError | undefined)[] = [];
    keys.onDidChangeFailure(failure => failures.push(failure));
    secrets.mode = 'throws';
    await assert.rejects(keys.get('openai'), isKeyStoreError('read'));
    await assert.rejects(keys.has('openai'), isKeyStoreError('read'));
    assert.equal(keys.lastFailure?.kind, 'key-store');
    assert.equal(keys.lastFailure?.providerId, 'openai');
    await assert.rejects(keys.set('anthropic', 'sk-ant-new-0123456789abcdefghij'), isKeyStoreError('save'));
    await assert.rejects(keys.delete('openai'), isKeyStoreError('delete'));
    assert.equal(keys.setOn('openai'), '2026-11-30', 'a failed delete keeps the date of the key that is still stored');
    assert.equal(keys.setOn('anthropic'), undefined, 'a failed save records no date');
    assert.doesNotMatch(memento.dump(), /sk-/);
    // Working again clears the failure, and listeners hear both transitions once.
    secrets.mode = 'works';
    assert.equal(await keys.get('openai'), 'sk-before-0123456789abcdefghij');
    assert.equal(keys.lastFailure, undefined);
    assert.deepEqual(failures.map(failure => failure?.kind), ['key-store', undefined]);
  });

  it('catches a store that silently drops writes, and never keeps the key elsewhere', async () => {
    const { keys, secrets, memento } = setup();
    secrets.mode = 'drops';
    await assert.rejects(keys.set('openai', 'sk-dropped-0123456789abcdefghij'), isKeyStoreError('save'));
    assert.match(keys.lastFailure?.message ?? '', /read back differs/);
    assert.equal(keys.setOn('openai'), undefined);
    assert.doesNotMatch(secrets.dump() + memento.dump(), /sk-dropped/);
  });

  it('does not put the key in the error when the platform echoes it', async () => {
    const { keys, secrets } = setup();
    secrets.store = async (_key: string, value: string) => { throw new Error(`refused to store ${value}`); };
    await assert.rejects(keys.set('openai', 'sk-echoed-0123456789abcdefghij'), (error: unknown) => {
      assert.ok(isProviderError(error));
      assert.doesNotMatch(error.message, /sk-echoed-0123456789abcdefghij/);
      return true;
    });
  });

  it('rejects an empty key without touching the store', async () => {
    const { keys, secrets } = setup();
    await assert.rejects(keys.set('openai', '   '), /empty/);
    assert.deepEqual(secrets.calls, []);
  });

  it('counts key ages in whole calendar days', () => {
    assert.equal(calendarDate(new Date('2026-11-30T23:59:59Z')), '2026-11-30');
    assert.equal(daysSince('2026-11-30', new Date('2026-11-30T23:00:00Z')), 0);
    assert.equal(daysSince('2026-11-30', new Date('2027-02-28T01:00:00Z')), 90);
    assert.equal(daysSince('not-a-date', new Date()), undefined);
  });
});

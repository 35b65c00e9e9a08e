import assert from 'node:assert/strict';
import { mergeModelLists } from '../../src/providers/modelList';

describe('model picker list', () => {
  const catalog = [{ id: 'old-model', contextWindow: 1000 }, { id: 'shared', contextWindow: 2000, maxOutputTokens: 100 }];

  it('uses the live list when there is one, enriched from the catalog', () => {
    const merged = mergeModelLists([{ id: 'shared', displayName: 'Shared' }, { id: 'new-model', displayName: 'New' }], catalog);
    assert.deepEqual(merged.map(option => option.id), ['new-model', 'shared']);
    assert.ok(merged.every(option => option.live));
    assert.equal(merged.find(option => option.id === 'shared')?.contextWindow, 2000);
  });

  it('falls back to the catalog when the live list is missing or empty', () => {
    for (const live of [undefined, []]) {
      const merged = mergeModelLists(live, catalog);
      assert.deepEqual(merged.map(option => [option.id, option.live]), [['old-model', false], ['shared', false]]);
    }
  });

  it('keeps the selected model first even when neither list has it', () => {
    const merged = mergeModelLists([{ id: 'a', displayName: 'a' }], catalog, 'my-fine-tune');
    assert.equal(merged[0]?.id, 'my-fine-tune');
    const selectedLive = mergeModelLists([{ id: 'a', displayName: 'a' }, { id: 'b', displayName: 'b' }], [], 'b');
    assert.equal(selectedLive[0]?.id, 'b');
  });
});

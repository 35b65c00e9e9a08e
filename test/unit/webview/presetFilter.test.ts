// The `/` menu's fuzzy filter: ranking, and its cost with 1,000 presets (each keystroke must stay
// well inside a 16 ms frame; measured loosely so a slow CI machine does not flake).
import * as assert from 'node:assert/strict';
import type { PresetSummary } from '../../../src/webview/protocol';
import { filterPresets, matchSlashCommand, presetMenuLimit, slashQuery } from '../../../src/webview/ui/chat/presetFilter';

const summary = (name: string, description = ''): PresetSummary => ({ name, description, argumentHint: '', source: 'user', sourceLabel: 'user', mode: 'chat' });

describe('preset filter', () => {
  const presets = [summary('explain', 'Explain the code'), summary('extract-function'), summary('add-types', 'precise type annotations'), summary('find-bugs', 'review for bugs'), summary('write-tests')];

  it('ranks a name prefix over a substring over a subsequence over the description', () => {
    assert.deepEqual(filterPresets(presets, 'ex').map(each => each.name), ['explain', 'extract-function']);
    assert.deepEqual(filterPresets(presets, 'test').map(each => each.name), ['write-tests']);
    assert.deepEqual(filterPresets(presets, 'fb').map(each => each.name), ['find-bugs']);
    assert.deepEqual(filterPresets(presets, 'annotations').map(each => each.name), ['add-types']);
    assert.deepEqual(filterPresets(presets, 'BUG').map(each => each.name), ['find-bugs']);
    assert.deepEqual(filterPresets(presets, 'zzz'), []);
    assert.equal(filterPresets(presets, '').length, presets.length);
  });

  it('knows when the draft is a command name being typed, and which preset a draft runs', () => {
    assert.equal(slashQuery('/'), '');
    assert.equal(slashQuery('/exp'), 'exp');
    assert.equal(slashQuery('/explain now'), undefined);
    assert.equal(slashQuery('hello /x'), undefined);
    assert.deepEqual(matchSlashCommand('/Explain  the loop\nplease ', presets), { name: 'explain', arguments: 'the loop\nplease' });
    assert.equal(matchSlashCommand('/unknown x', presets), undefined);
    assert.equal(matchSlashCommand('/usr/bin/env', presets), undefined);
    assert.equal(matchSlashCommand('/explain', undefined), undefined);
  });

  it('filters 1,000 presets per keystroke in well under 16 ms', () => {
    const many = Array.from({ length: 1000 }, (_, index) => summary(`preset-${index}-${(index * 7919).toString(36)}`, `Does task number ${index} with care and detail for the ${index % 17} team`));
    const queries = ['', 'p', 'pr', 'pre', 'preset-9', 'team', 'xq', 'detail', 'zzzz', 'p9c'];
    filterPresets(many, 'warm');
    const start = performance.now();
    for (const query of queries) assert.ok(filterPresets(many, query).length <= presetMenuLimit);
    const perKeystroke = (performance.now() - start) / queries.length;
    console.log(`      bench: filtering 1,000 presets: ${perKeystroke.toFixed(2)} ms per keystroke`);
    assert.ok(perKeystroke < 16, `${perKeystroke} ms`);
  });
});

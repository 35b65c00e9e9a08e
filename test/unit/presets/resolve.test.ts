// Which presets are offered: precedence workspace > .github > user > built-in (and the label that
// says so), hidden built-ins, and Restricted Mode (an untrusted workspace offers none of its own).
// Restricted Mode cannot be switched inside the in-host test run, so it is tested here. Also where
// a preset's request goes (only a provider the user set up) and the context-size refusal.
import * as assert from 'node:assert/strict';
import { builtInPresets } from '../../../src/presets/builtins';
import { parsePresetFile } from '../../../src/presets/frontMatter';
import { describeSource, resolvePresets } from '../../../src/presets/resolve';
import { presetSourceLabels, type Preset, type PresetSource } from '../../../src/presets/types';
import { refactorPresets } from '../../../src/editing/prompts';
import { refactorReviewTitle } from '../../../src/editing/refactorTitle';
import { unknownVariables } from '../../../src/presets/variables';
import { contextProblem, routePreset, type RouteFacts } from '../../../src/presets/route';

const preset = (name: string, source: PresetSource, body = `${source} body`): Preset => ({ name, source, body, description: '', argumentHint: '', mode: 'chat' });

describe('preset precedence and labels', () => {
  const all = [
    preset('review', 'built-in'), preset('review', 'user'), preset('Review', 'workspace'), preset('review', 'github'),
    preset('docs', 'built-in'), preset('docs', 'user'),
    preset('mine', 'user'), preset('repo', 'github'),
  ];

  it('offers one preset per name (case-insensitive), workspace over .github over user over built-in, sorted', () => {
    const offered = resolvePresets(all, { trusted: true, hiddenBuiltIns: [] });
    assert.deepEqual(offered.map(entry => [entry.name, entry.source, entry.overrides]), [
      ['docs', 'user', ['built-in']],
      ['mine', 'user', []],
      ['repo', 'github', []],
      ['Review', 'workspace', ['github', 'user', 'built-in']],
    ]);
    const review = offered.find(entry => entry.name === 'Review')!;
    assert.equal(describeSource(review, presetSourceLabels), 'workspace (.byok/prompts), overrides .github/prompts (read-only) and user and built-in');
  });

  it('offers no workspace or .github preset in Restricted Mode: the user one wins again', () => {
    const offered = resolvePresets(all, { trusted: false, hiddenBuiltIns: [] });
    assert.deepEqual(offered.map(entry => [entry.name, entry.source]), [['docs', 'user'], ['mine', 'user'], ['review', 'user']]);
  });

  it('hides the built-ins the user listed, but never a user preset of that name', () => {
    const offered = resolvePresets([preset('simplify', 'built-in'), preset('explain', 'built-in'), preset('explain', 'user')], { trusted: true, hiddenBuiltIns: ['SIMPLIFY', 'explain'] });
    assert.deepEqual(offered.map(entry => [entry.name, entry.source, entry.overrides]), [['explain', 'user', []]]);
  });
});

describe('built-in presets', () => {
  it('are valid preset files with only known variables and unique names', () => {
    const names = new Set<string>();
    for (const builtIn of builtInPresets) {
      const { title: _title, source: _source, ...definition } = builtIn;
      const { preset, problems } = parsePresetFile(`---\nname: ${builtIn.name}\n---\n${builtIn.body}`, builtIn.name);
      assert.deepEqual(problems, [], builtIn.name);
      assert.equal(preset?.body, definition.body);
      assert.deepEqual(unknownVariables(builtIn.body), [], builtIn.name);
      assert.ok(!names.has(builtIn.name), `duplicate ${builtIn.name}`);
      names.add(builtIn.name);
    }
    for (const wanted of ['simplify', 'explain', 'write-tests', 'add-docs', 'find-bugs']) assert.ok(names.has(wanted), wanted);
  });

  it('are the refactor quick pick\'s choices, and name the review diff', () => {
    assert.deepEqual(refactorPresets.map(choice => choice.label), ['Simplify', 'Improve naming', 'Add types', 'Extract function', 'Add error handling', 'Add comments', 'Add docs']);
    assert.equal(refactorReviewTitle('a.ts', builtInPresets[0]!.body, ''), 'a.ts: Refactor: Simplify');
  });
});

describe('preset library cost', () => {
  it('parses and resolves 1,000 preset files well inside the quick pick\'s 200 ms', () => {
    const files = Array.from({ length: 1000 }, (_, index) => `---\nname: preset-${index % 900}\ndescription: "Preset number ${index}"\nargument-hint: focus\n---\nReview \${selection} for case ${index}. $ARGUMENTS\n`);
    const start = performance.now();
    const read: Preset[] = files.map((text, index) => ({ ...parsePresetFile(text, `f${index}`).preset!, source: index < 500 ? 'user' : 'workspace' }));
    const offered = resolvePresets([...read, ...builtInPresets], { trusted: true, hiddenBuiltIns: [] });
    const elapsed = performance.now() - start;
    console.log(`      bench: parsing and resolving 1,000 preset files: ${elapsed.toFixed(1)} ms`);
    assert.equal(offered.length, 900 + builtInPresets.length);
    assert.ok(elapsed < 200, `${elapsed} ms`);
  });
});

describe('preset routes', () => {
  const facts = (usableIds: string[]): RouteFacts => ({
    selectedProviderId: () => 'openai',
    model: providerId => (providerId === 'openai' ? 'gpt-4o-mini' : 'claude-default'),
    label: providerId => ({ openai: 'OpenAI', anthropic: 'Anthropic', 'custom:lab': 'Lab server' } as Record<string, string>)[providerId],
    usable: providerId => usableIds.includes(providerId),
  });

  it('uses the selection without an override when the preset names no provider or model', () => {
    assert.deepEqual(routePreset({ name: 'a' }, facts([])), { ok: true, providerId: 'openai', model: 'gpt-4o-mini' });
  });

  it('overrides for this request with ids only, on a provider the user set up', () => {
    assert.deepEqual(routePreset({ name: 'a', model: 'gpt-5.1' }, facts(['openai'])), { ok: true, providerId: 'openai', model: 'gpt-5.1', override: { providerId: 'openai', model: 'gpt-5.1' } });
    assert.deepEqual(routePreset({ name: 'a', provider: 'anthropic' }, facts(['anthropic'])), { ok: true, providerId: 'anthropic', model: 'claude-default', override: { providerId: 'anthropic', model: 'claude-default' } });
  });

  it('refuses a provider that is unknown or not set up (no key, not activated)', () => {
    const unknown = routePreset({ name: 'evil', provider: 'custom:attacker' }, facts(['openai']));
    assert.ok(!unknown.ok && /not one of your providers/.test(unknown.reason));
    const notReady = routePreset({ name: 'a', provider: 'anthropic', model: 'claude-x' }, facts(['openai']));
    assert.ok(!notReady.ok && /Anthropic, which is not set up/.test(notReady.reason));
    const selectedNotReady = routePreset({ name: 'a', model: 'gpt-5.1' }, facts([]));
    assert.equal(selectedNotReady.ok, false);
  });

  it('says before sending that ${file} makes the prompt larger than the context', () => {
    const prompt = 'x'.repeat(35_000);
    assert.match(contextProblem(prompt, 'whole-file', 'small-model', 8_000, { used: true, name: 'big.ts' }) ?? '', /\$\{file\} \(big\.ts\) makes the prompt about 10,000 tokens, more than small-model's 8,000-token context/);
    assert.match(contextProblem(prompt, 'p', 'm', 8_000, { used: false }) ?? '', /The prompt is about 10,000 tokens/);
    assert.equal(contextProblem(prompt, 'p', 'm', 200_000, { used: true }), undefined);
    assert.equal(contextProblem(prompt, 'p', 'm', undefined, { used: true }), undefined);
  });
});

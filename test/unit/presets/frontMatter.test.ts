// Preset files: the front matter parser accepts what prompt files use, and reports (never throws
// on) a broken header — the preset is then skipped, or stays usable with a warning.
import * as assert from 'node:assert/strict';
import { formatPresetFile, parsePresetFile } from '../../../src/presets/frontMatter';
import { presetNameFromFile } from '../../../src/presets/names';

describe('preset front matter', () => {
  it('reads every known key, quoted and plain, and the body after it', () => {
    const { preset, problems } = parsePresetFile([
      '---',
      'name: review',
      'description: "Review the selection: bugs, \\"style\\""',
      "argument-hint: 'focus (e.g. ''security'')'",
      'provider: anthropic',
      'model: claude-sonnet-4-5 # the fast one',
      'mode: explain',
      '---',
      '',
      'Review ${selection}.',
      '',
    ].join('\n'), 'file-name');
    assert.deepEqual(problems, []);
    assert.deepEqual(preset, {
      name: 'review', description: 'Review the selection: bugs, "style"', argumentHint: "focus (e.g. 'security')",
      provider: 'anthropic', model: 'claude-sonnet-4-5', mode: 'explain', body: 'Review ${selection}.',
    });
  });

  it('takes the name from the file and defaults to chat without front matter', () => {
    const { preset, problems } = parsePresetFile('Just a prompt with $ARGUMENTS', 'quick');
    assert.deepEqual(problems, []);
    assert.equal(preset?.name, 'quick');
    assert.equal(preset?.mode, 'chat');
    assert.equal(preset?.body, 'Just a prompt with $ARGUMENTS');
    assert.equal(presetNameFromFile('quick.prompt.md'), 'quick');
    assert.equal(presetNameFromFile('README.md'), undefined);
  });

  it('reads VS Code prompt files: unknown tool keys and their lists are skipped quietly, mode agent runs as chat with a warning', () => {
    const { preset, problems } = parsePresetFile([
      '---', 'description: Generate a form', 'mode: agent', 'tools:', '  - codebase', '  - search', 'agent: ask', '---', 'Make a form.',
    ].join('\r\n'), 'react-form');
    assert.equal(preset?.name, 'react-form');
    assert.equal(preset?.mode, 'chat');
    assert.deepEqual(problems.map(problem => [problem.line, problem.severity]), [[2, 'warning']]);
    assert.match(problems[0]!.message, /mode "agent"/);
  });

  it('skips a preset whose front matter never ends, with the line', () => {
    const { preset, problems } = parsePresetFile('---\nname: broken\nSay hi', 'broken');
    assert.equal(preset, undefined);
    assert.deepEqual(problems.map(problem => problem.line), [0]);
    assert.match(problems[0]!.message, /never ends/);
  });

  for (const [label, header, pattern] of [
    ['a line without a colon', 'name review', /write key: value/],
    ['a key set twice', 'name: a\nname: b', /set twice/],
    ['a block scalar', 'description: |', /not a one-line text/],
    ['an unclosed quote', 'description: "oops', /not a one-line text/],
    ['an indented line', 'name: a\n  more', /indented/],
    ['a name with spaces', 'name: my preset', /not a usable preset name/],
    ['a provider that is a URL', 'provider: https://evil.example/v1', /not a provider id/],
  ] as const) {
    it(`skips a preset with ${label}, saying why`, () => {
      const { preset, problems } = parsePresetFile(`---\n${header}\n---\nBody`, 'fallback');
      assert.equal(preset, undefined);
      assert.ok(problems.some(problem => problem.severity === 'error' && pattern.test(problem.message)), JSON.stringify(problems));
      for (const problem of problems) assert.ok(problem.line >= 1 && problem.line <= 3, `line ${problem.line}`);
    });
  }

  it('keeps a preset whose model is a display name usable, without the override, with a warning', () => {
    const { preset, problems } = parsePresetFile('---\nmodel: Claude Sonnet 4\n---\nBody', 'vscode-style');
    assert.equal(preset?.name, 'vscode-style');
    assert.equal(preset?.model, undefined);
    assert.deepEqual(problems.map(problem => [problem.line, problem.severity]), [[1, 'warning']]);
    assert.match(problems[0]!.message, /not a model id .* ignored/);
  });

  it('skips a preset without a prompt', () => {
    const { preset, problems } = parsePresetFile('---\nname: empty\n---\n\n', 'empty');
    assert.equal(preset, undefined);
    assert.match(problems[0]!.message, /no prompt/);
  });

  it('keeps a preset with an unknown key usable, with a warning', () => {
    const { preset, problems } = parsePresetFile('---\nname: ok\ncolour: blue\n---\nBody', 'ok');
    assert.equal(preset?.name, 'ok');
    assert.equal(problems[0]?.severity, 'warning');
    assert.match(problems[0]!.message, /Unknown key "colour"/);
  });

  it('never throws, whatever the text', () => {
    const samples = ['', '---', '---\n---', '\uFEFF---\nname: x\n---\nb', '---\n:\n---\nb', '---\n"\n---\n', '\0\0---', '---\nname: "a\\"\n---\nx'];
    for (let index = 0; index < 300; index++) {
      samples.push(Array.from({ length: 40 }, () => '-:\n "\'#|>a b'[Math.floor(Math.random() * 13)]).join(''));
    }
    for (const sample of samples) assert.doesNotThrow(() => parsePresetFile(sample, 'x'), JSON.stringify(sample));
  });

  it('writes a file it reads back unchanged', () => {
    const definition = { name: 'round-trip', description: 'Has "quotes" and: colons # and hashes', argumentHint: "it's", mode: 'refactor' as const, provider: 'openai', model: 'gpt-5.1', body: 'Do ${selection}\n\nthen $ARGUMENTS' };
    const { preset, problems } = parsePresetFile(formatPresetFile(definition), 'other');
    assert.deepEqual(problems, []);
    assert.deepEqual(preset, definition);
  });
});

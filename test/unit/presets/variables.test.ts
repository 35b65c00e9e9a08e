// Variable expansion: every variable, ${input:…}, $ARGUMENTS, and the errors shown before sending
// (an unknown or empty variable is never sent literally).
import * as assert from 'node:assert/strict';
import { expandPreset, presetInputs, unknownVariables, usesVariable, type VariableValues } from '../../../src/presets/variables';

const values: VariableValues = {
  selection: 'const a = 1;', file: 'line 1\nline 2', filePath: 'src/a.ts', fileBasename: 'a.ts', language: 'typescript',
  workspaceFolder: '/work/project', arguments: 'be brief', inputs: { audience: 'juniors' },
};

describe('preset variables', () => {
  it('fills in every variable', () => {
    const result = expandPreset('${selection}|${selectedText}|${fileBasename}|${language}|${workspaceFolder}|${input:audience:who reads it}|$ARGUMENTS', values);
    assert.deepEqual(result, { ok: true, text: 'const a = 1;|const a = 1;|a.ts|typescript|/work/project|juniors|be brief' });
  });

  it('puts ${file} in a fence named by its path', () => {
    const result = expandPreset('Look at ${file}', { ...values, arguments: '', file: 'has ``` fences' });
    assert.ok(result.ok);
    assert.equal(result.text, 'Look at `src/a.ts`:\n````typescript\nhas ``` fences\n````');
  });

  it('appends the arguments when the prompt does not place them, and replaces every $ARGUMENTS', () => {
    assert.deepEqual(expandPreset('Summarise.', values), { ok: true, text: 'Summarise.\n\nbe brief' });
    assert.deepEqual(expandPreset('A $ARGUMENTS B $ARGUMENTS', values), { ok: true, text: 'A be brief B be brief' });
    assert.deepEqual(expandPreset('A $ARGUMENTS.', { ...values, arguments: '' }), { ok: true, text: 'A .' });
    // $ARGUMENTSX is not the variable.
    assert.deepEqual(expandPreset('$ARGUMENTSX', { ...values, arguments: '' }), { ok: true, text: '$ARGUMENTSX' });
  });

  it('refuses an unknown variable, naming it, instead of sending it literally', () => {
    const result = expandPreset('Use ${clipboard} and ${ selection }', values);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.errors.length === 1 && /Unknown variable \$\{clipboard\}/.test(result.errors[0]!), JSON.stringify(result));
    assert.deepEqual(unknownVariables('${a} ${a} ${input:x} ${file} ${b:c}'), ['a', 'b:c']);
  });

  it('refuses a variable that has no value now (no selection, no file, no input)', () => {
    const noEditor: VariableValues = { arguments: '', inputs: {} };
    const result = expandPreset('${selection} ${fileBasename} ${input:topic}', noEditor);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.errors.length, 3);
    assert.match(result.errors[0]!, /select some code/);
    assert.match(result.errors[1]!, /open a file/);
    assert.match(result.errors[2]!, /input:topic/);
    const blank = expandPreset('${selection}', { ...values, selection: '   ' });
    assert.equal(blank.ok, false);
  });

  it('lists the inputs once each, with placeholders, and says which values a prompt uses', () => {
    assert.deepEqual(presetInputs('${input:topic} ${input:tone:formal or casual} ${input:topic:ignored}'), [
      { name: 'topic', placeholder: '' }, { name: 'tone', placeholder: 'formal or casual' },
    ]);
    assert.equal(usesVariable('x ${file} y', 'file'), true);
    assert.equal(usesVariable('x ${fileBasename}', 'file'), false);
    assert.equal(usesVariable('x ${selectedText}', 'selection'), true);
    assert.equal(usesVariable('x $ARGUMENTS', 'arguments'), true);
  });

  it('does not treat a value as a variable again (no double expansion)', () => {
    assert.deepEqual(expandPreset('${selection}', { ...values, selection: '${file} $ARGUMENTS' }), { ok: true, text: '${file} $ARGUMENTS\n\nbe brief' });
  });
});

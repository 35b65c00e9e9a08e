import assert from 'node:assert/strict';
import { commonIndentation, extractCode, fitToSelection } from '../../src/editing/extractCode';
import { buildExplainPrompt, buildRefactorPrompt, fence, refactorPresets, type CodeContext } from '../../src/editing/prompts';
import { refactorReviewTitle } from '../../src/editing/refactorTitle';

const context: CodeContext = {
  languageId: 'typescript', path: 'src/math.ts', startLine: 3, endLine: 5,
  code: 'function add(a, b) {\n  return a + b;\n}', before: 'import x from "y";\n', after: 'export { add };',
};

describe('editor command prompts', () => {
  it('explain prompt carries language, path, lines, the code and its surroundings', () => {
    const prompt = buildExplainPrompt(context);
    assert.match(prompt, /typescript code from `src\/math\.ts` \(lines 3-5\)/);
    assert.match(prompt, /```typescript\nfunction add\(a, b\) \{\n  return a \+ b;\n\}\n```/);
    assert.match(prompt, /Surrounding code[\s\S]*import x from "y"[\s\S]*export \{ add \}/);
  });

  it('refactor prompt carries the instruction and asks for code only', () => {
    const prompt = buildRefactorPrompt(context, refactorPresets[0]!.instruction);
    assert.match(prompt, /Instruction: Simplify this code/);
    assert.match(prompt, /ONLY the complete replacement code/);
    assert.ok(prompt.includes(fence(context.code, 'typescript')));
  });

  it('fences code that itself contains backticks with a longer fence', () => {
    assert.equal(fence('a ``` b', 'md'), '````md\na ``` b\n````');
  });
});

describe('answer → replacement code', () => {
  it('takes a fenced block out of chatter before and after', () => {
    const answer = 'Sure! Here is the simplified version:\n\n```ts\nconst add = (a: number, b: number) => a + b;\n```\n\nThis uses an arrow function.';
    assert.equal(extractCode(answer), 'const add = (a: number, b: number) => a + b;');
  });

  it('picks the longest of several blocks', () => {
    const answer = 'Usage:\n```ts\nadd(1, 2)\n```\nCode:\n```ts\nfunction add(a: number, b: number): number {\n  return a + b;\n}\n```';
    assert.equal(extractCode(answer), 'function add(a: number, b: number): number {\n  return a + b;\n}');
  });

  it('handles tildes, CRLF and an unterminated fence', () => {
    assert.equal(extractCode('~~~python\nx = 1\n~~~'), 'x = 1');
    assert.equal(extractCode('```js\r\nlet a = 1;\r\n```\r\n'), 'let a = 1;');
    assert.equal(extractCode('```js\nlet a = 1;\nlet b'), 'let a = 1;\nlet b');
  });

  it('strips leading chatter from an unfenced answer', () => {
    assert.equal(extractCode('Here is the refactored code:\n\nreturn a + b;\n\n'), 'return a + b;');
    assert.equal(extractCode('return a + b;'), 'return a + b;');
  });

  it('finds the indentation common to all lines', () => {
    assert.equal(commonIndentation('    a\n      b\n\n    c'), '    ');
    assert.equal(commonIndentation('\ta\n\t\tb'), '\t');
    assert.equal(commonIndentation('a\n  b'), '');
  });

  it('re-indents to a selection of whole indented lines and keeps its final newline', () => {
    const original = '    if (x) {\n        go();\n    }\n';
    const code = 'if (x) {\n    go();\n    stop();\n}';
    assert.equal(fitToSelection(code, { original, leadingIndent: '', eol: '\n' }), '    if (x) {\n        go();\n        stop();\n    }\n');
  });

  it('re-indents a selection that starts after the indentation, leaving the first line alone', () => {
    const original = 'if (x) {\n        go();\n    }';
    const code = '  if (x) {\n      go();\n  }\n';
    assert.equal(fitToSelection(code, { original, leadingIndent: '    ', eol: '\n' }), 'if (x) {\n        go();\n    }');
  });

  it('keeps CRLF line endings and tabs', () => {
    const original = '\tconst a = 1;\r\n\tconst b = 2;\r\n';
    const code = 'const a = 1;\nconst b = 2;\nconst c = a + b;';
    assert.equal(fitToSelection(code, { original, leadingIndent: '', eol: '\r\n' }), '\tconst a = 1;\r\n\tconst b = 2;\r\n\tconst c = a + b;\r\n');
  });

  it('keeps blank lines empty instead of indenting them', () => {
    assert.equal(fitToSelection('a\n\nb', { original: '  x\n  y', leadingIndent: '', eol: '\n' }), '  a\n\n  b');
  });
});

describe('refactor review title', () => {
  it('names the preset or the (shortened) instruction, and the cost when there is one', () => {
    assert.equal(refactorReviewTitle('math.ts', refactorPresets[0]!.instruction, '$0.0012'), 'math.ts: Refactor: Simplify — $0.0012');
    assert.equal(refactorReviewTitle('math.ts', 'Rename x to y', 'unpriced'), 'math.ts: Refactor: Rename x to y — unpriced');
    assert.equal(refactorReviewTitle('math.ts', 'Rename x to y', undefined), 'math.ts: Refactor: Rename x to y');
    const long = refactorReviewTitle('a.py', 'Convert every loop in this function into a list comprehension where it reads better', undefined);
    assert.equal(long, 'a.py: Refactor: Convert every loop in this function…');
  });
});

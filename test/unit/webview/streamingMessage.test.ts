import * as assert from 'node:assert/strict';
import { renderMarkdown } from '../../../src/webview/ui/markdown';
import { BlockScanner, StreamingMarkdown } from '../../../src/webview/ui/streamingMessage';
// A seeded generator (mulberry32), so a failure can be replayed.
import { seededRandom } from '../providers/providerTestSupport';
import { useDom } from './domSupport';

function section(index: number): string {
  return [
    `## Step ${index}: refactor the \`service${index}\` module`,
    '',
    `First, some *context* with a [link](https://example.com/${index}) and **bold** text that wraps`,
    'over two lines of the same paragraph.',
    '',
    '```ts',
    `export function handler${index}(input: string): number {`,
    '  const parts = input.split(",");',
    '',
    '  // a blank line inside a fence is not a block boundary',
    '  return parts.length;',
    '}',
    '```',
    '',
    '1. A loose ordered list item',
    '',
    '2. whose items are separated by blank lines',
    '',
    '   with a continuation paragraph',
    '',
    '- tight item one',
    '- tight item two',
    '  - nested item',
    '',
    '| option | default |',
    '|--------|---------|',
    `| retries | ${index} |`,
    '',
    '> A quote',
    '> over two lines.',
    '',
    '    indented code line',
    '',
    '    more indented code',
    '',
    '````md',
    '```js',
    'console.log("fence in a fence");',
    '```',
    '````',
    '',
    '~~~python',
    'def f():',
    '',
    '    return 1',
    '~~~',
    '',
    '3. A list with a fence:',
    '   ```bash',
    '   npm install',
    '',
    '   npm test',
    '   ```',
    '4. and another item',
    '',
    '---',
    '',
  ].join('\n');
}

function longAnswer(sections: number): string {
  return Array.from({ length: sections }, (_, index) => section(index + 1)).join('\n') + 'The end, without a final newline.';
}

function oneShot(text: string): string {
  const container = document.createElement('div');
  container.innerHTML = renderMarkdown(text);
  return container.innerHTML;
}

/** Streams `text` in random chunks, flushing at random "frames"; returns the container and render inputs. */
function stream(text: string, seed: number, finish = true): { container: HTMLElement; renders: string[]; frames: number } {
  const random = seededRandom(seed);
  const container = document.createElement('div');
  const renders: string[] = [];
  let pending: (() => void) | undefined;
  let frames = 0;
  const streaming = new StreamingMarkdown(container, {
    render: markdown => { renders.push(markdown); return renderMarkdown(markdown); },
    schedule: callback => { pending = callback; },
  });
  let offset = 0;
  while (offset < text.length) {
    const size = 1 + Math.floor(random() * 40);
    streaming.append(text.slice(offset, offset + size));
    offset += size;
    if (pending && random() < 0.35) {
      const callback = pending;
      pending = undefined;
      frames++;
      callback();
    }
  }
  if (finish) streaming.finish(text);
  return { container, renders, frames };
}

describe('webview streaming renderer', function () {
  useDom();
  // jsdom parses HTML far slower than a browser; a few hundred frames take a second or two here.
  this.timeout(30_000);
  const text = longAnswer(8);

  for (const seed of [1, 42, 1337]) {
    it(`ends with the same HTML as a one-shot render (seed ${seed})`, () => {
      const { container } = stream(text, seed);
      assert.equal(container.innerHTML, oneShot(text));
    });
  }

  it('renders each finished block once and re-renders only the open tail', () => {
    const { renders, frames } = stream(text, 7);
    assert.ok(frames > 60, `enough frames to matter (${frames})`);
    const totalRendered = renders.reduce((sum, markdown) => sum + markdown.length, 0);
    // Re-rendering the whole text every frame would cost about frames × length / 2.
    assert.ok(totalRendered < text.length * 4, `rendered ${totalRendered} characters for a ${text.length}-character answer`);
    assert.ok(renders.every(markdown => markdown.length < text.length / 4), 'no render of (nearly) the whole text');
    // Every rendered slice is contiguous text; the frozen ones tile the answer without overlap.
    for (const markdown of renders) assert.ok(text.includes(markdown));
  });

  it('batches deltas: at most one render per frame', () => {
    const container = document.createElement('div');
    let renders = 0;
    const callbacks: (() => void)[] = [];
    const streaming = new StreamingMarkdown(container, {
      render: markdown => { renders++; return renderMarkdown(markdown); },
      schedule: callback => { callbacks.push(callback); },
    });
    for (const word of 'one two three four five six'.split(' ')) streaming.append(word + ' ');
    assert.equal(callbacks.length, 1);
    assert.equal(renders, 0);
    callbacks[0]?.();
    assert.equal(renders, 1);
    assert.equal(container.textContent?.trim(), 'one two three four five six');
  });

  it('shows a partial code fence while it streams, then the closed block', () => {
    const container = document.createElement('div');
    const streaming = new StreamingMarkdown(container, { schedule: () => undefined });
    streaming.append('Here:\n\n```ts\nconst a = 1;\n');
    streaming.flush();
    assert.equal(container.querySelector('.code-block code')?.textContent, 'const a = 1;');
    streaming.append('const b = 2;\n```\n\nDone.');
    streaming.finish();
    assert.equal(container.querySelector('.code-block code')?.textContent, 'const a = 1;\nconst b = 2;');
    assert.equal(container.innerHTML, oneShot('Here:\n\n```ts\nconst a = 1;\nconst b = 2;\n```\n\nDone.'));
  });

  it('re-renders earlier blocks when a reference definition arrives', () => {
    const answer = 'See [the guide][guide] for details.\n\nMore text here.\n\nAnother paragraph.\n\n[guide]: https://example.com/guide\n\nEnd.';
    for (const seed of [1, 2, 3]) {
      const { container } = stream(answer, seed);
      assert.equal(container.innerHTML, oneShot(answer));
      assert.equal(container.querySelector('a')?.getAttribute('data-href'), 'https://example.com/guide');
    }
  });

  it('stays equal to a one-shot render when raw HTML spans blocks', () => {
    const answer = 'Intro paragraph.\n\n<details>\n\nHidden **markdown**\n\n</details>\n\nOutro.\n\n<!-- a comment\n\nstill comment -->\n\nLast.';
    for (const seed of [1, 2, 3]) assert.equal(stream(answer, seed).container.innerHTML, oneShot(answer));
  });

  it('replaces the streamed text when the final text differs', () => {
    const container = document.createElement('div');
    const streaming = new StreamingMarkdown(container, { schedule: () => undefined });
    streaming.append('Partial answ');
    streaming.flush();
    streaming.finish('The final answer.\n\n```py\nprint(1)\n```');
    assert.equal(container.innerHTML, oneShot('The final answer.\n\n```py\nprint(1)\n```'));
  });

  it('stays equal to a one-shot render for random mixes of tricky blocks (seeded)', () => {
    const pool = [
      'Plain paragraph with *emphasis*.', 'Two line\nparagraph here.', '# Heading', 'Setext\n===', '- a\n- b', '- a\n\n- b', '1. one\n2. two',
      '1) x\n\n2) y', '- item\n\n  continuation', '> quote\n> more', '> q\n\n> q2', '> lazy\ncontinuation', '    indented code',
      '```\nfence\n\nwith blank\n```', '~~~js\nx\n~~~', '````\n```\ninner\n```\n````', '```ts\nunclosed?', '---', '| a | b |\n|---|---|\n| 1 | 2 |',
      '- [ ] task\n- [x] done', 'Text with `code <b>` span', '1. list\n   ```bash\n   cmd\n\n   more\n   ```', '- nested\n  - deeper\n\n    para in deeper',
      '<div>\nhtml\n</div>', '<!-- c -->', '<pre>\n\nkeep\n</pre>', '<span>inline\n\nsplit</span>', 'A [ref][r] link', '[r]: https://example.com',
      '  ```\n  indented fence\n\n  body\n  ```', '- item\n  ```\n  fence in item\n\nback out', 'Para\r\n\r\nCRLF para', '1. a\n1. b\n\n   para\n\n1. c',
    ];
    for (let seed = 1; seed <= 30; seed++) {
      const random = seededRandom(seed * 7919);
      const blocks = Array.from({ length: 3 + Math.floor(random() * 8) }, () => pool[Math.floor(random() * pool.length)] ?? '');
      const separators = ['\n\n', '\n', '\n\n\n'];
      const answer = blocks.map((block, index) => (index ? separators[Math.floor(random() * separators.length)] ?? '' : '') + block).join('');
      assert.equal(stream(answer, seed).container.innerHTML, oneShot(answer), JSON.stringify(answer));
    }
  });

  it('finds block boundaries only outside fences and before lines that cannot continue a block', () => {
    const scanner = new BlockScanner();
    const sample = 'para\n\n```\ncode\n\nmore\n```\n\n- item\n\n  continued\n\nnext\n';
    scanner.scan(sample);
    assert.equal(sample.slice(0, scanner.boundary), 'para\n\n```\ncode\n\nmore\n```\n\n- item\n\n  continued\n\n');
  });
});

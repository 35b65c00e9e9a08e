import * as assert from 'node:assert/strict';
import { renderMarkdown, renderMarkdownOrThrow } from '../../../src/webview/ui/markdown';
import { BlockScanner, StreamingMarkdown } from '../../../src/webview/ui/streamingMessage';
import { seededRandom } from '../seededRandom';
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
  return renderMarkdown(text);
}

/** Streams `text` in two parts cut at `split`, rendering the first before the second arrives; returns the final HTML. */
function streamedInTwo(text: string, split: number): string {
  const container = document.createElement('div');
  const streaming = new StreamingMarkdown(container, { schedule: () => undefined });
  streaming.append(text.slice(0, split));
  streaming.flush();
  streaming.append(text.slice(split));
  streaming.finish();
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
    render: markdown => { renders.push(markdown); return renderMarkdownOrThrow(markdown); },
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
      render: markdown => { renders++; return renderMarkdownOrThrow(markdown); },
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

  it('shows the answer as plain text when a render throws, never throws itself, and renders again on finish', () => {
    const container = document.createElement('div');
    let failing = true;
    let rendered = 0;
    const streaming = new StreamingMarkdown(container, {
      schedule: () => undefined,
      onRender: () => { rendered++; },
      render: markdown => {
        if (failing && markdown.includes('<boom>')) throw new TypeError('renderer bug');
        return renderMarkdownOrThrow(markdown);
      },
    });
    streaming.append('First **paragraph**.\n\n<boom> & <b>raw</b>\nline two');
    const originalError = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => { logged.push(args[1]); };
    try {
      assert.doesNotThrow(() => streaming.flush());
    } finally {
      console.error = originalError;
    }
    assert.equal(String(logged[0]), 'TypeError: renderer bug', 'the failure is reported once');
    assert.equal(container.querySelector('.render-note')?.textContent?.trim(), 'Shown as plain text: this answer could not be rendered');
    const plain = container.querySelector('.plain-text-answer');
    assert.equal(plain?.textContent, 'First **paragraph**.<boom> & <b>raw</b>line two');
    assert.equal(plain?.querySelectorAll('br').length, 3);
    assert.equal(container.querySelector('b'), null, 'nothing of the text became markup');
    // Later deltas stay plain while the stream runs.
    streaming.append('\n\nMore.');
    streaming.flush();
    assert.ok(container.querySelector('.plain-text-answer')?.textContent?.endsWith('More.'));
    // finish() tries once more, so the live answer looks like the one restored from history.
    failing = false;
    assert.doesNotThrow(() => streaming.finish());
    assert.equal(container.querySelector('.render-note'), null);
    assert.equal(container.innerHTML, oneShot('First **paragraph**.\n\n<boom> & <b>raw</b>\nline two\n\nMore.'));
    assert.equal(rendered, 3);
  });

  it('keeps going when the onRender callback throws', () => {
    const container = document.createElement('div');
    const streaming = new StreamingMarkdown(container, { schedule: () => undefined, onRender: () => { throw new Error('scroll bug'); } });
    streaming.append('Hello');
    const originalError = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => { logged.push(args[0]); };
    try {
      assert.doesNotThrow(() => streaming.finish('Hello **world**'));
    } finally {
      console.error = originalError;
    }
    assert.equal(container.querySelector('strong')?.textContent, 'world');
    assert.equal(logged.length, 1);
  });

  it('streams an answer that starts with <frameset> like a one-shot render, at every split', () => {
    const answer = '<frameset cols="50%"><frame src="javascript:alert(1)"></frameset>\n\nAfter the **frameset**.\n\n```ts\nconst x = 1;\n```';
    for (let split = 1; split < answer.length; split += 3) {
      assert.equal(streamedInTwo(answer, split), oneShot(answer), `split at ${split}`);
    }
    assert.equal(stream(answer, 5).container.querySelector('strong')?.textContent, 'frameset');
  });

  it('treats \\r\\n and a lone \\r as line ends, like marked, at every split', () => {
    const answer = ' ```\r\n\n</style>\n\n```x\r\ncode\r\rmore\r\n```\r\rEnd\r\n\r\nLast.';
    for (let split = 1; split < answer.length; split++) {
      assert.equal(streamedInTwo(answer, split), oneShot(answer), `split at ${split}`);
    }
    const scanner = new BlockScanner();
    scanner.scan('a\r');
    assert.equal(scanner.position, 0, 'a final \\r may still become \\r\\n');
    scanner.scan('a\r\n\r\nb\r\n');
    assert.equal(scanner.boundary, 5);
  });

  it('finds block boundaries only outside fences and before lines that cannot continue a block', () => {
    const scanner = new BlockScanner();
    const sample = 'para\n\n```\ncode\n\nmore\n```\n\n- item\n\n  continued\n\nnext\n';
    scanner.scan(sample);
    assert.equal(sample.slice(0, scanner.boundary), 'para\n\n```\ncode\n\nmore\n```\n\n- item\n\n  continued\n\n');
  });
});

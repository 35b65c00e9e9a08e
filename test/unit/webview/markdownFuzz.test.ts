// Fuzzing the renderer with generated markdown/HTML that mixes document-level and odd elements
// (html, head, body, frameset, frame, template, svg, math, noscript, select, table fragments,
// unclosed tags, comments, CDATA, entities, code fences), rendered whole, streamed with splits at
// random offsets, and restored from history. Seeded, so a failure names the seed that replays it.
import * as assert from 'node:assert/strict';
import { renderMarkdownFragment } from '../../../src/webview/ui/markdown';
import { StreamingMarkdown } from '../../../src/webview/ui/streamingMessage';
import { seededRandom } from '../seededRandom';
import { useDom } from './domSupport';

const documentLevel = [
  '<html>', '</html>', '<html lang="x" onload="alert(1)">', '<head>', '</head>', '<body>', '<body onload="alert(1)">', '</body>',
  '<frameset>', '<frameset cols="50%,50%" onload="alert(1)">', '</frameset>', '<frame src="javascript:alert(1)">', '<frame>',
  '<noframes>', '</noframes>', '<!doctype html>', '<title>', '</title>', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">', '<link rel="stylesheet" href="https://evil.example/s.css">',
];
const oddElements = [
  '<template>', '</template>', '<svg>', '</svg>', '<svg onload=alert(1)>', '<svg><script>alert(1)</script></svg>', '<math>', '</math>',
  '<mi xlink:href="javascript:alert(1)">', '<mtext>', '<foreignObject>', '<annotation-xml encoding="text/html">', '<noscript>', '</noscript>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<select>', '</select>', '<option>', '<optgroup>', '<table>', '</table>',
  '<tr>', '<td>', '</td>', '<th>', '<caption>', '<colgroup>', '<col>', '<tbody>', '</tr>', '<textarea>', '</textarea>', '<xmp>', '<plaintext>',
  '<listing>', '<style>', '</style>', '<style>*{background:url(https://evil.example/x)}</style>', '<script>alert(1)</script>', '<script>',
  '</script>', '<iframe srcdoc="<script>alert(1)</script>">', '<object data="javascript:alert(1)">', '<embed src=x>',
  '<img src=x onerror=alert(1)>', '<img src="javascript:alert(1)">', '<img src="http://127.0.0.1:9/leak.png">', '<a href="javascript:alert(1)">',
  '<a href="https://example.com/x">', '<a href="mailto:a@b.c">', '<a href="vscode:extension/evil">', '<a href="#top">', '</a>',
  '<form action="javascript:alert(1)">', '<input autofocus onfocus=alert(1)>', '<button formaction="javascript:alert(1)">x</button>',
  '<details open ontoggle=alert(1)>', '<summary>', '<div style="background:url(javascript:alert(1))">', '<p onclick="alert(1)">',
  '<div class="code-block hidden" data-href="https://x.example">', '<pre>', '</pre>', '<code class="language-ts evil">', '<b>', '</b>',
  '<i', '<', '>', '</', '<!--', '-->', '<!-- comment -->', '--!>', '<![CDATA[', ']]>', '<![CDATA[<script>alert(1)</script>]]>',
  '<?xml version="1.0"?>', '&amp;', '&lt;', '&gt;', '&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;', '&#0;', '&#xD800;', '&nbsp', '&unknown;',
  '&', '"', "'", '`', '\0', '\r\n', '\r', '\u2028', '\uFEFF', '🎉', 'é',
];
const markdown = [
  '# Heading', '## ', '- item', '* item', '1. one', '2) two', '> quote', '    indented code', '```', '```ts', '```html', '```js', '~~~',
  '`code`', '``', '**bold**', '_em_', '[link](https://example.com)', '[js](javascript:alert(1))', '[m](mailto:a@b.c)', '[rel](./x)',
  '![img](http://127.0.0.1:9/x.png)', '<https://auto.example>', 'a@b.c', '[ref][r]', '[r]: javascript:alert(1)', '[r]: https://example.com',
  '| a | b |', '|---|---|', '| 1 | 2 |', '- [ ] task', '- [x] done', '---', '===', '\\', 'text', 'plain words here', 'const x = 1;',
  'function f() { return a < b && c > d; }',
];
const separators = ['', '', ' ', '\n', '\n', '\n\n', '\n\n\n'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A generated answer; about a third start with a document-level element, like an unfenced HTML example. */
function generateAnswer(random: () => number): string {
  const parts: string[] = [];
  if (random() < 0.35) parts.push(pick(random, documentLevel));
  const count = 1 + Math.floor(random() * 24);
  for (let index = 0; index < count; index++) {
    const roll = random();
    const pool = roll < 0.2 ? documentLevel : roll < 0.6 ? oddElements : markdown;
    parts.push(pick(random, separators), pick(random, pool));
  }
  return parts.join('');
}

const allowedTags = new Set([
  'a', 'abbr', 'b', 'blockquote', 'br', 'button', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'summary', 'sup',
  'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'var',
]);
const allowedAttributes = new Set([
  'class', 'title', 'alt', 'colspan', 'rowspan', 'align', 'start', 'open', 'data-href', 'role', 'tabindex', 'data-language', 'data-action',
  'aria-label', 'aria-hidden', 'type',
]);
const ownClasses = new Set(['code-block', 'code-toolbar', 'code-language', 'code-action', 'hljs', 'codicon', 'image-link', 'render-note', 'plain-text-answer']);

/** Asserts the rendered DOM holds nothing that runs, fetches or pretends to be our UI. */
function assertSafe(container: HTMLElement, label: string): void {
  for (const element of Array.from(container.querySelectorAll('*'))) {
    const tag = element.localName;
    assert.ok(allowedTags.has(tag) && element.namespaceURI === 'http://www.w3.org/1999/xhtml', `${label}: <${tag}> in ${element.namespaceURI}`);
    if (tag === 'button') assert.ok(element.parentElement?.classList.contains('code-toolbar'), `${label}: a button outside a code toolbar`);
    const inCode = element.closest('.code-block pre code') !== null && !element.matches('.code-block pre > code');
    for (const attribute of Array.from(element.attributes)) {
      assert.ok(allowedAttributes.has(attribute.name), `${label}: <${tag} ${attribute.name}="${attribute.value}">`);
      if (attribute.name === 'data-href') assert.match(attribute.value, /^https?:\/\/[^/@]+\//, `${label}: data-href ${attribute.value}`);
    }
    for (const name of Array.from(element.classList)) {
      const allowed = inCode ? /^[\w-]+$/.test(name) : ownClasses.has(name) || /^codicon-[\w-]+$/.test(name) || /^language-[\w+#.-]+$/.test(name);
      assert.ok(allowed, `${label}: class "${name}" on <${tag}>`);
    }
  }
  assert.equal(container.querySelector('.render-note'), null, `${label}: fell back to plain text`);
}

function renderWhole(text: string): HTMLElement {
  const container = document.createElement('div');
  container.append(renderMarkdownFragment(text));
  return container;
}

/** Streams `text` in chunks split at random offsets, flushing at random frames, then finishes. */
function renderStreamed(text: string, random: () => number): HTMLElement {
  const container = document.createElement('div');
  let pending: (() => void) | undefined;
  const streaming = new StreamingMarkdown(container, { schedule: callback => { pending = callback; } });
  let offset = 0;
  while (offset < text.length) {
    const size = 1 + Math.floor(random() * 48);
    streaming.append(text.slice(offset, offset + size));
    offset += size;
    if (pending && random() < 0.4) {
      const callback = pending;
      pending = undefined;
      callback();
    }
  }
  streaming.finish(text);
  return container;
}

/** What the chat does for a finished answer restored from history while a stream view is attached. */
function renderRestored(text: string): HTMLElement {
  const container = document.createElement('div');
  new StreamingMarkdown(container, { schedule: () => undefined }, text).finish(text);
  return container;
}

describe('webview renderer fuzz', function () {
  useDom();
  // About 12 s of CPU in total; the limit leaves room for a busy machine.
  this.timeout(180_000);

  // jsdom is slow (a render takes milliseconds), so the counts are what fits the unit tier.
  it('renders 1,500 generated answers whole (every 5th also restored from history): no throw, nothing unsafe', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const text = generateAnswer(seededRandom(seed));
      const label = `seed ${seed} ${JSON.stringify(text).slice(0, 300)}`;
      const whole = renderWhole(text);
      assertSafe(whole, label);
      if (seed % 5 === 0) assert.equal(renderRestored(text).innerHTML, whole.innerHTML, `${label}: restored differs from whole`);
    }
  });

  it('streams 200 generated answers split at random offsets to the same DOM as a whole render', () => {
    for (let seed = 10_001; seed <= 10_200; seed++) {
      const random = seededRandom(seed);
      const text = generateAnswer(random);
      const label = `seed ${seed} ${JSON.stringify(text).slice(0, 300)}`;
      const streamed = renderStreamed(text, random);
      assertSafe(streamed, label);
      assert.equal(streamed.innerHTML, renderWhole(text).innerHTML, `${label}: streamed differs from whole`);
    }
  });

  it('renders answers that start with a document-level element, split anywhere in their first 40 characters', () => {
    for (const start of ['<frameset>', '<frameset cols="50%"><frame src="javascript:alert(1)">', '<html><head>', '<body onload="alert(1)">', '<!doctype html><html>', '<template>', '<svg>', '<math>', '<noscript>', '<select>', '<table><tr>', '<!--', '<![CDATA[']) {
      const text = `${start}\n\nAfter **it**: [link](https://example.com) and\n\n\`\`\`html\n<frameset>\n\`\`\`\n\nEnd.`;
      const whole = renderWhole(text);
      assertSafe(whole, start);
      for (let split = 1; split < text.length; split += split < 40 ? 1 : 7) {
        const container = document.createElement('div');
        const streaming = new StreamingMarkdown(container, { schedule: () => undefined });
        streaming.append(text.slice(0, split));
        streaming.flush();
        assertSafe(container, `${start} split ${split} (partial)`);
        streaming.append(text.slice(split));
        streaming.finish();
        assert.equal(container.innerHTML, whole.innerHTML, `${start} split at ${split}`);
      }
    }
  });
});

import * as assert from 'node:assert/strict';
import { codeActionForButton, linkMessage, renderMarkdown, safeHref } from '../../../src/webview/ui/markdown';
import { useDom } from './domSupport';

function parse(html: string): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = html;
  return container;
}

/** Every attribute value in the rendered output, to check that no fetchable URL survives. */
function everyAttribute(root: HTMLElement): { element: string; name: string; value: string }[] {
  return Array.from(root.querySelectorAll('*')).flatMap(element =>
    Array.from(element.attributes).map(attribute => ({ element: element.tagName.toLowerCase(), name: attribute.name, value: attribute.value })));
}

function assertNothingFetchable(root: HTMLElement): void {
  for (const { element, name } of everyAttribute(root)) {
    assert.ok(!['src', 'srcset', 'href', 'style', 'background', 'poster', 'action', 'formaction', 'xlink:href'].includes(name), `<${element} ${name}> survived`);
    assert.ok(!name.startsWith('on'), `<${element} ${name}> event handler survived`);
  }
  for (const tag of ['img', 'script', 'iframe', 'object', 'embed', 'form', 'style', 'link', 'svg', 'video', 'audio', 'source', 'picture', 'input', 'meta', 'base', 'button']) {
    assert.equal(root.querySelector(`:scope ${tag}:not(.code-action)`), null, `<${tag}> survived`);
  }
}

describe('webview markdown renderer', () => {
  useDom();
  it('strips <script> and its content', () => {
    const root = parse(renderMarkdown('Hello <script>alert("x")</script> world\n\n<script>\nalert(1)\n</script>'));
    assert.equal(root.querySelector('script'), null);
    assert.ok(!root.innerHTML.includes('alert'));
    assert.ok(root.textContent?.includes('Hello'));
  });

  it('strips event handlers (onerror, onclick, onmouseover)', () => {
    const root = parse(renderMarkdown('<img src=x onerror="alert(1)"> <b onclick="alert(2)">bold</b>\n\n<div onmouseover="alert(3)">hover</div>'));
    assertNothingFetchable(root);
    assert.ok(!root.innerHTML.includes('alert'));
    assert.equal(root.querySelector('b')?.textContent, 'bold');
  });

  for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'vscode:extension/evil.evil', 'command:workbench.action.terminal.sendSequence?%7B%7D', 'file:///etc/passwd', 'vbscript:msgbox(1)']) {
    it(`turns a ${href.split(':')[0]}: link into plain text (markdown and raw HTML)`, () => {
      const root = parse(renderMarkdown(`[click me](${href}) and <a href="${href}">raw link</a>`));
      assert.equal(root.querySelector('a'), null, root.innerHTML);
      assert.ok(root.textContent?.includes('click me'));
      assert.ok(root.textContent?.includes('raw link'));
      assert.ok(!root.innerHTML.toLowerCase().includes(href.split(':')[0] + ':'), root.innerHTML);
    });
  }

  it('removes iframes, objects, embeds, forms, styles and stylesheet links', () => {
    const root = parse(renderMarkdown([
      '<iframe src="https://evil.example/"></iframe>',
      '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/y">',
      '<form action="https://evil.example/"><input name="a"><button>go</button></form>',
      '<style>body { background: url(https://evil.example/bg.png) }</style>',
      '<link rel="stylesheet" href="https://evil.example/s.css">',
      '<p style="background:url(https://evil.example/p.png)">styled</p>',
      '<svg><image href="https://evil.example/i.png"/></svg>',
      '<video poster="https://evil.example/v.png"></video><audio src="https://evil.example/a.mp3"></audio>',
      '<picture><source srcset="https://evil.example/s.png"></picture>',
      '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">',
    ].join('\n\n')));
    assertNothingFetchable(root);
    assert.ok(!root.innerHTML.includes('evil.example'), root.innerHTML);
  });

  it('turns markdown and HTML images into inert links with no src anywhere', () => {
    const html = renderMarkdown([
      '![leak](http://127.0.0.1:9/leak)',
      '<img src="http://127.0.0.1:9/raw" alt="raw">',
      '<img srcset="http://127.0.0.1:9/set 2x">',
      '![data](data:image/png;base64,iVBORw0KGgo=)',
      '[![linked](http://127.0.0.1:9/inner)](https://example.com/page)',
      'Reference ![ref][img]\n\n[img]: http://127.0.0.1:9/ref',
    ].join('\n\n'));
    assert.ok(!/\ssrc(set)?=/i.test(html), html);
    const root = parse(html);
    assertNothingFetchable(root);
    const images = Array.from(root.querySelectorAll('.image-link'));
    assert.equal(images.length, 6);
    const leak = images[0];
    assert.equal(leak?.tagName, 'A');
    assert.equal(leak?.getAttribute('data-href'), 'http://127.0.0.1:9/leak');
    assert.ok(leak?.textContent?.includes('leak'));
    assert.equal(images[1]?.getAttribute('data-href'), 'http://127.0.0.1:9/raw');
    // data: images stay text; an image inside a link is that link's text, not a nested link.
    assert.equal(images[3]?.tagName, 'SPAN');
    assert.equal(images[3]?.hasAttribute('data-href'), false);
    assert.equal(images[4]?.tagName, 'SPAN');
    assert.equal(images[4]?.closest('a')?.getAttribute('data-href'), 'https://example.com/page');
    assert.equal(images[5]?.getAttribute('data-href'), 'http://127.0.0.1:9/ref');
  });

  it('keeps http(s) and mailto links as data-href anchors without href', () => {
    const root = parse(renderMarkdown('See [the docs](https://example.com/docs?a=1&b=2), <https://example.org>, [mail](mailto:a@example.com) and <a href="http://example.net/x" target="_blank">raw</a>.'));
    const anchors = Array.from(root.querySelectorAll('a'));
    assert.deepEqual(anchors.map(anchor => anchor.getAttribute('data-href')), [
      'https://example.com/docs?a=1&b=2', 'https://example.org/', 'mailto:a@example.com', 'http://example.net/x',
    ]);
    for (const anchor of anchors) {
      assert.equal(anchor.hasAttribute('href'), false);
      assert.equal(anchor.hasAttribute('target'), false);
      assert.equal(anchor.getAttribute('tabindex'), '0');
    }
    assert.deepEqual(linkMessage(anchors[0]?.getAttribute('data-href') ?? ''), { type: 'link/open', href: 'https://example.com/docs?a=1&b=2' });
  });

  it('keeps only http(s), mailto and #anchors in safeHref', () => {
    assert.equal(safeHref('https://example.com'), 'https://example.com/');
    assert.equal(safeHref('#section'), '#section');
    assert.equal(safeHref('  java\tscript:alert(1)'), undefined);
    assert.equal(safeHref('relative/path'), undefined);
    assert.equal(safeHref('ftp://example.com'), undefined);
    assert.equal(linkMessage('#section'), undefined);
  });

  it('does not let model HTML dress up as UI (classes, data attributes, buttons)', () => {
    const root = parse(renderMarkdown('<div class="code-block hidden" data-language="ts" data-href="https://x.example"><button data-action="apply">Apply</button><pre><code class="evil language-ts">rm -rf /</code></pre></div>'));
    assert.equal(root.querySelectorAll('button').length, 4, 'only the toolbar of the real code block');
    for (const element of Array.from(root.querySelectorAll('[class]'))) {
      for (const name of Array.from(element.classList)) assert.ok(!['hidden', 'evil'].includes(name), root.innerHTML);
    }
    assert.equal(root.querySelector('[data-href]'), null);
  });

  it('highlights a TypeScript code block and keeps the raw code for the buttons', () => {
    const code = 'const answer: number = 42; // the <answer>\nfunction greet(name: string) {\n  return `hi ${name}` && a < b;\n}';
    const root = parse(renderMarkdown('Intro\n\n```ts\n' + code + '\n```\n'));
    const block = root.querySelector('.code-block');
    assert.ok(block);
    assert.equal(block.getAttribute('data-language'), 'ts');
    const codeElement = block.querySelector('pre > code');
    assert.ok(codeElement?.classList.contains('hljs'));
    assert.ok(codeElement?.classList.contains('language-ts'));
    assert.ok(codeElement?.querySelector('.hljs-keyword'), 'keywords are highlighted');
    assert.ok(codeElement?.querySelector('.hljs-comment'), 'comments are highlighted');
    assert.equal(codeElement?.textContent, code);
    const buttons = Array.from(block.querySelectorAll('.code-toolbar button'));
    assert.deepEqual(buttons.map(button => button.getAttribute('data-action')), ['copy', 'insert', 'apply', 'open']);
    for (const button of buttons) {
      assert.ok(button.getAttribute('aria-label'));
      assert.ok(button.querySelector('.codicon'));
    }
    assert.deepEqual(codeActionForButton(buttons[2] as Element), { type: 'code/action', action: 'apply', code, language: 'ts' });
  });

  it('renders an unknown language as escaped plain text', () => {
    const root = parse(renderMarkdown('```brainfudge\n<b>not bold</b> ++[>+<-]\n```'));
    const codeElement = root.querySelector('.code-block pre > code');
    assert.equal(codeElement?.children.length, 0);
    assert.equal(codeElement?.textContent, '<b>not bold</b> ++[>+<-]');
    assert.equal(root.querySelector('.code-block')?.getAttribute('data-language'), 'brainfudge');
  });

  it('renders GFM tables, task lists and inline code', () => {
    const root = parse(renderMarkdown('| a | b |\n|---|:-:|\n| 1 | `x<y>` |\n\n- [x] done\n- [ ] todo'));
    assert.equal(root.querySelectorAll('table td').length, 2);
    assert.equal(root.querySelector('td code')?.textContent, 'x<y>');
    assert.equal(root.querySelector('input'), null);
    assert.ok(root.textContent?.includes('☑ done'));
  });
});

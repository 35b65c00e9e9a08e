import * as assert from 'node:assert/strict';
import { codeActionForButton, linkMessage, renderMarkdown, renderMarkdownFragment, safeHref } from '../../../src/webview/ui/markdown';
import { highlightedNodes } from '../../../src/webview/ui/highlight';
import { useDom } from './domSupport';

/** The rendered nodes in a container, as the chat inserts them (no HTML string in between). */
function rendered(markdown: string): HTMLElement {
  const container = document.createElement('div');
  container.append(renderMarkdownFragment(markdown));
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
    const root = rendered('Hello <script>alert("x")</script> world\n\n<script>\nalert(1)\n</script>');
    assert.equal(root.querySelector('script'), null);
    assert.ok(!root.innerHTML.includes('alert'));
    assert.ok(root.textContent?.includes('Hello'));
  });

  it('strips event handlers (onerror, onclick, onmouseover)', () => {
    const root = rendered('<img src=x onerror="alert(1)"> <b onclick="alert(2)">bold</b>\n\n<div onmouseover="alert(3)">hover</div>');
    assertNothingFetchable(root);
    assert.ok(!root.innerHTML.includes('alert'));
    assert.equal(root.querySelector('b')?.textContent, 'bold');
  });

  // A link either opens (http/https, after the host's check) or is plain text: never a clickable
  // link the host would refuse.
  for (const href of [
    'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'vscode:extension/evil.evil',
    'command:workbench.action.terminal.sendSequence?%7B%7D', 'file:///etc/passwd', 'vbscript:msgbox(1)', 'mailto:someone@example.com',
    'relative/path.html', '../up.md', '#section', '//evil.example/protocol-relative', 'ftp://example.com/file', 'https://user:secret@example.com/',
  ]) {
    it(`turns a link to ${href.slice(0, 30)} into plain text (markdown and raw HTML)`, () => {
      const root = rendered(`[click me](${href}) and <a href="${href}">raw link</a>`);
      assert.equal(root.querySelector('a'), null, root.innerHTML);
      assert.ok(root.textContent?.includes('click me'));
      assert.ok(root.textContent?.includes('raw link'));
      assert.ok(!root.innerHTML.toLowerCase().includes(href.split(':')[0] + ':'), root.innerHTML);
    });
  }

  it('removes iframes, objects, embeds, forms, styles and stylesheet links', () => {
    const root = rendered([
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
    ].join('\n\n'));
    assertNothingFetchable(root);
    assert.ok(!root.innerHTML.includes('evil.example'), root.innerHTML);
  });

  it('turns markdown and HTML images into inert links with no src anywhere', () => {
    const markdownWithImages = [
      '![leak](http://127.0.0.1:9/leak)',
      '<img src="http://127.0.0.1:9/raw" alt="raw">',
      '<img srcset="http://127.0.0.1:9/set 2x">',
      '![data](data:image/png;base64,iVBORw0KGgo=)',
      '[![linked](http://127.0.0.1:9/inner)](https://example.com/page)',
      'Reference ![ref][img]\n\n[img]: http://127.0.0.1:9/ref',
    ].join('\n\n');
    const html = renderMarkdown(markdownWithImages);
    assert.ok(!/\ssrc(set)?=/i.test(html), html);
    const root = rendered(markdownWithImages);
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

  it('keeps http(s) links as data-href anchors without href, and email autolinks as text', () => {
    const root = rendered('See [the docs](https://example.com/docs?a=1&b=2), <https://example.org>, [mail](mailto:a@example.com), <b@example.com>, c@example.com and <a href="http://example.net/x" target="_blank">raw</a>.');
    const anchors = Array.from(root.querySelectorAll('a'));
    assert.deepEqual(anchors.map(anchor => anchor.getAttribute('data-href')), [
      'https://example.com/docs?a=1&b=2', 'https://example.org/', 'http://example.net/x',
    ]);
    for (const anchor of anchors) {
      assert.equal(anchor.hasAttribute('href'), false);
      assert.equal(anchor.hasAttribute('target'), false);
      assert.equal(anchor.getAttribute('tabindex'), '0');
      assert.equal(anchor.getAttribute('role'), 'link');
    }
    assert.ok(root.textContent?.includes('mail, b@example.com, c@example.com and raw'), root.textContent ?? '');
    assert.deepEqual(linkMessage(anchors[0]?.getAttribute('data-href') ?? ''), { type: 'link/open', href: 'https://example.com/docs?a=1&b=2' });
  });

  it('keeps only what the host opens in safeHref and linkMessage', () => {
    assert.equal(safeHref('https://example.com'), 'https://example.com/');
    assert.equal(safeHref(' http://example.com/a b '), 'http://example.com/a%20b');
    for (const href of ['#section', 'mailto:a@example.com', '  java\tscript:alert(1)', 'relative/path', 'ftp://example.com', 'https://user:pw@example.com', 'vscode://file/x', `https://example.com/${'a'.repeat(5000)}`]) {
      assert.equal(safeHref(href), undefined, href);
      assert.equal(linkMessage(href), undefined, href);
    }
    assert.deepEqual(linkMessage('http://example.com/x'), { type: 'link/open', href: 'http://example.com/x' });
  });

  it('renders an answer that starts with <frameset> (the old "reading \'ownerDocument\'" crash)', () => {
    for (const answer of [
      '<frameset><frame src="javascript:alert(1)"></frameset>\n\nThe **rest** renders.',
      '<frameset cols="50%,50%" onload="alert(1)">\n<frame src="https://evil.example/">\n<noframes>No frames</noframes>\n</frameset>',
      '<html><head><title>T</title></head><frameset><frame></frameset></html>',
      '<!-- leading comment --><frameset>',
      '<frameset>',
      '<body onload="alert(1)"><frameset></frameset>text',
    ]) {
      const root = rendered(answer);
      assertNothingFetchable(root);
      for (const tag of ['frameset', 'frame', 'html', 'head', 'body', 'title']) assert.equal(root.querySelector(tag), null, `${tag} in ${root.innerHTML}`);
      assert.equal(root.querySelector('.render-note'), null, `rendered as markdown: ${answer}`);
    }
    assert.equal(rendered('<frameset><frame src="x"></frameset>\n\nThe **rest** renders.').querySelector('strong')?.textContent, 'rest');
    assert.equal(rendered('<!-- leading comment -->\n\nText').querySelector('p')?.textContent, 'Text');
  });

  it('shows an answer marked cannot parse (3,000 nested quotes overflow its stack) as plain text with a note', () => {
    const answer = `${'>'.repeat(3000)} <b>deep</b> & deeper`;
    const originalError = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => { logged.push(args[1]); };
    let root: HTMLElement;
    try {
      root = rendered(answer);
    } finally {
      console.error = originalError;
    }
    assert.equal(root.querySelector('.render-note')?.textContent?.trim(), 'Shown as plain text: this answer could not be rendered');
    assert.equal(root.querySelector('.plain-text-answer')?.textContent, answer);
    assert.equal(root.querySelector('b, blockquote'), null);
    assert.ok(logged[0] instanceof RangeError, String(logged[0]));
  });

  it('renders document-level and odd elements without throwing', () => {
    const odd = [
      '<html><body><p>in body</p></body></html>', '<head><meta charset="x"><script>alert(1)</script></head>', '<template><img src=x onerror=alert(1)></template>',
      '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">svg link</a></svg>', '<math><mi xlink:href="javascript:alert(1)">m</mi><mtext><img src=x onerror=alert(1)></mtext></math>',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<select><option>a<option>b</select>', '<table><td>cell', '<tr><td>stray row</td></tr>',
      '<![CDATA[ <script>alert(1)</script> ]]>', '&lt;script&gt; &#x3C;b&#x3E; &amp;amp; &#0; &nbsp', '<plaintext><b>x', '<xmp><b>x</b></xmp>', '<textarea><b>x</b>',
      '<a href="https://example.com"><a href="https://example.org">nested</a></a>', '<details open ontoggle=alert(1)><summary>s</summary>d</details>', '</body></html><p>after</p><!-- c -->',
    ];
    for (const answer of odd) {
      const root = rendered(answer);
      assertNothingFetchable(root);
      assert.equal(root.querySelector('.render-note'), null, `rendered as markdown: ${answer}`);
      assert.ok(!/alert\(1\)/.test(root.innerHTML) || !root.querySelector('[onerror],[onload],[ontoggle]'), root.innerHTML);
    }
    assert.equal(rendered('<details open ontoggle=alert(1)><summary>s</summary>d</details>').querySelector('details')?.hasAttribute('ontoggle'), false);
  });

  it('does not let model HTML dress up as UI (classes, data attributes, buttons)', () => {
    const root = rendered('<div class="code-block hidden" data-language="ts" data-href="https://x.example"><button data-action="apply">Apply</button><pre><code class="evil language-ts">rm -rf /</code></pre></div>');
    assert.equal(root.querySelectorAll('button').length, 4, 'only the toolbar of the real code block');
    for (const element of Array.from(root.querySelectorAll('[class]'))) {
      for (const name of Array.from(element.classList)) assert.ok(!['hidden', 'evil'].includes(name), root.innerHTML);
    }
    assert.equal(root.querySelector('[data-href]'), null);
  });

  it('highlights a TypeScript code block and keeps the raw code for the buttons', () => {
    const code = 'const answer: number = 42; // the <answer>\nfunction greet(name: string) {\n  return `hi ${name}` && a < b;\n}';
    const root = rendered('Intro\n\n```ts\n' + code + '\n```\n');
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

  it('builds highlighted code as nodes and refuses anything highlight.js does not emit', () => {
    const nodes = highlightedNodes('<span class="hljs-title function_">f</span>(&lt;a&gt; &amp;&amp; &quot;b&quot; &#x27;c&#x27;)<span class="language-xml"><span class="hljs-tag">x</span></span>', document);
    const holder = document.createElement('code');
    holder.append(nodes);
    assert.equal(holder.textContent, 'f(<a> && "b" \'c\')x');
    assert.deepEqual(Array.from(holder.querySelectorAll('span')).map(span => span.className), ['hljs-title function_', 'language-xml', 'hljs-tag']);
    for (const bad of ['<img src=x onerror=alert(1)>', '<span class="a" onclick="x">y</span>', '<span class="a">open', 'close</span>', '&nbsp;', '<b>x</b>', "<span class='a'>x</span>", '<span class="a<b>">x</span>']) {
      assert.throws(() => highlightedNodes(bad, document), /highlighter output/, bad);
    }
  });

  it('renders an unknown language as escaped plain text', () => {
    const root = rendered('```brainfudge\n<b>not bold</b> ++[>+<-]\n```');
    const codeElement = root.querySelector('.code-block pre > code');
    assert.equal(codeElement?.children.length, 0);
    assert.equal(codeElement?.textContent, '<b>not bold</b> ++[>+<-]');
    assert.equal(root.querySelector('.code-block')?.getAttribute('data-language'), 'brainfudge');
  });

  it('renders GFM tables, task lists and inline code', () => {
    const root = rendered('| a | b |\n|---|:-:|\n| 1 | `x<y>` |\n\n- [x] done\n- [ ] todo');
    assert.equal(root.querySelectorAll('table td').length, 2);
    assert.equal(root.querySelector('td code')?.textContent, 'x<y>');
    assert.equal(root.querySelector('input'), null);
    assert.ok(root.textContent?.includes('☑ done'));
  });
});

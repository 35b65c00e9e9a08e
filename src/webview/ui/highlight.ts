// Syntax highlighting of code blocks with highlight.js, built as DOM nodes: its HTML output has a
// fixed shape (`<span class="…">`, `</span>` and five escaped characters around the code's text), so
// it is read token by token into spans and text nodes; it never reaches an HTML parser or innerHTML.
// Anything else in it (which highlight.js does not emit) leaves the code plain.
// @see https://github.com/highlightjs/highlight.js/blob/main/src/lib/html_renderer.js
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const languages = { bash, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);
hljs.registerAliases(['c', 'h', 'cuda'], { languageName: 'cpp' });
hljs.registerAliases(['shell', 'console', 'terminal', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['vue', 'svelte', 'jsx-html'], { languageName: 'xml' });

export function isKnownLanguage(language: string): boolean {
  return language !== '' && hljs.getLanguage(language) !== undefined;
}

const htmlToken = /<span class="([\w -]{1,200})">|<\/span>|&(amp|lt|gt|quot|#x27);|[^<&]+/y;
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'" };

/** highlight.js output → spans and text nodes of `document`; throws on anything else. */
export function highlightedNodes(html: string, document: Document): DocumentFragment {
  const root = document.createDocumentFragment();
  const open: (DocumentFragment | HTMLSpanElement)[] = [root];
  htmlToken.lastIndex = 0;
  while (htmlToken.lastIndex < html.length) {
    const start = htmlToken.lastIndex;
    const match = htmlToken.exec(html);
    if (!match) throw new Error(`Unexpected highlighter output at ${start}.`);
    const parent = open[open.length - 1] as DocumentFragment | HTMLSpanElement;
    const [token, className, entity] = match;
    if (className !== undefined) {
      const span = document.createElement('span');
      span.className = className.trim();
      parent.append(span);
      open.push(span);
    } else if (token === '</span>') {
      if (open.length === 1) throw new Error('Unbalanced highlighter output.');
      open.pop();
    } else {
      parent.append(entity !== undefined ? entities[entity] ?? '' : token);
    }
  }
  if (open.length !== 1) throw new Error('Unbalanced highlighter output.');
  return root;
}

/**
 * Fills `target` with `code` highlighted as `language`, or with the plain code when the language is
 * unknown or highlighting fails. The text of `target` is always exactly `code`.
 */
export function fillHighlighted(target: HTMLElement, code: string, language: string): void {
  if (isKnownLanguage(language)) {
    try {
      const nodes = highlightedNodes(hljs.highlight(code, { language, ignoreIllegals: true }).value, target.ownerDocument);
      if (nodes.textContent === code) {
        target.replaceChildren(nodes);
        return;
      }
    } catch {
      // Highlighting is decoration: the code is shown plain below.
    }
  }
  target.textContent = code;
}

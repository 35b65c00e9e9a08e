// Markdown → safe HTML for model output. marked alone does not sanitize (measured: raw HTML and
// `javascript:` links pass through), so everything goes through DOMPurify with a small allowlist,
// then one pass over the sanitized (still inert) DOM that:
//   - turns every link into an anchor with `data-href` and no `href` (the host opens it after
//     validating), or into plain text when the scheme is not http(s)/mailto/#anchor;
//   - turns every image into an inert "image link", so no URL is ever fetched by the webview;
//   - wraps code blocks with a toolbar and highlights them with highlight.js.
// @see https://github.com/cure53/DOMPurify#can-i-configure-dompurify
import { Marked, type Tokens } from 'marked';
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
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
import type { WebviewToHost } from '../protocol';

const languages = { bash, cpp, csharp, css, diff, go, java, javascript, json, markdown, python, rust, sql, typescript, xml, yaml };
for (const [name, language] of Object.entries(languages)) hljs.registerLanguage(name, language);
hljs.registerAliases(['c', 'h', 'cuda'], { languageName: 'cpp' });
hljs.registerAliases(['shell', 'console', 'terminal', 'shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
hljs.registerAliases(['vue', 'svelte', 'jsx-html'], { languageName: 'xml' });

export type CodeAction = 'copy' | 'insert' | 'apply' | 'open';

const codeActions: { action: CodeAction; icon: string; label: string }[] = [
  { action: 'copy', icon: 'copy', label: 'Copy code' },
  { action: 'insert', icon: 'insert', label: 'Insert at cursor' },
  { action: 'apply', icon: 'diff', label: 'Apply to the active editor' },
  { action: 'open', icon: 'new-file', label: 'Open in a new editor' },
];

const maxLanguageLength = 64;

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, character => escapes[character] ?? character);
}

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // The default renderer appends a newline to the code; keep the code exactly as written so the
    // toolbar buttons send what the model wrote.
    code({ text, lang }: Tokens.Code): string {
      const language = (lang ?? '').match(/^\S*/)?.[0] ?? '';
      const attribute = language ? ` class="language-${escapeHtml(language)}"` : '';
      return `<pre><code${attribute}>${escapeHtml(text.replace(/\n$/, ''))}</code></pre>\n`;
    },
    // Task list checkboxes become text: no <input> is allowed through the sanitizer.
    checkbox({ checked }: Tokens.Checkbox): string {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

const allowedTags = [
  'a', 'abbr', 'b', 'blockquote', 'br', 'code', 'dd', 'del', 'details', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span', 'strike',
  'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul', 'var',
];

// `src` and `href` survive only until the post-pass below turns them into data attributes.
const purifyConfig: Config & { RETURN_DOM_FRAGMENT: true } = {
  ALLOWED_TAGS: allowedTags,
  ALLOWED_ATTR: ['href', 'title', 'alt', 'src', 'class', 'colspan', 'rowspan', 'align', 'start', 'open'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Parse in body context even when the text starts with a comment, so a split render equals a whole one.
  FORCE_BODY: true,
  // An inert fragment owned by DOMPurify's DOMParser document: images in it are never fetched.
  RETURN_DOM_FRAGMENT: true,
};

const languageClass = /^language-[\w+#.-]{1,64}$/;

let purifier: DOMPurify | undefined;

function getPurifier(): DOMPurify {
  if (purifier) return purifier;
  const instance = createDOMPurify(window);
  // Model output may only carry `language-*` classes, so it cannot dress up as our own UI
  // (a fake code toolbar, a hidden block).
  instance.addHook('uponSanitizeAttribute', (_node, data) => {
    if (data.attrName !== 'class') return;
    const kept = data.attrValue.split(/\s+/).filter(token => languageClass.test(token));
    if (kept.length === 0) data.keepAttr = false;
    else data.attrValue = kept.join(' ');
  });
  purifier = instance;
  return instance;
}

/** The URL a rendered link may open (`#` stands for in-page anchors), or undefined when it must stay plain text. */
export function safeHref(raw: string, schemes: readonly string[] = ['http:', 'https:', 'mailto:', '#']): string | undefined {
  const href = raw.trim();
  if (href.startsWith('#')) return schemes.includes('#') && href.length > 1 && href.length <= 4096 ? href : undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (!schemes.includes(url.protocol)) return undefined;
  return url.href.length <= 4096 ? url.href : undefined;
}

function neutralizeLink(anchor: HTMLAnchorElement): void {
  const href = anchor.getAttribute('href');
  anchor.removeAttribute('href');
  const target = href === null ? undefined : safeHref(href);
  if (!target) {
    anchor.replaceWith(...Array.from(anchor.childNodes));
    return;
  }
  anchor.setAttribute('data-href', target);
  anchor.setAttribute('role', 'link');
  anchor.setAttribute('tabindex', '0');
  if (!anchor.getAttribute('title')) anchor.setAttribute('title', target);
}

function replaceImage(image: HTMLImageElement): void {
  const document = image.ownerDocument;
  const source = safeHref(image.getAttribute('src') ?? '', ['http:', 'https:']);
  const alt = (image.getAttribute('alt') ?? '').trim() || 'image';
  // Inside a link the image becomes that link's text; nested anchors are not valid HTML.
  const clickable = source !== undefined && image.parentElement?.closest('a') === null;
  const element = document.createElement(clickable ? 'a' : 'span');
  element.className = 'image-link';
  const icon = document.createElement('span');
  icon.className = 'codicon codicon-file-media';
  icon.setAttribute('aria-hidden', 'true');
  element.append(icon, ` ${alt}`);
  if (clickable && source) {
    element.setAttribute('data-href', source);
    element.setAttribute('role', 'link');
    element.setAttribute('tabindex', '0');
    element.setAttribute('title', `Image not loaded. Open ${source}`);
  } else {
    element.setAttribute('title', 'Image not loaded');
  }
  image.replaceWith(element);
}

function decorateCodeBlock(pre: HTMLPreElement): void {
  const document = pre.ownerDocument;
  const source = pre.querySelector(':scope > code') ?? pre;
  const code = source.textContent ?? '';
  const language = (source.getAttribute('class') ?? '').match(/(?:^|\s)language-(\S+)/)?.[1]?.slice(0, maxLanguageLength) ?? '';
  const known = language !== '' && hljs.getLanguage(language) !== undefined;

  const block = document.createElement('div');
  block.className = 'code-block';
  block.setAttribute('data-language', language);

  const toolbar = document.createElement('div');
  toolbar.className = 'code-toolbar';
  const label = document.createElement('span');
  label.className = 'code-language';
  label.textContent = language || 'text';
  toolbar.append(label);
  for (const { action, icon, label: text } of codeActions) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'code-action';
    button.setAttribute('data-action', action);
    button.setAttribute('aria-label', text);
    button.setAttribute('title', text);
    const glyph = document.createElement('span');
    glyph.className = `codicon codicon-${icon}`;
    glyph.setAttribute('aria-hidden', 'true');
    button.append(glyph);
    toolbar.append(button);
  }

  const newPre = document.createElement('pre');
  const codeElement = document.createElement('code');
  codeElement.className = language ? `hljs language-${language}` : 'hljs';
  if (known) codeElement.innerHTML = hljs.highlight(code, { language, ignoreIllegals: true }).value;
  else codeElement.textContent = code;
  newPre.append(codeElement);
  block.append(toolbar, newPre);
  pre.replaceWith(block);
}

/** Renders untrusted markdown (model output) to HTML that is safe to assign to innerHTML. */
export function renderMarkdown(text: string): string {
  let html: string;
  try {
    html = marked.parse(text, { async: false });
  } catch {
    html = `<p>${escapeHtml(text)}</p>`;
  }
  const fragment = getPurifier().sanitize(html, purifyConfig);
  const root = fragment.ownerDocument.createElement('div');
  root.append(fragment);
  for (const anchor of Array.from(root.querySelectorAll('a'))) neutralizeLink(anchor);
  for (const image of Array.from(root.querySelectorAll('img'))) replaceImage(image);
  // Document order: an outer <pre> is replaced first, which detaches any <pre> nested in it.
  for (const pre of Array.from(root.querySelectorAll('pre'))) if (root.contains(pre)) decorateCodeBlock(pre);
  return root.innerHTML;
}

export function isCodeAction(value: string | null): value is CodeAction {
  return value === 'copy' || value === 'insert' || value === 'apply' || value === 'open';
}

export function codeActionMessage(action: CodeAction, code: string, language: string): WebviewToHost {
  return { type: 'code/action', action, code, language: language.slice(0, maxLanguageLength) };
}

/** The message for a click on a code toolbar button: the raw code text, not its HTML. */
export function codeActionForButton(button: Element): WebviewToHost | undefined {
  const action = button.getAttribute('data-action');
  const block = button.closest('.code-block');
  const code = block?.querySelector(':scope > pre > code');
  if (!isCodeAction(action) || !block || !code) return undefined;
  return codeActionMessage(action, code.textContent ?? '', block.getAttribute('data-language') ?? '');
}

/** The message for activating a rendered link, or undefined for in-page anchors and plain text. */
export function linkMessage(href: string): WebviewToHost | undefined {
  const target = safeHref(href);
  if (!target || target.startsWith('#')) return undefined;
  return { type: 'link/open', href: target };
}
